"""A button press does its database work in the same trip as finding who pressed, and /lesson costs
one trip to find the lesson (plus the one that counts it as read).

`on_press(..., visit=...)` (bot/handlers/buttons.py) runs a press's work with the learner's touch:
one transaction per press; a stale reference found there is answered "this button expired"
(`Database.as_visitor_refusing`: the work undone, the learner kept and known, in the same trip).
"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from transaction_count import count_transactions, quiet_background_work, read_recorded

from bot.callbacks import QuizModule
from bot.services.errors import StaleReference, UnknownCourse
from bot.services.learners import LearnerDefaults
from bot.services.unit_of_work import Database, Identity, Refused
from bot.storage import crud, make_engine, upgrade_database

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)





async def answer_of(api, query_id: str):
    return await api.wait_for_callback_answer(query_id)


async def test_lesson_then_the_next_question_button_cost_one_trip_each(make_harness):
    harness = await make_harness(periodic_jobs=False)
    api, engine = harness.api, harness.engine
    await quiet_background_work(harness.application)
    gus = api.user(71, first_name="Gus", language_code="fr")
    sent = await gus.send("/start mini")
    await api.wait_for_message(gus.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=5)

    begun = count_transactions(engine)
    sent = await gus.send("/lesson")
    page = await api.wait_for_message(gus.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=5)
    assert "image" in page.text.lower()
    await read_recorded(engine, "m1-images")  # the page is counted as read once it is shown: the second one
    assert len(begun) == 2

    sent = await gus.send("/quiz")
    question = await api.wait_for_message(gus.id, after=sent, predicate=lambda m: "Question" in m.text, timeout=5)
    right = next(line[0] for line in question.text.split("\n") if line[3:] == "Un modèle en lecture seule")
    await gus.press(question, right)
    verdict = await api.wait_for_edit(question, timeout=5)
    onward = next(label for label, _ in verdict.buttons if "question" in label.lower())

    begun.clear()
    await gus.press(verdict, onward)  # "next question": the module's next question, in one transaction
    following = await api.wait_for_message(gus.id, after=verdict, predicate=lambda m: bool(m.buttons), timeout=5)
    assert following.text != question.text
    assert len(begun) == 1


async def test_a_quiz_button_pressed_by_someone_not_enrolled_is_answered_expired(harness):
    api = harness.api
    ivy = api.user(73, first_name="Ivy", language_code="fr")
    sent = await ivy.send("/start")  # no course yet: the courses are offered
    offer = await api.wait_for_message(ivy.id, after=sent, predicate=lambda m: bool(m.buttons), timeout=5)
    query_id = await ivy.press(offer, data=QuizModule("m1").encode())  # a quiz button from another time
    answer = await answer_of(api, query_id)
    assert answer.show_alert and "plus valable" in (answer.text or "")
    me = await harness.application.bot_data["services"].db.touch(Identity(73, "Ivy", "fr"))
    assert (me.created, me.active_course) == (False, None)  # recorded, and nothing enrolled by the press


async def test_a_refused_unit_is_undone_but_the_learner_kept_and_known(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    db = Database(engine, defaults=LearnerDefaults("fr", "Europe/Paris", time(9, 0)), now=lambda: NOW)
    try:
        def enrol_then_refuse(session, me):
            crud.update_learner_values(session=session, learner_id=me.id, values={"active_course": "mini"})
            raise StaleReference("question gone")

        me, outcome = await db.as_visitor_refusing(Identity(74, "Jo", "en"), enrol_then_refuse, (StaleReference,))
        assert isinstance(outcome, Refused) and isinstance(outcome.error, StaleReference)
        assert (me.first_name, me.lang, me.created, me.active_course) == ("Jo", "en", True, None)
        again = await db.touch(Identity(74, "Jo", "en"))
        assert (again.id, again.created, again.active_course) == (me.id, False, None)  # the change was undone

        def fail(session, me):
            raise UnknownCourse("not refused: raised")

        with pytest.raises(UnknownCourse):
            await db.as_visitor_refusing(Identity(75, "Kim", "fr"), fail, (StaleReference,))
        kim = await db.touch(Identity(75, "Kim", "fr"))
        assert not kim.created  # kept, as any failed unit keeps the touch
    finally:
        db.close()
        engine.dispose()
