"""A lesson page with its Suivant / Exercice / Quiz / Menu buttons."""

from __future__ import annotations

from bot.callbacks import FinishLesson, LessonPage, Menu, OpenExercise, QuizModule
from bot.content import Course, Lesson, render_lesson_pages
from bot.i18n import label
from bot.views.base import View, keyboard

__all__ = ["LessonPages", "lesson_page"]


class LessonPages:
    """Rendered pages, cached per lesson: rendering Markdown on every press is wasted work."""

    def __init__(self) -> None:
        self._pages: dict[tuple[str, str], list[str]] = {}

    def of(self, course: Course, lesson: Lesson) -> list[str]:
        key = (course.id, lesson.id)
        if key not in self._pages:
            self._pages[key] = render_lesson_pages(lesson)
        return self._pages[key]


def lesson_page(pages: LessonPages, lang: str, course: Course, lesson: Lesson, page: int) -> View:
    """Page `page` of the lesson (clamped), with a button to the next page or what follows the lesson."""
    texts = pages.of(course, lesson)
    page = max(0, min(page, len(texts) - 1))
    module = course.module_of(lesson.id)
    if page < len(texts) - 1:
        rows = [[(label(lang, "btn_next_page", page=page + 2, total=len(texts)),
                  LessonPage(lesson.id, page + 1).encode())],
                [(label(lang, "btn_menu"), Menu().encode())]]
    else:
        rows = [
            [(label(lang, "btn_next"), FinishLesson(lesson.id).encode())],
            [(label(lang, "btn_exercise"), OpenExercise(lesson.exercise).encode())] if lesson.exercise else [],
            [(label(lang, "btn_quiz"), QuizModule(module.id).encode()), (label(lang, "btn_menu"), Menu().encode())],
        ]
    return View(texts[page], keyboard(rows))
