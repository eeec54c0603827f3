// Hono on Bun: TypeScript run as it is, installed by Bun (bun.lock), started by
// `bun run` — the image is Bun's, not node's.
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text(`hello from hono on bun ${Bun.version}\n`));

const server = Bun.serve({
  port: Number(process.env.PORT) || 3010,
  fetch: app.fetch,
});
console.log(`listening on ${server.port}`);
