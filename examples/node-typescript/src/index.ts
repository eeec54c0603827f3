// A typed HTTP API on node:http, compiled by tsc.
import { createServer, IncomingMessage, ServerResponse } from "node:http";

const port = Number(process.env.PORT ?? 3004);

function handle(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ status: "ok", runtime: process.version }));
}

const server = createServer(handle);
server.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
