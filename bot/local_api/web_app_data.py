"""Sign a Mini App's `initData` as Telegram does when it opens the page (local mode and tests).

Written from Telegram's documentation, apart from the bot's own check (bot/webapp/init_data.py): a mistake
in one of them makes the tests fail instead of agreeing with itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import quote, urlencode

__all__ = ["signed_init_data", "web_app_link"]


def signed_init_data(bot_token: str, user: dict, *, auth_date: int | None = None) -> str:
    """The `initData` query string Telegram would give the page opened by `user` (a Telegram User dict)."""
    fields = {
        "query_id": f"AA{secrets.token_urlsafe(12)}",
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(time.time()) if auth_date is None else auth_date),
    }
    key = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    lines = "\n".join(f"{name}={value}" for name, value in sorted(fields.items()))
    fields["hash"] = hmac.new(key, lines.encode(), hashlib.sha256).hexdigest()
    return urlencode(fields, quote_via=quote)


def web_app_link(url: str, init_data: str, *, theme: dict | None = None) -> str:
    """The URL Telegram's client loads: the page, with initData (and theme) in the fragment."""
    fragment = {"tgWebAppData": init_data, "tgWebAppVersion": "8.0", "tgWebAppPlatform": "web"}
    if theme is not None:
        fragment["tgWebAppThemeParams"] = json.dumps(theme, separators=(",", ":"))
    return f"{url}#{urlencode(fragment, quote_via=quote)}"
