"""The groups that play: who may start games, members who leave, the bot removed, a group's new id."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select, update

from bot.services.competition_errors import NotAnAdmin
from bot.services.errors import InvalidSetting
from bot.services.learners import parse_timezone
from bot.services.week_times import next_run
from bot.storage.class_group_models import ClassGroup
from bot.storage.competition_models import (
    ActiveGame,
    GameResult,
    GameSchedule,
    QuizGame,
    QuizGroup,
    QuizGroupMember,
)

__all__ = ["GroupSettings", "check_may_run_games", "ensure_group", "group_settings", "mark_member_left",
           "move_chat", "set_group_setting", "set_open_to_all"]

_CHAT_TABLES = (QuizGame, ActiveGame, GameResult, GameSchedule, QuizGroupMember, ClassGroup)


@dataclass(frozen=True)
class GroupSettings:
    chat_id: int
    language: str
    timezone: str
    open_to_all: bool


def ensure_group(*, session: Session, chat_id: int, title: str, now: datetime) -> QuizGroup:
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == chat_id)).first()
    if group is None:
        group = QuizGroup(chat_id=chat_id, title=title[:128], created_at=now, season_started_at=now)
        session.add(group)
        session.flush()
    group.bot_removed = False
    return group


def group_settings(*, session: Session, chat_id: int, title: str, now: datetime) -> GroupSettings:
    group = ensure_group(session=session, chat_id=chat_id, title=title, now=now)
    return GroupSettings(chat_id, group.language, group.timezone, group.open_to_all)


def check_may_run_games(*, settings: GroupSettings, is_admin: bool) -> None:
    """Admins run games; everyone does once the admins opened games to all. NotAnAdmin otherwise."""
    if not is_admin and not settings.open_to_all:
        raise NotAnAdmin()


def set_open_to_all(*, session: Session, chat_id: int, open_to_all: bool) -> None:
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == chat_id)).first()
    if group is not None:
        group.open_to_all = open_to_all


def set_group_setting(*, session: Session, chat_id: int, title: str, name: str, value: str, now: datetime) -> str:
    """Set the group's time zone (`tz`) or language (`lang`); returns the stored value. InvalidSetting if wrong.

    Stored schedules are moved to the new zone's local time."""
    group = ensure_group(session=session, chat_id=chat_id, title=title, now=now)
    if name == "tz":
        group.timezone = parse_timezone(value)
        for schedule in session.exec(select(GameSchedule).where(GameSchedule.chat_id == chat_id)).all():
            schedule.next_run_at = next_run(weekday=schedule.weekday, at=schedule.at, timezone=group.timezone,
                                            after=now)
            schedule.announced_at = None
        return group.timezone
    if name == "lang" and value.lower() in ("fr", "en"):
        group.language = value.lower()
        return group.language
    raise InvalidSetting(name, value)


def mark_member_left(*, session: Session, chat_id: int, telegram_id: int, left: bool = True) -> None:
    """A member who left stays in history (results) but no longer appears on current boards."""
    member = session.exec(select(QuizGroupMember).where(QuizGroupMember.chat_id == chat_id,
                                                        QuizGroupMember.telegram_id == telegram_id)).first()
    if member is not None:
        member.left = left


def mark_bot_removed(*, session: Session, chat_id: int) -> None:
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == chat_id)).first()
    if group is not None:
        group.bot_removed = True


def move_chat(*, session: Session, old_chat_id: int, new_chat_id: int) -> bool:
    """A group became a supergroup: its games, history, members and schedules follow the new id.

    Idempotent (the bot learns it from the service message and from a 400 with migrate_to_chat_id)."""
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == old_chat_id)).first()
    if group is None:
        return False
    if session.exec(select(QuizGroup).where(QuizGroup.chat_id == new_chat_id)).first() is not None:
        return False
    group.chat_id = new_chat_id
    for table in _CHAT_TABLES:
        session.exec(update(table).where(col(table.chat_id) == old_chat_id).values(chat_id=new_chat_id))
    return True
