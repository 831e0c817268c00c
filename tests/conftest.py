"""Shared fixtures: a real bot (python-telegram-bot over HTTP) against our local Bot API server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bot_harness import TOKEN, BotHarness, start_harness

from bot.app import stop_bot
from bot.local_api import LocalBotApi
from bot.services.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))


@pytest.fixture
async def local_api():
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def harness(tmp_path, local_api, clock):
    bot = await start_harness(tmp_path, local_api, clock)
    yield bot
    await stop_bot(bot.application)


@pytest.fixture
async def make_harness(tmp_path, local_api, clock):
    """Start a bot with other content or a lab: `await make_harness(content=..., sandbox=...)`."""
    started: list[BotHarness] = []

    async def make(**options: object) -> BotHarness:
        bot = await start_harness(tmp_path, local_api, clock, **options)
        started.append(bot)
        return bot

    yield make
    for bot in started:
        await stop_bot(bot.application)
