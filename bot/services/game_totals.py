"""Group game results added up per player: for a learner's /progress and a class's statistics."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from bot.storage.competition_models import GameResult

__all__ = ["NO_GAMES", "GameTotals", "totals_in_chats", "totals_of"]


@dataclass(frozen=True)
class GameTotals:
    games: int
    points: int
    best_rank: int | None  # None: no game played

    def add(self, points: int, rank: int) -> GameTotals:
        best = rank if self.best_rank is None else min(self.best_rank, rank)
        return GameTotals(self.games + 1, self.points + points, best)


NO_GAMES = GameTotals(0, 0, None)


def totals_of(*, session: Session, telegram_id: int) -> GameTotals:
    """Every group game the player finished, in any group."""
    totals = NO_GAMES
    for points, rank in session.exec(select(GameResult.points, GameResult.rank).where(
            GameResult.telegram_id == telegram_id)):
        totals = totals.add(points, rank)
    return totals


def totals_in_chats(*, session: Session, telegram_ids: Collection[int],
                    windows: Iterable[tuple[int, datetime, datetime | None]]) -> dict[int, GameTotals]:
    """Per player, the games finished in each chat between its (start, end) (end None: still open)."""
    totals: dict[int, GameTotals] = {}
    if not telegram_ids:
        return totals
    for chat_id, start, end in windows:
        query = select(GameResult.telegram_id, GameResult.points, GameResult.rank).where(
            GameResult.chat_id == chat_id, col(GameResult.telegram_id).in_(list(telegram_ids)),
            col(GameResult.finished_at) >= start)
        if end is not None:
            query = query.where(col(GameResult.finished_at) <= end)
        for telegram_id, points, rank in session.exec(query):
            totals[telegram_id] = totals.get(telegram_id, NO_GAMES).add(points, rank)
    return totals
