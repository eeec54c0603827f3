"""The Starlette application: a redirect table and a health check."""
from starlette.applications import Starlette
from starlette.responses import JSONResponse, RedirectResponse
from starlette.routing import Route

LINKS = {"docs": "https://docs.docker.com/"}


async def index(request):
    return JSONResponse(sorted(LINKS))


async def follow(request):
    target = LINKS.get(request.path_params["name"])
    if target is None:
        return JSONResponse({"error": "unknown link"}, status_code=404)
    return RedirectResponse(target)


app = Starlette(routes=[Route("/", index), Route("/{name}", follow)])
