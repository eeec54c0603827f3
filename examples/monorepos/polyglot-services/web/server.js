const http = require("node:http");

const port = Number(process.env.PORT || 3104);
http
  .createServer((req, res) => {
    res.setHeader("content-type", "text/html");
    res.end("<h1>shop</h1>");
  })
  .listen(port, () => console.log(`web on :${port}`));
