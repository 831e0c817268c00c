"""Scoring a live quiz game: Kahoot's published rule, as one pure function, and the standings it gives.

A correct answer given `t` seconds after the question was sent, with a timer of `T` seconds, scores
⌊1000 · (1 − t / (2T))⌉ (rounded half up), and 1000 under half a second. A streak of consecutive correct
answers adds +100 for each correct answer before this one in the streak, at most +500: the 2nd in a row
gets +100, the 3rd +200, ..., the 6th and later +500. A wrong answer, a late one (t > T) or no answer ends
the streak and scores nothing. Only a player's first answer to the game's current question counts.
Ties are broken by total answer time (the sum of `t` over the answers that counted), shorter first.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["FULL_MARKS_UNDER", "MAX_STREAK_BONUS", "STREAK_STEP", "AnswerRecord", "PlayerScore", "QuestionRecord",
           "answer_points", "standings", "streak_bonus"]

FULL_MARKS_UNDER = 0.5
STREAK_STEP, MAX_STREAK_BONUS = 100, 500


def answer_points(*, elapsed: float, timer: float) -> int:
    """Points for a correct answer `elapsed` seconds after the question was sent (0 when late)."""
    if timer <= 0:
        raise ValueError("the timer must be positive")
    if elapsed < 0 or elapsed > timer:
        return 0
    if elapsed < FULL_MARKS_UNDER:
        return 1000
    return math.floor(1000 * (1 - elapsed / (2 * timer)) + 0.5)


def streak_bonus(streak: int) -> int:
    """The bonus of the `streak`-th correct answer in a row (1 for the first)."""
    return min(STREAK_STEP * max(0, streak - 1), MAX_STREAK_BONUS)


@dataclass(frozen=True)
class QuestionRecord:
    """A question of a game: its position, the poll it was sent as, its correct option and timer."""

    index: int
    poll_id: str
    correct_option: int
    timer: float


@dataclass(frozen=True)
class AnswerRecord:
    """An answer as received: who, to which poll, which option, how long after the poll was sent."""

    player: int
    poll_id: str
    option: int
    elapsed: float


@dataclass
class PlayerScore:
    player: int
    points: int = 0
    correct: int = 0
    answered: int = 0
    total_time: float = 0.0
    fastest_correct: float | None = None
    streak: int = 0
    per_question: list[int] = field(default_factory=list)


def standings(questions: Iterable[QuestionRecord], answers: Iterable[AnswerRecord],
              players: Iterable[int] = ()) -> list[PlayerScore]:
    """Every player's score, best first (points, then total answer time, then player id)."""
    by_poll: dict[str, list[AnswerRecord]] = {}
    for received in answers:
        by_poll.setdefault(received.poll_id, []).append(received)
    scores = {player: PlayerScore(player) for player in players}
    for question in sorted(questions, key=lambda q: q.index):
        first: dict[int, AnswerRecord] = {}
        for received in by_poll.get(question.poll_id, []):
            first.setdefault(received.player, received)  # later answers from the same player count nothing
            scores.setdefault(received.player, PlayerScore(received.player))
        for player, score in scores.items():
            answer = first.get(player)
            points = 0
            if answer is not None and 0 <= answer.elapsed <= question.timer:
                score.answered += 1
                score.total_time += answer.elapsed
                if answer.option == question.correct_option:
                    score.streak += 1
                    score.correct += 1
                    points = answer_points(elapsed=answer.elapsed, timer=question.timer) + streak_bonus(score.streak)
                    if score.fastest_correct is None or answer.elapsed < score.fastest_correct:
                        score.fastest_correct = answer.elapsed
            if points == 0:
                score.streak = 0
            score.points += points
            score.per_question.append(points)
    return sorted(scores.values(), key=lambda s: (-s.points, s.total_time, s.player))
