"""The outbox: each message sent once, paced to Telegram's limits, each failure with its own policy, and
nothing lost when the bot is killed with SIGKILL mid-broadcast."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot_harness import FIXTURE_CONTENT, TOKEN, start_harness
from sqlmodel import Session, select

from bot.app import stop_bot
from bot.jobs.outbox_sender import OutboxSender
from bot.local_api import LocalBotApi
from bot.services import outbox
from bot.services.pacing import SendLimits
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.models import Learner, OutboxMessage

WORKER = Path(__file__).resolve().parents[1] / "outbox_worker.py"


async def enqueue(harness, *messages: outbox.Outgoing) -> int:
    services = harness.application.bot_data["services"]
    now = harness.clock.now()
    added = await services.db.run(lambda session: outbox.enqueue(session=session, messages=messages, now=now))
    services.outbox_signal.set()
    return added


def text(key: str, chat_id: int, body: str, **options) -> outbox.Outgoing:
    return outbox.Outgoing(key=key, kind="text", chat_id=chat_id, payload={"text": body}, **options)


def rows(harness) -> dict[str, OutboxMessage]:
    with Session(harness.engine) as session:
        return {row.key: row for row in session.exec(select(OutboxMessage))}


def bot_texts(api, chat_id: int) -> list[str]:
    return [m.text for m in api.messages(chat_id) if m.from_bot]


async def test_a_message_is_sent_once_even_when_enqueued_twice(harness):
    api = harness.api
    ana = api.user(1001, first_name="Ana")
    await ana.send("bonjour")  # the chat exists
    assert await enqueue(harness, text("news:1:1001", ana.id, "Première nouvelle")) == 1
    assert await enqueue(harness, text("news:1:1001", ana.id, "Première nouvelle")) == 0
    await harness.drain()
    assert bot_texts(api, ana.id).count("Première nouvelle") == 1
    assert rows(harness)["news:1:1001"].status == "sent"


async def test_a_message_telegram_refuses_fails_with_its_reason_and_is_never_retried(harness):
    api, clock = harness.api, harness.clock
    bob = api.user(1002, first_name="Bob")
    await bob.send("bonjour")
    await enqueue(harness, text("bad:1002", bob.id, "<b>balise jamais fermée"), text("good:1002", bob.id, "Suite"))
    await harness.drain()
    refused = rows(harness)["bad:1002"]
    assert refused.status == "failed" and refused.attempts == 1
    assert "sendMessage" in refused.error and "parse" in refused.error.lower(), refused.error
    clock.advance(hours=1)
    await harness.drain()
    assert rows(harness)["bad:1002"].attempts == 1, "a 400 is not retried (PTB's BadRequest is a NetworkError)"
    assert bot_texts(api, bob.id)[-1] == "Suite", "the chat's next message still goes out"


async def test_a_learner_who_blocked_the_bot_is_marked_blocked_and_their_queue_dropped(harness):
    api = harness.api
    cy = api.user(1003, first_name="Cy")
    await cy.send("/start mini")
    await api.wait_for_message(cy.id, predicate=lambda m: bool(m.buttons))
    cy.chat.blocked = True
    await enqueue(harness, text("a:1003", cy.id, "un"), text("b:1003", cy.id, "deux"))
    await harness.drain()
    assert {key: row.status for key, row in rows(harness).items()} == {"a:1003": "blocked", "b:1003": "blocked"}
    with Session(harness.engine) as session:
        assert session.exec(select(Learner).where(Learner.telegram_id == cy.id)).one().blocked


async def test_an_outage_backs_off_and_gives_up_after_the_attempt_cap(harness):
    api, clock = harness.api, harness.clock
    dee = api.user(1004, first_name="Dee")
    await dee.send("bonjour")
    port = int(api.url.rsplit(":", 1)[1])
    await api.stop()
    await enqueue(harness, text("down:1004", dee.id, "Pendant la panne"))
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        await harness.drain()
        row = rows(harness)["down:1004"]
        assert (row.status, row.attempts) == ("queued", attempt)
        assert row.not_before >= clock.now() + outbox.backoff(attempt) - timedelta(seconds=1), "it waits longer"
        clock.advance(seconds=outbox.backoff(attempt).total_seconds() + 1)
    await harness.drain()
    row = rows(harness)["down:1004"]
    assert row.status == "failed" and "gave up after" in row.error
    api.port = port
    await api.start()
    await enqueue(harness, text("up:1004", dee.id, "Après la panne"))
    await harness.drain()
    assert [t for t in bot_texts(api, dee.id) if "panne" in t] == ["Après la panne"]


async def test_flood_control_429_waits_retry_after_and_loses_nothing(tmp_path, clock):
    api = LocalBotApi(TOKEN, flood_control=True)  # a private chat: a burst of 5, then ~1 message/s
    await api.start()
    harness = await start_harness(tmp_path, api, clock)
    try:
        eve = api.user(1005, first_name="Eve")
        await eve.send("bonjour")
        application = harness.application
        await application.bot_data["outbox"].stop()
        greedy = OutboxSender(application.bot, application.bot_data["services"],
                              limits=SendLimits(per_second_private=100.0))  # ignores the per-chat limit on purpose
        application.bot_data["outbox"] = greedy
        await greedy.start()
        await enqueue(harness, *(text(f"burst:{i}", eve.id, f"message {i}") for i in range(8)))
        await greedy.drain(timeout=30)
        assert greedy.stats.flood_waits >= 1, "the local Bot API answered 429"
        sent = [t for t in bot_texts(api, eve.id) if t.startswith("message ")]
        assert sent == [f"message {i}" for i in range(8)], "all sent, once, in order"
        assert {row.status for row in rows(harness).values()} == {"sent"}
    finally:
        await stop_bot(harness.application)
        await api.stop()


async def test_a_sender_killed_with_sigkill_loses_nothing_and_duplicates_at_most_its_concurrency(tmp_path):
    api = LocalBotApi(TOKEN, flood_control=True)
    await api.start()
    try:
        url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        upgrade_database(url)
        chats = list(range(5000, 5150))
        for chat_id in chats:
            api.user(chat_id, first_name=f"L{chat_id}")  # the chat exists at the Bot API
        engine = make_engine(url)
        with session_scope(engine) as session:
            outbox.enqueue(session=session, now=datetime.now(UTC), messages=[
                text(f"crash:{chat_id}", chat_id, f"Annonce pour {chat_id}", batch="crash") for chat_id in chats])
        engine.dispose()

        def delivered() -> int:
            return sum(1 for chat_id in chats for m in api.messages(chat_id) if m.from_bot)

        concurrency = 8
        worker = await asyncio.create_subprocess_exec(
            sys.executable, str(WORKER), url, api.url, str(FIXTURE_CONTENT), str(concurrency),
            stdout=asyncio.subprocess.PIPE)
        while delivered() < 40:
            await asyncio.sleep(0.02)
        os.kill(worker.pid, signal.SIGKILL)
        await worker.wait()
        at_kill = delivered()
        assert at_kill < len(chats), "killed mid-broadcast"

        restarted = await asyncio.create_subprocess_exec(
            sys.executable, str(WORKER), url, api.url, str(FIXTURE_CONTENT), str(concurrency),
            stdout=asyncio.subprocess.PIPE)
        out, _ = await asyncio.wait_for(restarted.communicate(), 120)
        lines = [json.loads(line) for line in out.decode().splitlines()]
        recovered = lines[0]["recovered"]

        counts = [sum(1 for m in api.messages(chat_id) if m.from_bot) for chat_id in chats]
        lost = counts.count(0)
        duplicates = sum(count - 1 for count in counts if count > 1)
        print(f"killed after {at_kill} sends; recovered {recovered}; lost {lost}; duplicates {duplicates}")
        assert lost == 0
        assert duplicates <= recovered <= concurrency
        engine = make_engine(url)
        with Session(engine) as session:
            assert {row.status for row in session.exec(select(OutboxMessage))} == {"sent"}
        engine.dispose()
    finally:
        await api.stop()
