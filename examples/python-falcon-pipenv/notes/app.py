"""A notes service on Falcon, served by gunicorn."""
import falcon


class Notes:
    def on_get(self, req, resp):
        resp.media = [{"id": 1, "text": "buy nails"}]


class Health:
    def on_get(self, req, resp):
        resp.media = {"status": "ok"}


app = falcon.App()
app.add_route("/", Notes())
app.add_route("/healthz", Health())
