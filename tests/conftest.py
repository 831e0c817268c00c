"""Shared fixtures: a real bot (python-telegram-bot over HTTP) against our local Bot API server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog
from bot.context import BotContext
from bot.local_api import LocalBotApi
from bot.services.clock import ManualClock

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"
TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"
POLL_TIMEOUT = 0.5  # short long-polls so a stopping bot is not held up


from tests_support import docker_available  # noqa: E402,F401


@dataclass
class BotHarness:
    """A running bot, the local Bot API it talks to, and the clock it reads."""

    api: LocalBotApi
    application: object
    clock: ManualClock
    settings: Settings
    catalog: object

    def context(self) -> BotContext:
        return BotContext(application=self.application)

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database, like a process restart."""
        await stop_bot(self.application)
        self.application = build_application(
            self.settings, catalog=self.catalog, base_url=self.api.url, token=TOKEN, clock=self.clock,
            rate_limit=False,
        )
        await start_bot(self.application, poll_timeout=POLL_TIMEOUT)


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
