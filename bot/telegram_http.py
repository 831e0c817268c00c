"""python-telegram-bot's HTTP transport on aiohttp instead of httpx.

PTB's default transport (httpx on httpcore, anyio and h11, all pure Python) is most of what a bare
PTB bot spends per update: under load about 0.9 ms of the event loop per update, two thirds of it
(bench/updates_bench.py --ceiling-transport). aiohttp parses HTTP in C and keeps its connections in a
simple pool; it is already a dependency (the local Bot API server runs on it). The bot uses it for its
calls and for long polling (`getUpdates` has a request object of its own in PTB).

Same contract as `HTTPXRequest`: parameters go form-encoded (JSON values, as PTB encodes them), files
as multipart; a timeout raises `TimedOut` and any other failure of the connection `NetworkError`, whose
text never carries the URL's token (`/bot<token>/`), nor does it chain aiohttp's error (which would).
"""

from __future__ import annotations

import re
import ssl
from typing import IO
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest", "Timeout", "without_token"]

# A timeout argument: seconds, None (no limit), or PTB's marker of "not given" (`BaseRequest.DEFAULT_NONE`, of a
# class PTB keeps private).
Timeout = float | None | object


def _given(value: Timeout, default: float | None) -> float | None:
    """The timeout the caller gave, else this transport's own."""
    if value is None or isinstance(value, int | float):
        return value
    return default

_TOKEN_IN_URL = re.compile(r"/(file/)?bot[^/\s'\"]+")


class AiohttpRequest(BaseRequest):
    """One aiohttp session with a pool of `connection_pool_size` keep-alive connections."""

    def __init__(self, connection_pool_size: int = 8, *, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, connect_timeout: float | None = 5.0,
                 pool_timeout: float | None = 1.0, media_write_timeout: float | None = 20.0) -> None:
        self._pool_size = connection_pool_size
        self._read_timeout, self._write_timeout = read_timeout, write_timeout
        self._connect_timeout, self._pool_timeout = connect_timeout, pool_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}  # scheme://host:port -> the proxy to reach it through

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # certifi's roots, as PTB's httpx transport uses them; the proxy variables are read once per host
            # (`_proxy_for`), not on every request as aiohttp's trust_env would (a third of the throughput)
            connector = aiohttp.TCPConnector(limit=self._pool_size, ttl_dns_cache=300,
                                             ssl=ssl.create_default_context(cafile=certifi.where()))
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}, skip_auto_headers=("Accept-Encoding",),
            )
            self._proxies.clear()

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None else None
        body: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None:
            body = _multipart(request_data, files) if files else request_data.json_parameters
        read = _given(read_timeout, self._read_timeout)
        connect = _given(connect_timeout, self._connect_timeout)
        pool = _given(pool_timeout, self._pool_timeout)
        write = _given(write_timeout, self._media_write_timeout if files else self._write_timeout)
        # aiohttp has no write timeout of its own: a request's sending is bounded by its whole duration
        total = None if read is None or write is None else read + write + (connect or 0) + (pool or 0)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=connect, sock_read=read,
                                        connect=None if pool is None or connect is None else pool + connect)
        try:
            async with self._session.request(method, url, data=body, timeout=timeout,
                                             proxy=self._proxy_for(url)) as response:
                return response.status, await response.read()
        except TimeoutError:
            raise TimedOut from None
        except aiohttp.ClientError as error:
            raise NetworkError(without_token(f"aiohttp.{error.__class__.__name__}: {error}")) from None

    def _proxy_for(self, url: str) -> str | None:
        """The proxy that HTTP(S)_PROXY / NO_PROXY name for `url`'s host (as httpx honoured them), or None."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._proxies:
            proxy = getproxies().get(parts.scheme)
            bypass = parts.hostname is not None and proxy_bypass(parts.hostname)
            self._proxies[origin] = None if not proxy or bypass else proxy
        return self._proxies[origin]


def without_token(text: str) -> str:
    """`text` with every Bot API URL's token replaced (`.../bot<token>/getMe`)."""
    return _TOKEN_IN_URL.sub(lambda m: f"/{m.group(1) or ''}bot<token>", text)


def _multipart(request_data: RequestData, files: dict[str, tuple[str, bytes | IO[bytes], str]]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, value in request_data.json_parameters.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
