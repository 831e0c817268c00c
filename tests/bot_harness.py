"""A running bot against the local Bot API: shared by the test folders."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from tests_support import docker_available  # noqa: F401

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import Catalog, load_catalog
from bot.context import BotContext
from bot.local_api import LocalBotApi
from bot.services.clock import Clock, ManualClock
from bot.services.pacing import SendLimits

FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
REPO_CONTENT = Path(__file__).resolve().parents[1] / "content"
TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"
POLL_TIMEOUT = 0.5  # short long-polls so a stopping bot is not held up


def catalog_of(content: Path) -> Catalog:
    """The catalog of a content folder, loaded once per test process while its files stay the same."""
    files = tuple(sorted((str(path), path.stat().st_mtime_ns) for path in content.rglob("*") if path.is_file()))
    return _catalog(content.resolve(), files)


@functools.lru_cache(maxsize=32)
def _catalog(content: Path, _files: tuple) -> Catalog:
    return load_catalog(content)


@dataclass
class BotHarness:
    """A running bot, the local Bot API it talks to, and the clock it reads."""

    api: LocalBotApi
    application: object
    clock: ManualClock
    settings: Settings
    catalog: object
    game_clock: Clock | None = None  # group games' clock, when the test moves it (else real time)
    send_limits: SendLimits | None = None  # the pacer's, when a test shortens Telegram's windows

    def context(self) -> BotContext:
        return BotContext(application=self.application)

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database, like a process restart."""
        await self.stop()
        await self.start()

    async def stop(self) -> None:
        """The bot process goes away (updates wait at the Bot API)."""
        await stop_bot(self.application)

    async def start(self) -> None:
        """A new bot process on the same database and settings."""
        self.application = build_application(
            self.settings, catalog=self.catalog, base_url=self.api.url, token=TOKEN, clock=self.clock,
            rate_limit=False, game_clock=self.game_clock, send_limits=self.send_limits,
        )
        await start_bot(self.application, poll_timeout=POLL_TIMEOUT)

    async def drain(self) -> None:
        """Wait until the outbox has sent everything due (the sender runs in the background)."""
        await self.application.bot_data["outbox"].drain()

    async def sweep(self) -> int:
        """Run the daily sweep, then let the outbox send what it queued; returns how many bundles were queued."""
        from bot.jobs.daily_delivery import run_delivery_sweep

        queued = await run_delivery_sweep(self.context())
        await self.drain()
        return queued

    @property
    def engine(self) -> Engine:
        return self.application.bot_data["services"].engine


async def start_harness(tmp_path: Path, api: LocalBotApi, clock: ManualClock, *, content: Path = FIXTURE_CONTENT,
                        sandbox: object | None = None, database_url: str | None = None,
                        game_clock: Clock | None = None, send_limits: SendLimits | None = None,
                        **settings: object) -> BotHarness:
    """A bot on `database_url` (default: its own SQLite file), reading `content`, with `sandbox` as its lab;
    `settings` overrides other Settings fields (e.g. the webhook's). `game_clock` (a ManualClock) times group games'
    answers instead of real time (`group_play.answer_in_game_time`); `send_limits` shorten the pacer's windows for a
    game that moves on faster than Telegram's minute.

    `periodic_jobs=False` switches the sweeps off: the test runs one when it says so (`BotHarness.sweep`,
    `run_class_sweep`...), and nothing runs behind its back.
    Like pacing (`rate_limit=False`), the fair budgets are off unless a test asks for them (`fair_budgets=True`):
    a scripted learner taps faster than a person.
    """
    settings.setdefault("fair_budgets", False)
    settings = Settings(bot_token=None, database_url=database_url or f"sqlite:///{tmp_path / 'bot.sqlite3'}",
                        content_dir=content, delivery_sweep_seconds=3600, **settings)
    catalog = catalog_of(content)
    application = build_application(settings, catalog=catalog, base_url=api.url, token=TOKEN, clock=clock,
                                    rate_limit=False, sandbox=sandbox, game_clock=game_clock,
                                    send_limits=send_limits)
    await start_bot(application, poll_timeout=POLL_TIMEOUT)
    return BotHarness(api=api, application=application, clock=clock, settings=settings, catalog=catalog,
                      game_clock=game_clock, send_limits=send_limits)


