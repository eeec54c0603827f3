# The shortener service: a packaged uv project (src layout, hatchling backend).
import uvicorn
from fastapi import FastAPI

app = FastAPI()


@app.get("/")
def index():
    return {"hello": "shortener"}


def run():
    uvicorn.run(app, host="0.0.0.0", port=8098)
