"""The billing HTTP API."""
import os

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from core import total


async def invoice(request):
    return JSONResponse({"total": total([100, 250])})


app = Starlette(routes=[Route("/", invoice)])

if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="0.0.0.0", port=int(os.environ.get("PORT", "9000")))
