"""The final exam's questions, with buttons that carry the attempt, the place and the shown order."""

from __future__ import annotations

from bot.callbacks import ExamAnswer, ExamRestart, ExamResume, ExamStart, LessonsToc
from bot.content import Course
from bot.i18n import label, t
from bot.views.base import View, keyboard
from bot.views.quiz import LETTERS, question_text

__all__ = ["exam_failed_view", "exam_in_progress_view", "exam_not_ready_view", "exam_question_view", "exam_restart_confirm_view"]


def exam_question_view(lang: str, course: Course, *, attempt_id: int, position: int, count: int, question,
                       order: tuple[int, ...]) -> View:
    heading = t(lang, "exam_heading", number=position + 1, count=count)
    wire = "".join(str(i) for i in order)
    buttons = [(LETTERS[pos], ExamAnswer(attempt_id, position, i, wire).encode()) for pos, i in enumerate(order)]
    rows = [buttons[i:i + 4] for i in range(0, len(buttons), 4)]
    return View(question_text(lang, course, question, order, heading=heading), keyboard(rows))


def exam_not_ready_view(lang: str, *, read: int, total: int, modules: int, questions: int) -> View:
    """The warning before an exam on lessons not read yet: start anyway, or back to the lessons."""
    return View(t(lang, "exam_not_ready", read=read, total=total, modules=modules, questions=questions),
                keyboard([[(label(lang, "btn_exam_start_anyway"), ExamStart().encode())],
                          [(label(lang, "btn_exam_back_to_lessons"), LessonsToc().encode())]]))


def exam_in_progress_view(lang: str, *, attempt_id: int, answered: int, count: int) -> View:
    """/exam while an exam is running: resume it (its question again) or start over (after a confirmation)."""
    return View(t(lang, "exam_in_progress", answered=answered, number=answered + 1, count=count),
                keyboard([[(label(lang, "btn_exam_resume"), ExamResume(attempt_id).encode())],
                          [(label(lang, "btn_exam_restart"), ExamRestart(attempt_id).encode())]]))


def exam_restart_confirm_view(lang: str, *, attempt_id: int, answered: int) -> View:
    return View(t(lang, "exam_restart_confirm", answered=answered),
                keyboard([[(label(lang, "btn_exam_restart_confirm"), ExamRestart(attempt_id, confirmed=True).encode())],
                          [(label(lang, "btn_exam_resume"), ExamResume(attempt_id).encode())]]))


def exam_failed_view(lang: str, course: Course, *, score: int, count: int, needed: int,
                     weakest: tuple[str, ...]) -> View:
    """A failed exam: the score, and the modules with the most misses as buttons to their lessons."""
    modules = [module for module_id in weakest if (module := course.module(module_id)) is not None]
    text = t(lang, "exam_failed_score", score=score, count=count, needed=needed)
    if not modules:
        return View(text + "\n" + t(lang, "exam_failed_retry"))
    text += "\n" + t(lang, "exam_failed_weakest") + "\n" + t(lang, "exam_failed_retry")
    return View(text, keyboard([[(f"📚 {module.title}"[:60], LessonsToc(module.id).encode())] for module in modules]))
