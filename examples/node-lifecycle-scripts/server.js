const path = require("path");
const express = require("express");

const app = express();
// public/app.css is built by the postinstall script.
app.use(express.static(path.join(__dirname, "public")));
app.get("/", (req, res) => res.send('<link rel="stylesheet" href="/app.css"><p>ok</p>'));
app.get("/health", (req, res) => res.json({ status: "ok" }));

const port = process.env.PORT || 3008;
const server = app.listen(port, () => console.log(`listening on ${port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
