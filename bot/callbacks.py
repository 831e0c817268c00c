"""Inline-button actions, defined once: a typed payload per action, encoded as short text.

Every payload carries what it needs (no server-side state), so a button from a message sent
before a restart still works, or is recognised as stale and answered politely. The wire
format is `action[:field[:field]]` (at most 64 bytes); it must stay stable across releases,
because old messages keep their buttons.

To add an action: a frozen dataclass deriving from `Payload` with a unique `action`, then a
handler decorated with `bot.handlers.buttons.on_press(TheType)`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache
from typing import ClassVar, Self, get_type_hints

__all__ = [
    "AnnounceCancel", "AnnounceSchedule", "AnnounceSend", "Answer", "BroadcastStop", "CheckExercise", "ClassChoose", "ClassDelete", "ClassLeave", "ChooseCourse", "DayPicked", "Define", "ExamAnswer", "ExamRestart", "ExamResume", "ExamStart", "Exercises", "FinishLesson", "Forget", "Help", "JoinGame", "Lab", "LeaveClasses",
    "LeaveExercise", "LessonPage", "LessonPick", "LessonPicked", "LessonsToc", "Memo", "Menu", "OpenExercise", "Payload", "PostCancel", "PostMove", "Progress", "QuizModule",
    "Reset", "ReviewNext", "SettingsAction", "ShowHint", "StaleButton", "StopCommand", "decode",
]

MAX_BYTES = 64
SEPARATOR = ":"
MAX_NUMBER = 2**31 - 1
"""The largest number a button carries (a database id, a position): anything larger is forged, refused here."""


class StaleButton(ValueError):
    """Button data no action accepts: an old message, or forged data."""


class Payload:
    """Base of every action's payload; subclasses are frozen dataclasses with a unique `action`."""

    action: ClassVar[str]
    _registry: ClassVar[dict[str, type[Payload]]] = {}

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if cls.action in Payload._registry:
            raise TypeError(f"callback action {cls.action!r} defined twice")
        Payload._registry[cls.action] = cls

    def encode(self) -> str:
        """`action:field:field`, trailing empty fields left out."""
        values = [_to_wire(getattr(self, f.name)) for f in fields(self)]
        while values and values[-1] == "":
            values.pop()
        data = SEPARATOR.join([self.action, *values])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: str | None) -> Self:
        """The payload of this action in `data`; StaleButton when it is not one."""
        payload = decode(data)
        if not isinstance(payload, cls):
            raise StaleButton(f"{data!r} is not a {cls.action!r} button")
        return payload

    @classmethod
    def matches(cls, data: object) -> bool:
        """For CallbackQueryHandler(pattern=...): is `data` a well-formed button of this action? Malformed or
        forged data (extra fields, a number out of range) matches no action: the fallback answers it as stale."""
        if not (isinstance(data, str) and data.split(SEPARATOR, 1)[0] == cls.action):
            return False
        try:
            cls.decode(data)
        except StaleButton:
            return False
        return True


def decode(data: str | None) -> Payload:
    """The payload `data` encodes; StaleButton when no action accepts it."""
    action, *raw = (data or "").split(SEPARATOR)
    kind = Payload._registry.get(action)
    if kind is None:
        raise StaleButton(f"unknown action {action!r}")
    names = [f.name for f in fields(kind)]
    if len(raw) > len(names):
        raise StaleButton(f"too many fields in {data!r}")
    types = _field_types(kind)
    try:
        return kind(**{name: _from_wire(types[name], value) for name, value in zip(names, raw, strict=False)})
    except (TypeError, ValueError) as exc:
        raise StaleButton(f"bad {action!r} button {data!r}: {exc}") from None


@cache
def _field_types(kind: type[Payload]) -> dict[str, type]:
    return get_type_hints(kind)


def _to_wire(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value)
    if SEPARATOR in text:
        raise ValueError(f"{SEPARATOR!r} inside a callback field: {text!r}")
    return text


def _from_wire(kind: type, raw: str) -> object:
    if kind is bool:
        if raw not in ("0", "1"):
            raise ValueError(f"not a flag: {raw!r}")
        return raw == "1"
    if kind is int:
        if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(MAX_NUMBER)) or int(raw) > MAX_NUMBER:
            raise ValueError(f"not a number a button carries: {raw[:24]!r}")
        return int(raw)
    return raw


# -- the actions -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Menu(Payload):
    action: ClassVar[str] = "menu"


@dataclass(frozen=True)
class Help(Payload):
    action: ClassVar[str] = "help"


@dataclass(frozen=True)
class Progress(Payload):
    action: ClassVar[str] = "prog"


@dataclass(frozen=True)
class ChooseCourse(Payload):
    action: ClassVar[str] = "crs"
    course_id: str


@dataclass(frozen=True)
class LessonPage(Payload):
    action: ClassVar[str] = "les"
    lesson_id: str
    page: int = 0


@dataclass(frozen=True)
class FinishLesson(Payload):
    action: ClassVar[str] = "done"
    lesson_id: str


@dataclass(frozen=True)
class QuizModule(Payload):
    """The next question of a module; an empty module means the whole course."""

    action: ClassVar[str] = "quiz"
    module_id: str = ""


@dataclass(frozen=True)
class Answer(Payload):
    """`choice` is the option's index in the course file; `order` is how the message showed the options
    (one digit per option, "" for the file's order), so an old message's buttons stay right."""

    action: ClassVar[str] = "ans"
    question_id: str
    choice: int
    order: str = ""
    origin: str = ""  # "r" when asked by /review


@dataclass(frozen=True)
class ReviewNext(Payload):
    """The next due review question (/review)."""

    action: ClassVar[str] = "rev"


@dataclass(frozen=True)
class Memo(Payload):
    """A module's cheat sheet (/memo)."""

    action: ClassVar[str] = "memo"
    module_id: str


@dataclass(frozen=True)
class ExamAnswer(Payload):
    """An answer in the final exam: attempt id, question position in the attempt, option index, shown order."""

    action: ClassVar[str] = "xa"
    attempt: int
    position: int
    choice: int
    order: str = ""


@dataclass(frozen=True)
class ExamStart(Payload):
    """"Start the exam anyway", under the warning to a learner who has not read every lesson."""

    action: ClassVar[str] = "xs"


@dataclass(frozen=True)
class ExamResume(Payload):
    """"Resume" under /exam's note that an exam is running: its next question again."""

    action: ClassVar[str] = "xr"
    attempt: int


@dataclass(frozen=True)
class ExamRestart(Payload):
    """"Start over" under the same note: first a confirmation, then (`confirmed`) a new exam."""

    action: ClassVar[str] = "xn"
    attempt: int
    confirmed: bool = False


@dataclass(frozen=True)
class OpenExercise(Payload):
    action: ClassVar[str] = "ex"
    exercise_id: str


@dataclass(frozen=True)
class CheckExercise(Payload):
    action: ClassVar[str] = "chk"


@dataclass(frozen=True)
class ShowHint(Payload):
    action: ClassVar[str] = "hint"
    exercise_id: str
    index: int = 0


@dataclass(frozen=True)
class LeaveExercise(Payload):
    action: ClassVar[str] = "exq"


@dataclass(frozen=True)
class SettingsAction(Payload):
    """`set` shows the settings; `set:tz` a zone picker; `set:tz:3` applies the 4th zone, `set:tz:Europe/Paris`
    that zone (proposed to `/timezone paris`)."""

    action: ClassVar[str] = "set"
    what: str = ""
    value: str = ""


@dataclass(frozen=True)
class Reset(Payload):
    """The answer to "erase your lab?"."""

    action: ClassVar[str] = "reset"
    confirmed: bool


@dataclass(frozen=True)
class Forget(Payload):
    """The answer to "erase everything about you?" (/forget)."""

    action: ClassVar[str] = "forget"
    confirmed: bool


@dataclass(frozen=True)
class JoinGame(Payload):
    """The Join button under a group game's lobby. It carries no game id: the game is the one whose lobby is the
    pressed message, in that group (so a button forged elsewhere, or an old lobby's, joins nothing)."""

    action: ClassVar[str] = "gj"


@dataclass(frozen=True)
class StopCommand(Payload):
    """⏹ under a command that is still running: stop it (as /cancel does)."""

    action: ClassVar[str] = "stop"


@dataclass(frozen=True)
class LessonsToc(Payload):
    """The table of contents: the modules, or the lessons of `module_id`."""

    action: ClassVar[str] = "toc"
    module_id: str = ""


@dataclass(frozen=True)
class Lab(Payload):
    """The menu's Lab button: how to use the lab."""

    action: ClassVar[str] = "lab"


@dataclass(frozen=True)
class Exercises(Payload):
    """The menu's Exercises button: the list of exercises (as /exercise)."""

    action: ClassVar[str] = "exs"


# --- instructors' classes and announcements --------------------------------------------------------------------

@dataclass(frozen=True)
class AnnounceSend(Payload):
    """Send a previewed announcement to the class."""

    action: ClassVar[str] = "as"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceSchedule(Payload):
    """How to schedule a previewed announcement."""

    action: ClassVar[str] = "ah"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceCancel(Payload):
    """Drop a previewed announcement."""

    action: ClassVar[str] = "ac"
    announcement_id: int


@dataclass(frozen=True)
class BroadcastStop(Payload):
    """Stop what an announcement being sent has not sent yet."""

    action: ClassVar[str] = "bs"
    announcement_id: int


@dataclass(frozen=True)
class ClassDelete(Payload):
    """Delete a class (confirm) or keep it."""

    action: ClassVar[str] = "cd"
    class_id: int
    confirm: bool = False


@dataclass(frozen=True)
class ClassLeave(Payload):
    """A co-instructor stops teaching a class (confirm) or keeps teaching it."""

    action: ClassVar[str] = "cq"
    class_id: int
    confirm: bool = False


@dataclass(frozen=True)
class Define(Payload):
    """A glossary term offered as a button (a suggestion after a misspelt /def): its definition."""

    action: ClassVar[str] = "def"
    term: str


@dataclass(frozen=True)
class LeaveClasses(Payload):
    """A learner's /leave, confirmed (or not): leave every class they are a member of."""

    action: ClassVar[str] = "lvc"
    confirm: bool = False


# --- instructors' pickers (bot/handlers/class_pickers.py): classes, lessons, days, scheduled announcements ---------

@dataclass(frozen=True)
class ClassChoose(Payload):
    """Choose the class an instructor's commands act on; `then` is the command that asked ("" none), run again."""

    action: ClassVar[str] = "cu"
    class_id: int
    then: str = ""


@dataclass(frozen=True)
class LessonPick(Payload):
    """A class's lesson picker: its modules (`module_id` ""), or one module's lessons (✅ the class has had).
    `purpose`: "p" push now, "s" schedule, "m" put on a calendar day."""

    action: ClassVar[str] = "lp"
    class_id: int
    purpose: str
    module_id: str = ""


@dataclass(frozen=True)
class LessonPicked(Payload):
    """A lesson picked for `purpose` (as LessonPick)."""

    action: ClassVar[str] = "lk"
    class_id: int
    purpose: str
    lesson_id: str


@dataclass(frozen=True)
class DayPicked(Payload):
    """A quick date button (today, tomorrow, next class day; `day` as YYYYMMDD, at the class's time): "s" schedules
    lesson `item`, "m" puts lesson `item` on that calendar day, "a" schedules announcement `item`."""

    action: ClassVar[str] = "dk"
    class_id: int
    purpose: str
    item: str
    day: int


@dataclass(frozen=True)
class PostCancel(Payload):
    """Cancel a scheduled announcement (its post), from the list of what is scheduled."""

    action: ClassVar[str] = "pc"
    post_id: int


@dataclass(frozen=True)
class PostMove(Payload):
    """Change when a scheduled announcement goes out: its time is freed, and the bot asks for the new one."""

    action: ClassVar[str] = "pv"
    post_id: int
