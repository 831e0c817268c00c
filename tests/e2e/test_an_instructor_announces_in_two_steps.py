"""An instructor on a phone sends `/announce`, then the text as the next message, as anyone would: the text is the
announcement (it used to get the lab's "type a command" and was lost). The wait survives a restart, `/cancel`
ends it, and another command simply runs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, open_class, said


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3 2026", learners=1)


async def _announce_in_two_steps(school, text: str):
    api = school.api
    asked = await said(api, school.teacher, "/announce")
    assert "Envoie maintenant ton annonce" in asked.text
    sent = await school.teacher.send(text)
    return await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: bool(m.buttons))


async def test_the_next_message_after_announce_is_the_announcement_and_reaches_the_class(school):
    api = school.api
    member = school.learners[0]
    mark = len(api.messages(member.id))
    control = await _announce_in_two_steps(school, "Le TP de jeudi passe en salle B12")
    assert "Envoyer" in " ".join(label for label, _ in control.buttons), "the preview's buttons"
    await school.teacher.press(control, "📣 Envoyer")
    await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    await school.drain()
    got = [m.text for m in bot_messages(api, member.id, mark) if "salle B12" in (m.text or "")]
    assert len(got) == 1 and "Docker L3 2026" in got[0]


async def test_the_wait_survives_a_restart(school):
    api = school.api
    asked = await said(api, school.teacher, "/announce")
    assert "Envoie maintenant" in asked.text
    await school.restart()
    sent = await school.teacher.send("Cours annulé demain")
    control = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: bool(m.buttons))
    assert any("Cours annulé demain" in (m.text or "") for m in api.messages(TEACHER)[-4:]), "the preview shows it"
    assert "Envoyer" in " ".join(label for label, _ in control.buttons)


async def test_cancel_ends_the_wait_and_the_next_text_is_not_an_announcement(school):
    api = school.api
    await said(api, school.teacher, "/announce")
    cancelled = await said(api, school.teacher, "/cancel")
    assert "abandonnée" in cancelled.text
    answer = await said(api, school.teacher, "salut")
    assert not answer.buttons or "Envoyer" not in " ".join(label for label, _ in answer.buttons)
    assert "aperçu" not in answer.text.lower()


async def test_another_command_runs_and_ends_the_wait(school):
    api = school.api
    await said(api, school.teacher, "/announce")
    help_ = await said(api, school.teacher, "/help", predicate=lambda m: "/start" in (m.text or ""))
    assert "/announce" in help_.text
    answer = await said(api, school.teacher, "merci")
    assert "Envoyer" not in " ".join(label for label, _ in answer.buttons), "no longer waiting for an announcement"


async def test_a_learner_cannot_open_the_wait(school):
    api = school.api
    member = school.learners[0]
    refused = await said(api, member, "/announce")
    assert "Envoie maintenant" not in refused.text
    answer = await said(api, member, "salut")
    assert "Envoyer" not in " ".join(label for label, _ in answer.buttons)


async def test_programmer_asks_when_and_the_answer_schedules_the_announcement(school):
    api = school.api
    control = await _announce_in_two_steps(school, "Rappel : TP noté vendredi")
    await school.teacher.press(control, next(label for label, _ in control.buttons if "Programmer" in label))
    asked = await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Quand" in (m.text or ""))
    assert "demain 9:00" in asked.text
    sent = await school.teacher.send("2026-03-02 14:30")
    scheduled = await api.wait_for_message(TEACHER, after=sent)
    assert "2026-03-02 14:30" in scheduled.text, scheduled.text
    answer = await said(api, school.teacher, "2026-03-03 10:00")
    assert "2026-03-03 10:00" not in answer.text, "the wait ended with the first answer"


async def test_the_command_on_its_own_line_is_not_part_of_the_announcement(school):
    api = school.api
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce\nLe TP de jeudi\npasse en salle B12")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    preview = [m.text for m in api.messages(TEACHER) if before < m.message_id < control.message_id]
    assert any("Le TP de jeudi" in p for p in preview), preview
    assert not any("/announce" in p for p in preview), "the command is not announced to the class"
