"""The Learners tab's table, computed once per state of the class: an instructor who refreshes the page, or
switches tabs, does not recompute 300 learners' statistics when nothing changed.

The state is read with a few small queries (the last ids of the answers, lesson and exercise completions, which
only grow: a learner's rows go only when the learner is erased, and leaves the members; the members' names and
last visits; the lessons the class was sent; the members themselves; the class's local date): any new answer or
completion (anyone's: reading the last id costs one index step, filtering by member would read all their rows),
visit, name, member or sent lesson changes it, and the table is computed again (class_stats.class_stats, as
/class stats). Nothing is ever served from an older state.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from datetime import datetime
from threading import Lock
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from bot.content import Catalog
from bot.services import class_calendar, class_stats, classes, mini_app_class
from bot.storage.models import (
    Classroom,
    ExerciseCompletion,
    Learner,
    LessonCompletion,
    QuizAnswer,
    stored_id,
)

__all__ = ["LearnersTable", "class_state", "learners_table"]

LearnersTable = tuple[class_stats.ClassStats, list[mini_app_class.LearnerLine]]


class _Recent:
    """The last tables computed, by class and state (a few classes: an instructor's, at most a school's)."""

    def __init__(self, size: int = 64) -> None:
        self._tables: OrderedDict[int, tuple[Hashable, LearnersTable]] = OrderedDict()
        self._size, self._lock = size, Lock()

    def get(self, class_id: int, state: Hashable) -> LearnersTable | None:
        with self._lock:
            found = self._tables.get(class_id)
            if found is None or found[0] != state:
                return None
            self._tables.move_to_end(class_id)
            return found[1]

    def put(self, class_id: int, state: Hashable, table: LearnersTable) -> None:
        with self._lock:
            self._tables[class_id] = (state, table)
            self._tables.move_to_end(class_id)
            while len(self._tables) > self._size:
                self._tables.popitem(last=False)


_RECENT = _Recent()


def class_state(*, session: Session, klass: Classroom, now: datetime) -> Hashable:
    """What the table depends on, in a few aggregate queries: equal states give equal tables."""
    members = tuple(classes.active_member_ids(session=session, class_id=stored_id(klass)))
    state: list[object] = [members, klass.course_id, now.astimezone(ZoneInfo(klass.timezone)).date(),
                           tuple(sorted(class_calendar.lessons_sent(session=session, klass=klass).items()))]
    for table in (QuizAnswer, LessonCompletion, ExerciseCompletion):  # rows are only added, or erased with their
        state.append(session.exec(select(func.max(col(table.id)))).one())  # learner (who then leaves `members`)
    state.append(tuple(session.exec(select(Learner.id, Learner.first_name, Learner.last_seen_at).where(
        col(Learner.id).in_(members)).order_by(col(Learner.id))).all()))
    state.append(str(session.get_bind().engine.url))  # another database (tests, benches) is another class
    return tuple(state)


def learners_table(*, session: Session, catalog: Catalog, klass: Classroom, now: datetime) -> LearnersTable:
    """The class's statistics and the Learners tab's lines, computed again only when the class's state changed."""
    class_id, state = stored_id(klass), class_state(session=session, klass=klass, now=now)
    found = _RECENT.get(class_id, state)
    if found is not None:
        return found
    stats = class_stats.class_stats(session=session, catalog=catalog, klass=klass, now=now)
    table = (stats, mini_app_class.learner_lines(session=session, stats=stats,
                                                 lessons_total=len(catalog.courses[klass.course_id].lessons)))
    _RECENT.put(class_id, state, table)
    return table
