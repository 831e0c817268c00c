"""Webhook mode: Telegram POSTs each update to the bot's own web server, signed with the secret.

Real parts only: the local Bot API delivers updates over HTTP to python-telegram-bot's webhook
server, which checks `X-Telegram-Bot-Api-Secret-Token` as it would behind Telegram.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time

import aiohttp
import pytest

from bot.local_api.webhook import SECRET_HEADER

SECRET = "s3cret-webhook-token_for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def webhook_bot(make_harness):
    port = free_port()
    return await make_harness(telegram_webhook_url=f"http://127.0.0.1:{port}/telegram/updates",
                              telegram_webhook_secret=SECRET, telegram_webhook_port=port)


def forged_start(user_id: int, update_id: int = 900_001) -> dict:
    """A /start from `user_id`, as someone who found the webhook URL would write it."""
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": int(time.time()), "chat": {"id": user_id, "type": "private", "first_name": "Eve"},
        "from": {"id": user_id, "is_bot": False, "first_name": "Eve"}, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


async def post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: secret} if secret is not None else {})
    async with aiohttp.ClientSession() as http, http.post(url, data=json.dumps(update), headers=headers) as response:
        return response.status


async def test_a_learner_starts_the_bot_and_the_update_arrives_by_webhook(webhook_bot):
    api = webhook_bot.api
    assert api.webhook is not None and api.webhook.url == webhook_bot.settings.telegram_webhook_url
    assert api.webhook.secret_token == SECRET, "the bot registered its secret with setWebhook"

    ana = api.user(601, first_name="Ana")
    sent = await ana.send("/start")
    welcome = await api.wait_for_message(ana.id, after=sent)

    assert "Ana" in welcome.text
    assert api.webhook.delivered >= 1 and api.webhook.last_error_message is None
    assert "getUpdates" not in [method for method, _, _ in api.requests_log], "the bot does not poll"


async def test_a_post_with_a_wrong_or_missing_secret_is_refused_and_does_nothing(webhook_bot):
    api, url = webhook_bot.api, webhook_bot.settings.telegram_webhook_url
    eve = api.user(666, first_name="Eve")

    assert await post(url, forged_start(eve.id, 900_001), secret="not-the-secret") == 403
    assert await post(url, forged_start(eve.id, 900_002), secret=None) == 403
    await asyncio.sleep(0.5)
    assert api.messages(eve.id) == [], "a refused update reached a handler"

    assert await post(url, forged_start(eve.id, 900_003), secret=SECRET) == 200  # positive control
    assert "Eve" in (await api.wait_for_message(eve.id)).text


async def test_a_learner_who_writes_while_the_bot_restarts_is_answered_when_it_is_back(webhook_bot):
    api = webhook_bot.api
    bob = api.user(602, first_name="Bob")
    await webhook_bot.stop()

    sent = await bob.send("/start")
    await asyncio.sleep(0.3)
    assert api.webhook.last_error_message is not None, "the delivery failed while the bot was down"
    assert api.messages(bob.id) == []

    await webhook_bot.start()
    welcome = await api.wait_for_message(bob.id, after=sent, timeout=10)
    assert "Bob" in welcome.text


async def answer_to_headers_only(url: str, *, secret: str, length: int) -> int:
    """POST headers announcing `length` bytes, then no body at all: the status the server answers before any body."""
    host_port = url.split("/")[2]
    host, port = host_port.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    path = "/" + url.split("/", 3)[3]
    writer.write((f"POST {path} HTTP/1.1\r\nHost: {host_port}\r\nContent-Type: application/json\r\n"
                  f"Content-Length: {length}\r\n{SECRET_HEADER}: {secret}\r\n\r\n").encode())
    await writer.drain()
    try:
        status_line = await asyncio.wait_for(reader.readline(), timeout=5)
    finally:
        writer.close()
    return int(status_line.split()[1])


async def test_the_secret_is_checked_before_the_body_and_the_body_is_bounded(webhook_bot):
    url = webhook_bot.settings.telegram_webhook_url
    hundred_mb = 100 * 1024 * 1024
    assert await answer_to_headers_only(url, secret="not-the-secret", length=hundred_mb) == 403
    assert await answer_to_headers_only(url, secret=SECRET, length=hundred_mb) == 413, "signed, yet bounded"
    api = webhook_bot.api  # positive control: a signed update of normal size still arrives
    eve = api.user(667, first_name="Eve")
    assert await post(url, forged_start(eve.id, 900_010), secret=SECRET) == 200
    assert "Eve" in (await api.wait_for_message(eve.id)).text
