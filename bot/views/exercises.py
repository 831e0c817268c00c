"""An exercise in the chat: its statement, its buttons, the list of exercises, a check report."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.callbacks import CheckExercise, LeaveExercise, Menu, OpenExercise, ShowHint
from bot.content import Course, Exercise, render_markdown
from bot.i18n import Raw, label, t
from bot.services.exercise_checks import FailureReason
from bot.services.exercises import CheckReport
from bot.views.base import keyboard

__all__ = ["exercise_buttons", "exercise_list", "exercise_text", "hint_text", "reason_text", "report_text"]


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


def hint_text(lang: str, exercise: Exercise, index: int, report: CheckReport | None = None) -> tuple[str, int]:
    """The hint for where the learner stands (the first failing check's, when the checks ran), then the
    exercise's hint number `index` (wrapping around) as another lead; and the number of the next one."""
    hints = list(exercise.hints) or [t(lang, "no_hint")]
    general = "💡 " + render_markdown(hints[index % len(hints)])
    following = (index + 1) % len(hints)
    if report is None or report.all_passed or not report.next_hint:
        return general, following
    failing = report.first_failure
    reason = failing.reason if failing is not None else None
    hint = reason_text(lang, reason) if reason is not None and reason.next_step else render_markdown(report.next_hint)
    text = t(lang, "hint_for_check", check=Raw(render_markdown(failing.description if failing else "")),
             hint=Raw(hint))
    if reason is not None and not reason.next_step:  # why first, then what to do
        text = reason_text(lang, reason) + "\n\n" + text
    if report.next_hint not in hints:
        text += "\n\n" + t(lang, "hint_other_lead", hint=Raw(render_markdown(hints[index % len(hints)])))
    return text, following


def exercise_list(lang: str, course: Course, completed: frozenset[str] = frozenset()) -> tuple[str, InlineKeyboardMarkup]:
    """The course's exercises as buttons (a tap opens one), ✅ on those completed, in module order."""
    rows, total, done = [], 0, 0
    for module in course.modules:
        for exercise_id in module.exercises:
            exercise = course.exercise(exercise_id)
            if exercise is not None:
                total += 1
                done += exercise.id in completed
                mark = "✅ " if exercise.id in completed else ""
                rows.append([(f"{mark}{exercise.title}"[:60], OpenExercise(exercise.id).encode())])
    rows.append([(label(lang, "btn_menu"), Menu().encode())])
    return t(lang, "exercise_list_count", done=done, total=total), keyboard(rows)


def reason_text(lang: str, reason: FailureReason) -> str:
    """Why the first failing check failed, when the workspace told (bot/services/check_reasons.py)."""
    return t(lang, f"check_reason_{reason.code}", **reason.values)


def report_text(lang: str, report: CheckReport) -> str:
    """Each check ✅ or ▫️, then the celebration (every check passes) or the next step: the first failing check."""
    lines = [t(lang, "check_heading", title=report.exercise.title, passed=report.passed, total=len(report.outcomes))]
    lines += [("✅ " if o.passed else "▫️ ") + render_markdown(o.description) for o in report.outcomes]
    if report.all_passed:
        lines.append("\n" + t(lang, "exercise_done"))
        return "\n".join(lines)
    hint, failing = report.next_hint, report.first_failure
    reason = failing.reason if failing is not None else None
    if reason is not None and reason.next_step:
        lines.append("\n" + t(lang, "check_hint", hint=Raw(reason_text(lang, reason))))
        return "\n".join(lines)
    if reason is not None:
        lines.append("\n" + reason_text(lang, reason))
    if report.repeats_a_failure and report.last_attempt is not None:
        lines.append("\n" + t(lang, "check_fix_last", command=report.last_attempt.text[:200]))
    elif hint:
        lines.append("\n" + t(lang, "check_hint", hint=Raw(render_markdown(hint))))
    return "\n".join(lines)
