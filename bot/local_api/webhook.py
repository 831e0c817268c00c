"""Webhook delivery, as Telegram does it: pending updates POSTed to the bot's URL, in order.

setWebhook(url, secret_token, allowed_updates, drop_pending_updates) starts a delivery task;
each update is POSTed as JSON with `X-Telegram-Bot-Api-Secret-Token`, removed once the bot
answers 2xx, and retried (after a pause) otherwise, the failure shown by getWebhookInfo.
Meanwhile getUpdates answers 409 Conflict, as Telegram does. Differences from Telegram: http
URLs and any port are accepted (a local server, like `telegram-bot-api --local`), and updates
go out one at a time over one connection (Telegram may use up to `max_connections`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from dataclasses import dataclass, field

import aiohttp

from bot.local_api.errors import BadRequest
from bot.local_api.store import Store

__all__ = ["SECRET_HEADER", "Webhook", "WebhookDelivery"]

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
RETRY_PAUSES = (0.1, 0.5, 1.0, 2.0)  # seconds before retrying a failed delivery, then the last one again


@dataclass
class Webhook:
    """What setWebhook asked for, and how delivery goes."""

    url: str
    secret_token: str | None = None
    allowed_updates: list[str] | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None
    delivered: int = field(default=0)

    @classmethod
    def from_params(cls, params: dict) -> Webhook:
        """Validate setWebhook's parameters like Telegram (http allowed: this server is local)."""
        url = str(params.get("url") or "")
        if not url.startswith(("https://", "http://")):
            raise BadRequest("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token") or None
        if secret is not None and not _SECRET.match(str(secret)):
            raise BadRequest("bad webhook: secret token contains unallowed characters")
        max_connections = int(params.get("max_connections") or 40)
        if not 1 <= max_connections <= 100:
            raise BadRequest("bad webhook: max_connections must be between 1 and 100")
        allowed = params.get("allowed_updates") or None
        return cls(url=url, secret_token=secret, allowed_updates=allowed, max_connections=max_connections)

    def info(self, pending: int) -> dict:
        """getWebhookInfo's answer."""
        result: dict = {"url": self.url, "has_custom_certificate": False, "pending_update_count": pending,
                        "max_connections": self.max_connections}
        if self.allowed_updates:
            result["allowed_updates"] = self.allowed_updates
        if self.last_error_date is not None:
            result["last_error_date"] = self.last_error_date
            result["last_error_message"] = self.last_error_message
        return result

    def wants(self, update: dict) -> bool:
        return not self.allowed_updates or any(kind in update for kind in self.allowed_updates)


class WebhookDelivery:
    """One task POSTing the store's pending updates to the webhook until stopped."""

    def __init__(self, store: Store, webhook: Webhook) -> None:
        self.store, self.webhook = store, webhook
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._deliver_forever(), name="local-api-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _deliver_forever(self) -> None:
        headers = {"Content-Type": "application/json"}
        if self.webhook.secret_token:
            headers[SECRET_HEADER] = self.webhook.secret_token
        failures = 0
        async with aiohttp.ClientSession(headers=headers, timeout=aiohttp.ClientTimeout(total=30)) as http:
            while True:
                update = await self._next_update()
                if await self._post(http, update):
                    failures = 0
                    self.webhook.delivered += 1
                    self._forget(update)
                    await self.store.notify()
                else:
                    await asyncio.sleep(RETRY_PAUSES[min(failures, len(RETRY_PAUSES) - 1)])
                    failures += 1

    async def _next_update(self) -> dict:
        store = self.store
        async with store.changed:
            await store.changed.wait_for(lambda: bool(store.updates))
            unwanted = [u for u in store.updates if not self.webhook.wants(u)]
            for update in unwanted:  # Telegram drops what the bot did not ask for
                self._forget(update)
            if not store.updates:
                return await self._next_update()
            return store.updates[0]

    def _forget(self, update: dict) -> None:
        with contextlib.suppress(ValueError):
            self.store.updates.remove(update)

    async def _post(self, http: aiohttp.ClientSession, update: dict) -> bool:
        try:
            async with http.post(self.webhook.url, data=json.dumps(update)) as response:
                if 200 <= response.status < 300:
                    return True
                self._failed(f"Wrong response from the webhook: {response.status} {response.reason}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            self._failed(f"Connection failed: {exc.__class__.__name__}")
        return False

    def _failed(self, message: str) -> None:
        log.info("webhook delivery failed: %s", message)
        self.webhook.last_error_date, self.webhook.last_error_message = int(time.time()), message
