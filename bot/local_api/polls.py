"""Polls as Telegram keeps them: options, votes, quiz answer, who answered, closed or open."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

__all__ = ["Poll", "PollAlreadyAnswered", "PollClosed", "PollRefused"]


class PollRefused(ValueError):
    """A member cannot give this answer (Telegram's client does not offer it)."""


class PollAlreadyAnswered(PollRefused):
    """The member already answered this poll (a quiz, or a poll without a retract option)."""


class PollClosed(PollRefused):
    """The poll is closed: nobody can answer it any more."""


@dataclass
class Poll:
    id: str
    question: str
    options: list[str]
    type: str = "regular"
    is_anonymous: bool = True
    correct_option_ids: tuple[int, ...] = ()
    explanation: str | None = None
    is_closed: bool = False
    votes: list[int] = field(default_factory=list)
    open_period: int | None = None
    close_date: int | None = None
    chat_id: int | None = None
    answers: dict[int, list[int]] = field(default_factory=dict)  # user id -> options (non-anonymous polls)
    deadline: float | None = None  # time.time() when open_period ends

    @property
    def correct_option_id(self) -> int | None:
        return self.correct_option_ids[0] if self.correct_option_ids else None

    def vote(self, user_id: int, option_ids: list[int]) -> None:
        """Count `user_id`'s answer, as Telegram's client allows it; PollRefused otherwise."""
        if self.is_closed or (self.deadline is not None and time.time() >= self.deadline):
            raise PollClosed(f"poll {self.id} is closed")
        if user_id in self.answers:  # quizzes and polls without revoting take one answer
            raise PollAlreadyAnswered(f"user {user_id} already answered poll {self.id}")
        if not option_ids or any(not 0 <= i < len(self.options) for i in option_ids):
            raise PollRefused(f"no option {option_ids} in poll {self.id}")
        self.answers[user_id] = list(option_ids)
        for option in option_ids:
            self.votes[option] += 1

    def to_api(self) -> dict:
        data = {
            "id": self.id, "question": self.question,
            "options": [{"text": text, "voter_count": self.votes[i], "persistent_id": f"{self.id}-{i}"}
                        for i, text in enumerate(self.options)],
            "total_voter_count": sum(self.votes), "is_closed": self.is_closed,
            "is_anonymous": self.is_anonymous, "type": self.type, "allows_multiple_answers": False,
            "allows_revoting": False, "members_only": False,
        }
        if self.type == "quiz" and self.correct_option_ids:
            data["correct_option_ids"] = list(self.correct_option_ids)
        if self.explanation:
            data["explanation"] = self.explanation
        if self.open_period is not None:
            data["open_period"] = self.open_period
        if self.close_date is not None:
            data["close_date"] = self.close_date
        return data
