"""Who the learner is and how they want to be taught (language, zone, daily time, pause)."""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import Session

from bot.services.errors import InvalidSetting
from bot.storage import crud
from bot.storage.models import DailySchedule, Learner, stored_id

__all__ = ["LearnerDefaults", "language_of", "mark_blocked", "parse_daily_time", "parse_timezone", "touch_learner",
           "touch_learner_values", "update_learner"]

SUPPORTED_LANGUAGES = ("fr", "en")
SEEN_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class LearnerDefaults:
    language: str
    timezone: str
    daily_time: time


def touch_learner(
    *, session: Session, telegram_id: int, first_name: str, language_code: str | None,
    defaults: LearnerDefaults, now: datetime,
) -> tuple[Learner, bool]:
    """Fetch the learner, creating them on first contact; returns (learner, created)."""
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    if learner is not None:
        # Only write when something changed: one write per update would serialise every learner on SQLite.
        if now - learner.last_seen_at >= SEEN_RESOLUTION:
            learner.last_seen_at = now
        if first_name and learner.first_name != first_name[:128]:
            learner.first_name = first_name[:128]
        if learner.blocked:
            learner.blocked = False
            _look_again_soon(session, learner)
        return learner, False
    language = (language_code or "")[:2].lower()
    learner = Learner(
        telegram_id=telegram_id,
        first_name=first_name[:128],
        language=language if language in SUPPORTED_LANGUAGES else defaults.language,
        timezone=defaults.timezone,
        daily_time=defaults.daily_time,
        created_at=now,
        last_seen_at=now,
    )
    crud.add(session=session, row=learner)
    # the next delivery sweep computes their first daily time (bot/services/delivery.py)
    session.add(DailySchedule(learner_id=stored_id(learner), next_due_at=now))
    return learner, True


def touch_learner_values(
    *, session: Session, telegram_id: int, first_name: str, language_code: str | None,
    defaults: LearnerDefaults, now: datetime,
) -> tuple[Mapping[str, Any], bool]:
    """`touch_learner` for a caller that needs the learner's values, not their row: the same rules
    (create on first contact, write only what changed), as plain statements. Returns (columns, created)."""
    found = crud.get_learner_values(session=session, telegram_id=telegram_id)
    if found is not None:
        changes: dict[str, object] = {}
        last_seen = found["last_seen_at"]
        if not isinstance(last_seen, datetime) or now - last_seen >= SEEN_RESOLUTION:
            changes["last_seen_at"] = now
        if first_name and found["first_name"] != first_name[:128]:
            changes["first_name"] = first_name[:128]
        if found["blocked"]:
            changes["blocked"] = False
        if not changes:
            return dict(found), False
        crud.update_learner_values(session=session, learner_id=found["id"], values=changes)
        if found["blocked"]:  # they came back: the next sweep looks at them again
            _look_again_at(session, found["id"], now)
        return {**found, **changes}, False
    language = (language_code or "")[:2].lower()
    values: dict[str, object] = {
        "telegram_id": telegram_id, "first_name": first_name[:128],
        "language": language if language in SUPPORTED_LANGUAGES else defaults.language,
        "timezone": defaults.timezone, "daily_time": defaults.daily_time, "created_at": now, "last_seen_at": now,
        "paused": False, "blocked": False, "terminal_mode": False, "active_course": None, "active_exercise": None,
    }
    values["id"] = learner_id = crud.insert_learner_values(session=session, values=values)
    # the next delivery sweep computes their first daily time (bot/services/delivery.py)
    crud.insert_daily_schedule(session=session, learner_id=learner_id, next_due_at=now)
    return values, True


@functools.cache
def _zone_names() -> dict[str, str]:
    """Every IANA zone name, by its lower-case spelling (read once)."""
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_timezone(value: str) -> str:
    """An IANA zone name, whatever its case (`europe/london` -> `Europe/London`); InvalidSetting otherwise."""
    value = value.strip()
    canonical = _zone_names().get(value.lower())
    if canonical is not None:
        return canonical
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidSetting("timezone", value) from None
    return value


def parse_daily_time(value: str) -> time:
    """Accept 9, 9h, 9:30, 09h30, 21:05."""
    text = value.strip().lower().replace("h", ":").rstrip(":")
    hours, _, minutes = text.partition(":")
    try:
        parsed = time(int(hours), int(minutes or 0))
    except (ValueError, OverflowError):  # OverflowError: /time 9999999999999999
        raise InvalidSetting("daily_time", value) from None
    return parsed


def update_learner(
    *, session: Session, learner: Learner, language: str | None = None, timezone: str | None = None,
    daily_time: time | None = None, paused: bool | None = None, terminal_mode: bool | None = None,
) -> Learner:
    if language is not None:
        if language not in SUPPORTED_LANGUAGES:
            raise InvalidSetting("language", language)
        learner.language = language
    if timezone is not None:
        learner.timezone = parse_timezone(timezone)
    if daily_time is not None:
        learner.daily_time = daily_time
    if (timezone is not None or daily_time is not None or paused is False) and learner.id is not None:
        _look_again_soon(session, learner)
    if paused is not None:
        learner.paused = paused
    if terminal_mode is not None:
        learner.terminal_mode = terminal_mode
    session.add(learner)
    return learner


def _look_again_soon(session: Session, learner: Learner) -> None:
    """Their daily time moved, or they came back: the next sweep looks at them and computes the new instant."""
    _look_again_at(session, stored_id(learner), learner.last_seen_at)


def _look_again_at(session: Session, learner_id: int, when: datetime) -> None:
    row = session.get(DailySchedule, learner_id)
    if row is None:
        session.add(DailySchedule(learner_id=learner_id, next_due_at=when))
    else:
        row.next_due_at = min(row.next_due_at, when)
        session.add(row)


def mark_blocked(*, session: Session, telegram_id: int, blocked: bool = True) -> bool:
    """Remember that a learner blocked (or unblocked) the bot, so deliveries stop (or resume).

    Returns False when no such learner is known. The next update from them unblocks them.
    """
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    if learner is None:
        return False
    learner.blocked = blocked
    session.add(learner)
    return True


def language_of(*, session: Session, telegram_id: int) -> str | None:
    """The language a learner chose, or None for someone the bot does not know yet."""
    learner = crud.get_learner(session=session, telegram_id=telegram_id)
    return learner.language if learner is not None else None
