"""A learner's /start, /quiz and quiz answer each cost the bot one transaction, and lose nothing when a unit fails.

Who sent the update and what the update does to their progress are one unit of work
(`Database.as_identity`): one trip to the database thread and one commit per update.
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from sqlalchemy import event, func
from sqlmodel import select
from transaction_count import count_transactions, quiet_background_work, read_recorded

from bot.services import learners
from bot.services.errors import UnknownCourse
from bot.services.learners import LearnerDefaults, update_learner
from bot.services.unit_of_work import Database, Identity
from bot.storage import make_engine, upgrade_database
from bot.storage.models import Enrollment, Learner, QuizAnswer

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)



@pytest.fixture
def db(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    database = Database(engine, defaults=LearnerDefaults("fr", "Europe/Paris", time(9, 0)), now=lambda: NOW)
    yield database
    database.close()
    engine.dispose()


async def test_the_learner_and_the_work_come_back_from_one_transaction(db):
    begun = count_transactions(db.engine)
    me, language = await db.as_identity(Identity(61, "Ana", "en"), lambda session, row: row.language)
    assert (me.first_name, me.lang, me.created, language) == ("Ana", "en", True, "en")
    assert len(begun) == 1
    again, _ = await db.as_identity(Identity(61, "Ana", "en"), lambda session, row: None)
    assert (again.id, again.created) == (me.id, False)


async def test_a_failed_unit_is_undone_but_the_new_learner_is_kept(db):
    def change_then_fail(session, row):
        update_learner(session=session, learner=row, language="fr")
        raise UnknownCourse("nope")

    with pytest.raises(UnknownCourse):
        await db.as_identity(Identity(62, "Bob", "en"), change_then_fail)
    learners = await db.run(lambda session: [(r.first_name, r.language) for r in session.exec(select(Learner))])
    assert learners == [("Bob", "en")]


async def test_a_unit_of_work_may_not_hand_back_a_live_row(db):
    with pytest.raises(TypeError, match="return a value"):
        await db.as_identity(Identity(63, "Cy", "fr"), lambda session, row: row)




async def test_start_quiz_and_an_answer_cost_one_transaction_each(make_harness):
    harness = await make_harness(periodic_jobs=False)
    api, engine = harness.api, harness.engine
    await quiet_background_work(harness.application)
    ana = api.user(64, first_name="Ana", language_code="fr")
    begun = count_transactions(engine)

    sent = await ana.send("/start mini")
    menu = await api.wait_for_message(ana.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=5)
    assert "Mini cours Docker" in menu.text and len(begun) == 1

    # quizzes ask about lessons read: read the first one (its single page counts it as read)
    sent = await ana.send("/lesson")
    await api.wait_for_message(ana.id, after=sent, timeout=5)
    await read_recorded(engine, "m1-images")  # the page is counted as read once it is shown
    begun.clear()

    sent = await ana.send("/quiz")
    question = await api.wait_for_message(ana.id, after=sent, predicate=lambda m: "Question" in m.text, timeout=5)
    assert len(begun) == 1

    # options are shuffled per learner: press the letter the right option has in this message
    right = next(line[0] for line in question.text.split("\n") if line[3:] == "Un modèle en lecture seule")
    await ana.press(question, right)
    verdict = await api.wait_for_edit(question, timeout=5)
    assert "Bonne réponse" in verdict.text and "modèle en lecture seule ;" in verdict.text
    assert len(begun) == 2

    def stored(session):
        return (session.exec(select(func.count()).select_from(Enrollment)).one(),
                session.exec(select(func.count()).select_from(QuizAnswer)).one())

    assert await harness.application.bot_data["services"].db.run(stored) == (1, 1)


async def test_an_unknown_course_in_a_deep_link_still_welcomes_and_records_the_learner(harness):
    api = harness.api
    bea = api.user(65, first_name="Bea", language_code="fr")
    sent = await bea.send("/start nope")
    refusal = await api.wait_for_message(bea.id, after=sent, timeout=5)
    assert "nope" in refusal.text
    courses = await api.wait_for_message(bea.id, after=refusal, timeout=5)
    assert "Mini cours Docker" in courses.text
    known = await harness.application.bot_data["services"].db.run(
        lambda session: session.exec(select(Learner.first_name).where(Learner.telegram_id == 65)).all())
    assert known == ["Bea"]


async def test_a_stale_answer_button_is_answered_with_an_alert(harness):
    api = harness.api
    cy = api.user(66, first_name="Cy", language_code="fr")
    sent = await cy.send("/start mini")
    await api.wait_for_message(cy.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=5)
    sent = await cy.send("/lesson")  # quizzes ask about lessons read
    await api.wait_for_message(cy.id, after=sent, timeout=5)
    sent = await cy.send("/quiz")
    question = await api.wait_for_message(cy.id, after=sent, predicate=lambda m: "Question" in m.text, timeout=5)
    query_id = await cy.press(question, data="ans:no-such-question:1")
    answer = await api.wait_for_callback_answer(query_id)
    assert answer.show_alert and "plus valable" in (answer.text or "")
    query_id = await cy.press(question, data="ans:broken")
    answer = await api.wait_for_callback_answer(query_id)
    assert answer.show_alert and "plus valable" in (answer.text or "")


async def test_touch_creates_renames_and_unblocks_without_writing_when_nothing_changed(db):
    me = await db.touch(Identity(67, "Dee", "en"))
    assert (me.first_name, me.lang, me.timezone, me.paused, me.active_course, me.created) == (
        "Dee", "en", "Europe/Paris", False, None, True)
    writes: list[str] = []
    event.listen(db.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: writes.append(statement) if not statement.startswith("SELECT") else None)
    again = await db.touch(Identity(67, "Dee", "en"))
    assert (again.id, again.created, writes) == (me.id, False, [])
    await db.run(lambda session: learners.mark_blocked(session=session, telegram_id=67))
    renamed = await db.touch(Identity(67, "Dora", "en"))
    assert renamed.first_name == "Dora"
    rows = await db.run(lambda session: [(r.first_name, r.blocked) for r in session.exec(select(Learner))])
    assert rows == [("Dora", False)]


async def test_a_visitor_unit_sees_the_learner_as_values_and_keeps_them_if_it_fails(db):
    me, seen = await db.as_visitor(Identity(68, "Eve", "fr"), lambda session, who: (who.id, who.lang))
    assert seen == (me.id, "fr")

    def fail(session, who):
        raise UnknownCourse("nope")

    with pytest.raises(UnknownCourse):
        await db.as_visitor(Identity(69, "Fay", "fr"), fail)
    names = await db.run(lambda session: sorted(session.exec(select(Learner.first_name)).all()))
    assert names == ["Eve", "Fay"]
