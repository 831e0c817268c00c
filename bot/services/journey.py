"""The learner's path through a course: enrolling, reading lessons, moving on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlmodel import Session

from bot.content import Catalog, Course, Lesson
from bot.services.errors import NotEnrolled, StaleReference, UnknownCourse
from bot.storage import crud
from bot.storage.models import Enrollment, Learner, stored_id

__all__ = ["Bookmark", "LearnerRef", "LessonStep", "active_course", "bookmark", "complete_lesson", "current_lesson",
           "enroll", "enroll_visitor", "find_lesson"]


@dataclass(frozen=True)
class LessonStep:
    """What finishing a lesson leads to."""

    completed: Lesson
    next_lesson: Lesson | None
    newly_completed: bool


def enroll(*, session: Session, catalog: Catalog, learner: Learner, course_id: str, now: datetime) -> Course:
    """Make `course_id` the learner's active course, keeping earlier progress."""
    course = catalog.courses.get(course_id)
    if course is None:
        raise UnknownCourse(course_id)
    if crud.get_enrollment(session=session, learner_id=stored_id(learner), course_id=course_id) is None:
        first = course.lessons_in_order()[0] if course.lessons_in_order() else None
        crud.add(
            session=session,
            row=Enrollment(
                learner_id=stored_id(learner), course_id=course_id,
                next_lesson_id=first.id if first else None, enrolled_at=now,
            ),
        )
    learner.active_course = course_id
    session.add(learner)
    return course


def enroll_visitor(*, session: Session, catalog: Catalog, learner: LearnerRef, course_id: str,
                   now: datetime) -> Bookmark:
    """`enroll` for a learner known by their values (a snapshot), as plain statements; returns where they are
    in the course (their bookmark)."""
    course = catalog.courses.get(course_id)
    if course is None:
        raise UnknownCourse(course_id)
    learner_id = stored_id(learner)
    enrolled, _ = crud.get_next_lesson_id(session=session, learner_id=learner_id, course_id=course_id)
    if learner.active_course != course_id:
        crud.update_learner_values(session=session, learner_id=learner_id, values={"active_course": course_id})
    if enrolled:
        return Bookmark(course, next_unread_lesson(session=session, course=course, learner_id=learner_id))
    first = course.lessons_in_order()[0] if course.lessons_in_order() else None
    crud.insert_enrollment_values(session=session, learner_id=learner_id, course_id=course_id,
                                  next_lesson_id=first.id if first else None, enrolled_at=now)
    return Bookmark(course, first)  # a new enrolment's bookmark is the first lesson


class HasActiveCourse(Protocol):
    """A learner row, or a snapshot of one."""

    @property
    def active_course(self) -> str | None: ...


class LearnerRef(HasActiveCourse, Protocol):
    """A learner row, or a snapshot of one (`LearnerSnapshot`): what reading their progress needs."""

    @property
    def id(self) -> int | None: ...


@dataclass(frozen=True)
class Bookmark:
    """Where the learner is: their course, and the lesson to read next (None when finished)."""

    course: Course
    lesson: Lesson | None

    @property
    def module_id(self) -> str:
        module = self.course.module_of(self.lesson.id) if self.lesson else None
        return module.id if module else ""


def bookmark(*, session: Session, catalog: Catalog, learner: LearnerRef) -> Bookmark:
    """The learner's course and next lesson; raises NotEnrolled."""
    return Bookmark(active_course(catalog=catalog, learner=learner),
                    current_lesson(session=session, catalog=catalog, learner=learner))


def active_course(*, catalog: Catalog, learner: HasActiveCourse) -> Course:
    if learner.active_course is None or learner.active_course not in catalog.courses:
        raise NotEnrolled()
    return catalog.courses[learner.active_course]


def find_lesson(course: Course, lesson_id: str) -> Lesson:
    lesson = course.lessons.get(lesson_id)
    if lesson is None:
        raise StaleReference(f"lesson {lesson_id}")
    return lesson


def current_lesson(*, session: Session, catalog: Catalog, learner: LearnerRef) -> Lesson | None:
    """The lesson to read next, or None when the course is finished."""
    course = active_course(catalog=catalog, learner=learner)
    return next_unread_lesson(session=session, course=course, learner_id=stored_id(learner))


def next_unread_lesson(*, session: Session, course: Course, learner_id: int) -> Lesson | None:
    """`current_lesson` for a caller that knows the course and the learner's id (no row needed)."""
    enrolled, next_lesson_id = crud.get_next_lesson_id(session=session, learner_id=learner_id, course_id=course.id)
    if not enrolled or next_lesson_id is None:
        return None
    if next_lesson_id in course.lessons:
        return course.lessons[next_lesson_id]
    # The instructor removed that lesson: resume at the first lesson not yet done.
    done = crud.list_completed_lesson_ids(session=session, learner_id=learner_id, course_id=course.id)
    return next((lesson for lesson in course.lessons_in_order() if lesson.id not in done), None)


def complete_lesson(
    *, session: Session, catalog: Catalog, learner: LearnerRef, lesson_id: str, now: datetime
) -> LessonStep:
    """Record the lesson as done (once) and move the bookmark past it (plain statements: a row or a snapshot)."""
    course = active_course(catalog=catalog, learner=learner)
    lesson = find_lesson(course, lesson_id)
    learner_id = stored_id(learner)
    newly = crud.insert_lesson_completion_once(session=session, learner_id=learner_id, course_id=course.id,
                                               lesson_id=lesson.id, completed_at=now)
    following = course.next_lesson(lesson.id)
    enrolled, bookmark = crud.get_next_lesson_id(session=session, learner_id=learner_id, course_id=course.id)
    if enrolled and not _is_after(course, bookmark, lesson):
        # The bookmark is the first lesson not read yet: a lesson read out of order (/lessons jumps anywhere)
        # does not skip the ones before it, nor finish the course early.
        done = crud.list_completed_lesson_ids(session=session, learner_id=learner_id, course_id=course.id)
        unread = next((item for item in course.lessons_in_order() if item.id not in done), None)
        if (unread.id if unread else None) != bookmark:
            crud.set_next_lesson_id(session=session, learner_id=learner_id, course_id=course.id,
                                    lesson_id=unread.id if unread else None)
    return LessonStep(completed=lesson, next_lesson=following, newly_completed=newly)


def _is_after(course: Course, bookmark: str | None, lesson: Lesson) -> bool:
    """True when the bookmark is already past `lesson`: re-reading never moves it back."""
    order = [item.id for item in course.lessons_in_order()]
    if bookmark is None:
        return True
    if bookmark not in order:
        return False
    return order.index(bookmark) > order.index(lesson.id)
