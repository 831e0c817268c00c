"""The main menu and the course list."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from bot.callbacks import (
    ChooseCourse,
    Exercises,
    Help,
    Lab,
    LessonPage,
    LessonsToc,
    Progress,
    QuizModule,
    SettingsAction,
)
from bot.content import Course
from bot.i18n import label, t
from bot.services.journey import Bookmark
from bot.views.base import View, keyboard

__all__ = ["courses_view", "menu_view"]


def menu_view(lang: str, place: Bookmark, *, greeting: str | None = None, lab: bool = True) -> View:
    """The menu, under a greeting when there is one: one message, not two. A bot that only teaches (`lab`
    False) offers no lab and no exercises."""
    course, lesson = place.course, place.lesson
    rows = [
        [(label(lang, "btn_continue", title=lesson.title), LessonPage(lesson.id, 0).encode())] if lesson else [],
        [(label(lang, "btn_quiz"), QuizModule(place.module_id).encode()),
         (label(lang, "btn_toc"), LessonsToc().encode())],
        [(label(lang, "btn_lab"), Lab().encode()), (label(lang, "btn_exercises"), Exercises().encode()),
         (label(lang, "btn_progress"), Progress().encode())] if lab else [(label(lang, "btn_progress"),
                                                                           Progress().encode())],
        [(label(lang, "btn_settings"), SettingsAction().encode()), (label(lang, "btn_help"), Help().encode())],
    ]
    heading = t(lang, "menu", course=course.title) if lesson else t(lang, "course_finished", course=course.title)
    return View(f"{greeting}\n\n{heading}" if greeting else heading, keyboard(rows))


def courses_view(lang: str, courses: Iterable[Course]) -> View:
    courses = list(courses)
    if not courses:
        return View(t(lang, "no_courses"))
    lines = [t(lang, "choose_course")]
    lines += [f"\n<b>{escape(c.title)}</b>\n{escape(c.description)}\n"
              + t(lang, "course_language", language=label(lang, f"lang_{c.language}")) for c in courses]
    if any(c.language != lang for c in courses):  # an English learner before a French course: say it plainly
        lines.append("\n" + t(lang, "course_in_another_language"))
    return View("\n".join(lines), keyboard([[(c.title[:60], ChooseCourse(c.id).encode())] for c in courses]))
