"""An exercise in the chat: its statement, its buttons, the list of exercises, a check report."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup

from bot.callbacks import CheckExercise, LeaveExercise, Menu, ShowHint
from bot.content import Course, Exercise, render_markdown
from bot.i18n import label, t
from bot.services.exercises import CheckReport
from bot.views.base import keyboard

__all__ = ["exercise_buttons", "exercise_list", "exercise_text", "hint_text", "report_text"]


def exercise_text(lang: str, exercise: Exercise) -> str:
    parts = [t(lang, "exercise_heading", title=exercise.title), render_markdown(exercise.goal)]
    if exercise.steps:
        parts.append(t(lang, "exercise_steps"))
        parts += [f"{i}. {render_markdown(step)}" for i, step in enumerate(exercise.steps, 1)]
    if exercise.adaptation:
        parts.append(t(lang, "exercise_adaptation") + " " + render_markdown(exercise.adaptation))
    parts.append(t(lang, "exercise_how"))
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def exercise_buttons(lang: str, exercise_id: str, hint: int = 0) -> InlineKeyboardMarkup:
    return keyboard([
        [(label(lang, "btn_check"), CheckExercise().encode()),
         (label(lang, "btn_hint"), ShowHint(exercise_id, hint).encode())],
        [(label(lang, "btn_leave_exercise"), LeaveExercise().encode()), (label(lang, "btn_menu"), Menu().encode())],
    ])


def hint_text(lang: str, exercise: Exercise, index: int) -> tuple[str, int]:
    """The hint number `index` (wrapping around) and the number of the next one."""
    hints = list(exercise.hints) or [t(lang, "no_hint")]
    return "💡 " + render_markdown(hints[index % len(hints)]), (index + 1) % len(hints)


def exercise_list(lang: str, course: Course) -> str:
    lines = [t(lang, "exercise_list")]
    for module in course.modules:
        for exercise_id in module.exercises:
            exercise = course.exercise(exercise_id)
            if exercise is not None:
                lines.append(f"• <code>/exercise {escape(exercise.id)}</code> · {escape(exercise.title)}")
    return "\n".join(lines)


def report_text(lang: str, report: CheckReport) -> str:
    lines = [t(lang, "check_heading", title=report.exercise.title, passed=report.passed, total=len(report.outcomes))]
    lines += [("✅ " if o.passed else "▫️ ") + escape(o.description) for o in report.outcomes]
    if report.all_passed:
        lines.append("\n" + t(lang, "exercise_done"))
    elif report.first_failure is not None:
        lines.append("\n" + t(lang, "check_hint", hint=report.first_failure.hint))
    return "\n".join(lines)
