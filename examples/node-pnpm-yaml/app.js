// Koa on pnpm, whose manifest is package.yaml: no package.json at all.
const Koa = require("koa");

const app = new Koa();
app.use((ctx) => {
  ctx.body = "hello from koa (package.yaml)\n";
});

const port = process.env.PORT || 3011;
app.listen(port, () => console.log(`listening on ${port}`));
