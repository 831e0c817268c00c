"""Announcements instructors write: checked like course files, split to Telegram's limit, sent through the outbox.

`prepare(text)` returns the Telegram HTML messages learners will see (the preview shows exactly
these), or raises ContentProblems (each problem a line and a code, worded in the instructor's language by the
views). A text longer than one
message is split between blocks, up to MAX_PARTS messages; longer is refused with the reason.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from bot.content.errors import MarkdownPagingError
from bot.content.markdown import parse_blocks
from bot.content.pages import TELEGRAM_TEXT_LIMIT, paginate
from bot.services import classes, outbox
from bot.services.class_errors import ClassNotFound, ContentProblem, ContentProblems, NotSchedulable
from bot.services.shown_names import shown_name
from bot.storage import crud
from bot.storage.models import Announcement, Classroom, Learner, ScheduledPost, stored_id

__all__ = ["MAX_FILE_BYTES", "MAX_PARTS", "Draft", "Header", "Queued", "author_name", "cancel", "create_draft", "draft",
           "prepare", "queue", "schedulable", "with_header"]

Header = Callable[[str, str, str], str]
"""(member's language, class name, author's name) -> the line that opens the announcement (Telegram HTML)."""

MAX_PARTS = 5
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Draft:
    id: int
    class_id: int
    class_name: str
    parts: list[str]
    photo_file_id: str | None
    document_file_id: str | None
    status: str
    batch: str | None


@dataclass(frozen=True)
class Queued:
    batch: str
    queued: int
    members: int


def prepare(text: str) -> list[str]:
    """The messages learners will get; ContentProblems(ContentProblem(line, code), ...) when the Markdown has
    errors (bold, italics or code left open, raw HTML, images, tables...) or the text is empty or too long."""
    if not text.strip():
        raise ContentProblems([ContentProblem(1, "empty")])
    blocks, issues = parse_blocks(text)
    problems = [ContentProblem(issue.line + 1, issue.code, issue.values) for issue in issues]
    if problems:
        raise ContentProblems(list(dict.fromkeys(problems)))
    try:
        parts = paginate(blocks, limit=TELEGRAM_TEXT_LIMIT, soft_limit=TELEGRAM_TEXT_LIMIT)
    except MarkdownPagingError as exc:
        raise ContentProblems([ContentProblem(1, "paging", (("detail", str(exc)),))]) from None
    if len(parts) > MAX_PARTS:
        raise ContentProblems([ContentProblem(1, "too_long", (
            ("parts", str(len(parts))), ("limit", str(TELEGRAM_TEXT_LIMIT)), ("most", str(MAX_PARTS))))])
    return parts


def create_draft(*, session: Session, klass: Classroom, author: int, parts: list[str], now: datetime,
                 photo_file_id: str | None = None, document_file_id: str | None = None) -> Draft:
    row = crud.add(session=session, row=Announcement(
        class_id=stored_id(klass), author=author, parts=json.dumps(parts, ensure_ascii=False),
        photo_file_id=photo_file_id, document_file_id=document_file_id, created_at=now))
    return draft(session=session, announcement_id=stored_id(row))


def draft(*, session: Session, announcement_id: int) -> Draft:
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise ClassNotFound()
    klass = session.get(Classroom, row.class_id)
    if klass is None or klass.deleted_at is not None:
        raise ClassNotFound()
    return Draft(stored_id(row), row.class_id, klass.name, json.loads(row.parts), row.photo_file_id,
                 row.document_file_id, row.status, row.batch)


def schedulable(*, session: Session, announcement_id: int) -> Draft:
    """The draft, if it may still be scheduled: not sent, not cancelled, not already waiting for its time
    (NotSchedulable with its `status` otherwise; ClassNotFound if it does not exist)."""
    found = draft(session=session, announcement_id=announcement_id)
    if found.status in ("sent", "cancelled"):
        raise NotSchedulable(announcement_id, found.status)
    pending = session.exec(select(ScheduledPost.id).where(
        ScheduledPost.announcement_id == announcement_id, ScheduledPost.status == "pending").limit(1)).first()
    if pending is not None or found.status == "scheduled":
        raise NotSchedulable(announcement_id, "scheduled")
    return found


def with_header(parts: list[str], header: str) -> list[str]:
    """The messages with `header` opening the first one (or as a message of its own when it would not fit)."""
    if parts and len(header) + 2 + len(parts[0]) <= TELEGRAM_TEXT_LIMIT:
        return [f"{header}\n\n{parts[0]}", *parts[1:]]
    return [header, *parts]


def author_name(*, session: Session, announcement_id: int) -> str:
    """The first name of the announcement's author ("" if the bot never met them)."""
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise ClassNotFound()
    return shown_name(session.exec(select(Learner.first_name).where(Learner.telegram_id == row.author)).first(), fallback="")


def queue(*, session: Session, announcement_id: int, now: datetime, header: Header | None = None) -> Queued:
    """One outbox row per member per message (the photo or document first), in one batch; `header` (in each
    member's language) says which class and who it is from."""
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise ClassNotFound()
    batch = row.batch or f"ann-{announcement_id}"
    stored: list[str] = json.loads(row.parts)
    klass = session.get(Classroom, row.class_id)
    class_name = klass.name if klass is not None else ""
    author = author_name(session=session, announcement_id=announcement_id) if header is not None else ""
    members = classes.active_member_ids(session=session, class_id=row.class_id)
    messages: list[outbox.Outgoing] = []
    for learner_id in members:
        learner = crud.get_learner_by_id(session=session, learner_id=learner_id)
        if learner is None:
            continue
        chat, base = learner.telegram_id, f"ann:{announcement_id}:{learner_id}"
        parts = with_header(stored, header(learner.language, class_name, author)) if header is not None else stored
        if row.photo_file_id:
            messages.append(outbox.Outgoing(f"{base}:photo", "photo", chat, {"file_id": row.photo_file_id},
                                            outbox.ANNOUNCEMENT, batch))
        if row.document_file_id:
            messages.append(outbox.Outgoing(f"{base}:doc", "document", chat, {"file_id": row.document_file_id},
                                            outbox.ANNOUNCEMENT, batch))
        messages += [outbox.Outgoing(f"{base}:{i}", "text", chat, {"text": part}, outbox.ANNOUNCEMENT, batch)
                     for i, part in enumerate(parts)]
    queued = outbox.enqueue(session=session, messages=messages, now=now)
    row.status, row.batch = "sent", batch
    session.add(row)
    return Queued(batch=batch, queued=queued, members=len(members))


def cancel(*, session: Session, announcement_id: int) -> int:
    """Cancel a draft, or what a queued announcement has not sent yet; returns rows cancelled."""
    row = session.get(Announcement, announcement_id)
    if row is None:
        raise ClassNotFound()
    cancelled = outbox.cancel_batch(session=session, batch=row.batch) if row.batch else 0
    row.status = "cancelled"
    session.add(row)
    return cancelled
