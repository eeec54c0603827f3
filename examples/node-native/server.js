// better-sqlite3 is a native module: it compiles against glibc in the builder and
// must run on glibc too.
const http = require("node:http");
const Database = require("better-sqlite3");

const db = new Database(":memory:");
db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('first')");

http
  .createServer((_req, res) => {
    const { n } = db.prepare("SELECT count(*) AS n FROM notes").get();
    const { v } = db.prepare("SELECT sqlite_version() AS v").get();
    res.end(`${n} notes (sqlite ${v})\n`);
  })
  .listen(3006);
