"""`tutorbot chat`: the bot and a terminal chat with it, in one process, no Telegram account needed."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import tempfile
import threading
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram.ext import Application

from bot.config import Settings
from bot.i18n import label
from bot.runner import running_bot

__all__ = ["bot_busy", "chat_in_terminal"]


INSTRUCTOR_ID = 1000
CHAT_FILES = Path(tempfile.gettempdir()) / "tutorbot-chat"  # the photos and files the bot sends, and the log
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
    log_file = logs_apart_from_the_chat()
    if instructor:
        settings = settings.model_copy(update={"instructor_ids": settings.instructor_ids | {INSTRUCTOR_ID}})
    async with running_bot(settings, local_port=0) as running:
        api = running.local_api
        lang = settings.default_language
        if log_file is not None:
            print(label(lang, "chat_log_file", path=log_file))
        first = api.user(INSTRUCTOR_ID, first_name=label(lang, "chat_instructor_name") if instructor else _chat_name(),
                         language_code=lang)
        notes = []
        mini_app = running.application.bot_data.get("webapp")
        if mini_app is not None:  # the page Telegram would open from the menu button, signed for this person
            from bot.local_api.web_app_data import signed_init_data, web_app_link

            signed = signed_init_data(api.token, first.user)
            notes.append(label(lang, "chat_mini_app", url=web_app_link(mini_app.local_url, signed)))
        user = [first, *(api.user(INSTRUCTOR_ID + i, first_name=label(lang, "chat_learner_name", number=i),
                                  language_code=lang)
                         for i in range(1, learners + 1))] if (instructor or learners) else first
        def write(text: str) -> None:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()

        await run_terminal_chat(api, user, read_line=stdin_lines(), write=write, wait_for_answers=not sys.stdin.isatty(),
                                busy=lambda: bot_busy(running.application), files_dir=CHAT_FILES,
                                notes=tuple(notes))
        write(label(lang, "chat_bye"))


def stdin_lines() -> Callable[[], Awaitable[str | None]]:
    """Lines typed or piped, read by a daemon thread: a line being waited for never holds up the exit
    (`/quit`, Ctrl-C, Ctrl-D), as a read in asyncio's own thread pool would until Enter is pressed."""
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        try:
            for line in sys.stdin:
                loop.call_soon_threadsafe(lines.put_nowait, line.rstrip("\n"))
        except (OSError, ValueError):
            pass
        with contextlib.suppress(RuntimeError):  # the loop is already closed: nobody is waiting any more
            loop.call_soon_threadsafe(lines.put_nowait, None)

    threading.Thread(target=read, name="terminal-chat-stdin", daemon=True).start()
    return lines.get


def logs_apart_from_the_chat() -> Path | None:
    """When the chat and the logs would share one terminal, send the logs to a file (returned) instead."""
    try:
        shared = os.isatty(1) and os.isatty(2) and os.ttyname(1) == os.ttyname(2)
    except OSError:
        shared = False
    if not shared:
        return None
    CHAT_FILES.mkdir(parents=True, exist_ok=True)
    path = CHAT_FILES / "chat.log"
    root = logging.getLogger()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    return path


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
