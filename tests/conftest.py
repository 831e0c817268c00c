"""Shared fixtures: a real bot (python-telegram-bot over HTTP) against our local Bot API server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from bot_harness import TOKEN, BotHarness, start_harness
from databases import KINDS, TEMPLATES, fresh_database

from bot.app import stop_bot
from bot.local_api import LocalBotApi
from bot.services.clock import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))


BOTH_DATABASES_UNDER = ("storage", "services", "e2e")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_databases: the test runs on SQLite and on PostgreSQL")
    config.addinivalue_line("markers", "serial: measures time; `make test` runs it after the others, alone")
    config.addinivalue_line("markers", "empty_database: `database_url` is an empty database, not a migrated one "
                                       "(automatic in test modules named after migrations)")


def pytest_sessionfinish(session):
    TEMPLATES.close()


# Tests that share state through module- or session-scoped fixtures (a lab started once per module, the
# docker-compose stack, the lab images' preparation) run on one pytest-xdist worker, module by module (or the
# whole folder); every other test goes to whichever worker is free. (xdist's own `--dist loadgroup` renames
# node ids, which pytest 9.2 no longer lets a plugin do: this scheduler groups by path instead.)
ONE_WORKER_PER_MODULE = ("sandbox", "deploy")
ONE_WORKER_PER_FOLDER = ("sandbox_images",)


def work_unit(nodeid: str) -> str:
    """The tests one worker runs together: `nodeid`'s module or folder for the stateful lab tests, else itself."""
    path = nodeid.split("::", 1)[0]
    folder, _, _module = path.rpartition("/")
    if folder.rpartition("/")[2] in ONE_WORKER_PER_MODULE:
        return path
    if folder.rpartition("/")[2] in ONE_WORKER_PER_FOLDER:
        return folder
    return nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    from xdist.scheduler import LoadScopeScheduling

    class LabModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

    return LabModulesTogether(config, log)


# Tests that measure time (the event loop's stalls, answer times in a real-time game) run on their own after
# the others (`make test`: `-m serial` after `-m "not serial"`), so that no neighbouring worker skews them.
SERIAL_MODULES = ("test_event_loop_stays_free", "test_group_quiz_game", "test_group_quiz_answer_timing")
# The longest folders first, so that the workers finish together rather than wait for the last lab module.
FIRST_FOLDERS = ("deploy", "exercises", "sandbox", "e2e_lab", "sandbox_images")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: FIRST_FOLDERS.index(item.path.parent.name)
               if item.path.parent.name in FIRST_FOLDERS else len(FIRST_FOLDERS))
    for item in items:
        if item.path.stem in SERIAL_MODULES:
            item.add_marker(pytest.mark.serial)


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
def database_url(request, database_kind, tmp_path):
    """This test's own database, migrated to the head revision: a SQLite file, or a PostgreSQL database (see
    pytest_generate_tests). Empty instead for the migration tests (marked `empty_database`)."""
    empty = request.node.get_closest_marker("empty_database") is not None or "migration" in request.path.stem
    with fresh_database(database_kind, tmp_path, migrated=not empty) as url:
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
