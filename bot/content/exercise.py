"""An exercise: what to do in the lab, how it is checked, and the proof that the checks work."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from bot.content.checks import Check, Id, Text

__all__ = ["Exercise", "Setup", "Solution", "WrongAttempt"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Setup(_Frozen):
    """Files written and commands run in the workspace when the exercise opens."""

    files: dict[str, str] = Field(default_factory=dict)
    commands: tuple[Text, ...] = ()


class Solution(_Frozen):
    """The reference solution; the tests run it and expect every check to pass."""

    files: dict[str, str] = Field(default_factory=dict)
    commands: tuple[Text, ...] = ()


class WrongAttempt(_Frozen):
    """A typical mistake; the tests run it and expect the check `fails` to fail."""

    description: str | None = None
    files: dict[str, str] = Field(default_factory=dict)
    commands: tuple[Text, ...] = ()
    fails: Id


class Exercise(_Frozen):
    id: Id
    title: Text
    lesson: Id | None = None
    goal: Text
    steps: tuple[Text, ...] = ()
    hints: tuple[Text, ...] = ()
    adaptation: str | None = None
    setup: Setup | None = None
    checks: tuple[Check, ...] = Field(min_length=1)
    solution: Solution
    wrong_attempts: tuple[WrongAttempt, ...] = Field(min_length=1)

    def check(self, check_id: str) -> Check | None:
        return next((check for check in self.checks if check.id == check_id), None)
