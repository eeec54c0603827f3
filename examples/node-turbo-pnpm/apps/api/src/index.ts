import express from "express";
import { greet } from "@repo/utils";
const app = express();
app.get("/", (_req, res) => { res.send(greet("turbo")); });
const port = Number(process.env.PORT) || 3012;
app.listen(port, () => console.log(`listening on ${port}`));
