"""The Mini App's web server: the page, its static files, and the `/api/*` routes of each feature.

- Every `/api/*` request carries Telegram's signed `initData` in `X-Telegram-Init-Data`; without a valid one
  (missing, forged, older than 24 h) it gets 401 before any feature code runs. The caller is `caller(request)`.
- A WebSocket cannot send that header from a browser: a feature serving one under `/ws/` checks the
  `initData` itself (its first message), with `verify_init_data`.
- Static files are read once at start and served from memory, compressed when the browser accepts it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import mimetypes
import weakref
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

from aiohttp import WSCloseCode, web
from telegram.ext import Application

from bot.webapp.init_data import InitDataRejected, WebAppCaller, verify_init_data

__all__ = ["APPLICATION", "CALLER", "INIT_DATA_HEADER", "SOCKETS", "STATIC", "WebAppServer", "caller", "json_error"]

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
INIT_DATA_HEADER = "X-Telegram-Init-Data"
APPLICATION = web.AppKey("application", Application)
CALLER = web.RequestKey("caller", WebAppCaller)
# Open WebSockets, closed when the server stops (else it would wait for each to end, a minute at most).
SOCKETS = web.AppKey("sockets", weakref.WeakSet)
Routes = Callable[[], Iterable[web.AbstractRouteDef]]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# The page runs inside Telegram's clients: their web version frames it, the apps use a web view.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "connect-src 'self'; frame-ancestors 'self' https://web.telegram.org https://*.telegram.org"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def caller(request: web.Request) -> WebAppCaller:
    """The Telegram user whose signed initData came with this /api request."""
    return request[CALLER]


def json_error(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status, headers={"Cache-Control": "no-store"})


class WebAppServer:
    """Serve the Mini App on `listen`:`port` (0: a free port) for `application`, with each feature's routes."""

    def __init__(self, application: Application, *, bot_token: str, listen: str, port: int,
                 features: Iterable[Routes] = ()) -> None:
        self.application, self.bot_token, self.listen, self.port = application, bot_token, listen, port
        self.features = tuple(features)
        self._runner: web.AppRunner | None = None
        self._files: dict[str, tuple[bytes, str]] = {}

    @property
    def local_url(self) -> str:
        """Where this machine reaches the page (the port chosen when it was 0)."""
        host = "127.0.0.1" if self.listen in ("0.0.0.0", "", "::") else self.listen
        return f"http://{host}:{self.port}/"

    async def start(self) -> None:
        self._files = await asyncio.to_thread(_read_static, STATIC)
        app = web.Application(middlewares=[self._headers, self._authenticate], client_max_size=256 * 1024)
        app[APPLICATION] = self.application
        app[SOCKETS] = weakref.WeakSet()
        app.on_shutdown.append(_close_sockets)
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name:.+}", self._static)
        for feature in self.features:
            app.router.add_routes(list(feature()))
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.listen, self.port)
        await site.start()
        if self.port == 0:
            server = site._server  # the port the system chose
            sockets = getattr(server, "sockets", None) or ()
            self.port = sockets[0].getsockname()[1]
        log.info("Mini App served at %s", self.local_url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if not response.prepared:
            response.headers.update(_SECURITY_HEADERS)
        return response

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/api/"):
            try:
                request[CALLER] = verify_init_data(request.headers.get(INIT_DATA_HEADER), bot_token=self.bot_token)
            except InitDataRejected as rejected:
                log.info("Mini App: refused an API call (%s)", rejected.reason)
                return json_error(401, "unauthorized")
            response = await handler(request)
            response.headers.setdefault("Cache-Control", "no-store")
            return response
        return await handler(request)

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return self._file("index.html", request)

    async def _static(self, request: web.Request) -> web.StreamResponse:
        return self._file(request.match_info["name"], request)

    def _file(self, name: str, request: web.Request) -> web.StreamResponse:
        found = self._files.get(name)
        if found is None:
            raise web.HTTPNotFound()
        body, content_type = found
        response = web.Response(body=body, content_type=content_type,
                                headers={"Cache-Control": "no-cache"})
        response.enable_compression()
        return response


async def _close_sockets(app: web.Application) -> None:
    for socket in list(app[SOCKETS]):
        await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")


@functools.cache  # the files ship with the bot: read once per process
def _read_static(root: Path) -> dict[str, tuple[bytes, str]]:
    """Every file under `root`, by its path relative to it (the only names served: no path ever leaves it)."""
    files = {}
    for path in root.rglob("*"):
        if path.is_file():
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            files[path.relative_to(root).as_posix()] = (path.read_bytes(), kind)
    return files
