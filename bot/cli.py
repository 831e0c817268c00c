"""`tutorbot`: run the bot, chat with it locally, check content, migrate, prepare the lab."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config import Settings, SettingsError, load_settings

if TYPE_CHECKING:
    from bot.content import Problem

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "alembic", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return args.handler(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tutorbot", description="A Telegram tutor bot that teaches Docker.")
    sub = parser.add_subparsers(required=True, metavar="COMMAND")
    sub.add_parser("run", help="run the bot (local Bot API when BOT_TOKEN is not set)").set_defaults(handler=_run)
    chat = sub.add_parser("chat", help="chat with the bot in this terminal (local mode)")
    chat.add_argument("--instructor", action="store_true", help="play an instructor (person 0; /as N switches)")
    chat.add_argument("--learners", type=int, default=0, metavar="N", help="and N learners")
    chat.set_defaults(handler=_chat)
    content = sub.add_parser("content", help="course files").add_subparsers(required=True, metavar="ACTION")
    check = content.add_parser("check", help="validate course files")
    check.add_argument("directory", nargs="?", type=Path, default=None)
    check.set_defaults(handler=_content_check)
    stats = content.add_parser("stats", help="quiz figures: longest-option share, answer positions, application share")
    stats.add_argument("directory", nargs="?", type=Path, default=None)
    stats.set_defaults(handler=_content_stats)
    db = sub.add_parser("db", help="database").add_subparsers(required=True, metavar="ACTION")
    db.add_parser("upgrade", help="apply migrations").set_defaults(handler=_db_upgrade)
    lab = sub.add_parser("sandbox", help="the Docker lab").add_subparsers(required=True, metavar="ACTION")
    prep = lab.add_parser("prepare", help="build or pull the lab images (offline when no registry answers)")
    prep.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    prep.set_defaults(handler=_sandbox_prepare)
    return parser


def _run(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.content import ContentError
    from bot.runner import run_forever
    from bot.storage import SchemaNotCurrent

    try:
        asyncio.run(run_forever(settings))
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    except SchemaNotCurrent as exc:
        print(f"database: {exc}", file=sys.stderr)
        return 2
    return 0


def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.chat import chat_in_terminal
    from bot.content import ContentError

    try:
        asyncio.run(chat_in_terminal(settings.model_copy(update={"bot_token": None}), instructor=args.instructor,
                                     learners=max(0, min(args.learners, 20))))
    except ContentError as exc:
        _print_problems(exc.problems)
        return 1
    except KeyboardInterrupt:  # Ctrl-C: the bot has stopped cleanly (asyncio.run cancelled it); no traceback
        print(file=sys.stderr)
        return 130
    return 0


def _content_check(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content import check_content

    directory = args.directory or settings.content_dir
    if not directory.is_dir():
        print(f"{directory}: no such directory", file=sys.stderr)
        return 2
    problems = check_content(directory)
    _print_problems(problems)
    if not problems:
        print(f"{directory}: all course files are valid")
    return 1 if problems else 0


def _content_stats(settings: Settings, args: argparse.Namespace) -> int:
    from bot.content import load_catalog
    from bot.content.quiz_checks import FOUR_OPTIONS, quiz_figures

    catalog = load_catalog(args.directory or settings.content_dir)
    for course in catalog.courses.values():
        print(f"{course.id}:")
        for line in quiz_figures(course.questions_in_order()).lines():
            print(f"  {line}")
        for module in course.modules:
            if module.quiz not in course.quizzes:
                continue
            figures = quiz_figures(course.quizzes[module.quiz].questions)
            print(f"  {module.id}: application {figures.application}/{figures.questions}, "
                  f"{FOUR_OPTIONS} options {figures.four_options}/{figures.questions}")
    return 0


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found", file=sys.stderr)


def _db_upgrade(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.storage import upgrade_database

    upgrade_database(settings.database_url)
    print(f"database is up to date: {settings.database_url}")
    return 0


def _sandbox_prepare(settings: Settings, args: argparse.Namespace) -> int:
    import os

    import docker

    from sandbox.prepare import PrepareError, prepare

    cache_dir = Path(os.environ.get("TUTORBOT_CACHE_DIR") or Path.home() / ".cache" / "tutorbot")
    try:
        client = docker.from_env(timeout=600)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means no engine to prepare
        print(f"no Docker engine answers ({exc}); start dockerd or set DOCKER_HOST", file=sys.stderr)
        return 2
    try:
        report = prepare(client, cache_dir=cache_dir, force=args.force, log=lambda line: print(line, flush=True))
    except PrepareError as exc:
        print(f"lab preparation failed: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
