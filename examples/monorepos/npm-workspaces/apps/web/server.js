const http = require("node:http");
const ms = require("ms");
const { items } = require("@shop/shared");

const port = Number(process.env.PORT || 3102);
http
  .createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    res.end(`<ul>${items().map((i) => `<li>${i}</li>`).join("")}</ul><p>cached ${ms(60000)}</p>`);
  })
  .listen(port, () => console.log(`web on :${port}`));
