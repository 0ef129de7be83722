"""The web application: the JSON API under /api, the map page at / and the files it loads.

`create_app` builds a fresh app for one database; nothing lives at module level, so tests and `serve` can
run several apps side by side. The database is opened per request (under a millisecond): SQLite connections
are not shared across the server's worker threads, and a `watch` writing the same file is seen at once.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from warmonitor import __version__
from warmonitor.web.api import router
from warmonitor.web.assets import STATIC_DIR, VENDOR_DIR, WORLD_OUTLINE

DESCRIPTION = """Merged conflict events from a warmonitor database, coded in ACLED's style.

Every list is filtered by the same query parameters (bbox, since, until, country, admin1, event_type,
sub_event_type, actor, min_fatalities, q) and bounded in size. A bad parameter is answered with 422 and a
one-line `detail`."""


def create_app(db_path: str | Path, tiles: str | None = None) -> FastAPI:
    """The app for one database file. `tiles`: a tile URL template for the map (None: the offline outline)."""
    app = FastAPI(title="warmonitor", version=__version__, description=DESCRIPTION,
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.db_path = str(db_path)
    app.state.tiles = tiles
    # where the page's files are read from, at each request: tests and packagers may point them elsewhere
    app.state.vendor_dir = VENDOR_DIR  # npm-installed (`npm ci` in warmonitor/web), never committed
    app.state.static_dir = STATIC_DIR
    app.state.world_outline = WORLD_OUTLINE  # the offline base layer, built from Natural Earth
    app.add_exception_handler(RequestValidationError, _one_line_validation_error)
    app.include_router(router)
    _add_page_routes(app)
    return app


def _add_page_routes(app: FastAPI) -> None:
    @app.get("/api/config", tags=["map"], summary="Settings the map page reads at start")
    def config(request: Request) -> dict:
        return {"tiles": request.app.state.tiles}

    @app.get("/", include_in_schema=False)
    def index(request: Request):
        return _file_or_404(Path(request.app.state.static_dir) / "index.html", "the map page is not built")

    @app.get("/world.geojson", include_in_schema=False)
    def world_outline(request: Request):
        return _file_or_404(Path(request.app.state.world_outline), "no world outline has been built",
                            media_type="application/geo+json")

    app.mount("/static", _LateStaticFiles("static_dir"), name="static")
    app.mount("/vendor", _LateStaticFiles("vendor_dir"), name="vendor")


def _file_or_404(path: Path, missing: str, media_type: str | None = None):
    if path.is_file():
        return FileResponse(path, media_type=media_type)
    return JSONResponse({"detail": missing}, status_code=404)


class _LateStaticFiles:
    """Static files from the folder named by `app.state.<attribute>` when a request comes, so the folder may be
    set after the app is made (and created after the server starts: `npm install` while serving)."""

    def __init__(self, attribute: str):
        self.attribute = attribute
        self._served: dict[Path, StaticFiles] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        folder = Path(getattr(scope["app"].state, self.attribute))
        if not folder.is_dir():
            response = JSONResponse({"detail": f"{folder.name}/ is not installed"}, status_code=404)
            await response(scope, receive, send)
            return
        if folder not in self._served:
            self._served[folder] = StaticFiles(directory=folder)
        await self._served[folder](scope, receive, send)


def _one_line_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's list of error objects as one readable line ("limit: Input should be ... (got '900')")."""
    problems = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ())[1:]) or "request"
        got = error.get("input")
        shown = f" (got {got!r})" if isinstance(got, (str, int, float)) else ""
        problems.append(f"{where}: {error.get('msg', 'invalid')}{shown}")
    return JSONResponse({"detail": "; ".join(problems)}, status_code=422)
