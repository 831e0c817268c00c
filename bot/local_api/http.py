"""HTTP side of the local Bot API: routes, parameter decoding and Telegram-shaped responses."""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from bot.local_api.errors import ApiError, NotFound, Unauthorized
from bot.local_api.methods import Methods
from bot.local_api.store import Store

__all__ = ["make_app"]

log = logging.getLogger(__name__)

# Values that stay strings: python-telegram-bot sends other values JSON-encoded.
_RAW_KEYS = {"text", "caption", "question", "explanation", "parse_mode", "explanation_parse_mode",
             "question_parse_mode", "callback_query_id", "url", "action", "language_code", "type",
             "inline_message_id", "business_connection_id", "message_effect_id"}


def make_app(token: str, store: Store, methods: Methods) -> web.Application:
    app = web.Application(client_max_size=60 * 1024 * 1024)

    async def call(request: web.Request) -> web.Response:
        if request.match_info["token"] != token:
            return _error(Unauthorized())
        name = request.match_info["method"]
        try:
            params = await _params(request)
        except ValueError:
            params = {}
        try:
            result = await methods.call(name, params)
        except ApiError as exc:
            store.requests_log.append((name, params, exc.description))
            return _error(exc)
        store.requests_log.append((name, params, None))
        return web.json_response({"ok": True, "result": result})

    async def download(request: web.Request) -> web.Response:
        if request.match_info["token"] != token:
            return _error(Unauthorized())
        file_id = request.match_info["path"].rsplit("/", 1)[-1]
        document = store.files.get(file_id)
        if document is None:
            return _error(NotFound())
        return web.Response(body=document.data, content_type="application/octet-stream")

    app.router.add_route("*", "/bot{token}/{method}", call)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    return app


def _error(exc: ApiError) -> web.Response:
    return web.json_response(exc.payload(), status=exc.status)


async def _params(request: web.Request) -> dict[str, Any]:
    raw: dict[str, Any] = dict(request.query)
    if request.method == "POST":
        content_type = request.content_type
        if content_type == "application/json":
            body = await request.json()
            return {**raw, **(body or {})}
        if content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if part.filename:
                    raw[part.name] = (part.filename, bytes(await part.read()), part.headers.get("Content-Type"))
                else:
                    raw[part.name] = await part.text()
        else:
            raw.update(await request.post())
    return {key: _decode(key, value) for key, value in raw.items()}


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _RAW_KEYS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
