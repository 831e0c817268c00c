"""Shared fixtures: a real bot (python-telegram-bot over HTTP) against our local Bot API server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bot_harness import FIXTURE_CONTENT, POLL_TIMEOUT, TOKEN, BotHarness  # noqa: E402

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
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
    settings = Settings(
        bot_token=None, database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        content_dir=FIXTURE_CONTENT, delivery_sweep_seconds=3600,
    )
    catalog = load_catalog(FIXTURE_CONTENT)
    application = build_application(
        settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock, rate_limit=False
    )
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    bot = BotHarness(api=local_api, application=application, clock=clock, settings=settings, catalog=catalog)
    yield bot
    await stop_bot(bot.application)
