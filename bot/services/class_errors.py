"""Domain errors of instructors' classes; handlers word each one in the user's language.

ServiceError
 └── ClassError
      ├── NotInstructor     the user is not an instructor (of that class)
      │    ├── NotGroupAdmin an instructor linking a group they are no admin of
      │    └── NotOwner     a co-instructor tries what only the class's owner may do (`class_name`)
      ├── OwnerCannotLeave  the owner tries to stop teaching their own class (`class_name`)
      ├── ClassNotFound     no such class (or deleted)
      ├── ClassChoiceNeeded an instructor of several classes who has not chosen one (`choices`: id, name)
      ├── BadClassRef       "#abc": not a class number (`ref`)
      ├── LinkRefused       a member cap below the members, or an expiry in the past (`reason`, `value`)
      ├── JoinRefused       a join or invite code that is unknown, revoked, expired or full (`reason`)
      ├── UnknownLesson     a lesson id the class's course does not have
      ├── InvalidWhen       a date/time that cannot be read, or is in the past (`reason`)
      ├── NothingToPush     the plan has no lesson left and none was named
      ├── ContentProblems   an announcement with Markdown problems (`problems`: ContentProblem, line + code)
      ├── NotSchedulable    an announcement already sent, scheduled or cancelled (`status`)
      ├── GroupTaken        the group is already linked to another class (`class_name`)
      ├── GroupNotLinked    the group is linked to no class
      └── PastDay           a calendar day whose class time has passed (`day`, `at`; `earliest` to come)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

__all__ = ["BadClassRef", "ClassChoiceNeeded", "ClassError", "ClassNotFound", "ContentProblem", "ContentProblems", "GroupNotLinked", "GroupTaken", "InvalidWhen",
           "JoinRefused", "LinkRefused", "NotGroupAdmin", "NotInstructor", "NotOwner", "NotSchedulable", "NothingToPush", "OwnerCannotLeave", "PastDay",
           "UnknownLesson"]

from bot.services.errors import ServiceError


class ClassError(ServiceError):
    pass


class NotInstructor(ClassError):
    def __init__(self, telegram_id: int, class_id: int | None = None) -> None:
        super().__init__(f"{telegram_id} is not an instructor of {class_id or 'any class'}")
        self.telegram_id, self.class_id = telegram_id, class_id


class NotOwner(NotInstructor):
    def __init__(self, telegram_id: int, class_id: int, class_name: str) -> None:
        super().__init__(telegram_id, class_id)
        self.class_name = class_name


class OwnerCannotLeave(ClassError):
    def __init__(self, telegram_id: int, class_id: int, class_name: str) -> None:
        super().__init__(f"user {telegram_id} owns class {class_id}: they cannot stop teaching it")
        self.class_id = class_id
        self.class_name = class_name


class ClassNotFound(ClassError):
    pass


class ClassChoiceNeeded(ClassError):
    """Several classes and none chosen: the command must not guess (it used to act on the newest)."""

    def __init__(self, telegram_id: int, choices: tuple[tuple[int, str], ...]) -> None:
        super().__init__(f"{telegram_id} teaches {len(choices)} classes and has chosen none")
        self.telegram_id, self.choices = telegram_id, choices


class BadClassRef(ClassError):
    def __init__(self, ref: str) -> None:
        super().__init__(f"not a class number: {ref!r}")
        self.ref = ref


class LinkRefused(ClassError):
    def __init__(self, reason: str, value: str) -> None:  # cap_below_members | expiry_past
        super().__init__(f"{reason}: {value}")
        self.reason, self.value = reason, value


class NotSchedulable(ClassError):
    def __init__(self, announcement_id: int, status: str) -> None:  # sent | scheduled | cancelled
        super().__init__(f"announcement {announcement_id} is {status}")
        self.announcement_id, self.status = announcement_id, status


class JoinRefused(ClassError):
    def __init__(self, reason: str) -> None:  # unknown | revoked | expired | full | used
        super().__init__(f"join code refused: {reason}")
        self.reason = reason


class UnknownLesson(ClassError):
    def __init__(self, lesson_id: str) -> None:
        super().__init__(f"unknown lesson {lesson_id!r}")
        self.lesson_id = lesson_id


class InvalidWhen(ClassError):
    def __init__(self, value: str, reason: str) -> None:  # unreadable | past
        super().__init__(f"{reason} date/time: {value!r}")
        self.value, self.reason = value, reason


class NothingToPush(ClassError):
    """No lesson named and none left on the calendar: `had_plan` (the calendar ran out, or there never was one) and
    the next lessons the class has not received yet, in course order, as (id, title)."""

    def __init__(self, class_name: str, *, had_plan: bool = False,
                 next_lessons: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__("nothing to push")
        self.class_name, self.had_plan, self.next_lessons = class_name, had_plan, next_lessons


@dataclass(frozen=True)
class ContentProblem:
    """One problem of an announcement: its line (1-based), what it is (`code`, an i18n key `md_<code>`) and what
    the message names (`values`)."""

    line: int
    code: str
    values: tuple[tuple[str, str], ...] = ()


class ContentProblems(ClassError):
    def __init__(self, problems: list[ContentProblem]) -> None:
        super().__init__("; ".join(f"{p.line}: {p.code}" for p in problems))
        self.problems = problems


class GroupTaken(ClassError):
    def __init__(self, class_name: str) -> None:
        super().__init__(f"the group is linked to the class {class_name!r}")
        self.class_name = class_name


class GroupNotLinked(ClassError):
    pass


class NotGroupAdmin(NotInstructor):
    pass


class PastDay(ClassError):
    """A calendar day whose class time has already passed: `earliest` is the first one still to come."""

    def __init__(self, day: date, earliest: date, at: time) -> None:
        super().__init__(f"{day} {at} is in the past; earliest: {earliest}")
        self.day, self.earliest, self.at = day, earliest, at
