"""A Flask site whose front-end tooling (eslint over static/js) lives in a
package.json beside it: the project ships a Python program, not a Node one."""

from flask import Flask, render_template

app = Flask(__name__)


@app.get("/")
def index():
    return render_template("index.html")
