"""Polls as Telegram keeps them: options, votes, quiz answer, closed or open."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Poll"]


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

    @property
    def correct_option_id(self) -> int | None:
        return self.correct_option_ids[0] if self.correct_option_ids else None

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
        return data
