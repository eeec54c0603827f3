// Hono on Node, installed by Yarn 4 with the node-modules linker.
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.get("/", (c) => c.text("hello from hono\n"));

serve({ fetch: app.fetch, port: 3003 });
