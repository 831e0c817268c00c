"""Every bad input an instructor or a learner can give a class gets a clear answer and loses nothing."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from class_school import TEACHER, join_code, open_class, said
from sqlmodel import Session, select

from bot.jobs.class_calendar import run_class_sweep
from bot.storage.models import ClassMember, OutboxMessage, ScheduledPost

COTEACHER = 701


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))


async def test_a_forged_join_code_is_refused(school):
    api = school.api
    eve = api.user(2001, first_name="Eve")
    answer = await said(api, eve, "/start j-" + "A" * 22)
    assert "n'existe pas" in answer.text


async def test_a_revoked_code_is_refused_and_the_new_one_works(school):
    api = school.api
    revoked = await said(api, school.teacher, "/class revoke")
    new_code = join_code(revoked.text)
    eve = api.user(2002, first_name="Eve")
    assert "désactivé" in (await said(api, eve, f"/start j-{school.code}")).text
    assert "Bienvenue" in (await said(api, eve, f"/start j-{new_code}")).text


async def test_an_expired_code_is_refused(school):
    api, clock = school.api, school.clock
    link = await said(api, school.teacher, "/class expire 2026-03-05")
    assert "2026-03-05" in link.text
    code = join_code(link.text)
    clock.set(datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
    eve = api.user(2003, first_name="Eve")
    assert "expiré" in (await said(api, eve, f"/start j-{code}")).text


async def test_a_full_class_refuses_the_next_learner(school):
    api = school.api
    link = await said(api, school.teacher, "/class cap 2")
    code = join_code(link.text)
    for user_id in (2004, 2005):
        assert "Bienvenue" in (await said(api, api.user(user_id), f"/start j-{code}")).text
    assert "complète" in (await said(api, api.user(2006), f"/start j-{code}")).text
    assert "déjà" in (await said(api, api.user(2004), f"/start j-{code}")).text, "a member is not refused"


async def test_a_learner_leaves_and_gets_no_more_class_lessons(school):
    api = school.api
    eve = api.user(2007, first_name="Eve")
    await said(api, eve, f"/start j-{school.code}")
    question = await said(api, eve, "/leave")
    await eve.press(question, "👋 Oui, quitter")
    await api.wait_for_message(eve.id, after=question, predicate=lambda m: "Docker L3" in (m.text or ""))
    assert "aucune classe" in (await said(api, eve, "/leave")).text
    assert "aucun membre" in (await said(api, school.teacher, "/push m1-images")).text


async def test_a_markdown_file_with_errors_comes_back_as_line_problem(school):
    api = school.api
    before = api.last_message_id(TEACHER)
    markdown = "# Titre\n\nUn tableau :\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    await school.teacher.send_document("annonce.md", markdown.encode())
    answer = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: "problèmes" in (m.text or ""))
    assert re.search(r"\n\d+: ", answer.text), answer.text


async def test_a_20_mb_file_is_refused_with_the_reason(school):
    api = school.api
    before = api.last_message_id(TEACHER)
    await school.teacher.send_document("cours.pdf", b"0" * (20 * 1024 * 1024 + 1), caption="/announce Le support")
    answer = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: "Rien n'est envoyé" in (m.text or ""))
    assert "20 Mo" in answer.text and "Rien n'est envoyé" in answer.text


async def test_an_announcement_over_telegrams_limit_is_split_or_refused(school):
    api = school.api
    paragraph = "Un long paragraphe sur les volumes Docker et leurs usages. " * 30
    long_text = "\n\n".join([paragraph] * 4)  # about 7,000 characters: two messages
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce " + long_text)
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    assert "2 message(s)" in control.text
    previews = [m for m in api.messages(TEACHER) if m.message_id > before and "paragraphe" in (m.text or "")]
    assert len(previews) == 2 and all(len(m.text) <= 4096 for m in previews)
    huge = "\n\n".join([paragraph] * 30)
    answer = await said(api, school.teacher, "/announce " + huge)
    assert "problèmes" in answer.text and "trop long" in answer.text


async def test_scheduling_in_the_past_or_in_an_unknown_zone_is_refused(school):
    api = school.api
    assert "déjà passé" in (await said(api, school.teacher, "/schedule 2026-03-01 09:00 lesson m1-images")).text
    assert "pas un moment lisible" in (await said(api, school.teacher, "/schedule 31/02 9:00 lesson m1-images")).text \
        or "Exemples" in (await said(api, school.teacher, "/schedule 31/02 9:00 lesson m1-images")).text
    assert "ne connais pas le fuseau" in (await said(api, school.teacher, "/class new Mars tz=Mars/Olympus")).text
    assert "pas de leçon" in (await said(api, school.teacher, "/schedule demain 9:00 lesson nope")).text


async def test_deleting_a_class_cancels_its_scheduled_pushes(school):
    api = school.api
    await said(api, api.user(2010), f"/start j-{school.code}")
    await said(api, school.teacher, "/schedule demain 9:00 lesson m1-images")
    await said(api, school.teacher, "/schedule demain 10:00 announce Rappel")
    question = await said(api, school.teacher, "/class delete")
    assert "2 envoi(s)" in question.text
    await school.teacher.press(question, "🗑 Oui, supprimer")
    done = await api.wait_for_message(TEACHER, after=question)
    assert "supprimée" in done.text and "2 envoi(s)" in done.text
    with Session(school.engine) as session:
        assert {p.status for p in session.exec(select(ScheduledPost))} == {"cancelled"}
    school.clock.set(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert await run_class_sweep(school.context()) == 0
    assert "Je ne trouve pas" in (await said(api, school.teacher, "/push")).text or \
        "réservée" in (await said(api, school.teacher, "/push")).text


async def test_a_learner_who_blocked_the_bot_is_counted_as_blocked_in_the_broadcast(school):
    api = school.api
    members = [api.user(2020 + i, first_name=f"M{i}") for i in range(3)]
    for member in members:
        await said(api, member, f"/start j-{school.code}")
    members[0].chat.blocked = True
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce Demain : TP")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    await school.teacher.press(control, "📣 Envoyer")
    status = await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    await school.drain()
    for _ in range(100):
        if "Terminé" in (status.text or ""):
            break
        await asyncio.sleep(0.1)
    assert "Envoyés : 2" in status.text and "Bloqués : 1" in status.text, status.text


async def test_two_instructors_pushing_at_once_send_each_lesson_once(school):
    api = school.api
    invite = await said(api, school.teacher, "/class invite")
    code = re.search(r"start=i-([A-Za-z0-9_-]{22})", invite.text).group(1)
    co = api.user(COTEACHER, first_name="Co")
    assert "co-formateur" in (await said(api, co, f"/start i-{code}")).text
    assert "déjà été utilisé" in (await said(api, api.user(2099), f"/start i-{code}")).text or \
        "désactivé" in (await said(api, api.user(2099), f"/start i-{code}")).text
    members = [api.user(2030 + i, first_name=f"M{i}") for i in range(5)]
    for member in members:
        await said(api, member, f"/start j-{school.code}")
    await said(api, school.teacher, "/class plan weekdays 2026-03-09 09:00")
    marks = {m.id: len(api.messages(m.id)) for m in members}
    first = await school.teacher.send("/push")
    second = await co.send("/push")
    answers = [await api.wait_for_message(TEACHER, after=first), await api.wait_for_message(COTEACHER, after=second)]
    await school.drain()
    assert all("Les images" in a.text or "Les conteneurs" in a.text for a in answers), [a.text for a in answers]
    for member in members:
        greetings = [m for m in api.messages(member.id)[marks[member.id]:] if "Docker L3" in (m.text or "")]
        lessons = [m.text.split("\n")[0] for m in api.messages(member.id)[marks[member.id]:]
                   if m.text and m.text.startswith("Les ")]
        assert len(lessons) == len(set(lessons)), "never two copies of a lesson"
        assert len(greetings) == 2, "two different lessons, pushed by two instructors"
    with Session(school.engine) as session:
        assert len(session.exec(select(ClassMember)).all()) == 5
        keys = [row.key for row in session.exec(select(OutboxMessage))]
    assert len(keys) == len(set(keys))


async def test_the_code_joins_after_start_and_a_bare_word_is_not_taken_for_a_code(school):
    api = school.api
    eve = api.user(2040, first_name="Eve")
    assert "Bienvenue" in (await said(api, eve, f"/start {school.code}")).text
    sam = api.user(2041, first_name="Sam")
    await said(api, sam, "/start mini", predicate=lambda m: bool(m.buttons))
    answer = await said(api, sam, "docker-compose-version")  # 22 characters, as a code has
    assert "classe" not in answer.text and "code" not in answer.text


async def test_an_instructor_stops_a_broadcast_and_what_was_not_sent_is_cancelled(school):
    api = school.api
    members = [api.user(2050 + i, first_name=f"M{i}") for i in range(4)]
    for member in members:
        await said(api, member, f"/start j-{school.code}")
    await school.application.bot_data["outbox"].stop()  # the sender is busy elsewhere: nothing goes out yet
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce Sortie annulée")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    await school.teacher.press(control, "📣 Envoyer")
    status = await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    assert "En attente : 4" in status.text
    await school.teacher.press(status, "⏹ Arrêter l'envoi")
    for _ in range(100):
        if "Annulés : 4" in (status.text or ""):
            break
        await asyncio.sleep(0.05)
    assert "Annulés : 4" in status.text and "Terminé" in status.text, status.text
    assert all("Sortie" not in (m.text or "") for member in members for m in api.messages(member.id))


async def test_a_member_of_a_class_without_a_calendar_keeps_their_own_daily_lesson(school):
    api, clock = school.api, school.clock
    eve = api.user(2060, first_name="Eve")
    await said(api, eve, f"/start j-{school.code}")
    clock.set(datetime(2026, 3, 3, 8, 1, tzinfo=UTC))  # 09:01 Paris
    assert await school.sweep() == 1, "no calendar: the personal daily lesson goes on"
    await said(api, school.teacher, "/class plan weekdays 2026-03-05 09:00")
    clock.set(datetime(2026, 3, 4, 8, 1, tzinfo=UTC))
    assert await school.sweep() == 0, "with a calendar, the class's lessons replace it"
