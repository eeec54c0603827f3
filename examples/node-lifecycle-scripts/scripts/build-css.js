// Runs at `npm install` (postinstall): builds public/app.css from the sources in styles/.
const fs = require("fs");
const path = require("path");

const root = path.join(__dirname, "..");
const source = fs.readFileSync(path.join(root, "styles", "app.css"), "utf8");
fs.mkdirSync(path.join(root, "public"), { recursive: true });
fs.writeFileSync(path.join(root, "public", "app.css"), `/* built */\n${source}`);
