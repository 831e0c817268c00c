"""The bot with a real lab, driven through the local Bot API as a learner on a phone would."""

from __future__ import annotations

import pytest
from bot_harness import FIXTURE_CONTENT, POLL_TIMEOUT, TOKEN, BotHarness, catalog_of
from databases import fresh_database
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from sandbox.service import SandboxService


@pytest.fixture
async def lab_harness(tmp_path, local_api, clock):
    ensure_lab_prepared()
    # 60 s as the other lab harnesses: an `apt-get install` in a stand-in image took 20.7 s on a loaded machine
    sandbox = SandboxService(lab_settings_again(name_prefix="tbchat", command_timeout=60))
    with fresh_database("sqlite", tmp_path, migrated=True) as database_url:
        settings = Settings(bot_token=None, fair_budgets=False, database_url=database_url, content_dir=FIXTURE_CONTENT,
                            delivery_sweep_seconds=3600, periodic_jobs=False)
    catalog = catalog_of(FIXTURE_CONTENT)
    application = build_application(settings, catalog=catalog, base_url=local_api.url, token=TOKEN, clock=clock,
                                    rate_limit=False, sandbox=sandbox)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    yield BotHarness(api=local_api, application=application, clock=clock, settings=settings, catalog=catalog)
    await stop_bot(application)
    await remove_the_tests_workspaces("tbchat")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that starts a real lab needs Docker: `-m "not docker"` leaves it out."""
    for item in items:
        if "lab_harness" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.docker)
