"""The announcement check names the very mark left open and its escape (`__` -> `\\_\\_`), and catches `*`s a
product or a word would lose to italics (`2*3*4`), instead of previewing a changed text without a word."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class, said


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=1)


@pytest.mark.parametrize(("text", "mark", "escaped"), [
    ("Hello __world", "__", "\\_\\_"),
    ("Hello **world", "**", "\\*\\*"),
    ("Pensez à _relire", "_", "\\_"),
    ("Pensez à *relire", "*", "\\*"),
])
async def test_the_hint_escapes_the_mark_actually_left_open(school, text, mark, escaped):
    answer = await said(school.api, school.teacher, f"/announce {text}")
    assert "rien n'est envoyé" in answer.text and not answer.buttons, answer.text
    assert f"un {mark} sans son partenaire" in answer.text and f"({escaped})" in answer.text, answer.text


async def test_a_product_that_would_lose_its_stars_is_flagged_and_the_escaped_one_goes_through(school):
    api, teacher = school.api, school.teacher
    answer = await said(api, teacher, "/announce Calcul : 2*3*4 = 24")
    assert "rien n'est envoyé" in answer.text and not answer.buttons, answer.text
    assert "2*3*4" in answer.text and "2\\*3\\*4" in answer.text, answer.text

    before = api.last_message_id(TEACHER)
    await teacher.send("/announce Calcul : 2\\*3\\*4 = 24, et *vraiment* en italique")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    preview = [m for m in api.messages(TEACHER) if before < m.message_id < control.message_id and m.from_bot]
    assert any("Calcul : 2*3*4 = 24" in m.text and "<i>vraiment</i>" in (m.html or "") for m in preview), \
        [m.text for m in preview]
