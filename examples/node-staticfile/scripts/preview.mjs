// A local preview of public/ (not how the site is served in production).
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";

createServer(async (req, res) => {
  const path = req.url === "/" ? "/index.html" : req.url;
  try {
    res.end(await readFile(`public${path}`));
  } catch {
    res.statusCode = 404;
    res.end("not found");
  }
}).listen(5173);
