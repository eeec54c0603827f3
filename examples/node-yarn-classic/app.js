// Koa on Yarn 1 (yarn.lock v1, no packageManager field).
const Koa = require("koa");

const app = new Koa();
app.use((ctx) => {
  ctx.body = "hello from koa\n";
});
app.listen(3002);
