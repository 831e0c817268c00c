"""The Docker lab from the chat: /run, terminal mode, Dockerfiles as text, files or archives.

Lab work runs as a background task so the learner's chat is not locked while a command
runs; the sandbox itself queues a learner's commands one at a time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from html import escape

from telegram import Document, InputFile, Message, Update
from telegram.error import BadRequest, RetryAfter
from telegram.ext import CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.feedback import (
    explain_build_failure,
    render_diagnosis_html,
    render_review_html,
    review_dockerfile_async,
)
from bot.handlers.common import PRIVATE, learner_scope, reply
from bot.handlers.exercises import check_after_lab_action
from bot.i18n import t
from bot.services import lab
from bot.services.lab import LabRefusal

__all__ = ["handlers"]

log = logging.getLogger(__name__)

MESSAGE_OUTPUT_CHARS = 3000
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
PROGRESS_EDIT_SECONDS = 2.0
DEFAULT_TAG = "mon-image"
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz")


async def run_command(update: Update, context: BotContext) -> None:
    """Run `/run <command>` in the learner's workspace."""
    text = (update.effective_message.text or "").partition(" ")[2].strip()
    with learner_scope(context, update.effective_user) as scope:
        lang = scope.lang
    if not text:
        await reply(update, context, t(lang, "run_usage"))
        return
    _in_background(update, context, _command(update, context, text, lang))


async def toggle_terminal(update: Update, context: BotContext) -> None:
    """`/terminal [on|off]`: in terminal mode every plain message is a command."""
    wanted = (context.args[0].lower() if context.args else "")
    with learner_scope(context, update.effective_user) as scope:
        on = {"on": True, "off": False}.get(wanted, not scope.learner.terminal_mode)
        scope.learner.terminal_mode = on
        scope.session.add(scope.learner)
        await reply(update, context, t(scope.lang, "terminal_on" if on else "terminal_off"))


async def plain_text(update: Update, context: BotContext) -> None:
    """A Dockerfile pasted as text is built; in terminal mode, any text is a command."""
    text = update.effective_message.text or ""
    with learner_scope(context, update.effective_user) as scope:
        lang, terminal = scope.lang, scope.learner.terminal_mode
    if lab.looks_like_dockerfile(text):
        _in_background(update, context, _build_dockerfile(update, context, text, lang))
    elif terminal:
        _in_background(update, context, _command(update, context, text.strip(), lang))
    else:
        await reply(update, context, t(lang, "unexpected_text"))


async def build_command(update: Update, context: BotContext) -> None:
    """`/build` followed by a Dockerfile on the next lines."""
    text = (update.effective_message.text or "").partition("\n")[2]
    with learner_scope(context, update.effective_user) as scope:
        lang = scope.lang
    if not text.strip():
        await reply(update, context, t(lang, "build_usage"))
        return
    _in_background(update, context, _build_dockerfile(update, context, text, lang))


async def document(update: Update, context: BotContext) -> None:
    """A `Dockerfile` document, or a .zip/.tar.gz build context with a Dockerfile at its root."""
    doc: Document = update.effective_message.document
    name = (doc.file_name or "").strip()
    with learner_scope(context, update.effective_user) as scope:
        lang = scope.lang
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
        _in_background(update, context, _build_dockerfile(update, context, text, lang))
    else:
        _in_background(update, context, _build_archive(update, context, name, data, lang))


def _in_background(update: Update, context: BotContext, coroutine: Coroutine[object, object, None]) -> None:
    """Run lab work as a task; its errors reach bot/handlers/errors.py with the update."""
    context.application.create_task(coroutine, update=update, name="lab")


async def _command(update: Update, context: BotContext, command: str, lang: str) -> None:
    services = context.services
    chat_id, user = update.effective_chat.id, update.effective_user
    who = _who(context, user)
    if lab.needs_tty(command):
        await reply(update, context, t(lang, "needs_tty", command=command, alternative=lab.tty_free_alternative(command)))
        who.record(context, kind="command", text=command, status="rejected")
        return
    await context.bot.send_chat_action(chat_id=chat_id, action="typing")
    outcome = await lab.run_command(sandbox=services.sandbox, learner_id=who.learner_id, command=command,
                                    on_queued=_queued_notice(update, context, lang))
    if isinstance(outcome, LabRefusal):
        await _refusal(update, context, lang, outcome, kind="command", text=command, who=who)
        return
    who.record(context, kind="command", text=command, status=lab.command_status(outcome),
               exit_code=outcome.exit_code, duration_s=outcome.duration_s, output=outcome.output)
    await _send_output(update, context, lang, command, outcome)
    if who.exercise_id:
        await check_after_lab_action(update, context)


async def _send_output(update: Update, context: BotContext, lang: str, command: str, result) -> None:  # noqa: ANN001
    output = result.output.rstrip("\n")
    shown = output if len(output) <= MESSAGE_OUTPUT_CHARS else "…" + output[-MESSAGE_OUTPUT_CHARS:]
    lines = [f"<b>$</b> <code>{escape(command[:200])}</code>"]
    lines.append(f"<pre>{escape(shown)}</pre>" if shown.strip() else t(lang, "no_output"))
    if result.timed_out:
        lines.append(t(lang, "timed_out", seconds=round(result.duration_s)))
    elif result.oom_killed:
        lines.append(t(lang, "oom_killed"))
    status = "exit_ok" if result.exit_code == 0 else "exit_failed"
    lines.append(t(lang, status, code=result.exit_code, seconds=f"{result.duration_s:.1f}"))
    if result.truncated:
        lines.append(t(lang, "output_capped"))
    await reply(update, context, "\n".join(lines))
    if len(output) > MESSAGE_OUTPUT_CHARS:
        await _send_log(update, context, output, "sortie.txt", t(lang, "full_log"))


async def _send_log(update: Update, context: BotContext, text: str, filename: str, caption: str) -> None:
    await context.bot.send_document(
        chat_id=update.effective_chat.id, document=InputFile(text.encode("utf-8"), filename=filename), caption=caption
    )


async def _build_dockerfile(update: Update, context: BotContext, text: str, lang: str) -> None:
    from sandbox.build_context import BuildContext

    await _build(update, context, lang, text, lambda: BuildContext.from_dockerfile(text))  # the text is kept for checks


async def _build_archive(update: Update, context: BotContext, name: str, data: bytes, lang: str) -> None:
    from sandbox.build_context import BuildContext

    await _build(update, context, lang, f"[archive {name}, {len(data)} octets]", lambda: BuildContext.from_archive(name, data))


async def _build(update: Update, context: BotContext, lang: str, label: str, make_context) -> None:  # noqa: ANN001
    from sandbox.errors import InvalidBuildContext

    services = context.services
    who = _who(context, update.effective_user)
    try:
        build_context = make_context()
    except InvalidBuildContext as exc:
        await _refusal(update, context, lang, LabRefusal("bad_context", detail=str(exc)), kind="build",
                       text=label, who=who)
        return
    status = await reply(update, context, t(lang, "build_started"))
    progress = _ProgressEditor(status, lang)
    outcome = await lab.run_build(sandbox=services.sandbox, learner_id=who.learner_id, context=build_context,
                                  tag=DEFAULT_TAG, on_progress=progress.update, on_queued=_queued_notice(update, context, lang))
    if isinstance(outcome, LabRefusal):
        await _refusal(update, context, lang, outcome, kind="build", text=label, who=who)
        return
    who.record(context, kind="build", text=label, status="ok" if outcome.ok else "failed",
               duration_s=outcome.duration_s, output=outcome.log)
    await progress.finish(t(lang, "build_done_short" if outcome.ok else "build_failed_short"))
    dockerfile = getattr(build_context, "dockerfile", None)
    diagnosis = None if outcome.ok else explain_build_failure(outcome.log, dockerfile)
    link = _lesson_link(context, who.course_id)
    if diagnosis is not None:
        await reply(update, context, render_diagnosis_html(diagnosis, lesson_link=link))
    else:
        await reply(update, context, _build_summary(lang, outcome))
    if dockerfile:
        review = await review_dockerfile_async(dockerfile)
        await reply(update, context, render_review_html(review, lesson_link=link))
    if len(outcome.log) > MESSAGE_OUTPUT_CHARS or not outcome.ok:
        await _send_log(update, context, outcome.log, "build.txt", t(lang, "full_log"))
    if who.exercise_id:
        await check_after_lab_action(update, context)


def _lesson_link(context: BotContext, course_id: str | None):  # noqa: ANN202
    """Topic -> "title of the lesson that teaches it", from the course's feedback map."""
    courses = context.services.catalog.courses
    course = courses.get(course_id or "") or next(iter(courses.values()), None)  # not enrolled: the first course
    topics = getattr(course, "feedback_topics", None) or {}

    def link(topic: str) -> str | None:
        lesson = course.lessons.get(topics.get(topic, "")) if course else None
        return lesson.title if lesson else None

    return link


def _build_summary(lang: str, result) -> str:  # noqa: ANN001
    if result.ok:
        size = f"{result.image_size / 1_000_000:.1f} Mo" if result.image_size else "?"
        return t(lang, "build_ok", tag=result.tag or DEFAULT_TAG, image=(result.image_id or "")[:19],
                 size=size, seconds=f"{result.duration_s:.1f}")
    return t(lang, "build_failed", step=result.failed_step or "?", error=(result.error or "")[-1500:],
             seconds=f"{result.duration_s:.1f}")


class _ProgressEditor:
    """Edits one status message with the build's progress, at most every ~2 s."""

    def __init__(self, message: Message | None, lang: str) -> None:
        self.message, self.lang, self.last_edit, self.last_text = message, lang, 0.0, ""

    async def update(self, progress) -> None:  # noqa: ANN001 - sandbox.results.BuildProgress
        now = time.monotonic()
        if self.message is None or now - self.last_edit < PROGRESS_EDIT_SECONDS:
            return
        text = t(self.lang, "build_progress", step=progress.step, total=progress.total or "?", line=progress.line[:120])
        await self._edit(text)
        self.last_edit = now

    async def finish(self, text: str) -> None:
        await self._edit(text)

    async def _edit(self, text: str) -> None:
        if self.message is None or text == self.last_text:
            return
        try:
            await self.message.edit_text(text)
            self.last_text = text
        except (BadRequest, RetryAfter) as exc:  # progress is a courtesy: never fail the build for it
            log.debug("progress edit skipped: %s", exc)


def _queued_notice(update: Update, context: BotContext, lang: str):  # noqa: ANN202
    async def notify(position: int, reason: str = "busy") -> None:
        await reply(update, context, t(lang, "queued" if reason == "busy" else "lab_full_queued", position=position))

    return notify


async def _refusal(update: Update, context: BotContext, lang: str, refusal: LabRefusal, *, kind: str, text: str,
                   who: _Who) -> None:
    status = "unavailable" if refusal.reason in ("lab_unavailable", "lab_not_prepared", "lab_full") else "rejected"
    who.record(context, kind=kind, text=text, status=status, output=refusal.detail)
    await reply(update, context, t(lang, refusal.reason, detail=refusal.detail, position=refusal.position or "?"))


@dataclass(frozen=True)
class _Who:
    """The learner behind a lab action, and the exercise it counts for."""

    learner_id: int
    course_id: str | None
    exercise_id: str | None

    def record(self, context: BotContext, **fields) -> None:  # noqa: ANN003
        lab.record_attempt(engine=context.services.engine, learner_id=self.learner_id, course_id=self.course_id,
                           exercise_id=self.exercise_id, now=context.services.clock.now(), **fields)


def _who(context: BotContext, user) -> _Who:  # noqa: ANN001
    with learner_scope(context, user) as scope:
        learner = scope.learner
        return _Who(learner.id, learner.active_course, learner.active_exercise)


def handlers() -> list:
    private = PRIVATE
    return [
        CommandHandler("run", run_command, filters=private),
        CommandHandler("terminal", toggle_terminal, filters=private),
        CommandHandler("build", build_command, filters=private),
        MessageHandler(filters.Document.ALL & private, document),
        MessageHandler(filters.TEXT & ~filters.COMMAND & private & filters.UpdateType.MESSAGE, plain_text),
    ]
