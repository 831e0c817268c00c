"""Shared fixtures: a real bot (python-telegram-bot over HTTP) against our local Bot API server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bot_harness import TOKEN, BotHarness, start_harness
from databases import KINDS, fresh_database

from bot.app import stop_bot
from bot.local_api import LocalBotApi
from bot.services.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))


BOTH_DATABASES_UNDER = ("storage", "services", "e2e")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_databases: the test runs on SQLite and on PostgreSQL")


def pytest_generate_tests(metafunc):
    """The storage, service and end-to-end tests (and any marked `both_databases`) run on both databases.

    The lab stories (tests/e2e_lab) and the others run on SQLite only: their storage work is the same
    SQL the end-to-end stories already run on PostgreSQL, and the lab is what they test.
    """
    if "database_kind" not in metafunc.fixturenames:
        return
    folder = metafunc.definition.path.parent.name
    both = folder in BOTH_DATABASES_UNDER or metafunc.definition.get_closest_marker("both_databases") is not None
    metafunc.parametrize("database_kind", KINDS if both else KINDS[:1], indirect=True)


@pytest.fixture
def database_kind(request) -> str:
    return request.param


@pytest.fixture
def database_url(database_kind, tmp_path):
    """An empty database for this test: a SQLite file, or a PostgreSQL database (see pytest_generate_tests)."""
    with fresh_database(database_kind, tmp_path) as url:
        yield url


@pytest.fixture
async def local_api():
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    yield api
    await api.stop()


@pytest.fixture
async def harness(tmp_path, local_api, clock, database_url):
    bot = await start_harness(tmp_path, local_api, clock, database_url=database_url)
    yield bot
    await stop_bot(bot.application)


@pytest.fixture
async def make_harness(tmp_path, local_api, clock, database_url):
    """Start a bot with other content or a lab: `await make_harness(content=..., sandbox=...)`."""
    started: list[BotHarness] = []

    async def make(**options: object) -> BotHarness:
        bot = await start_harness(tmp_path, local_api, clock, database_url=database_url, **options)
        started.append(bot)
        return bot

    yield make
    for bot in started:
        await stop_bot(bot.application)
