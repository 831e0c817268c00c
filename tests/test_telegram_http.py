"""The bot's HTTP transport (aiohttp) speaks to a Bot API as PTB's own does, and fails the same way.

A real aiohttp server plays the Bot API: what it receives is what Telegram would receive.
"""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.telegram_errors import TelegramRejected
from bot.telegram_http import AiohttpRequest
from bot.telegram_transport import DiagnosingRequest

TOKEN = "123:http-transport-test"


class FakeBotApi:
    """Records each call's form fields and files, and answers like Telegram (or sleeps, or refuses)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, str], dict[str, tuple[str | None, bytes]]]] = []
        self.delay = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        fields: dict[str, str] = {}
        files: dict[str, tuple[str | None, bytes]] = {}
        if request.content_type.startswith("multipart/"):
            async for part in await request.multipart():
                if part.filename:
                    files[part.name] = (part.filename, await part.read())
                else:
                    fields[part.name] = await part.text()
        else:
            fields = dict(await request.post())
        self.calls.append((method, fields, files))
        await asyncio.sleep(self.delay)
        if fields.get("text") == "refuse me":
            return web.json_response({"ok": False, "error_code": 400, "description": "Bad Request: no"}, status=400)
        if method == "getMe":
            return web.json_response({"ok": True, "result": {"id": 123, "is_bot": True, "first_name": "T",
                                                              "username": "t_bot"}})
        message = {"message_id": 1, "date": 0, "chat": {"id": int(fields.get("chat_id", 0)), "type": "private"},
                   "text": fields.get("text", "")}
        return web.json_response({"ok": True, "result": message})


async def serve(fake: FakeBotApi) -> web.AppRunner:
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001
    fake.url = f"http://127.0.0.1:{port}/bot"
    return runner


@pytest.fixture
async def api():
    fake = FakeBotApi()
    runner = await serve(fake)
    yield fake
    await runner.cleanup()


def bot_on(url: str, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=url, request=request, get_updates_request=AiohttpRequest())


async def test_a_message_reaches_the_api_with_its_fields_encoded_as_ptb_encodes_them(api):
    async with bot_on(api.url, AiohttpRequest()) as bot:
        sent = await bot.send_message(42, "Bonjour <b>toi</b>", parse_mode="HTML",
                                      reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "q:A"}]]})
    method, fields, _ = api.calls[-1]
    assert method == "sendMessage" and sent.text == "Bonjour <b>toi</b>"
    assert fields["chat_id"] == "42" and fields["parse_mode"] == "HTML"
    assert json.loads(fields["reply_markup"]) == {"inline_keyboard": [[{"text": "A", "callback_data": "q:A"}]]}


async def test_a_file_goes_as_multipart_with_its_name_and_bytes(api):
    async with bot_on(api.url, AiohttpRequest()) as bot:
        await bot.send_document(42, InputFile(b"PNG-bytes", filename="chart.png"), caption="La classe")
    method, fields, files = api.calls[-1]
    assert method == "sendDocument" and fields["caption"] == "La classe"
    assert files == {"document": ("chart.png", b"PNG-bytes")}


async def test_an_api_slower_than_the_read_timeout_is_a_timeout(api):
    async with bot_on(api.url, AiohttpRequest(read_timeout=0.2)) as bot:
        api.delay = 1.0
        with pytest.raises(TimedOut):
            await bot.send_message(42, "vite")


async def test_an_api_that_is_not_there_is_a_network_error():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(connect_timeout=2.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
        assert not isinstance(raised.value, TimedOut)
    finally:
        await request.shutdown()


async def test_a_refused_call_names_its_method_and_payload_and_is_still_a_bad_request(api):
    async with bot_on(api.url, DiagnosingRequest()) as bot:
        with pytest.raises(TelegramRejected) as raised:
            await bot.send_message(42, "refuse me")
    assert isinstance(raised.value, BadRequest)
    assert raised.value.method == "sendMessage" and raised.value.payload["text"] == "refuse me"


async def test_a_closed_transport_can_be_opened_again(api):
    request = AiohttpRequest()
    async with bot_on(api.url, request) as bot:
        await bot.send_message(42, "un")
    async with bot_on(api.url, request) as bot:
        await bot.send_message(42, "deux")
    assert [fields["text"] for _, fields, _ in api.calls if "text" in fields] == ["un", "deux"]


async def test_the_proxy_named_by_the_environment_carries_the_calls_unless_no_proxy_names_the_host(api, monkeypatch):
    proxy = FakeBotApi()  # a proxy receives the request as it would go on: it answers it here
    runner = await serve(proxy)
    try:
        monkeypatch.setenv("http_proxy", proxy.url.removesuffix("/bot"))
        monkeypatch.setenv("no_proxy", "")
        async with bot_on(api.url, AiohttpRequest()) as bot:
            await bot.send_message(42, "par le proxy")
        assert [fields.get("text") for _, fields, _ in proxy.calls] == [None, "par le proxy"]  # getMe, then this
        monkeypatch.setenv("no_proxy", "127.0.0.1")
        async with bot_on(api.url, AiohttpRequest()) as bot:
            await bot.send_message(42, "en direct")
        assert [fields.get("text") for _, fields, _ in api.calls] == [None, "en direct"]
    finally:
        await runner.cleanup()


async def test_the_bot_calls_and_polls_the_bot_api_over_this_transport(harness):
    bot = harness.application.bot
    polling, calling = bot._request  # noqa: SLF001  # PTB keeps getUpdates' request apart, with no public name
    assert isinstance(calling, DiagnosingRequest) and isinstance(polling, DiagnosingRequest)
    learner = harness.api.user(5, first_name="Lea")
    sent = await learner.send("/help")
    assert await harness.api.wait_for_message(learner.id, after=sent, timeout=10)  # polled, answered
