// Builds the front end into dist/: the page, stamped with the build's time.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

mkdirSync("dist", { recursive: true });
const page = readFileSync("src/index.html", "utf8");
writeFileSync("dist/index.html", page.replace("{{built}}", new Date().toISOString()));
