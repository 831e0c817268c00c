"""Exercises in the chat: open one, get hints, check it (automatically after each lab action)."""

from __future__ import annotations

import logging
from html import escape

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import callbacks
from bot.content import render_markdown
from bot.context import BotContext
from bot.handlers.common import PRIVATE, acknowledge, drop_buttons, keyboard, learner_scope, reply
from bot.i18n import label, t
from bot.services import exercises, journey
from bot.services.errors import NotEnrolled, StaleReference
from bot.services.exercises import CheckReport

__all__ = ["check_after_lab_action", "handlers"]

log = logging.getLogger(__name__)


def _runner(context: BotContext, learner_id: int):  # noqa: ANN202
    sandbox = context.services.sandbox

    async def run(command: str) -> tuple[int, str]:
        result = await sandbox.run_internal(learner_id=learner_id, command=command, timeout=20)
        return result.exit_code, result.output

    return run


def exercise_text(lang: str, exercise) -> str:  # noqa: ANN001
    parts = [t(lang, "exercise_heading", title=exercise.title), render_markdown(exercise.goal)]
    if exercise.steps:
        parts.append(t(lang, "exercise_steps"))
        parts += [f"{i}. {render_markdown(step)}" for i, step in enumerate(exercise.steps, 1)]
    if exercise.adaptation:
        parts.append(t(lang, "exercise_adaptation") + " " + render_markdown(exercise.adaptation))
    parts.append(t(lang, "exercise_how"))
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def exercise_buttons(lang: str, exercise_id: str, hint: int = 0):  # noqa: ANN201
    return keyboard([
        [(label(lang, "btn_check"), "chk"), (label(lang, "btn_hint"), callbacks.encode("hint", exercise_id, hint))],
        [(label(lang, "btn_leave_exercise"), "exq"), (label(lang, "btn_menu"), "menu")],
    ])


async def open_exercise(update: Update, context: BotContext) -> None:
    """Open an exercise (button `ex:<id>` or `/exercise <id>`), preparing its files in the lab."""
    query = update.callback_query
    exercise_id = callbacks.parse(query.data).arg(0) if query else (context.args[0] if context.args else "")
    services = context.services
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=services.catalog, learner=scope.learner)
            if not exercise_id:
                await reply(update, context, _exercise_list(scope.lang, course))
                return
            exercise = exercises.open_exercise(session=scope.session, course=course, learner=scope.learner,
                                               exercise_id=exercise_id[:64])
        except (NotEnrolled, StaleReference):
            if query:
                await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            else:
                await reply(update, context, t(scope.lang, "unknown_exercise", id=exercise_id))
            return
        learner_id, lang = scope.learner.id, scope.lang
    if query:
        await acknowledge(update)
        await drop_buttons(update)
    await reply(update, context, exercise_text(lang, exercise), exercise_buttons(lang, exercise.id))
    if exercise.setup and services.sandbox is not None:
        context.application.create_task(_setup(update, context, learner_id, exercise, lang), update=update,
                                        name="exercise-setup")


async def _setup(update: Update, context: BotContext, learner_id: int, exercise, lang: str) -> None:  # noqa: ANN001
    from sandbox.errors import SandboxError

    sandbox = context.services.sandbox
    try:
        if exercise.setup.files:
            await sandbox.write_files(learner_id=learner_id,
                                      files={name: body.encode() for name, body in exercise.setup.files.items()})
        for command in exercise.setup.commands:
            await sandbox.run_internal(learner_id=learner_id, command=command, timeout=120)
    except SandboxError as exc:
        log.warning("exercise %s setup failed for learner %s: %s", exercise.id, learner_id, exc)
        await reply(update, context, t(lang, "lab_unavailable"))
        return
    if exercise.setup.files:
        await reply(update, context, t(lang, "exercise_files_ready", files=", ".join(sorted(exercise.setup.files))))


def _exercise_list(lang: str, course) -> str:  # noqa: ANN001
    lines = [t(lang, "exercise_list")]
    for module in course.modules:
        for exercise_id in module.exercises:
            exercise = course.exercise(exercise_id)
            if exercise is not None:
                lines.append(f"• <code>/exercise {escape(exercise.id)}</code> · {escape(exercise.title)}")
    return "\n".join(lines)


def render_report(lang: str, report: CheckReport) -> str:
    lines = [t(lang, "check_heading", title=report.exercise.title, passed=report.passed, total=len(report.outcomes))]
    lines += [("✅ " if o.passed else "▫️ ") + escape(o.description) for o in report.outcomes]
    if report.all_passed:
        lines.append("\n" + t(lang, "exercise_done"))
    elif report.first_failure is not None:
        lines.append("\n" + t(lang, "check_hint", hint=report.first_failure.hint))
    return "\n".join(lines)


async def run_checks(update: Update, context: BotContext, *, quiet_when_unchanged: bool = False) -> None:
    services = context.services
    if services.sandbox is None:
        with learner_scope(context, update.effective_user) as scope:
            await reply(update, context, t(scope.lang, "lab_unavailable"))
        return
    from sandbox.errors import SandboxError

    with learner_scope(context, update.effective_user) as scope:
        lang = scope.lang
        if scope.learner.active_exercise is None:
            if not quiet_when_unchanged:
                await reply(update, context, t(lang, "no_active_exercise"))
            return
        try:
            course = journey.active_course(catalog=services.catalog, learner=scope.learner)
            exercise = exercises.find_exercise(course, scope.learner.active_exercise)
            report = await exercises.check_exercise(
                session=scope.session, course=course, learner=scope.learner, exercise=exercise,
                run=_runner(context, scope.learner.id), now=scope.now,
            )
        except (NotEnrolled, StaleReference):
            exercises.close_exercise(session=scope.session, learner=scope.learner)
            return
        except SandboxError:
            await reply(update, context, t(lang, "lab_unavailable"))
            return
        if report.all_passed:
            exercises.close_exercise(session=scope.session, learner=scope.learner)
    markup = None if report.all_passed else exercise_buttons(lang, exercise.id)
    await reply(update, context, render_report(lang, report), markup)


async def check_command(update: Update, context: BotContext) -> None:
    """Check the open exercise (/check or the Vérifier button)."""
    if update.callback_query:
        await acknowledge(update)
        await drop_buttons(update)
    await run_checks(update, context)


async def check_after_lab_action(update: Update, context: BotContext) -> None:
    """After each command or build, check the open exercise (silent when none is open)."""
    await run_checks(update, context, quiet_when_unchanged=True)


async def show_hint(update: Update, context: BotContext) -> None:
    """Show the next hint of the exercise (button `hint:<id>:<n>`)."""
    query = update.callback_query
    data = callbacks.parse(query.data)
    with learner_scope(context, update.effective_user) as scope:
        try:
            course = journey.active_course(catalog=context.services.catalog, learner=scope.learner)
            exercise = exercises.find_exercise(course, data.arg(0))
            index = int(data.arg(1, "0"))
        except (NotEnrolled, StaleReference, ValueError):
            await acknowledge(update, t(scope.lang, "stale_button"), alert=True)
            return
        await acknowledge(update)
        await drop_buttons(update)
        hints = list(exercise.hints) or [t(scope.lang, "no_hint")]
        hint = hints[index % len(hints)]
        await reply(update, context, "💡 " + render_markdown(hint),
                    exercise_buttons(scope.lang, exercise.id, (index + 1) % len(hints)))


async def leave_exercise(update: Update, context: BotContext) -> None:
    """Close the open exercise (button `exq`)."""
    await acknowledge(update)
    await drop_buttons(update)
    with learner_scope(context, update.effective_user) as scope:
        exercises.close_exercise(session=scope.session, learner=scope.learner)
        await reply(update, context, t(scope.lang, "exercise_left"))


def handlers() -> list:
    private = PRIVATE
    return [
        CommandHandler(["exercise", "exercice"], open_exercise, filters=private),
        CommandHandler(["check", "verifier"], check_command, filters=private),
        CallbackQueryHandler(open_exercise, pattern=r"^ex:"),
        CallbackQueryHandler(check_command, pattern=r"^chk$"),
        CallbackQueryHandler(show_hint, pattern=r"^hint:"),
        CallbackQueryHandler(leave_exercise, pattern=r"^exq$"),
    ]
