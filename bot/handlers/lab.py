"""The Docker lab from the chat: /run, terminal mode, Dockerfiles as text, files or archives.

Lab work runs as a background task so the learner's chat is not locked while a command
runs; the sandbox itself queues a learner's commands one at a time. What runs and what is
recorded is decided in bot/services/lab_work.py; what the learner reads, in bot/views/lab.py.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING

from telegram import Document, InputFile, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.feedback import review_dockerfile_async
from bot.handlers.build_progress import ProgressEditor
from bot.handlers.common import PRIVATE, LearnerSnapshot, learner, reply
from bot.handlers.exercises import check_after_lab_action
from bot.handlers.free_text import answer_free_text
from bot.handlers.lab_running import StillRunning
from bot.i18n import t
from bot.services import exercises, lab
from bot.services.check_traffic import without_check_requests
from bot.services.lab import LabRefusal
from bot.services.lab_work import (
    LabWork,
    Queued,
    archive_label,
    from_archive,
    from_dockerfile,
    requested_tag,
)
from bot.services.learners import update_learner
from bot.services.plain_commands import as_command, normalise_typed
from bot.services.terminal_shell import in_terminal
from bot.views.feedback import render_diagnosis_html, render_review_html
from bot.views.lab import (
    build_end_text,
    build_summary,
    command_output,
    lesson_buttons,
    lesson_link,
    needs_full_log,
    refusal_text,
)
from bot.views.lab_running import after_stop_text

if TYPE_CHECKING:
    pass

__all__ = ["handlers"]

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")


async def run_command(update: Update, context: BotContext) -> None:
    """Run `/run <command>` in the learner's workspace."""
    text = normalise_typed((update.effective_message.text or "").partition(" ")[2])
    me = await learner(update, context)
    lang = me.lang
    if not text:
        await reply(update, context, t(lang, "run_usage"))
        return
    _lab_action(update, context, me, _command(update, context, text, me))


async def toggle_terminal(update: Update, context: BotContext) -> None:
    """`/terminal [on|off]`: in terminal mode every plain message is a command."""
    wanted = (context.args[0].lower() if context.args else "")
    me = await learner(update, context)
    on = {"on": True, "off": False}.get(wanted, not me.terminal_mode)
    await context.services.db.as_learner(
        me.id, lambda session, row: update_learner(session=session, learner=row, terminal_mode=on) and None)
    await reply(update, context, t(me.lang, "terminal_on" if on else "terminal_off"))


async def plain_text(update: Update, context: BotContext) -> None:
    """A Dockerfile pasted as text is built; a message that is a command (`docker ps`) runs, as with /run;
    in terminal mode, any text is a command."""
    text = update.effective_message.text or ""
    me = await learner(update, context)
    terminal = me.terminal_mode
    command = normalise_typed(text) if terminal else as_command(text)
    if lab.looks_like_dockerfile(text):
        _lab_action(update, context, me, _build_dockerfile(update, context, text, me))
    elif command:
        _lab_action(update, context, me, _command(update, context, command, me, terminal=terminal))
    else:
        await answer_free_text(update, context, me, text)


async def build_command(update: Update, context: BotContext) -> None:
    """`/build [-t name]` followed by a Dockerfile on the next lines."""
    first, _, text = (update.effective_message.text or "").partition("\n")
    tag = requested_tag(first)
    me = await learner(update, context)
    lang = me.lang
    if not text.strip():
        await reply(update, context, t(lang, "build_usage"))
        return
    _lab_action(update, context, me, _build_dockerfile(update, context, text, me, tag))


async def document(update: Update, context: BotContext) -> None:
    """A `Dockerfile` document, or a .zip/.tar.gz build context with a Dockerfile at its root."""
    doc: Document = update.effective_message.document
    name = (doc.file_name or "").strip()
    me = await learner(update, context)
    lang = me.lang
    lowered = name.lower()
    is_dockerfile = lowered == "dockerfile" or lowered.endswith(".dockerfile")
    if not is_dockerfile and not lowered.endswith(ARCHIVE_SUFFIXES):
        await reply(update, context, t(lang, "unsupported_file", name=name or "?"))
        return
    if doc.file_size and doc.file_size > MAX_UPLOAD_BYTES:
        await reply(update, context, t(lang, "file_too_big", limit=MAX_UPLOAD_BYTES // (1024 * 1024)))
        return
    data = bytes(await (await doc.get_file()).download_as_bytearray())
    if is_dockerfile:
        text = data.decode("utf-8", errors="replace")
        _lab_action(update, context, me, _build_dockerfile(update, context, text, me))
    else:
        _lab_action(update, context, me, _build_archive(update, context, name, data, me))


def _lab_action(update: Update, context: BotContext, me: LearnerSnapshot,
                coroutine: Coroutine[object, object, bool]) -> None:
    """Run lab work as a task, then check the open exercise (once after commands sent in a row: see
    bot/services/check_turns.py); its errors reach bot/handlers/errors.py with the update."""
    turns = context.services.check_turns
    ticket = turns.begin(me.id)

    async def act() -> None:
        try:
            await turns.wait_for_checks(me.id)
            changed_lab = await coroutine
        except BaseException:
            turns.abandon(ticket)
            raise
        await check_after_lab_action(update, context, ticket, changed_lab=changed_lab)

    context.application.create_task(act(), update=update, name="lab")


def _lab(context: BotContext) -> LabWork:
    services = context.services
    return LabWork(sandbox=services.sandbox, db=services.db, clock=services.clock)


async def _command(update: Update, context: BotContext, command: str, me: LearnerSnapshot, *,
                   terminal: bool = False) -> bool:
    lang, work = me.lang, _lab(context)
    worker = await work.worker(me.id)
    if not lab.needs_tty(command):
        await context.bot.send_chat_action(chat_id=update.effective_chat.id, action="typing")
    notice = StillRunning(update, context, lang, command).start()
    try:
        outcome = await work.command(worker, command, on_queued=_queued_notice(update, context, lang),
                                     shell=in_terminal(command) if terminal else None)
    finally:
        await notice.stop()
    if isinstance(outcome, LabRefusal):
        await reply(update, context, refusal_text(lang, outcome, command=command))
        return False
    text = command_output(lang, command, outcome)
    if outcome.cancelled or outcome.timed_out:
        containers = await lab.running_containers(sandbox=context.services.sandbox, learner_id=me.id)
        text += "\n" + (after_stop_text(lang, outcome, containers) or "")
    await reply(update, context, text)
    diagnosis = await work.explain(worker, command, outcome)
    if diagnosis is not None:
        link = lesson_link(context.services.catalog, worker.course_id)
        await reply(update, context, render_diagnosis_html(lang, diagnosis, lesson_link=link, command=True),
                    lesson_buttons(context.services.catalog, worker.course_id, [diagnosis.topic]))
    if needs_full_log(outcome.output):
        await _send_log(update, context, without_check_requests(outcome.output)[0], t(lang, "output_file"),
                        t(lang, "full_log"))
    return worker.exercise_id is not None


async def _build_dockerfile(update: Update, context: BotContext, text: str, me: LearnerSnapshot,
                            tag: str | None = None) -> bool:
    # The Dockerfile itself is the recorded input: the exercise checks read the last one built.
    return await _build(update, context, me, text, from_dockerfile(text), tag)


async def _build_archive(update: Update, context: BotContext, name: str, data: bytes, me: LearnerSnapshot) -> bool:
    return await _build(update, context, me, archive_label(name, len(data)), from_archive(name, data))


async def _build(update: Update, context: BotContext, me: LearnerSnapshot, label: str,
                 make_context: Callable, requested: str | None = None) -> bool:
    lang, work = me.lang, _lab(context)
    worker = await work.worker(me.id)
    build_context = await work.build_context(worker, label, make_context)
    if isinstance(build_context, LabRefusal):
        await reply(update, context, refusal_text(lang, build_context))
        return False
    exercise_image = exercises.exercise_image(context.services.catalog, worker.course_id, worker.exercise_id)
    tag, why = await work.image_tag(worker, requested=requested, exercise_image=exercise_image,
                                    own_stem=t(lang, "lab_own_image_stem"))
    status = await reply(update, context, t(lang, "build_started_as", tag=tag) + "\n" + t(lang, f"build_tag_{why}"))
    progress = ProgressEditor(status, lang)
    outcome = await work.build(worker, label, build_context, tag=tag, on_progress=progress.update,
                               on_queued=_queued_notice(update, context, lang))
    if isinstance(outcome, LabRefusal):
        await reply(update, context, refusal_text(lang, outcome))
        return False
    result = outcome.result
    await progress.finish(build_end_text(lang, result.ok, progress.latest))
    link = lesson_link(context.services.catalog, worker.course_id)
    if outcome.diagnosis is not None:
        await reply(update, context, render_diagnosis_html(lang, outcome.diagnosis, lesson_link=link),
                    lesson_buttons(context.services.catalog, worker.course_id, [outcome.diagnosis.topic]))
    else:
        await reply(update, context, build_summary(lang, result, tag, outcome.dockerfile, outcome.host_port))
    if outcome.dockerfile:
        review = await review_dockerfile_async(outcome.dockerfile)
        await reply(update, context, render_review_html(lang, review, lesson_link=link),
                    lesson_buttons(context.services.catalog, worker.course_id, review.topics))
    if needs_full_log(result.log) or not result.ok:
        await _send_log(update, context, result.log, t(lang, "build_log_file"), t(lang, "full_log"))
    return worker.exercise_id is not None


async def _send_log(update: Update, context: BotContext, text: str, filename: str, caption: str) -> None:
    await context.bot.send_document(
        chat_id=update.effective_chat.id, document=InputFile(text.encode("utf-8"), filename=filename), caption=caption
    )


def _queued_notice(update: Update, context: BotContext, lang: str) -> Queued:
    async def notify(position: int, reason: str = "busy") -> None:
        await reply(update, context, t(lang, "queued" if reason == "busy" else "lab_full_queued", position=position))

    return notify


def handlers() -> list[BaseHandler]:
    private = PRIVATE
    return [
        CommandHandler("run", run_command, filters=private),
        CommandHandler("terminal", toggle_terminal, filters=private),
        CommandHandler("build", build_command, filters=private),
        MessageHandler(filters.Document.ALL & private, document),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & filters.UpdateType.MESSAGE, plain_text),
    ]
