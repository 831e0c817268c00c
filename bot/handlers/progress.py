"""/progress: lessons done, quiz accuracy per module, and the streak."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import Menu, Progress
from bot.context import BotContext
from bot.handlers.buttons import same_as_command
from bot.handlers.common import PRIVATE, enrolled_course, keyboard, learner, reply
from bot.i18n import Raw, label, t
from bot.services.progress import ProgressReport, progress_report

__all__ = ["handlers", "render_progress"]


def render_progress(lang: str, report: ProgressReport) -> str:
    days = report.streak_days
    streak = (t(lang, "progress_streak_none") if days == 0 else t(lang, "progress_streak_one") if days == 1
              else t(lang, "progress_streak_many", days=days))
    exercises_done = sum(m.exercises_done for m in report.modules)
    exercises_total = sum(m.exercises_total for m in report.modules)
    lines = [t(lang, "progress_heading", course=report.course_title),
             t(lang, "progress_summary", done=report.lessons_done, total=report.lessons_total, streak=Raw(streak),
               exercises=Raw(_exercises(lang, exercises_done, exercises_total))),
             ""]
    for module in report.modules:
        accuracy = (
            t(lang, "progress_quiz", correct=module.questions_correct, answered=module.questions_answered,
              percent=round(100 * module.questions_correct / module.questions_answered))
            if module.questions_answered else t(lang, "progress_quiz_none")
        )
        finished = module.lessons_done == module.lessons_total and module.exercises_done == module.exercises_total
        mark = "✅" if finished else "▫️"
        lines.append(f"{mark} <b>{t(lang, 'progress_module', title=module.title)}</b>")
        exercises = (" · " + _exercises(lang, module.exercises_done, module.exercises_total)
                     if module.exercises_total else "")
        lines.append(t(lang, "progress_lessons", done=module.lessons_done, total=module.lessons_total) + " · " + accuracy
                     + exercises)
    review = report.review
    lines.append("")
    if review.retention is None:
        lines.append(t(lang, "progress_review_none"))
    else:
        lines.append(t(lang, "progress_review", due=review.due, cards=review.cards,
                       retention=round(100 * review.retention)))
    if report.games.games:
        lines.append(t(lang, "progress_games", games=report.games.games, points=report.games.points,
                       rank=report.games.best_rank))
    return "\n".join(lines)


def _exercises(lang: str, done: int, total: int) -> str:
    return t(lang, "progress_exercises_one", done=done) if total == 1 else t(lang, "progress_exercises", done=done,
                                                                              total=total)


async def show_progress(update: Update, context: BotContext) -> None:
    """Show the learner's progress in their active course."""
    services = context.services
    me = await learner(update, context)
    course = await enrolled_course(update, context, me)
    if course is None:
        return
    now = services.clock.now()
    report = await services.db.as_learner(
        me.id, lambda session, row: progress_report(session=session, course=course, learner=row, now=now))
    await reply(update, context, render_progress(me.lang, report), keyboard([[(label(me.lang, "btn_menu"), Menu().encode())]]))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["progress", "progression"], show_progress, filters=PRIVATE),
        same_as_command(Progress, show_progress),
    ]
