"""Exercises in the chat: open one, get hints, check it (automatically after each lab action)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler

from bot.callbacks import CheckExercise, Exercises, LeaveExercise, OpenExercise, ShowHint
from bot.content import Course, Exercise
from bot.context import BotContext
from bot.handlers.buttons import Press, on_press, press_handler, same_as_command
from bot.handlers.common import PRIVATE, learner, reply
from bot.i18n import t
from bot.services import exercises, journey
from bot.services.check_turns import Ticket
from bot.services.errors import NotEnrolled, StaleReference
from bot.services.lab import LabRefusal
from bot.views.exercises import (
    exercise_buttons,
    exercise_list,
    exercise_text,
    hint_text,
    report_text,
)
from bot.views.lab import refusal_text

__all__ = ["check_after_lab_action", "handlers"]

log = logging.getLogger(__name__)


async def exercise_command(update: Update, context: BotContext) -> None:
    """List the exercises (/exercise), or open one (/exercise <id>)."""
    exercise_id = context.args[0][:64] if context.args else ""
    me = await learner(update, context)
    try:
        course = journey.active_course(catalog=context.services.catalog, learner=me)
        if not exercise_id:
            completed = await context.services.db.run(lambda session: exercises.completed_exercises(
                session=session, learner_id=me.id, course_id=course.id))
            await reply(update, context, *exercise_list(me.lang, course, completed))
            return
        exercise = await _open(context, me.id, course, exercise_id)
    except NotEnrolled:
        await reply(update, context, t(me.lang, "not_enrolled"))
        return
    except StaleReference:
        await reply(update, context, t(me.lang, "unknown_exercise", id=exercise_id))
        return
    await _present(update, context, me.lang, me.id, exercise, reopened=me.active_exercise == exercise.id)


@on_press(OpenExercise)
async def exercise_button(update: Update, context: BotContext, press: Press[OpenExercise]) -> None:
    """Open the exercise whose button was pressed."""
    course = journey.active_course(catalog=context.services.catalog, learner=press.me)
    exercise = await _open(context, press.me.id, course, press.payload.exercise_id)
    await press.accept()
    await _present(update, context, press.me.lang, press.me.id, exercise,
                   reopened=press.me.active_exercise == exercise.id)


async def _open(context: BotContext, learner_id: int, course: Course, exercise_id: str) -> Exercise:
    return await context.services.db.as_learner(learner_id, lambda session, row: exercises.open_exercise(
        session=session, course=course, learner=row, exercise_id=exercise_id))


async def _present(update: Update, context: BotContext, lang: str, learner_id: int, exercise: Exercise, *,
                   reopened: bool = False) -> None:
    """Show the statement, and prepare the exercise's files in the lab in the background (not again when the
    learner reopens the exercise they are doing: their edits to those files stay)."""
    await reply(update, context, exercise_text(lang, exercise), exercise_buttons(lang, exercise.id))
    if exercise.setup and context.services.sandbox is not None and not reopened:
        context.application.create_task(_setup(update, context, learner_id, exercise, lang), update=update,
                                        name="exercise-setup")


async def _setup(update: Update, context: BotContext, learner_id: int, exercise: Exercise, lang: str) -> None:
    refusal = await exercises.prepare_workspace(sandbox=context.services.sandbox, learner_id=learner_id,
                                                exercise=exercise)
    if refusal is not None:
        log.warning("exercise %s setup failed for learner %s: %s", exercise.id, learner_id, refusal.log)
        await reply(update, context, refusal_text(lang, refusal))
    elif exercise.setup.files:
        await reply(update, context, t(lang, "exercise_files_ready", files=", ".join(sorted(exercise.setup.files))))


async def run_checks(update: Update, context: BotContext, *, after: Ticket | None = None) -> None:
    """Check the open exercise in the learner's workspace and report each check; `after` a lab action, silent
    when no exercise is open, and dropped when a newer action will check again (bot/services/check_turns.py)."""
    services = context.services
    me = await learner(update, context)
    lang, learner_id, open_exercise = me.lang, me.id, me.active_exercise
    if open_exercise is None:
        if after is None:
            await reply(update, context, t(lang, "no_active_exercise"))
        return
    if services.sandbox is None:
        await reply(update, context, t(lang, "lab_unavailable"))
        return
    sandbox = services.sandbox

    async def check() -> exercises.CheckReport | LabRefusal | None:
        return await exercises.check_open_exercise(db=services.db, catalog=services.catalog, sandbox=sandbox,
                                                   learner_id=learner_id, now=services.clock.now())

    async def deliver(report: exercises.CheckReport | LabRefusal | None) -> None:
        if report is None:
            return
        if isinstance(report, LabRefusal):
            await reply(update, context, refusal_text(lang, report))
            return
        markup = None if report.all_passed else exercise_buttons(lang, report.exercise.id)
        await reply(update, context, report_text(lang, report), markup)

    if after is None:
        async with services.check_turns.turn(learner_id):
            await deliver(await check())
    else:
        await services.check_turns.run_check(after, check, deliver=deliver, must_say=_completes)


def _completes(report: exercises.CheckReport | LabRefusal | None) -> bool:
    """A report that recorded the exercise as done is always sent (the exercise is closed by then)."""
    return isinstance(report, exercises.CheckReport) and report.newly_completed


async def check_command(update: Update, context: BotContext) -> None:
    """Check the open exercise (/check or the Vérifier button)."""
    await run_checks(update, context)


async def check_after_lab_action(update: Update, context: BotContext, ticket: Ticket, *, changed_lab: bool) -> None:
    """After a command or build (`changed_lab`: it ran with an exercise open), check the open exercise, once for
    commands sent in a row."""
    if context.services.check_turns.finish(ticket, changed_lab=changed_lab):
        await run_checks(update, context, after=ticket)


@on_press(ShowHint)
async def show_hint(update: Update, context: BotContext, press: Press[ShowHint]) -> None:
    """Show the next hint of the exercise."""
    lang, services = press.me.lang, context.services
    course = journey.active_course(catalog=services.catalog, learner=press.me)
    exercise = exercises.find_exercise(course, press.payload.exercise_id)
    await press.accept()
    report = None
    if press.me.active_exercise == exercise.id and services.sandbox is not None:  # the hint for where they stand
        async with services.check_turns.turn(press.me.id):
            checked = await exercises.check_open_exercise(db=services.db, catalog=services.catalog,
                                                          sandbox=services.sandbox, learner_id=press.me.id,
                                                          now=services.clock.now())
        report = checked if isinstance(checked, exercises.CheckReport) else None
    text, following = hint_text(lang, exercise, press.payload.index, report)
    await reply(update, context, text, exercise_buttons(lang, exercise.id, following))


@on_press(LeaveExercise)
async def leave_exercise(update: Update, context: BotContext, press: Press[LeaveExercise]) -> None:
    """Close the open exercise."""
    await press.accept()
    await context.services.db.as_learner(
        press.me.id, lambda session, row: exercises.close_exercise(session=session, learner=row))
    await reply(update, context, t(press.me.lang, "exercise_left"))


def handlers() -> list[BaseHandler]:
    private = PRIVATE
    return [
        CommandHandler(["exercise", "exercice"], exercise_command, filters=private),
        CommandHandler(["check", "verifier"], check_command, filters=private),
        press_handler(exercise_button),
        same_as_command(CheckExercise, check_command),
        same_as_command(Exercises, exercise_command),
        press_handler(show_hint),
        press_handler(leave_exercise),
    ]
