"""A typed CallbackContext: handlers reach services through properties, not string keys."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.content import Catalog
from bot.services.check_turns import CheckTurns
from bot.services.clock import Clock, SystemClock
from bot.services.conversation_steps import Waiting
from bot.services.unit_of_work import Database
from bot.views.lessons import LessonPages

if TYPE_CHECKING:
    from sandbox.service import SandboxService

__all__ = ["BotContext", "Services"]


@dataclass
class Services:
    """Everything a handler may call, built once in build_application()."""

    settings: Settings
    engine: Engine
    db: Database
    catalog: Catalog
    clock: Clock
    sandbox: SandboxService | None = None
    lesson_pages: LessonPages = field(default_factory=LessonPages)
    game_clock: Clock = field(default_factory=SystemClock)  # group games run in real time (polls close on it)
    outbox_signal: asyncio.Event = field(default_factory=asyncio.Event)
    """Set after enqueuing into the outbox: the sender looks for work at once."""
    check_turns: CheckTurns = field(default_factory=CheckTurns)
    """Each learner's lab actions and exercise checks in order (one report per burst of commands)."""
    waiting: Waiting = field(default_factory=Waiting)
    """Whom the bot waits for in a two-step command (bot/services/conversation_steps.py)."""


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(self, application: Application, chat_id: int | None = None, user_id: int | None = None):
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.application.bot_data["services"]
