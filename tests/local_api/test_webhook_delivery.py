"""The local Bot API delivers by webhook as Telegram does: signed POSTs, in order, retried, and no polling meanwhile."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from bot.local_api.webhook import SECRET_HEADER

TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"


@pytest.fixture
async def bot(local_api):
    client = Bot(TOKEN, base_url=f"{local_api.url}/bot", base_file_url=f"{local_api.url}/file/bot")
    async with client:
        yield client


class Receiver:
    """A bare web server standing in for the bot's webhook: records what it got, answers `status`."""

    def __init__(self) -> None:
        self.received: list[tuple[str | None, dict]] = []
        self.status = 200
        self.arrived = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.headers.get(SECRET_HEADER), await request.json()))
        self.arrived.set()
        return web.Response(status=self.status)


@pytest.fixture
async def receiver():
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    target.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/hook"  # noqa: SLF001
    yield target
    await runner.cleanup()


async def wait_until(condition, timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.02)


async def test_updates_are_posted_in_order_with_the_secret_header(bot, local_api, receiver):
    await bot.set_webhook(receiver.url, secret_token="abc_DEF-123")
    ana = local_api.user(1, first_name="Ana")
    await ana.send("one")
    await ana.send("two")
    await wait_until(lambda: len(receiver.received) == 2)
    assert [secret for secret, _ in receiver.received] == ["abc_DEF-123", "abc_DEF-123"]
    assert [update["message"]["text"] for _, update in receiver.received] == ["one", "two"]
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_a_refused_delivery_is_retried_and_reported_by_get_webhook_info(bot, local_api, receiver):
    receiver.status = 500
    await bot.set_webhook(receiver.url, secret_token="abc")
    await local_api.user(2).send("hello?")
    await wait_until(lambda: len(receiver.received) >= 2)  # tried, refused, tried again
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1 and "500" in info.last_error_message
    receiver.status = 200
    await wait_until(lambda: local_api.store.updates == [])


async def test_get_updates_is_refused_while_a_webhook_is_set_and_works_again_after_delete(bot, local_api, receiver):
    await bot.set_webhook(receiver.url)
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates(timeout=0)
    await bot.delete_webhook()
    await local_api.user(3).send("by polling")
    assert [u.message.text for u in await bot.get_updates(timeout=0)] == ["by polling"]
    assert receiver.received == []


async def test_a_secret_with_characters_telegram_refuses_is_refused(bot, receiver):
    with pytest.raises(BadRequest, match="secret token contains unallowed characters"):
        await bot.set_webhook(receiver.url, secret_token="not allowed!")
    with pytest.raises(BadRequest, match="(?i)https url must be provided"):
        await bot.set_webhook("ftp://example.org/hook")
