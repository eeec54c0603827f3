// Polka on Node, installed by Yarn 4 with its default linker, Plug'n'Play: no
// nodeLinker in .yarnrc.yml. The image installs node_modules instead.
const polka = require("polka");

const port = Number(process.env.PORT) || 3009;

polka()
  .get("/", (req, res) => res.end("hello from polka\n"))
  .listen(port, "0.0.0.0", () => console.log(`listening on ${port}`));
