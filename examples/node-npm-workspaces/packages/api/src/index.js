// The monorepo's one app: uses the shared workspace package.
const http = require("node:http");
const { uptime } = require("@mono/shared");

const port = process.env.PORT || 3007;
http.createServer((_req, res) => res.end(`up ${uptime()}\n`)).listen(port);
