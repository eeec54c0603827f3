"""A Flask app whose page loads a bundle that esbuild makes from assets/ into
static/dist/: not in the repository, built by package.json's build script."""

from pathlib import Path

from flask import Flask, render_template

BUNDLE = Path(__file__).parent / "static" / "dist" / "app.js"

# Like apps that read their bundler's manifest at start: no bundle, no app.
if not BUNDLE.is_file():
    raise SystemExit(f"{BUNDLE} is missing: run `npm run build` first")

app = Flask(__name__)


@app.get("/")
def index():
    return render_template("index.html", bundle_size=BUNDLE.stat().st_size)


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8099)
