"""A FastHTML page: `fast_app()` returns the ASGI app and its router."""

from fasthtml.common import Div, P, Titled, fast_app, serve

app, rt = fast_app()


@rt("/")
def index():
    return Titled("Notes", Div(P("FastHTML, served by uvicorn in the image.")))


@rt("/health")
def health():
    return "ok"


# Runs uvicorn itself only when the file is run directly (python main.py); the image
# imports `main:app` into uvicorn instead.
serve()
