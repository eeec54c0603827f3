// Renders content/*.md into public/*.html: the site Cloud Foundry's Staticfile serves.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { marked } from "marked";

await mkdir("public", { recursive: true });
for (const name of await readdir("content")) {
  if (!name.endsWith(".md")) continue;
  const body = marked.parse(await readFile(`content/${name}`, "utf8"));
  const page = `<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Handbook</title>\n<body>${body}</body></html>\n`;
  await writeFile(`public/${name.replace(/\.md$/, ".html")}`, page);
}
