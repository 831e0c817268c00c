"""The webhook's web server: Telegram POSTs each update here (webhook mode, TELEGRAM_WEBHOOK_URL).

Our own small aiohttp server rather than PTB's (tornado reads up to 100 MB of body before any check): the secret
in `X-Telegram-Bot-Api-Secret-Token` is compared as soon as the headers are in, before a byte of the body is read,
and a body is at most MAX_BODY (an update is a few kilobytes; Content-Length is required). A good update goes on
the application's update queue, as PTB's own server would put it.
"""

from __future__ import annotations

import hmac
import json
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

__all__ = ["MAX_BODY", "SECRET_HEADER", "WebhookServer"]

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024


class WebhookServer:
    """Serve `path` on `listen`:`port` for `application`, accepting only POSTs signed with `secret`."""

    def __init__(self, application: Application, *, listen: str, port: int, path: str, secret: str,
                 max_body: int = MAX_BODY) -> None:
        self.application, self.listen, self.port, self.secret, self.max_body = (
            application, listen, port, secret, max_body)
        self.path = "/" + path.lstrip("/")
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=self.max_body)
        app.router.add_post(self.path, self._post)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.listen, self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _post(self, request: web.Request) -> web.Response:
        """Headers first: the secret, then the announced length; only then the body."""
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, "").encode(), self.secret.encode()):
            return web.Response(status=403)
        length = request.content_length
        if length is None:
            return web.Response(status=411)
        if length > self.max_body:
            return web.Response(status=413)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            log.info("webhook: a signed POST that is no update (%s)", type(exc).__name__)
            return web.Response(status=400)
        await self.application.update_queue.put(update)
        return web.Response(status=200)
