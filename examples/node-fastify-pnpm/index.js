// A Fastify server that closes cleanly on SIGTERM (so no init process is needed).
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "fastify" }));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => app.close().then(() => process.exit(0)));
}

await app.listen({ port: 3001, host: "0.0.0.0" });
