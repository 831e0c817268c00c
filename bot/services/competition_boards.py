"""Leaderboards that last: this week, this month, all time, and seasons that end on the admins' schedule.

Weeks start on Monday at 00:00 and months on the 1st, in the group's time zone; a result belongs to the
period in which its game finished (the calendar clock). A member who left the group keeps their results
(history, `all` includes nobody who left but their rows stay) and no longer appears on boards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.services.competition_errors import BadQuizRequest
from bot.storage.competition_models import GameResult, QuizGroup, QuizGroupMember

__all__ = ["PERIODS", "Board", "BoardLine", "SeasonEnd", "board", "end_due_seasons", "period_start", "set_season"]

PERIODS = ("week", "month", "all")
TOP = 10


@dataclass(frozen=True)
class BoardLine:
    rank: int
    telegram_id: int
    first_name: str
    points: int
    correct: int
    games: int


@dataclass(frozen=True)
class Board:
    period: str
    language: str
    lines: tuple[BoardLine, ...]
    me: BoardLine | None
    season_number: int = 0


@dataclass(frozen=True)
class SeasonEnd:
    chat_id: int
    language: str
    season_number: int
    winners: tuple[BoardLine, ...]


def period_start(period: str, now: datetime, timezone: str) -> datetime | None:
    """When the current week or month began in the group's time zone (None for all time)."""
    local = now.astimezone(ZoneInfo(timezone))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "week":
        return (midnight - timedelta(days=local.weekday())).astimezone(now.tzinfo)
    if period == "month":
        return midnight.replace(day=1).astimezone(now.tzinfo)
    if period == "all":
        return None
    raise BadQuizRequest(period)


def board(*, session: Session, chat_id: int, period: str, now: datetime, caller: int | None) -> Board:
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == chat_id)).first()
    timezone, lang = (group.timezone, group.language) if group else ("Europe/Paris", "fr")
    since = period_start(period, now, timezone)
    lines = _ranked(session, chat_id, since=since)
    me = next((line for line in lines if line.telegram_id == caller), None)
    return Board(period=period, language=lang, lines=tuple(lines[:TOP]), me=me,
                 season_number=group.season_number if group else 1)


def _ranked(session: Session, chat_id: int, *, since: datetime | None = None,
            season: int | None = None) -> list[BoardLine]:
    left = set(session.exec(select(QuizGroupMember.telegram_id).where(
        QuizGroupMember.chat_id == chat_id, col(QuizGroupMember.left).is_(True))).all())
    query = select(GameResult).where(GameResult.chat_id == chat_id)
    if since is not None:
        query = query.where(GameResult.finished_at >= since)
    if season is not None:
        query = query.where(GameResult.season_number == season)
    totals: dict[int, list[int]] = {}
    names: dict[int, str] = {}
    for result in session.exec(query).all():
        if result.telegram_id in left:
            continue
        total = totals.setdefault(result.telegram_id, [0, 0, 0])
        total[0] += result.points
        total[1] += result.correct
        total[2] += 1
        names[result.telegram_id] = result.first_name
    order = sorted(totals, key=lambda player: (-totals[player][0], player))
    return [BoardLine(rank=i, telegram_id=p, first_name=names[p], points=totals[p][0], correct=totals[p][1],
                      games=totals[p][2]) for i, p in enumerate(order, start=1)]


def set_season(*, session: Session, chat_id: int, weeks: int | None, now: datetime) -> None:
    """Seasons of `weeks` weeks from now on (None: no seasons)."""
    group = session.exec(select(QuizGroup).where(QuizGroup.chat_id == chat_id)).first()
    if group is None:
        return
    if weeks is not None and not 1 <= weeks <= 52:
        raise BadQuizRequest(str(weeks))
    group.season_weeks, group.season_started_at = weeks, now


def end_due_seasons(*, session: Session, now: datetime) -> list[SeasonEnd]:
    """Every season whose time is up: its winners, and the next season started (once: the row moves on)."""
    ended: list[SeasonEnd] = []
    for group in session.exec(select(QuizGroup).where(col(QuizGroup.season_weeks).is_not(None))).all():
        assert group.season_weeks is not None
        started = group.season_started_at or group.created_at
        end = started + timedelta(weeks=group.season_weeks)
        if end > now:
            continue
        winners = tuple(_ranked(session, group.chat_id, season=group.season_number)[:3])
        ended.append(SeasonEnd(group.chat_id, group.language, group.season_number, winners))
        group.season_number += 1
        group.season_started_at = end if end + timedelta(weeks=group.season_weeks) > now else now
    return ended
