"""Values the group-game services hand back: safe to use after their transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["FinalResult", "GameView", "PendingTimer", "QuestionToSend", "RoundResult", "Standing"]


@dataclass(frozen=True)
class GameView:
    id: int
    chat_id: int
    status: str
    language: str
    course_id: str
    module_id: str
    question_count: int
    timer: int
    current_index: int
    lobby_message_id: int | None
    lobby_ends_at: datetime | None
    scoreboard_message_id: int | None
    players: tuple[str, ...] = ()
    paused: bool = False
    waiting: bool = False  # running, with no question open (between two questions, or paused after one)
    class_game: bool = False  # no module named, in a group linked to a class: the class's lessons


@dataclass(frozen=True)
class QuestionToSend:
    game_id: int
    chat_id: int
    position: int
    total: int
    text: str
    options: tuple[str, ...]
    correct_option: int
    explanation: str
    timer: int


@dataclass(frozen=True)
class Standing:
    telegram_id: int
    first_name: str
    points: int
    correct: int
    total_time: float
    fastest_correct: float | None


@dataclass(frozen=True)
class RoundResult:
    game: GameView
    position: int
    question: str
    answer: str
    explanation: str
    answered: int
    right: int
    standings: tuple[Standing, ...]
    last: bool


@dataclass(frozen=True)
class FinalResult:
    game: GameView
    standings: tuple[Standing, ...]
    stopped: bool
    questions_played: int


@dataclass(frozen=True)
class PendingTimer:
    """What a running game waits for, to re-arm after a restart: the lobby's end, or a question's close."""

    game_id: int
    chat_id: int
    kind: str  # lobby | close | next
    position: int
    at: datetime
