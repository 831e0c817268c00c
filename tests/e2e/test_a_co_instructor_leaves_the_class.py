"""`/leave` from an instructor: a co-instructor confirms and stops teaching the class (its commands refuse them from
then on, and their instructor menu goes); the class's owner cannot leave it and is told why and what to do instead."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class, said

COTEACHER = 701
REFUSAL = "réservée aux formateurs"


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=1)
    invite = await said(school.api, school.teacher, "/class invite")
    code = re.search(r"start=i-([A-Za-z0-9_-]{22})", invite.text).group(1)
    school.co = school.api.user(COTEACHER, first_name="Co")
    assert "co-formateur" in (await said(school.api, school.co, f"/start i-{code}")).text
    return school


async def menu_has_class(api, chat_id: int, present: bool) -> bool:
    for _ in range(100):  # the menu is changed right after the reply
        if ("class" in api.menu_commands(chat_id)) == present:
            return True
        await asyncio.sleep(0.02)
    return False


async def test_a_co_instructor_confirms_and_stops_teaching_the_class(school):
    api, co = school.api, school.co
    assert await menu_has_class(api, COTEACHER, True)
    assert "Docker L3" in (await said(api, co, "/class plan")).text, "a co-instructor teaches the class"

    question = await said(api, co, "/leave", predicate=lambda m: bool(m.buttons))
    assert "Docker L3" in question.text
    await co.press(question, "Garder la classe")
    kept = await api.wait_for_message(COTEACHER, after=question)
    assert "Docker L3" in kept.text and "toujours" in kept.text
    assert "Docker L3" in (await said(api, co, "/class plan")).text, "keeping changes nothing"

    question = await said(api, co, "/leave", predicate=lambda m: bool(m.buttons))
    await co.press(question, "👋 Ne plus enseigner")
    done = await api.wait_for_message(COTEACHER, after=question)
    assert "Docker L3" in done.text and "n'enseignes plus" in done.text, done.text
    assert REFUSAL in (await said(api, co, "/class plan")).text
    assert REFUSAL in (await said(api, co, "/push")).text
    assert await menu_has_class(api, COTEACHER, False), "the instructor commands leave their menu"
    assert "aucune classe" in (await said(api, co, "/leave")).text, "nothing left to leave"
    assert "Docker L3" in (await said(api, school.teacher, "/class plan")).text, "the class goes on"


async def test_the_owner_cannot_leave_their_class_and_is_told_why(school, caplog):
    api = school.api
    answer = await said(api, school.teacher, "/leave")
    assert "Docker L3" in answer.text and "/class delete" in answer.text, answer.text
    assert not answer.buttons, "nothing to confirm: the owner stays"
    assert "Docker L3" in (await said(api, school.teacher, "/class plan")).text, "still the class's instructor"


async def test_a_learner_confirms_then_leaves_their_class(school):
    api = school.api
    learner = school.learners[0]
    question = await said(api, learner, "/leave")
    assert "Quitter Docker L3" in question.text, "the class is named before anything happens"
    await learner.press(question, "Non, rester")
    await api.wait_for_message(learner.id, after=question, predicate=lambda m: "restes" in (m.text or ""))
    question = await said(api, learner, "/leave")
    assert "Quitter Docker L3" in question.text, "still a member after saying no"
    await learner.press(question, "👋 Oui, quitter")
    left = await api.wait_for_message(learner.id, after=question, predicate=lambda m: "quitté" in (m.text or ""))
    assert "Docker L3" in left.text
    assert "aucune classe" in (await said(api, learner, "/leave")).text
