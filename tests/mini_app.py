"""Open the Mini App as Telegram would: a signed initData for a person, and HTTP calls to the bot's server."""

from __future__ import annotations

import aiohttp
from bot_harness import TOKEN

from bot.local_api.web_app_data import signed_init_data, web_app_link
from bot.webapp.server import INIT_DATA_HEADER


def init_data_for(user_id: int, *, first_name: str = "Alice", language: str = "fr", token: str = TOKEN,
                  auth_date: int | None = None) -> str:
    user = {"id": user_id, "first_name": first_name, "language_code": language}
    return signed_init_data(token, user, auth_date=auth_date)


def mini_app_url(harness) -> str:
    return harness.application.bot_data["webapp"].local_url


def page_link(harness, user_id: int, **options: object) -> str:
    return web_app_link(mini_app_url(harness), init_data_for(user_id, **options))


async def call(harness, path: str, init_data: str | None, *, method: str = "GET",
               json: object | None = None) -> tuple[int, object]:
    """(status, body) of an API call carrying `init_data` (no header at all when None)."""
    headers = {} if init_data is None else {INIT_DATA_HEADER: init_data}
    async with aiohttp.ClientSession() as http, http.request(
            method, mini_app_url(harness) + path.lstrip("/"), headers=headers, json=json) as response:
        body = await response.json() if "json" in response.content_type else await response.text()
        return response.status, body
