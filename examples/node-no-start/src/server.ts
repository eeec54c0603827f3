// A server with no `start` script: its production start is `start:prod`, which runs
// the build's output (dist/server.js) with node.
import { createServer } from "node:http";

const port = Number(process.env.PORT) || 3013;

createServer((_req, res) => {
  res.end("hello from the ledger api\n");
}).listen(port, () => console.log(`listening on ${port}`));

process.on("SIGTERM", () => process.exit(0));
