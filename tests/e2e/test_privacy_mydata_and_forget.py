"""A learner's data is theirs: /privacy says what is kept, why, how long and who sees it; /mydata sends all of it as a
JSON file; /forget, after a button, erases it all (their lab first), while a group's board keeps their points under
"a former member" and a certificate they had answers /verify as withdrawn. Inactive learners are purged after
DATA_RETENTION_DAYS."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from bot_harness import REPO_CONTENT
from class_school import TEACHER, open_class, said
from group_play import final_board, make_group, next_poll, time_is_up
from lab_fakes import FakeLab
from learner_traces import traces
from sqlmodel import Session, select

from bot.jobs.retention import JOB_NAME, run_retention
from bot.storage.models import ClassMember, Enrollment, Learner, OutboxMessage
from bot.storage.review_models import Certificate
from sandbox.errors import LabUnavailable


def learner_id_of(engine, telegram_id: int) -> int | None:
    with Session(engine) as session:
        return session.exec(select(Learner.id).where(Learner.telegram_id == telegram_id)).first()


async def test_privacy_says_what_is_kept_why_how_long_and_who_sees_it_in_french_and_english(harness):
    api = harness.api
    ines = api.user(4101, first_name="Inès")
    text = (await said(api, ines, "/privacy")).text
    assert "Ce que je garde" in text and "formateurs de tes classes" in text and "membres d'un groupe" in text
    assert "365 jours" in text and "/mydata" in text and "/forget" in text, text
    amy = api.user(4102, first_name="Amy", language_code="en")
    text = (await said(api, amy, "/privacy")).text
    assert "What I keep" in text and "instructors of your classes" in text and "365 days" in text, text
    assert "a former member" in text and "withdrawn at its holder's request" in text

    menu = harness.api.store.commands
    assert {"privacy", "mydata", "forget"} <= {c["command"] for c in menu[""]} & {c["command"] for c in menu["en"]}
    help_text = (await said(api, ines, "/help")).text
    assert "/privacy" in help_text and "/mydata" in help_text and "/forget" in help_text, help_text


async def test_mydata_sends_everything_the_bot_keeps_as_a_json_document(harness):
    api = harness.api
    ines = api.user(4111, first_name="Inès")
    await said(api, ines, "/start mini")
    sent = await ines.send("/mydata")
    message = await api.wait_for_message(ines.id, after=sent, predicate=lambda m: m.document is not None)
    assert message.document.filename == f"mydata-{ines.id}.json" and "JSON" in message.caption
    document = json.loads(message.document.data)
    assert document["telegram_id"] == ines.id
    assert document["tables"]["learner"][0]["first_name"] == "Inès"
    assert document["tables"]["enrollment"][0]["course_id"] == "mini"
    assert all(row.get("learner_id") in (None, document["tables"]["learner"][0]["id"])
               for rows in document["tables"].values() for row in rows), "nobody else's rows"


async def test_forget_asks_first_and_a_cancel_keeps_everything(harness):
    api = harness.api
    ugo = api.user(4121, first_name="Ugo", language_code="en")
    await said(api, ugo, "/start mini")
    question = await said(api, ugo, "/forget")
    assert "Erase everything?" in question.text and "/mydata" in question.text
    assert learner_id_of(harness.engine, ugo.id) is not None, "nothing is erased before the yes"
    await ugo.press(question, "Cancel")
    answer = await api.wait_for_message(ugo.id, after=question)
    assert "erased nothing" in answer.text and api.messages(ugo.id)[-2].buttons == []
    assert learner_id_of(harness.engine, ugo.id) is not None


async def test_a_forgotten_learner_leaves_no_trace_their_lab_is_erased_the_board_keeps_a_former_member_and_their_certificate_is_withdrawn(  # noqa: E501
        make_harness, local_api, clock):
    lab = FakeLab()
    bot = await make_harness(content=REPO_CONTENT, sandbox=lab)
    api = local_api
    group, admin, (ana, bob) = make_group(api, -7101, 2)
    await said(api, ana, "/start docker-fr")
    await said(api, ana, "/run docker ps")
    ana_id = learner_id_of(bot.engine, ana.id)
    with Session(bot.engine) as session:  # a certificate she was given earlier
        session.add(Certificate(code="ANACODE42", learner_id=ana_id, course_id="docker-fr", name="P000",
                                course_title="Docker", score=18, total=20, issued_at=clock.now()))
        session.commit()
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2), (bob, poll.poll.correct_option_id, 3.0)])
    await time_is_up(bot, poll)
    await final_board(api, group.id, poll.message_id)
    assert "✅ Certificat valide : <b>P000</b>" in (await said(api, bob, "/verify ANACODE42")).html
    sent = await bob.send("/top all", chat=group)
    assert "🥇 P000 · " in (await api.wait_for_message(group.id, after=sent.message_id, timeout=5)).text
    markers = ("P000", "docker ps")  # her name, and a command only she ran
    assert {"learner", "enrollment", "exerciseattempt", "certificate", "quiz_game_result", "quiz_game_player",
            "quiz_game_answer", "quiz_group_member"} <= set(traces(bot.engine, learner_id=ana_id, telegram_id=ana.id,
                                                                  markers=markers)), "the search finds her (control)"

    question = await said(api, ana, "/forget")
    assert "Tout effacer ?" in question.text and lab.resets == []
    await ana.press(question, "🗑 Oui, tout effacer")
    done = await api.wait_for_message(ana.id, after=question)
    assert "j'ai tout effacé de toi" in done.text
    assert lab.resets == [ana_id], "her own workspace, disks and images were erased"
    assert traces(bot.engine, learner_id=ana_id, telegram_id=ana.id, markers=markers) == {}, "no table keeps her"

    sent = await bob.send("/top all", chat=group)
    board = (await api.wait_for_message(group.id, after=sent.message_id, timeout=5)).text
    assert "🥇 un ancien membre · " in board and "P000" not in board and "🥈 P001" in board, board
    verify = await said(api, bob, "/verify ANACODE42")
    assert "retiré à la demande de son titulaire" in verify.text and "P000" not in verify.text, verify.text


async def test_a_lab_that_cannot_erase_the_workspace_leaves_everything_in_place(make_harness, local_api):
    class BrokenLab(FakeLab):
        async def reset(self, *, learner_id: int) -> None:
            raise LabUnavailable("docker host does not answer")

    bot = await make_harness(sandbox=BrokenLab())
    ivy = local_api.user(4131, first_name="Ivy")
    await said(local_api, ivy, "/start mini")
    question = await said(local_api, ivy, "/forget")
    await ivy.press(question, "🗑 Oui, tout effacer")
    answer = await local_api.wait_for_message(ivy.id, after=question)
    assert "je n'ai rien effacé" in answer.text
    assert learner_id_of(bot.engine, ivy.id) is not None


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3", learners=2,
                            learner_name="Élève")


async def test_a_member_who_is_forgotten_leaves_the_class_statistics(school):
    api = school.api
    gone, stays = school.learners
    question = await said(api, gone, "/forget")
    await gone.press(question, "🗑 Oui, tout effacer")
    await api.wait_for_message(gone.id, after=question, predicate=lambda m: "tout effacé" in m.text)
    stats = await said(api, school.teacher, "/class stats", predicate=lambda m: "📊" in (m.text or ""))
    assert "1 membre(s)" in stats.text and "Élève1" in stats.text and "Élève0" not in stats.text, stats.text


async def test_learners_inactive_for_the_retention_period_are_purged(make_harness, local_api, clock):
    bot = await make_harness(data_retention_days=30)
    assert bot.application.job_queue.get_jobs_by_name(JOB_NAME), "the purge runs on its own"
    old, recent = local_api.user(4141, first_name="Olga"), local_api.user(4142, first_name="Rémi")
    await said(local_api, old, "/start mini")
    old_id = learner_id_of(bot.engine, old.id)
    with Session(bot.engine) as session:  # a copy of a message the bot sent her back then
        session.add(OutboxMessage(key="old-copy", kind="text", chat_id=recent.id, payload="{}", status="sent",
                                  not_before=clock.now(), created_at=clock.now()))
        session.commit()
    clock.advance(days=20)
    await said(local_api, recent, "/start mini")
    clock.advance(days=10, seconds=1)  # Olga: 30 days and a second without a word; Rémi: 10 days

    assert await run_retention(bot.context()) == 1
    assert traces(bot.engine, learner_id=old_id, telegram_id=old.id, markers=("Olga",)) == {}
    assert learner_id_of(bot.engine, recent.id) is not None, "an active learner stays"
    with Session(bot.engine) as session:
        assert session.exec(select(OutboxMessage).where(OutboxMessage.key == "old-copy")).first() is None
    assert await run_retention(bot.context()) == 0, "nobody else is due"


async def test_a_retention_of_zero_keeps_everyone(make_harness, local_api, clock):
    bot = await make_harness(data_retention_days=0)
    assert not bot.application.job_queue.get_jobs_by_name(JOB_NAME)
    kim = local_api.user(4151, first_name="Kim")
    await said(local_api, kim, "/start mini")
    clock.advance(days=3650)
    assert await run_retention(bot.context()) == 0
    assert learner_id_of(bot.engine, kim.id) is not None


async def test_deleting_a_class_removes_its_members_class_data_past_members_included(school):
    api = school.api
    left, stays = school.learners
    assert "Docker L3" in (await said(api, left, "/leave")).text
    question = await said(api, school.teacher, "/class delete")
    await school.teacher.press(question, "🗑 Oui, supprimer")
    await api.wait_for_message(TEACHER, after=question, predicate=lambda m: "supprimée" in m.text)
    with Session(school.engine) as session:
        assert session.exec(select(ClassMember)).all() == [], "no membership of the deleted class is kept"
        enrolled = session.exec(select(Enrollment.learner_id)).all()
    assert {learner_id_of(school.engine, left.id), learner_id_of(school.engine, stays.id)} <= set(enrolled), \
        "their own progress stays theirs"
