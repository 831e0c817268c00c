"""The one sender of the durable outbox (bot/services/outbox.py): paced, bounded, and honest about failures.

A loop claims due rows (at most `concurrency` in flight, one per chat), sends each in its own
task, and records the outcome in a new transaction: no database session is open while Telegram
is called. Every Telegram call goes through `SendContext.call`, which waits for the shared pacer
(~30/s overall, 1/s per chat, 20/min per group; the outbox goes after replies and group games) and
honours a 429's retry_after in place.

    400 BadRequest   -> row failed, with the reason (never retried; it subclasses NetworkError in PTB)
    403 Forbidden    -> row and the chat's queue "blocked"; the learner is marked blocked
    429 RetryAfter   -> wait retry_after, try the same call again (then requeue)
    network error    -> requeued with a growing delay, failed after MAX_ATTEMPTS

How a row is sent depends on its `kind`: `@renderer("kind")` registers a coroutine
`render(ctx, row)`. Other features add their own kinds the same way. A renderer that makes several
calls sends each through `ctx.part(row, send)`: the parts that went out are counted, a requeued row
keeps the count, and its retry skips them (each part of a bundle arrives once).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import RetryAfter, TelegramError

from bot.context import Services
from bot.i18n import t
from bot.services import learners, outbox, quizzes, shown_items
from bot.services.outbox import Claimed
from bot.services.pacing import Pacer, Priority, SendLimits
from bot.telegram_errors import Failure, classify, describe
from bot.telegram_pacing import outbox_call
from bot.views.lessons import lesson_page
from bot.views.quiz import send_question_poll

__all__ = ["OutboxSender", "SendContext", "SenderStats", "markup_of", "renderer"]

log = logging.getLogger(__name__)
T = TypeVar("T")
Renderer = Callable[["SendContext", Claimed], Awaitable[None]]
RENDERERS: dict[str, Renderer] = {}
FLOOD_RETRIES = 5


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    """Register how rows of `kind` are sent."""
    def register(render: Renderer) -> Renderer:
        RENDERERS[kind] = render
        return render
    return register


@dataclass
class SenderStats:
    sent: int = 0
    failed: int = 0
    blocked: int = 0
    retried: int = 0
    flood_waits: int = 0  # 429s answered by waiting retry_after
    recovered: int = 0  # rows found claimed at start (a crash): possibly sent twice


@dataclass
class SendContext:
    bot: Bot
    services: Services
    pacer: Pacer
    stats: SenderStats = field(default_factory=SenderStats)
    parts: dict[int, int] = field(default_factory=dict)  # row id -> its calls made so far, this attempt included

    async def part(self, row: Claimed, send: Callable[[], Awaitable[T]]) -> T | None:
        """The row's next call, unless an earlier attempt made it already (then None)."""
        index = self.parts.get(row.id, 0)
        if index < int(row.payload.get(outbox.PARTS_SENT, 0)):
            self.parts[row.id] = index + 1
            return None
        result = await self.call(row.chat_id, send)
        self.parts[row.id] = index + 1
        return result

    async def call(self, chat_id: int, send: Callable[[], Awaitable[T]]) -> T:
        """One Telegram call to `chat_id`, paced; a 429 waits its retry_after and tries again."""
        for attempt in range(FLOOD_RETRIES + 1):
            try:
                async with self.pacer.slot(chat_id, Priority.OUTBOX):
                    with outbox_call():
                        return await send()
            except RetryAfter as exc:
                if attempt == FLOOD_RETRIES:
                    raise
                wait = _seconds(exc.retry_after)
                self.stats.flood_waits += 1
                log.info("flood control on chat %s: waiting %.0f s", chat_id, wait)
                self.pacer.pause(chat_id, wait)
        raise AssertionError("unreachable")  # pragma: no cover


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def markup_of(buttons: list[list[list[str]]] | None) -> InlineKeyboardMarkup | None:
    """Buttons stored in a payload: rows of [label, callback data] or [label, "url:https://..."]."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(text, url=data[4:]) if data.startswith("url:") else
         InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in buttons])


class OutboxSender:
    def __init__(self, bot: Bot, services: Services, *, concurrency: int = 16, limits: SendLimits | None = None,
                 pacer: Pacer | None = None, poll_seconds: float = 0.5) -> None:
        """`pacer`: the one the application's rate limiter uses for replies (one budget for both)."""
        self.services, self.concurrency, self.poll_seconds = services, concurrency, poll_seconds
        self.ctx = SendContext(bot=bot, services=services, pacer=pacer or Pacer(limits or SendLimits()))
        self._inflight: dict[int, asyncio.Task[None]] = {}  # chat -> its send
        self._loop_task: asyncio.Task[None] | None = None

    @property
    def stats(self) -> SenderStats:
        return self.ctx.stats

    async def start(self) -> None:
        """Put back the rows a dead sender had claimed, then start sending."""
        self.stats.recovered = await self.services.db.run(lambda session: outbox.recover_claimed(session=session))
        if self.stats.recovered:
            log.warning("outbox: %d message(s) were being sent when the bot stopped: sending them again "
                        "(a few may arrive twice)", self.stats.recovered)
        self._loop_task = asyncio.create_task(self._run(), name="outbox-sender")

    async def stop(self) -> None:
        """Stop claiming; let the sends in flight finish (their rows are recorded)."""
        if self._loop_task is not None:
            self._loop_task.cancel()
            await asyncio.gather(self._loop_task, return_exceptions=True)
            self._loop_task = None
        if self._inflight:
            await asyncio.gather(*self._inflight.values(), return_exceptions=True)

    async def drain(self, timeout: float = 30.0) -> None:
        """Wait until nothing due is left to send (tests, benches)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self.services.outbox_signal.set()
            await asyncio.sleep(0.02)
            if self._inflight:
                continue
            now = self.services.clock.now()
            if await self.services.db.run(lambda session, now=now: outbox.due_count(session=session, now=now)) == 0:
                return
            if loop.time() > deadline:
                raise TimeoutError("the outbox did not drain")

    async def _run(self) -> None:
        signal = self.services.outbox_signal
        while True:
            signal.clear()
            try:
                started = await self._claim_and_start()
            except Exception:  # the database hiccuped: try again shortly, never die
                log.exception("outbox: claiming failed")
                started = 0
            if started and len(self._inflight) < self.concurrency:
                continue
            try:
                await asyncio.wait_for(signal.wait(), self.poll_seconds)
            except TimeoutError:
                pass

    async def _claim_and_start(self) -> int:
        free = self.concurrency - len(self._inflight)
        if free <= 0:
            return 0
        now, busy = self.services.clock.now(), frozenset(self._inflight)
        rows = await self.services.db.run(
            lambda session: outbox.claim(session=session, now=now, limit=free, busy_chats=busy))
        for row in rows:
            self._inflight[row.chat_id] = asyncio.create_task(self._send(row), name=f"outbox-{row.id}")
        return len(rows)

    async def _send(self, row: Claimed) -> None:
        db, clock = self.services.db, self.services.clock
        try:
            render = RENDERERS.get(row.kind)
            if render is None:
                raise LookupError(f"no renderer for outbox kind {row.kind!r}")
            await render(self.ctx, row)
            await db.run(lambda session: outbox.mark_sent(session=session, row_id=row.id, now=clock.now()))
            self.stats.sent += 1
        except TelegramError as exc:
            await self._on_telegram_error(row, exc)
        except Exception as exc:  # a bug in a renderer: fail the row, loudly, and go on
            log.exception("outbox: %s to %s failed", row.kind, row.chat_id)
            bug = f"bug: {exc!r}"
            await db.run(lambda session: outbox.mark_failed(
                session=session, row_id=row.id, now=clock.now(), reason=bug))
            self.stats.failed += 1
        finally:
            self.ctx.parts.pop(row.id, None)
            self._inflight.pop(row.chat_id, None)
            self.services.outbox_signal.set()

    async def _on_telegram_error(self, row: Claimed, exc: TelegramError) -> None:
        db, clock = self.services.db, self.services.clock
        match classify(exc):
            case Failure.BLOCKED:
                def blocked(session: Any) -> None:
                    outbox.mark_blocked(session=session, row_id=row.id, now=clock.now(), reason=str(exc))
                    learners.mark_blocked(session=session, telegram_id=row.chat_id)
                await db.run(blocked)
                self.stats.blocked += 1
                log.info("chat %s blocked the bot: its messages are dropped", row.chat_id)
            case Failure.REJECTED:  # the same request would be refused again
                reason = describe(exc)
                log.error("Telegram refused the %s to %s: %s", row.kind, row.chat_id, reason)
                await db.run(lambda session: outbox.mark_failed(
                    session=session, row_id=row.id, now=clock.now(), reason=reason))
                self.stats.failed += 1
            case Failure.FLOOD | Failure.UNREACHABLE:
                delay = outbox.backoff(row.attempts)
                if isinstance(exc, RetryAfter):
                    delay = max(delay, timedelta(seconds=_seconds(exc.retry_after)))
                parts_sent = self.ctx.parts.get(row.id, 0)
                requeued = await db.run(lambda session: outbox.retry_later(
                    session=session, row_id=row.id, now=clock.now(), reason=str(exc), delay=delay,
                    parts_sent=parts_sent))
                if requeued:
                    self.stats.retried += 1
                    log.warning("%s to %s postponed by %s: %s", row.kind, row.chat_id, delay, exc)
                else:
                    self.stats.failed += 1
                    log.error("%s to %s given up after %d attempts: %s", row.kind, row.chat_id, row.attempts, exc)
            case _:
                raise exc


# --- the kinds this module sends -------------------------------------------------------------------------------

@renderer("text")
async def send_text(ctx: SendContext, row: Claimed) -> None:
    """payload: text (Telegram HTML), buttons (optional)."""
    p = row.payload
    await ctx.call(row.chat_id, lambda: ctx.bot.send_message(
        chat_id=row.chat_id, text=p["text"], reply_markup=markup_of(p.get("buttons"))))


@renderer("photo")
async def send_photo(ctx: SendContext, row: Claimed) -> None:
    """payload: file_id, caption (optional), buttons (optional)."""
    p = row.payload
    await ctx.call(row.chat_id, lambda: ctx.bot.send_photo(
        chat_id=row.chat_id, photo=p["file_id"], caption=p.get("caption"), reply_markup=markup_of(p.get("buttons"))))


@renderer("document")
async def send_document(ctx: SendContext, row: Claimed) -> None:
    """payload: file_id, caption (optional)."""
    p = row.payload
    await ctx.call(row.chat_id, lambda: ctx.bot.send_document(
        chat_id=row.chat_id, document=p["file_id"], caption=p.get("caption")))


@renderer("bundle")
async def send_bundle(ctx: SendContext, row: Claimed) -> None:
    """A learner's daily (or class) bundle: a greeting, the lesson's first page, a quiz poll.

    payload: learner_id, lang, first_name, course, lesson, question and the order of its options, review (a question
    due again) and its order, greeting (an i18n key), class_name.
    """
    p, services, chat_id = row.payload, ctx.services, row.chat_id
    course = services.catalog.courses.get(p["course"])
    if course is None:
        raise LookupError(f"course {p['course']} is gone")
    lang = p["lang"]
    greeting = t(lang, p.get("greeting") or "daily_hello", name=p.get("first_name", ""),
                 **({"class_name": p["class_name"]} if "class_name" in p else {}))
    await ctx.part(row, lambda: ctx.bot.send_message(chat_id=chat_id, text=greeting))
    lesson = course.lessons.get(p["lesson"]) if p.get("lesson") else None
    if lesson is not None:
        view = lesson_page(services.lesson_pages, lang, course, lesson, 0)
        await ctx.part(row, lambda: ctx.bot.send_message(chat_id=chat_id, text=view.text, reply_markup=view.markup))
        if len(services.lesson_pages.of(course, lesson)) == 1:  # its last page, with the "next" button, was shown
            await services.db.run(lambda session: shown_items.lesson_end_shown(
                session=session, learner_id=p["learner_id"], lesson_id=lesson.id))
    polls = [(p.get("question"), p.get("order"), None), (p.get("review"), p.get("review_order"), "daily_review_intro")]
    for question_id, shown, intro in polls:
        question = course.question(question_id) if question_id else None
        if question is None:
            continue
        if intro is not None:
            await ctx.part(row, lambda intro=intro: ctx.bot.send_message(chat_id=chat_id, text=t(lang, intro)))
        order = tuple(shown) if shown else None
        message = await ctx.part(row, lambda q=question, o=order: send_question_poll(
            ctx.bot, chat_id=chat_id, question=q, order=o))
        if message is not None and message.poll is not None:
            poll_id, now = message.poll.id, services.clock.now()
            await services.db.run(lambda session, q=question, o=order, m=message, poll_id=poll_id, now=now:
                                  quizzes.remember_poll(session=session, poll_id=poll_id, chat_id=chat_id,
                                                        message_id=m.message_id, learner_id=p["learner_id"],
                                                        course=course, question=q, now=now, order=o))
