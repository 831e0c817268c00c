"""A browser's side of the Lab tab's terminal, without the browser: the WebSocket, its first message, the screen."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import aiohttp
from mini_app import mini_app_url


@dataclass
class TerminalClient:
    """An open `/ws/terminal` socket: `screen` is everything shown so far, `events` the JSON messages."""

    http: aiohttp.ClientSession
    ws: aiohttp.ClientWebSocketResponse
    screen: str = ""
    events: list[dict] = field(default_factory=list)
    close_code: int | None = None

    async def type(self, keys: str) -> None:
        await self.ws.send_bytes(keys.encode())

    async def _read_one(self, timeout: float) -> dict | bool:
        """One message: output goes to `screen`; a JSON message is returned; False when the socket closed."""
        message = await self.ws.receive(timeout=timeout)
        if message.type == aiohttp.WSMsgType.BINARY:
            self.screen += message.data.decode(errors="replace")
            return True
        if message.type == aiohttp.WSMsgType.TEXT:
            event = json.loads(message.data)
            self.events.append(event)
            return event
        self.close_code = self.ws.close_code
        return False

    async def next_event(self, timeout: float = 30) -> dict | None:
        """Read until the next JSON message (output goes to `screen`); None when the socket closed."""
        while True:
            read = await self._read_one(timeout)
            if read is False:
                return None
            if isinstance(read, dict):
                return read

    async def opened(self, timeout: float = 90) -> dict | None:
        """The first JSON message past any `queued` one: `ready`, `refused`... (None: closed without one)."""
        while (event := await self.next_event(timeout)) is not None and event["type"] == "queued":
            pass
        return event

    async def wait_for(self, text: str, timeout: float = 30, *, after: int = 0) -> str:
        """Read output until `text` is on the screen (past its first `after` characters); an AssertionError with
        the screen when it never comes."""
        async def read() -> None:
            while text not in self.screen[after:]:
                if await self._read_one(timeout) is False and text not in self.screen[after:]:
                    raise AssertionError(f"socket closed before {text!r}; screen: {self.screen[-2000:]!r}")
        try:
            await asyncio.wait_for(read(), timeout)
        except TimeoutError:
            raise AssertionError(f"{text!r} never shown; screen: {self.screen[-2000:]!r}") from None
        return self.screen

    async def until_closed(self, timeout: float = 60) -> dict | None:
        """Read to the end: the last JSON message (`closed`, `refused`), or None."""
        last = None
        while (event := await self.next_event(timeout)) is not None:
            last = event
        return last

    async def close(self) -> None:
        await self.ws.close()
        await self.http.close()


async def open_terminal_socket(harness, first_message: str | None, *, cols: int = 80, rows: int = 24) -> TerminalClient:
    """Connect to the Mini App's terminal and send `first_message` (nothing at all when None)."""
    http = aiohttp.ClientSession()
    ws = await http.ws_connect(mini_app_url(harness) + "ws/terminal")
    if first_message is not None:
        await ws.send_str(first_message)
    return TerminalClient(http, ws)


def hello(init_data: str, *, cols: int = 80, rows: int = 24) -> str:
    return json.dumps({"init_data": init_data, "cols": cols, "rows": rows})
