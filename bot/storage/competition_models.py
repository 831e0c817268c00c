"""Tables of group quiz games: groups, games and their questions, players and answers, results, schedules.

A chat id is Telegram's (BigInteger): when a group becomes a supergroup every row follows the new id.
`ActiveGame` has the chat as its key, so the database itself refuses a second game in a group.
"""

from __future__ import annotations

from datetime import datetime, time

from sqlalchemy import BigInteger, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["ActiveGame", "GameAnswer", "GamePlayer", "GameQuestion", "GameResult", "GameSchedule", "QuizGame",
           "QuizGroup", "QuizGroupMember"]


def _chat_column(*, unique: bool = False, primary_key: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(BigInteger, nullable=False, index=not primary_key, unique=unique or None,
                  primary_key=primary_key, autoincrement=False)


class QuizGroup(SQLModel, table=True):
    __tablename__ = "quiz_group"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=_chat_column(unique=True))
    title: str = Field(default="", max_length=128)
    language: str = Field(default="fr", max_length=8)
    timezone: str = Field(default="Europe/Paris", max_length=64)
    open_to_all: bool = Field(default=False)
    season_weeks: int | None = None  # None: no seasons
    season_number: int = Field(default=1)
    season_started_at: datetime | None = None
    bot_removed: bool = Field(default=False)
    created_at: datetime


class QuizGroupMember(SQLModel, table=True):
    """Who played in a group; a member who left stays in history but not in current boards."""

    __tablename__ = "quiz_group_member"
    __table_args__ = (UniqueConstraint("chat_id", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=_chat_column())
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    left: bool = Field(default=False)


class QuizGame(SQLModel, table=True):
    __tablename__ = "quiz_game"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=_chat_column())
    status: str = Field(default="lobby", max_length=16)  # lobby | running | finished | stopped
    course_id: str = Field(max_length=64)
    module_id: str = Field(default="", max_length=64)
    question_count: int
    timer_seconds: int
    started_by: int = Field(sa_column=Column(BigInteger, nullable=False))
    lobby_message_id: int | None = None
    lobby_ends_at: datetime | None = None
    scoreboard_message_id: int | None = None
    current_index: int = Field(default=-1)
    paused: bool = Field(default=False)  # no next question until an admin resumes
    created_at: datetime
    finished_at: datetime | None = None


class ActiveGame(SQLModel, table=True):
    """The one game of a group that is in its lobby or running."""

    __tablename__ = "quiz_active_game"

    chat_id: int = Field(sa_column=_chat_column(primary_key=True))
    game_id: int = Field(foreign_key="quiz_game.id")


class GameQuestion(SQLModel, table=True):
    __tablename__ = "quiz_game_question"
    __table_args__ = (UniqueConstraint("game_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="quiz_game.id", index=True)
    position: int
    question_id: str = Field(max_length=64)
    option_order: str = Field(max_length=64)  # shown option i is the course's option option_order[i]
    correct_option: int  # in the shown order
    poll_id: str | None = Field(default=None, max_length=64, unique=True)
    message_id: int | None = None
    sent_at: datetime | None = None
    closes_at: datetime | None = None
    closed: bool = Field(default=False)


class GamePlayer(SQLModel, table=True):
    __tablename__ = "quiz_game_player"
    __table_args__ = (UniqueConstraint("game_id", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="quiz_game.id", index=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    joined_at: datetime


class GameAnswer(SQLModel, table=True):
    """A player's first answer to a question (a second one is refused by the unique key)."""

    __tablename__ = "quiz_game_answer"
    __table_args__ = (UniqueConstraint("game_id", "position", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    game_id: int = Field(foreign_key="quiz_game.id", index=True)
    position: int
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    option: int
    elapsed_ms: int
    answered_at: datetime


class GameResult(SQLModel, table=True):
    """A player's result in a finished game: what the lasting leaderboards add up."""

    __tablename__ = "quiz_game_result"
    __table_args__ = (UniqueConstraint("game_id", "telegram_id"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=_chat_column())
    game_id: int = Field(foreign_key="quiz_game.id", index=True)
    telegram_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    points: int
    correct: int
    rank: int
    season_number: int = Field(default=1)
    finished_at: datetime


class GameSchedule(SQLModel, table=True):
    """A weekly game at a local time in the group's time zone."""

    __tablename__ = "quiz_schedule"

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_column=_chat_column())
    weekday: int  # Monday = 0
    at: time
    module_id: str = Field(default="", max_length=64)
    question_count: int = Field(default=10)
    next_run_at: datetime
    announced_at: datetime | None = None  # the 10-minute notice of next_run_at was posted
    created_by: int = Field(sa_column=Column(BigInteger, nullable=False))
