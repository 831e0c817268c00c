"""When Telegram says no: a refused message is explained and logged, a blocked learner is left alone."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from content_variants import content_with
from lab_fakes import FakeLab
from sqlmodel import Session, select

from bot.local_api.errors import BadRequest as ApiBadRequest
from bot.storage.models import Learner, OutboxMessage


async def enrol(api, user):
    sent = await user.send("/start mini")
    return await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))


def learner(harness, telegram_id: int) -> Learner:
    with Session(harness.engine) as session:
        return session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).one()


async def test_an_exercise_too_long_for_telegram_gets_a_kind_word_and_the_refused_call_is_logged(
        tmp_path, make_harness, caplog):
    content = content_with(tmp_path, "exercises/hello.yaml", goal="Lance le conteneur. " * 300)
    harness = await make_harness(content=content)
    api = harness.api
    ada = api.user(901, first_name="Ada")
    await enrol(api, ada)
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        sent = await ada.send("/exercise hello")
        answer = await api.wait_for_message(ada.id, after=sent)
    assert "Telegram a refusé" in answer.text and "/menu" in answer.text
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert refused, "the 400 is logged as a refusal, not as an outage"
    assert "sendMessage" in refused[0] and "message is too long" in refused[0].lower()
    assert "Lance le conteneur." in refused[0], "the log shows the payload Telegram refused"
    assert not any("unreachable" in r.getMessage() for r in caplog.records)


async def test_a_learner_who_blocks_the_bot_while_a_command_runs_gets_no_more_daily_lessons(make_harness):
    lab = FakeLab(answers={"docker ps": "CONTAINER ID   IMAGE"}, gate=asyncio.Event())
    harness = await make_harness(sandbox=lab)
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    bea = api.user(902, first_name="Béa")
    await enrol(api, bea)
    await bea.send("/run docker ps")
    while not lab.commands:
        await asyncio.sleep(0.02)
    bea.chat.blocked = True  # Telegram answers 403 from now on (its my_chat_member update is not needed)
    lab.gate.set()
    for _ in range(100):
        if learner(harness, bea.id).blocked:
            break
        await asyncio.sleep(0.05)
    assert learner(harness, bea.id).blocked, "the 403 on the command's output marked the learner blocked"
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 0


async def test_a_daily_question_telegram_refuses_is_logged_and_not_retried_for_ever(tmp_path, make_harness, caplog):
    # 150 whales pass the course checker (200 characters at most) but count 300 UTF-16 units for Telegram.
    content = content_with(tmp_path, "quizzes/m1-quiz.yaml", questions__0__explanation="🐳" * 150)
    harness = await make_harness(content=content)
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    cleo = api.user(903, first_name="Cléo")
    await enrol(api, cleo)
    before = len(api.messages(cleo.id))
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with caplog.at_level(logging.ERROR, logger="bot.jobs.outbox_sender"):
        assert await harness.sweep() == 1
    assert any("sendPoll" in r.getMessage() and "explanation" in r.getMessage() for r in caplog.records)
    delivered = len(api.messages(cleo.id))
    assert delivered > before, "the greeting and the lesson went out before the poll was refused"
    with Session(harness.engine) as session:
        rows = session.exec(select(OutboxMessage)).all()
    assert [row.status for row in rows] == ["failed"] and "sendPoll" in rows[0].error, "failed, with the reason"
    clock.set(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))  # long after a network retry would have come
    assert await harness.sweep() == 0
    assert len(api.messages(cleo.id)) == delivered, "nothing was sent again"


async def test_a_daily_lesson_that_cannot_reach_telegram_waits_and_goes_out_later(harness, caplog):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    dan = api.user(904, first_name="Dan")
    await enrol(api, dan)
    before = len(api.messages(dan.id))
    port = int(api.url.rsplit(":", 1)[1])
    await api.stop()  # Telegram unreachable
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    with caplog.at_level(logging.WARNING, logger="bot.jobs.outbox_sender"):
        assert await harness.sweep() == 1
    assert any("postponed" in r.getMessage() for r in caplog.records)
    assert not any("refused" in r.getMessage() for r in caplog.records), "an outage is not a refusal"
    api.port = port
    await api.start()
    clock.set(datetime(2026, 3, 2, 9, 5, tzinfo=UTC))  # the back-off has passed: it is tried again
    assert await harness.sweep() == 0, "the same bundle, not a new one"
    assert any("leçon du jour" in m.text for m in api.messages(dan.id)[before:])


async def test_a_button_pressed_while_the_bot_was_down_still_does_its_job(harness, monkeypatch):
    api = harness.api
    eli = api.user(905, first_name="Éli")
    menu = await enrol(api, eli)

    async def too_old(_params: dict) -> bool:  # what Telegram answers past the query's answer window
        raise ApiBadRequest("query is too old and response timeout expired or query ID is invalid")

    monkeypatch.setattr(api.methods, "m_answercallbackquery", too_old)
    await eli.press(menu, "📖 Les images")
    page = await api.wait_for_message(eli.id, after=menu)
    assert "Les images" in page.text
    await asyncio.sleep(0.3)
    assert not any("Telegram a refusé" in m.text for m in api.messages(eli.id))


async def test_a_bundle_cut_by_a_network_error_on_its_third_call_sends_only_what_was_missing(harness):
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 5, 0, tzinfo=UTC))
    eve = api.user(905, first_name="Eve")
    await enrol(api, eve)
    before = len(api.messages(eve.id))
    api.fail_send(eve.id, 3)  # the greeting and the lesson go out, then the poll meets a 502 once
    clock.set(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert await harness.sweep() == 1
    with Session(harness.engine) as session:
        row = session.exec(select(OutboxMessage)).one()
    assert (row.status, row.attempts) == ("queued", 1), "the network error requeued the bundle"
    clock.advance(minutes=5)
    await harness.drain()
    delivered = api.messages(eve.id)[before:]
    greetings = [m for m in delivered if "leçon du jour" in (m.text or "")]
    lessons = [m for m in delivered if "Les images" in (m.text or "")]
    polls = [m for m in delivered if m.poll is not None]
    assert (len(greetings), len(lessons), len(polls)) == (1, 1, 1), [m.text for m in delivered]
    with Session(harness.engine) as session:
        assert session.exec(select(OutboxMessage)).one().status == "sent"
