// An Express server. It does not handle SIGTERM itself, so the image runs it under
// a tiny init.
const express = require("express");
const path = require("node:path");

const app = express();
const port = process.env.PORT || 3000;

app.use("/static", express.static(path.join(__dirname, "public")));
app.get("/", (_req, res) => res.send("hello from express\n"));

app.listen(port, () => console.log(`listening on ${port}`));
