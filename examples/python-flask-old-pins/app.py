"""A 2021-era Flask 1.1 service, pinned to Python 3.8 the way Heroku apps were."""
from flask import Flask, jsonify

app = Flask(__name__)

BOOKS = [{"id": 1, "title": "Dubliners"}, {"id": 2, "title": "Ulysses"}]


@app.route("/")
def index():
    return jsonify(books=BOOKS)


@app.route("/books/<int:book_id>")
def book(book_id):
    for b in BOOKS:
        if b["id"] == book_id:
            return jsonify(b)
    return jsonify(error="not found"), 404
