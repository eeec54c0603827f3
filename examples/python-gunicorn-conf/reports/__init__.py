"""Reports service, built by an application factory."""
from flask import Flask


def create_app():
    app = Flask(__name__)

    @app.get("/")
    def index():
        return {"reports": ["daily", "weekly"]}

    return app
