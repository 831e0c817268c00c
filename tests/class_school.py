"""A class as the instructor stories need it: an instructor, a class made with `/class new`, learners joined by its
link, and the few helpers every class story uses (`said`, `class_sweep`, `bot_messages`).

    school = await open_class(await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600),
                              at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=4)
    school.harness, school.teacher, school.code, school.learners
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from bot.jobs.class_calendar import run_class_sweep
from bot.local_api import LocalBotApi
from bot.local_api.store import SentMessage
from bot.local_api.users import SimUser

__all__ = ["TEACHER", "School", "bot_messages", "class_sweep", "join_code", "open_class", "said"]

TEACHER = 700
_JOIN = re.compile(r"start=j-([A-Za-z0-9_-]{22})")


async def said(api: LocalBotApi, user: SimUser, text: str, predicate=None, **wait: object) -> SentMessage:
    """`user` sends `text`; the bot's next answer to them (matching `predicate`)."""
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent, predicate=predicate, **wait)


async def class_sweep(harness) -> int:
    """Run the class calendar's sweep now, then let the outbox send what it queued; returns how many were queued."""
    queued = await run_class_sweep(harness.context())
    await harness.drain()
    return queued


def bot_messages(api: LocalBotApi, chat_id: int, after: int = 0) -> list[SentMessage]:
    """The bot's messages in a chat, from the `after`-th message on."""
    return [m for m in api.messages(chat_id)[after:] if m.from_bot]


def join_code(text: str) -> str:
    """The join code in a message that shows the class's link."""
    found = _JOIN.search(text)
    assert found, text
    return found.group(1)


@dataclass
class School:
    """A running bot with one class: its instructor, its join code and the learners who joined by the link."""

    harness: object
    teacher: SimUser
    code: str
    created: SentMessage
    learners: list[SimUser] = field(default_factory=list)

    @property
    def api(self) -> LocalBotApi:
        return self.harness.api

    def __getattr__(self, name: str) -> object:  # the harness's own: clock, engine, drain(), context(), sweep()...
        if name == "harness":
            raise AttributeError(name)
        return getattr(self.harness, name)

    async def join(self, user_id: int, first_name: str) -> SimUser:
        """A learner opens the class's link."""
        learner = self.api.user(user_id, first_name=first_name)
        welcome = await said(self.api, learner, f"/start j-{self.code}")
        assert "Bienvenue" in welcome.text, welcome.text
        self.learners.append(learner)
        return learner


async def open_class(harness, *, at: datetime | None = None, teacher_id: int = TEACHER, name: str = "Docker L3",
                     options: str = "", learners: int = 0, first_learner: int = 3000,
                     learner_name: str = "M") -> School:
    """The instructor creates the class `name` (with `/class new` `options`, e.g. "tz=Europe/Paris") at `at`, then
    `learners` learners (ids from `first_learner`, named `M0`, `M1`...) join by its link."""
    if at is not None:
        harness.clock.set(at)
    api = harness.api
    teacher = api.user(teacher_id, first_name="Prof")
    created = await said(api, teacher, f"/class new {name} {options}".strip(), predicate=lambda m: "Classe" in m.text)
    school = School(harness=harness, teacher=teacher, code=join_code(created.text), created=created)
    for i in range(learners):
        await school.join(first_learner + i, f"{learner_name}{i}")
    return school
