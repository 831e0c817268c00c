"""Instructors' pickers as buttons: which class, which lesson (module, then lesson, ✅ had), which day, and the
class's scheduled announcements with Cancel / Change the time."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.callbacks import ClassChoose, DayPicked, LessonPick, LessonPicked, PostCancel, PostMove
from bot.content import Course
from bot.i18n import Raw, label, t
from bot.services.class_pickers import QuickDay, ScheduledAnnouncement
from bot.services.zone_names import zone_label
from bot.views.base import View, keyboard

__all__ = ["class_choice_view", "days_rows", "lesson_rows", "lessons_view", "modules_view", "scheduled_view"]

_LABEL_CHARS = 60


def class_choice_view(lang: str, choices: tuple[tuple[int, str], ...], *, then: str = "",
                      chosen: int | None = None) -> View:
    """"Which class?": one button per class (🎯 the one chosen now)."""
    rows = [[(f"{'🎯 ' if class_id == chosen else ''}{name} (#{class_id})"[:_LABEL_CHARS],
              ClassChoose(class_id, then).encode())] for class_id, name in choices]
    return View(t(lang, "taps_which_class"), keyboard(rows))


def lesson_rows(lang: str, course: Course, *, class_id: int, purpose: str, lesson_ids: list[str],
                had: frozenset[str]) -> list[list[tuple[str, str]]]:
    return [[(f"{'✅ ' if lesson_id in had else ''}{course.lessons[lesson_id].title}"[:_LABEL_CHARS],
              LessonPicked(class_id, purpose, lesson_id).encode())]
            for lesson_id in lesson_ids if lesson_id in course.lessons]


def module_rows(course: Course, *, class_id: int, purpose: str, had: frozenset[str]) -> list[list[tuple[str, str]]]:
    rows = []
    for module in course.modules:
        done = sum(1 for lesson_id in module.lessons if lesson_id in had)
        mark = "✅ " if done == len(module.lessons) else ""
        rows.append([(f"{mark}{module.title} ({done}/{len(module.lessons)})"[:_LABEL_CHARS],
                      LessonPick(class_id, purpose, module.id).encode())])
    return rows


def modules_view(lang: str, course: Course, *, class_id: int, class_name: str, purpose: str,
                 had: frozenset[str]) -> View:
    """The course's modules: how many lessons of each the class has had."""
    return View(t(lang, f"taps_pick_module_{purpose}", name=class_name),
                keyboard(module_rows(course, class_id=class_id, purpose=purpose, had=had)))


def lessons_view(lang: str, course: Course, *, class_id: int, class_name: str, purpose: str, module_id: str,
                 had: frozenset[str]) -> View | None:
    """One module's lessons (✅ had), and the way back to the modules; None for a module the course lacks."""
    module = next((m for m in course.modules if m.id == module_id), None)
    if module is None:
        return None
    rows = lesson_rows(lang, course, class_id=class_id, purpose=purpose, lesson_ids=list(module.lessons), had=had)
    rows.append([(label(lang, "btn_taps_modules"), LessonPick(class_id, purpose).encode())])
    return View(t(lang, f"taps_pick_lesson_{purpose}", name=class_name, module=module.title), keyboard(rows))


def days_rows(lang: str, days: list[QuickDay], *, class_id: int, purpose: str, item: str) -> list[list[tuple[str, str]]]:
    """One button per quick day, with its date and the class's time."""
    return [[(label(lang, f"btn_taps_day_{q.kind}", when=q.due_at.astimezone(ZoneInfo(q.zone)).strftime("%d/%m %H:%M")),
              DayPicked(class_id, purpose, item, int(q.day.strftime("%Y%m%d"))).encode())] for q in days]


def scheduled_view(lang: str, *, class_name: str, zone: str, items: list[ScheduledAnnouncement]) -> View:
    """The class's scheduled announcements, each with ⏰ Change the time and 🗑 Cancel."""
    if not items:
        return View(t(lang, "taps_no_scheduled", name=class_name))
    lines = "\n".join(t(lang, "taps_scheduled_line", id=item.announcement_id, opening=item.opening,
                        when=item.due_at.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")) for item in items)
    rows = [[(label(lang, "btn_taps_move", id=item.announcement_id), PostMove(item.post_id).encode()),
             (label(lang, "btn_taps_cancel", id=item.announcement_id), PostCancel(item.post_id).encode())]
            for item in items]
    return View(t(lang, "taps_scheduled", name=class_name, timezone=zone_label(zone), lines=Raw(lines)), keyboard(rows))
