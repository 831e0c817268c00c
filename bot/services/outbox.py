"""The durable outbox: everything the bot sends on its own is a row first, sent by one paced sender.

    outbox.enqueue(session=s, messages=[Outgoing(key="bundle:7:2026-03-02", kind="bundle", chat_id=42,
                                                 payload={...}, priority=BUNDLE)], now=now)

One row per recipient per message, with a unique idempotency `key`: enqueuing again is a no-op.
The sender (bot/jobs/outbox_sender.py) claims due rows (`claim`), calls Telegram with no
transaction open, then records the outcome (`mark_sent`, `mark_failed`, `mark_blocked`,
`retry_later`). A crash leaves rows "claimed": `recover_claimed` puts them back at start, so
nothing is lost and duplicates are at most the rows that were in flight. A row sent as several
Telegram calls (a bundle) is requeued with how many of its parts went out (`PARTS_SENT` in its
payload): the retry sends only the rest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from bot.storage.crud import insert_once
from bot.storage.models import OutboxMessage, stored_id

__all__ = [
    "ANNOUNCEMENT", "BUNDLE", "MAX_ATTEMPTS", "PUSH", "STATUS", "Claimed", "Outgoing", "Progress", "backoff",
    "cancel_batch", "claim", "due_count", "enqueue", "mark_blocked", "mark_failed", "mark_sent", "pending_count", "progress",
    "recover_claimed", "retry_later", "PARTS_SENT",
]

PUSH, BUNDLE, ANNOUNCEMENT = 5, 10, 20
"""Priorities (lower first): an instructor's push, the daily bundles, then broadcasts."""
MAX_ATTEMPTS = 6
STATUS = ("queued", "claimed", "sent", "failed", "blocked", "cancelled")
ERROR_CHARS = 500
PARTS_SENT = "parts_sent"
"""The payload key that says how many of a row's Telegram calls went out before a retry."""


@dataclass(frozen=True)
class Outgoing:
    """A message to enqueue: `kind` says how the sender renders `payload` (JSON-able)."""

    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any] = field(default_factory=dict)
    priority: int = BUNDLE
    batch: str | None = None
    not_before: datetime | None = None


@dataclass(frozen=True)
class Claimed:
    id: int
    key: str
    kind: str
    chat_id: int
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True)
class Progress:
    queued: int = 0
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    cancelled: int = 0

    @property
    def total(self) -> int:
        return self.queued + self.sent + self.failed + self.blocked + self.cancelled

    @property
    def done(self) -> bool:
        return self.queued == 0


def enqueue(*, session: Session, messages: Iterable[Outgoing], now: datetime) -> int:
    """Store each message once (by key); returns how many were new."""
    added = 0
    for message in messages:
        row = OutboxMessage(
            key=message.key, kind=message.kind, chat_id=message.chat_id,
            payload=json.dumps(message.payload, ensure_ascii=False), priority=message.priority,
            batch=message.batch, not_before=message.not_before or now, created_at=now,
        )
        added += insert_once(session=session, row=row)
    return added


def claim(*, session: Session, now: datetime, limit: int, busy_chats: frozenset[int] = frozenset()) -> list[Claimed]:
    """Claim up to `limit` due rows, one per chat and none for `busy_chats` (a chat's messages stay in order)."""
    if limit <= 0:
        return []
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.status == "queued", col(OutboxMessage.not_before) <= now)
        .order_by(col(OutboxMessage.priority), col(OutboxMessage.id))
        .limit(limit * 4 + len(busy_chats))
    ).all()
    claimed: list[Claimed] = []
    chats = set(busy_chats)
    for row in rows:
        if row.chat_id in chats:
            continue
        chats.add(row.chat_id)
        row.status, row.claimed_at, row.attempts = "claimed", now, row.attempts + 1
        session.add(row)
        claimed.append(Claimed(stored_id(row), row.key, row.kind, row.chat_id, json.loads(row.payload), row.attempts))
        if len(claimed) == limit:
            break
    return claimed


def _finish(session: Session, row_id: int, status: str, now: datetime, error: str | None = None) -> None:
    row = session.get(OutboxMessage, row_id)
    if row is None or row.status == "cancelled":
        return
    row.status, row.error = status, (error[:ERROR_CHARS] if error else None)
    if status == "sent":
        row.sent_at = now
    session.add(row)


def mark_sent(*, session: Session, row_id: int, now: datetime) -> None:
    _finish(session, row_id, "sent", now)


def mark_failed(*, session: Session, row_id: int, now: datetime, reason: str) -> None:
    """Telegram refused the message (400) or it could not be sent after MAX_ATTEMPTS: never retried."""
    _finish(session, row_id, "failed", now, reason)


def mark_blocked(*, session: Session, row_id: int, now: datetime, reason: str) -> int:
    """The chat blocked the bot (403): this row and the chat's other queued rows are dropped; returns their count."""
    _finish(session, row_id, "blocked", now, reason)
    row = session.get(OutboxMessage, row_id)
    if row is None:
        return 0
    others = session.exec(
        select(OutboxMessage).where(OutboxMessage.chat_id == row.chat_id, OutboxMessage.status == "queued")
    ).all()
    for other in others:
        other.status, other.error = "blocked", "the chat blocked the bot"
        session.add(other)
    return len(others) + 1


def backoff(attempts: int) -> timedelta:
    """Wait before the next try of an unreachable send: 2, 4, 8... seconds, at most 5 minutes."""
    return timedelta(seconds=min(300, 2 ** attempts))


def retry_later(*, session: Session, row_id: int, now: datetime, reason: str, delay: timedelta,
                parts_sent: int = 0) -> bool:
    """Put a row back in the queue after `delay`; past MAX_ATTEMPTS it fails instead. True when requeued.

    `parts_sent`: how many of the row's calls went out (in all attempts): the retry starts after them."""
    row = session.get(OutboxMessage, row_id)
    if row is None or row.status != "claimed":
        return False
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.error = "failed", f"gave up after {row.attempts} attempts: {reason}"[:ERROR_CHARS]
        session.add(row)
        return False
    row.status, row.not_before, row.error = "queued", now + delay, reason[:ERROR_CHARS]
    if parts_sent:
        row.payload = json.dumps({**json.loads(row.payload), PARTS_SENT: parts_sent}, ensure_ascii=False)
    session.add(row)
    return True


def recover_claimed(*, session: Session) -> int:
    """At start: rows claimed by a sender that died go back to the queue; returns how many (possible duplicates)."""
    result = session.execute(
        update(OutboxMessage).where(col(OutboxMessage.status) == "claimed").values(status="queued")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def progress(*, session: Session, batch: str) -> Progress:
    """How far a broadcast went: claimed rows count as queued."""
    counts: dict[str, int] = {}
    for status, count in session.exec(
        select(OutboxMessage.status, func.count()).where(OutboxMessage.batch == batch).group_by(OutboxMessage.status)
    ).all():
        counts[status] = counts.get(status, 0) + int(count)
    return Progress(
        queued=counts.get("queued", 0) + counts.get("claimed", 0), sent=counts.get("sent", 0),
        failed=counts.get("failed", 0), blocked=counts.get("blocked", 0), cancelled=counts.get("cancelled", 0),
    )


def cancel_batch(*, session: Session, batch: str) -> int:
    """Cancel what a broadcast has not sent yet; returns how many rows."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.batch) == batch, col(OutboxMessage.status) == "queued")
        .values(status="cancelled")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def due_count(*, session: Session, now: datetime) -> int:
    """Rows the sender should be working on now: due queued rows and claimed ones."""
    return int(session.exec(select(func.count()).select_from(OutboxMessage).where(
        (col(OutboxMessage.status) == "claimed")
        | ((col(OutboxMessage.status) == "queued") & (col(OutboxMessage.not_before) <= now)))).one())


def pending_count(*, session: Session, keys: Sequence[str] | None = None) -> int:
    """Rows not finished yet (queued or claimed)."""
    query = select(func.count()).select_from(OutboxMessage).where(
        col(OutboxMessage.status).in_(("queued", "claimed")))
    if keys is not None:
        query = query.where(col(OutboxMessage.key).in_(keys))
    return int(session.exec(query).one())
