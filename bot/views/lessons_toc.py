"""The table of contents: modules, then a module's lessons, as buttons that jump there (✅ read)."""

from __future__ import annotations

from bot.callbacks import LessonPage, LessonsToc, Menu
from bot.content import Course
from bot.i18n import label, t
from bot.views.base import View, keyboard

__all__ = ["modules_view", "module_lessons_view"]

_LABEL_CHARS = 60


def modules_view(lang: str, course: Course, read: frozenset[str]) -> View:
    rows = []
    for module in course.modules:
        done = sum(1 for lesson_id in module.lessons if lesson_id in read)
        mark = "✅ " if done == len(module.lessons) else ""
        rows.append([(f"{mark}{module.title} ({done}/{len(module.lessons)})"[:_LABEL_CHARS],
                      LessonsToc(module.id).encode())])
    rows.append([(label(lang, "btn_menu"), Menu().encode())])
    total = sum(len(m.lessons) for m in course.modules)
    done = sum(1 for m in course.modules for lesson_id in m.lessons if lesson_id in read)
    return View(t(lang, "lessons_toc", course=course.title, done=done, total=total), keyboard(rows))


def module_lessons_view(lang: str, course: Course, module_id: str, read: frozenset[str]) -> View | None:
    module = next((m for m in course.modules if m.id == module_id), None)
    if module is None:
        return None
    rows = []
    for lesson_id in module.lessons:
        lesson = course.lessons.get(lesson_id)
        if lesson is not None:
            mark = "✅ " if lesson_id in read else ""
            rows.append([(f"{mark}{lesson.title}"[:_LABEL_CHARS], LessonPage(lesson.id).encode())])
    rows.append([(label(lang, "btn_toc"), LessonsToc().encode()), (label(lang, "btn_menu"), Menu().encode())])
    done = sum(1 for lesson_id in module.lessons if lesson_id in read)
    return View(t(lang, "lessons_toc_module", module=module.title, done=done, total=len(module.lessons)),
                keyboard(rows))
