const http = require("node:http");
const { items } = require("@shop/shared");

const port = Number(process.env.PORT || 3101);
http
  .createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(items()));
  })
  .listen(port, () => console.log(`api on :${port}`));
