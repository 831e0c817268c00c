"""An instructor deletes a class: each member is told, in their own language, through the outbox (durable, paced,
like every message the bot sends on its own), and nothing the class had scheduled goes out afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, open_class, said
from sqlmodel import Session, select

from bot.storage.models import OutboxMessage, ScheduledPost


@pytest.fixture
async def school(make_harness):
    # no periodic jobs: the daily lesson (due at 9:00 Paris, the class's start) would join the notices; the
    # test runs the class sweep when it says so
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), periodic_jobs=False)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=2)


async def test_members_are_told_in_their_language_that_their_class_was_deleted(school):
    api = school.api
    amy = api.user(3100, first_name="Amy", language_code="en")
    await said(api, amy, f"/start j-{school.code}")
    french, english = school.learners[0], amy
    await said(api, school.teacher, "/schedule demain 9:00 lesson m1-images")
    await said(api, school.teacher, "/schedule demain 10:00 announce Rappel du TP")
    marks = {user.id: len(api.messages(user.id)) for user in (*school.learners, amy)}

    await school.application.bot_data["outbox"].stop()  # nothing goes out yet: the notices wait in the outbox
    question = await said(api, school.teacher, "/class delete")
    await school.teacher.press(question, "🗑 Oui, supprimer")
    done = await api.wait_for_message(TEACHER, after=question)
    assert "supprimée" in done.text
    with Session(school.engine) as session:
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "text",
                                                           OutboxMessage.status == "queued")).all()
        assert {row.chat_id for row in notices} == {french.id, school.learners[1].id, amy.id}, \
            "one queued notice per member, nobody else"
        assert {p.status for p in session.exec(select(ScheduledPost))} == {"cancelled"}

    await school.application.bot_data["outbox"].start()
    await school.drain()
    told_fr = [m.text for m in bot_messages(api, french.id, marks[french.id])]
    told_en = [m.text for m in bot_messages(api, english.id, marks[english.id])]
    assert len(told_fr) == 1 and "Docker L3" in told_fr[0] and "supprimée" in told_fr[0], told_fr
    assert len(told_en) == 1 and "Docker L3" in told_en[0] and "deleted" in told_en[0], told_en
    assert bot_messages(api, TEACHER, len(api.messages(TEACHER))) == []

    # the class's scheduled lesson and announcement never go out
    school.clock.set(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert await class_sweep(school.harness) == 0
    assert all("Rappel du TP" not in (m.text or "") and "Les images" not in (m.text or "")
               for user in (*school.learners, amy) for m in bot_messages(api, user.id, marks[user.id]))


async def test_an_announcement_still_going_out_stops_when_its_class_is_deleted(school):
    api = school.api
    await school.application.bot_data["outbox"].stop()  # the broadcast has not gone out yet
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce Sortie vendredi")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    await school.teacher.press(control, "📣 Envoyer")
    await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    question = await said(api, school.teacher, "/class delete", predicate=lambda m: bool(m.buttons))
    await school.teacher.press(question, "🗑 Oui, supprimer")
    await api.wait_for_message(TEACHER, after=question, predicate=lambda m: "supprimée" in (m.text or ""))
    await school.application.bot_data["outbox"].start()
    await school.drain()
    for learner in school.learners:
        got = [m.text or "" for m in bot_messages(api, learner.id)]
        assert not any("Sortie" in text for text in got), got
        assert any("supprimée" in text for text in got), got
