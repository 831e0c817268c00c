"""Run the bot until interrupted: against Telegram, a self-hosted Bot API, or our local one."""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram.ext import Application

from bot.app import build_application, start_bot, stop_bot
from bot.config import Settings
from bot.content import load_catalog

if TYPE_CHECKING:
    from bot.local_api import LocalBotApi
    from sandbox.service import SandboxService

__all__ = ["RunningBot", "run_forever", "running_bot"]

log = logging.getLogger(__name__)


@dataclass
class RunningBot:
    application: Application
    local_api: LocalBotApi | None  # in local mode only


@asynccontextmanager
async def running_bot(settings: Settings, *, local_port: int | None = None) -> AsyncIterator[RunningBot]:
    """Start everything the bot needs, and stop it all on exit."""
    catalog = load_catalog(settings.content_dir)
    local_api = None
    if settings.local_mode:
        from bot.local_api import LocalBotApi

        token = f"{secrets.randbelow(10**9) + 10**9}:{secrets.token_urlsafe(30)}"
        local_api = LocalBotApi(token, port=settings.local_api_port if local_port is None else local_port)
        base_url = await local_api.start()
        log.info("local mode: no BOT_TOKEN set, using the built-in Bot API server at %s", base_url)
    else:
        token, base_url = settings.bot_token, settings.telegram_api_url
    sandbox = _make_sandbox() if settings.lab_enabled else None
    try:
        application = build_application(settings, catalog=catalog, base_url=base_url, token=token, sandbox=sandbox,
                                        rate_limit=settings.rate_limit)
    except BaseException:
        if local_api is not None:
            await local_api.stop()
        raise
    try:
        await start_bot(application)
        yield RunningBot(application=application, local_api=local_api)
    finally:
        await stop_bot(application)
        if local_api is not None:
            await local_api.stop()


def _make_sandbox() -> SandboxService | None:
    """The lab service, when the sandbox package is available; its own start() checks the host."""
    try:
        from sandbox.service import SandboxService
    except ImportError:
        return None
    return SandboxService.from_env()


async def run_forever(settings: Settings) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running_bot(settings) as running:
        if running.local_api is not None:
            log.info("try it: `tutorbot chat` gives you a terminal chat with the bot")
        await stop.wait()
    log.info("stopped cleanly")
