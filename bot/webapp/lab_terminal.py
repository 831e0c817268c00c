"""`GET /ws/terminal`: the learner's own shell in their workspace, over a WebSocket (the Lab tab's terminal).

A browser cannot put headers on a WebSocket, so the first message carries Telegram's signed initData:
`{"init_data": "...", "cols": 80, "rows": 24}` (text). Missing, malformed, forged, stale, or not sent within
AUTH_TIMEOUT seconds: the socket is closed with 1008 (policy violation) before any workspace is looked at.

Then, browser → bot: binary frames are keystrokes; text frames are JSON, `{"type": "resize", "cols", "rows"}`.
Bot → browser: binary frames are what the terminal shows; text frames are JSON: `{"type": "queued", "position", "why"}`
(why: `busy`, the learner's chat command or previous terminal ends first; `full`, the lab is full), `{"type": "ready"}`, `{"type": "refused", "code"}` (bot/services/lab_terminal.py says which
codes) and last `{"type": "closed", "reason", "exit_code"}` (reason: exited, idle, total, replaced, closed).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import WSCloseCode, WSMsgType, web

from bot.context import Services
from bot.services.lab_terminal import TerminalRefused, open_terminal
from bot.webapp.init_data import InitDataRejected, WebAppCaller, verify_init_data
from bot.webapp.server import APPLICATION, SOCKETS

if TYPE_CHECKING:
    from sandbox.terminal import TerminalSession

__all__ = ["AUTH_TIMEOUT", "routes"]

log = logging.getLogger(__name__)
AUTH_TIMEOUT = 5.0
MAX_MESSAGE = 64 * 1024  # a paste of this much at most per message


def routes() -> Iterable[web.AbstractRouteDef]:
    return [web.get("/ws/terminal", terminal)]


async def terminal(request: web.Request) -> web.StreamResponse:
    ws = web.WebSocketResponse(heartbeat=30, max_msg_size=MAX_MESSAGE)
    await ws.prepare(request)
    request.app[SOCKETS].add(ws)
    application = request.app[APPLICATION]
    hello = await _hello(ws, application.bot.token)
    if hello is None:
        await ws.close(code=WSCloseCode.POLICY_VIOLATION, message=b"unauthorized")
        return ws
    who, cols, rows = hello
    services: Services = application.bot_data["services"]

    async def queued(position: int, why: str) -> None:
        if not ws.closed:
            await ws.send_json({"type": "queued", "position": position, "why": why})

    try:
        async with open_terminal(sandbox=services.sandbox, db=services.db, lab_enabled=services.settings.lab_enabled,
                                 telegram_id=who.telegram_id, cols=cols, rows=rows, on_queued=queued) as session:
            await ws.send_json({"type": "ready"})
            pump = asyncio.ensure_future(_pump_out(session, ws))
            try:
                async for message in ws:
                    if message.type == WSMsgType.BINARY:
                        await session.write(message.data)
                    elif message.type == WSMsgType.TEXT:
                        await _control(session, message.data)
                    else:
                        break
            finally:
                await session.close("closed")  # nothing when the shell ended first
                await pump
    except TerminalRefused as refused:
        log.info("Mini App: no terminal for %s (%s)", who.telegram_id, refused.code)
        if not ws.closed:
            await ws.send_json({"type": "refused", "code": refused.code})
    await ws.close()
    return ws


async def _hello(ws: web.WebSocketResponse, bot_token: str) -> tuple[WebAppCaller, int, int] | None:
    """The caller and the terminal's size from the first message, or None (nothing of the lab touched yet)."""
    try:
        first = await ws.receive(timeout=AUTH_TIMEOUT)
    except TimeoutError:
        log.info("Mini App: a terminal socket sent no initData in time")
        return None
    if first.type != WSMsgType.TEXT:
        return None
    try:
        hello = json.loads(first.data)
        who = verify_init_data(hello.get("init_data"), bot_token=bot_token)
        return who, int(hello.get("cols", 80)), int(hello.get("rows", 24))
    except InitDataRejected as rejected:
        log.info("Mini App: refused a terminal socket (%s)", rejected.reason)
    except (ValueError, TypeError, AttributeError):
        log.info("Mini App: refused a terminal socket (malformed first message)")
    return None


async def _control(session: TerminalSession, data: str) -> None:
    try:
        control = json.loads(data)
        if control.get("type") == "resize":
            await session.resize(int(control["cols"]), int(control["rows"]))
    except (ValueError, TypeError, KeyError, AttributeError):
        pass  # an unknown or broken control message changes nothing


async def _pump_out(session: TerminalSession, ws: web.WebSocketResponse) -> None:
    """The terminal's output to the browser; once the session ended, why, and the socket is closed."""
    try:
        async for chunk in session.output():
            if ws.closed:
                break
            await ws.send_bytes(chunk)
        await session.wait_closed()
        if not ws.closed:
            await ws.send_json({"type": "closed", "reason": session.reason, "exit_code": session.exit_code})
            await ws.close()
    except ConnectionError:
        await session.close("closed")
