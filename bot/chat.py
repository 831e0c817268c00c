"""`tutorbot chat`: the bot and a terminal chat with it, in one process, no Telegram account needed."""

from __future__ import annotations

import asyncio
import logging
import sys

from telegram.ext import Application

from bot.config import Settings
from bot.i18n import label
from bot.runner import running_bot

__all__ = ["bot_busy", "chat_in_terminal"]


INSTRUCTOR_ID = 1000
LAB_TASKS = frozenset({"lab", "lab-reset"})  # the tasks bot/handlers/lab*.py run a build or a lab command in


def bot_busy(application: Application) -> bool:
    """Whether the bot is still working on what it was sent: an update being handled, or lab work (a build,
    a command) still running, whose progress can be slower than the terminal chat's quiet wait."""
    if application.update_processor.current_concurrent_updates or application.update_queue.qsize():
        return True
    return any(not task.done() and task.get_name() in LAB_TASKS for task in asyncio.all_tasks())


async def chat_in_terminal(settings: Settings, *, instructor: bool = False, learners: int = 0) -> None:
    """Chat as one learner; or, with `instructor`, as an instructor (person 0) and `learners` learners."""
    from bot.local_api.terminal import run_terminal_chat

    logging.getLogger().setLevel(logging.WARNING)
    if instructor:
        settings = settings.model_copy(update={"instructor_ids": settings.instructor_ids | {INSTRUCTOR_ID}})
    async with running_bot(settings, local_port=0) as running:
        api = running.local_api
        lang = settings.default_language
        first = api.user(INSTRUCTOR_ID, first_name=label(lang, "chat_instructor_name") if instructor else _chat_name(),
                         language_code=lang)
        user = [first, *(api.user(INSTRUCTOR_ID + i, first_name=label(lang, "chat_learner_name", number=i),
                                  language_code=lang)
                         for i in range(1, learners + 1))] if (instructor or learners) else first
        loop = asyncio.get_running_loop()

        async def read_line() -> str | None:
            line = await loop.run_in_executor(None, sys.stdin.readline)
            return line.rstrip("\n") if line else None

        def write(text: str) -> None:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

        await run_terminal_chat(api, user, read_line=read_line, write=write, wait_for_answers=not sys.stdin.isatty(),
                                busy=lambda: bot_busy(running.application))


def _chat_name() -> str:
    """The terminal user's first name: TUTORBOT_CHAT_NAME, else their login name (root is nobody's name)."""
    import getpass
    import os

    name = os.environ.get("TUTORBOT_CHAT_NAME", "").strip()
    if not name:
        try:
            login = getpass.getuser()
        except (KeyError, OSError):
            login = ""
        name = login.capitalize() if login and login != "root" else "Alex"
    return name[:64]
