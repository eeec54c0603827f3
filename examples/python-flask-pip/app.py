"""A small Flask service: a page, a JSON endpoint and a health check."""

from flask import Flask, jsonify, render_template

app = Flask(__name__)


@app.get("/")
def index():
    return render_template("index.html", title="docksmith flask example")


@app.get("/api/items")
def items():
    return jsonify([{"id": 1, "name": "hammer"}, {"id": 2, "name": "anvil"}])


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
