"""A notes service started the way its Procfile says (gunicorn on $PORT)."""

from flask import Flask, jsonify

app = Flask(__name__)
NOTES = ["first note"]


@app.get("/")
def index():
    return jsonify(notes=NOTES)


@app.cli.command("init-db")
def init_db():
    """A one-off task the platform runs at release time, not at every start."""
    print("nothing to initialise")
