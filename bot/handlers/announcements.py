"""/announce: an instructor's text, Markdown file, photo or document, previewed then pushed through the outbox.

The preview is the very messages learners will get; then Send / Schedule / Cancel. Sending
shows one status message, edited as the outbox works (queued / sent / failed / blocked), with
a button that stops what has not gone out yet.
"""

from __future__ import annotations

import logging

from telegram import Document, Update
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import AnnounceCancel, AnnounceSchedule, AnnounceSend, BroadcastStop, ClassChoose
from bot.context import BotContext
from bot.handlers.announcement_parts import joining, may_continue
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.class_choice import ask_class
from bot.handlers.class_days import WHEN_STEP, ask_day
from bot.handlers.classes import plan_for, refuse, schedule_from_text, split_class_ref
from bot.handlers.common import PRIVATE, LearnerSnapshot, learner, reply
from bot.i18n import label, size, t
from bot.services import announcements, classes, conversation_steps, outbox
from bot.services.class_errors import (
    ClassChoiceNeeded,
    ClassNotFound,
    ContentProblems,
    NotInstructor,
)
from bot.services.unit_of_work import Session
from bot.views.announcement_header import announcement_header
from bot.views.base import keyboard
from bot.views.broadcast_status import watch_status
from bot.views.classes import announce_preview_view, broadcast_view, content_problems_text

__all__ = ["early_handlers", "handlers", "wait_for_announcement"]

log = logging.getLogger(__name__)
_ANNOUNCE = "/announce"
ANNOUNCE_STEP = "announce"
SCHEDULE_STEP = "schedule"


def _strip_command(text: str) -> str:
    """The text after `/announce` (or `/annonce`), whether a space or a new line follows the command."""
    parts = text.split(maxsplit=1)
    if parts and parts[0].split("@")[0].lower() in (_ANNOUNCE, "/annonce"):
        return text[len(parts[0]):].lstrip(" ").removeprefix("\n") if len(parts) > 1 else ""
    return text


async def _draft(update: Update, context: BotContext, me: LearnerSnapshot, text: str, *,
                 photo: str | None = None, document: str | None = None, joined: int = 1) -> None:
    """Check `text`, store a draft, show the preview and its buttons (`joined`: the messages it was sent in)."""
    services = context.services
    first, _, after = text.partition(" ")
    ref, _ = split_class_ref([first])
    if ref is not None:
        text = after
    now = services.clock.now()
    try:
        parts = announcements.prepare(text) if text.strip() or not (photo or document) else []
    except ContentProblems as exc:
        allowed = await services.db.run(lambda session: classes.is_instructor(
            session=session, telegram_id=me.telegram_id, first_instructors=services.settings.instructor_ids))
        if not allowed:
            await refuse(update, context, me, "announce")
            return
        await reply(update, context, content_problems_text(me.lang, exc.problems))
        return

    def unit(session: Session) -> tuple[announcements.Draft, int, str]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        draft = announcements.create_draft(session=session, klass=klass, author=me.telegram_id, parts=parts,
                                           now=now, photo_file_id=photo, document_file_id=document)
        return draft, classes.member_count(session=session, class_id=klass.id or 0), \
            announcements.author_name(session=session, announcement_id=draft.id)

    try:
        draft, members, author = await services.db.run(unit)
    except ClassChoiceNeeded as exc:  # which class? then the text is asked again, for that class
        await ask_class(update, context, me, exc, "announce")
        return
    except NotInstructor as exc:
        await refuse(update, context, me, "announce", exc)
        return
    except ClassNotFound:
        await reply(update, context, t(me.lang, "class_not_found"))
        return
    chat_id = update.effective_chat.id
    if draft.photo_file_id:
        await context.bot.send_photo(chat_id=chat_id, photo=draft.photo_file_id)
    if draft.document_file_id:
        await context.bot.send_document(chat_id=chat_id, document=draft.document_file_id)
    shown = announcements.with_header(draft.parts, announcement_header(me.lang, draft.class_name, author))
    for part in shown:
        await context.bot.send_message(chat_id=chat_id, text=part)  # as members get it, header included
    view = announce_preview_view(me.lang, announcement_id=draft.id, members=members, class_name=draft.class_name,
                                 parts=len(shown))
    text = view.text + ("\n" + t(me.lang, "taps_parts_joined", count=joined) if joined > 1 else "")
    await reply(update, context, text, view.markup)


async def _markdown_file(update: Update, context: BotContext, me: LearnerSnapshot, document: Document) -> str:
    """The text of an instructor's `.md` file; a file that is not UTF-8 is told and stops the update here."""
    data = await (await document.get_file()).download_as_bytearray()
    try:
        return bytes(data).decode("utf-8")
    except UnicodeDecodeError:
        await reply(update, context, t(me.lang, "announce_problems", problems="1: not UTF-8 text"))
        raise ApplicationHandlerStop from None


async def announce_command(update: Update, context: BotContext) -> None:
    """`/announce <text>` drafts at once; `/announce` alone (or `/announce #12`) waits for the next message."""
    me = await learner(update, context)
    text = _strip_command(update.effective_message.text or "").strip()
    ref, rest = split_class_ref(text.split())
    if not rest:
        await wait_for_announcement(update, context, me, ref)
        return
    await _draft(update, context, me, text)


async def wait_for_announcement(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    """Wait for the announcement as the next message, for the class `ref` (or the chosen one), named in the ask."""
    services = context.services
    now = services.clock.now()

    def unit(session: Session) -> tuple[int, str] | None:
        if not classes.is_instructor(session=session, telegram_id=me.telegram_id,
                                     first_instructors=services.settings.instructor_ids):
            return None
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        conversation_steps.begin(session=session, telegram_id=me.telegram_id, step=ANNOUNCE_STEP,
                                 class_ref=f"#{klass.id}", now=now)
        return klass.id or 0, klass.name

    try:
        found = await services.db.run(unit)
    except ClassChoiceNeeded as exc:
        await ask_class(update, context, me, exc, "announce")
        return
    except (NotInstructor, ClassNotFound):
        found = None
    if found is None:
        await refuse(update, context, me, "announce")
        return
    class_id, name = found
    services.waiting.steps[me.telegram_id] = ANNOUNCE_STEP
    scheduled = keyboard([[(label(me.lang, "btn_taps_scheduled"), ClassChoose(class_id, "anns").encode())]])
    await reply(update, context, t(me.lang, "announce_ask_text") + "\n" + t(me.lang, "taps_for_class", name=name),
                scheduled)


async def instructor_input(update: Update, context: BotContext) -> None:
    """A private message: the announcement the bot is waiting for (after `/announce` alone), `/cancel` of that
    wait, or else an instructor's captioned media or Markdown file (`announce_media`)."""
    message = update.effective_message
    user = update.effective_user
    services = context.services
    parts = joining(context)
    if user is not None and user.id in parts:
        if message.text and not message.text.startswith("/"):  # the next part of a long announcement
            await parts.add(context, user.id, message.text)
            raise ApplicationHandlerStop
        await parts.finish(user.id)  # anything else ends it: the announcement is what came so far
    if user is None or user.id not in services.waiting:
        if message.photo or message.document:
            await announce_media(update, context)
        return
    if (message.text or "").startswith("/"):
        command = message.text.split()[0].split("@")[0].lower()
        await services.db.run(lambda session: conversation_steps.clear(session=session, telegram_id=user.id))
        waited = services.waiting.steps.pop(user.id, None)
        if command in ("/cancel", "/annuler", "/stop"):
            me = await learner(update, context)
            await reply(update, context, t(me.lang, "taps_wait_cancelled" if waited == WHEN_STEP
                                           else "announce_wait_cancelled"))
            raise ApplicationHandlerStop
        return  # another command: the wait ends, and the command runs as usual
    now = services.clock.now()
    step = await services.db.run(lambda session: conversation_steps.take(session=session, telegram_id=user.id,
                                                                         now=now))
    services.waiting.steps.pop(user.id, None)
    if step is None:  # expired: the message is an ordinary one
        if message.photo or message.document:
            await announce_media(update, context)
        return
    if step.step == SCHEDULE_STEP:  # ⏰ Programmer's answer: when
        if not message.text:
            if message.photo or message.document:
                await announce_media(update, context)
            return
        await schedule_from_text(update, context, f"{message.text.strip()} {step.class_ref}")
        raise ApplicationHandlerStop
    if step.step == WHEN_STEP:  # a day asked with quick buttons, typed instead: it completes the command
        if not message.text:
            if message.photo or message.document:
                await announce_media(update, context)
            return
        await _when_typed(update, context, step.class_ref or "", message.text.strip())
        raise ApplicationHandlerStop
    me = await learner(update, context)
    prefix = f"{step.class_ref} " if step.class_ref and step.step == ANNOUNCE_STEP else ""
    document = message.document
    if document is not None and (document.file_name or "").lower().endswith((".md", ".markdown")):
        text = await _markdown_file(update, context, me, document)
        await _draft(update, context, me, prefix + text)
    elif message.photo or document is not None:
        await _draft(update, context, me, prefix + (message.caption or ""),
                     photo=message.photo[-1].file_id if message.photo else None,
                     document=document.file_id if document is not None else None)
    elif may_continue(message.text or ""):  # perhaps the first of the parts Telegram cut a long text into
        async def finish(first: Update, text: str, count: int) -> None:
            await _draft(first, context, me, prefix + text, joined=count)

        joining(context).start(context, user.id, update, message.text or "", finish)
    else:
        await _draft(update, context, me, prefix + (message.text or ""))
    raise ApplicationHandlerStop


async def _when_typed(update: Update, context: BotContext, then: str, when: str) -> None:
    """The answer to "which day?" typed: `then` with `{when}` replaced (a /schedule, or a /class plan set)."""
    ref, _, rest = then.partition(" ")
    if rest.startswith("set {when} "):
        me = await learner(update, context)
        await plan_for(update, context, me, ref, ["set", when, rest.removeprefix("set {when} ")])
    else:
        await schedule_from_text(update, context, then.replace("{when}", when))


async def announce_media(update: Update, context: BotContext) -> None:
    """A photo or document captioned /announce, or a Markdown file sent by an instructor."""
    message = update.effective_message
    me = await learner(update, context)
    services = context.services
    captioned = (message.caption or "").split(" ", 1)[0].split("@")[0].lower() in (_ANNOUNCE, "/annonce")
    document = message.document
    is_markdown = document is not None and (document.file_name or "").lower().endswith((".md", ".markdown"))
    if not captioned:
        allowed = await services.db.run(lambda session: classes.is_instructor(
            session=session, telegram_id=me.telegram_id, first_instructors=services.settings.instructor_ids))
        if not (allowed and is_markdown):
            return  # not for us: the lab's document handler takes it
    caption = _strip_command(message.caption or "").strip() if captioned else ""
    too_big = (document is not None and (document.file_size or 0) > announcements.MAX_FILE_BYTES) or \
        (message.photo and (message.photo[-1].file_size or 0) > announcements.MAX_FILE_BYTES)
    if too_big:
        file_size = document.file_size if document is not None else message.photo[-1].file_size
        await reply(update, context, t(me.lang, "announce_too_big", size=size(me.lang, file_size or 0)))
        raise ApplicationHandlerStop
    if is_markdown and not captioned:
        text = await _markdown_file(update, context, me, document)
        await _draft(update, context, me, text)
        raise ApplicationHandlerStop
    photo = message.photo[-1].file_id if message.photo else None
    await _draft(update, context, me, caption, photo=photo,
                 document=document.file_id if document is not None else None)
    raise ApplicationHandlerStop


async def _owned_draft(context: BotContext, me: LearnerSnapshot, announcement_id: int) -> announcements.Draft:
    def unit(session: Session) -> announcements.Draft:
        draft = announcements.draft(session=session, announcement_id=announcement_id)
        classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{draft.class_id}")
        return draft

    return await context.services.db.run(unit)


@on_press(AnnounceSend)
async def send_announcement(update: Update, context: BotContext, press: Press[AnnounceSend]) -> None:
    me, services = press.me, context.services
    try:
        draft = await _owned_draft(context, me, press.payload.announcement_id)
    except (NotInstructor, ClassNotFound):
        await press.accept()
        await refuse(update, context, me, "announce")
        return
    await press.accept()
    if draft.status != "draft":
        return
    now = services.clock.now()
    queued = await services.db.run(lambda session: announcements.queue(
        session=session, announcement_id=draft.id, now=now, header=announcement_header))
    if queued.members == 0:
        await reply(update, context, t(me.lang, "class_no_members"))
        return
    services.outbox_signal.set()
    progress = await services.db.run(lambda session: outbox.progress(session=session, batch=queued.batch))
    view = broadcast_view(me.lang, class_name=draft.class_name, progress=progress, announcement_id=draft.id)
    status = await reply(update, context, view.text, view.markup)
    if status is not None:
        context.application.create_task(
            watch_status(services, status, lang=me.lang, class_name=draft.class_name, announcement_id=draft.id,
                         batch=queued.batch), update=update, name=f"broadcast-{draft.id}")


@on_press(AnnounceSchedule)
async def schedule_announcement(update: Update, context: BotContext, press: Press[AnnounceSchedule]) -> None:
    """⏰ Programmer: ask when, and wait for the answer as the next message (`demain 9h`, `2026-12-08 14:00`)."""
    me = press.me
    try:
        draft = await _owned_draft(context, me, press.payload.announcement_id)
    except (NotInstructor, ClassNotFound):
        await press.accept()
        await refuse(update, context, me, "announce")
        return
    await press.accept(keep_buttons=True)
    announcement_id = press.payload.announcement_id
    await ask_day(update, context, me, class_id=draft.class_id, purpose="a", item=str(announcement_id),
                  prompt=t(me.lang, "announce_ask_when", id=announcement_id), then=f"{{when}} #a{announcement_id}")


@on_press(AnnounceCancel)
async def cancel_announcement(update: Update, context: BotContext, press: Press[AnnounceCancel]) -> None:
    me = press.me
    await press.accept()
    try:
        await _owned_draft(context, me, press.payload.announcement_id)
    except (NotInstructor, ClassNotFound):
        await refuse(update, context, me, "announce")
        return
    await context.services.db.run(lambda session: announcements.cancel(
        session=session, announcement_id=press.payload.announcement_id))
    await reply(update, context, t(me.lang, "announce_cancelled"))


@on_press(BroadcastStop)
async def stop_broadcast(update: Update, context: BotContext, press: Press[BroadcastStop]) -> None:
    me = press.me
    try:
        await _owned_draft(context, me, press.payload.announcement_id)
    except (NotInstructor, ClassNotFound):
        await press.accept()
        await refuse(update, context, me, "announce")
        return
    await press.accept(keep_buttons=True)
    await context.services.db.run(lambda session: announcements.cancel(
        session=session, announcement_id=press.payload.announcement_id))


def early_handlers() -> list[BaseHandler]:
    """Group -1: the announcement the bot waits for, an instructor's Markdown file or captioned media, before the
    lab takes text and documents."""
    return [MessageHandler((filters.TEXT | filters.Document.ALL | filters.PHOTO) & PRIVATE, instructor_input)]


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler(["announce", "annonce"], announce_command, filters=PRIVATE),
        press_handler(send_announcement),
        press_handler(schedule_announcement),
        press_handler(cancel_announcement),
        press_handler(stop_broadcast),
    ]
