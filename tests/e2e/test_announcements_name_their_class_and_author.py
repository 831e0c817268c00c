"""A member receives an announcement with a short header in their own language: which class, and who sent it; the
instructor's preview shows it as the members will get it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, open_class, said


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3 2026", learners=1)


async def test_members_see_the_class_and_the_instructor_in_their_language(school):
    api = school.api
    amy = api.user(3100, first_name="Amy", language_code="en")
    await said(api, amy, f"/start j-{school.code}")
    french = school.learners[0]
    marks = {user.id: len(api.messages(user.id)) for user in (french, amy)}
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/announce Le TP de jeudi est décalé")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    preview = [m.text for m in api.messages(TEACHER) if before < m.message_id < control.message_id]
    assert any("Docker L3 2026" in p and "Prof" in p and "Le TP de jeudi" in p for p in preview), preview
    await school.teacher.press(control, "📣 Envoyer")
    await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    await school.drain()

    got_fr = [m.text for m in bot_messages(api, french.id, marks[french.id]) if "Le TP de jeudi" in (m.text or "")]
    got_en = [m.text for m in bot_messages(api, amy.id, marks[amy.id]) if "Le TP de jeudi" in (m.text or "")]
    assert len(got_fr) == 1 and got_fr[0].startswith("📣 Docker L3 2026 · annonce de Prof"), got_fr
    assert len(got_en) == 1 and got_en[0].startswith("📣 Docker L3 2026 · announcement from Prof"), got_en


async def test_a_scheduled_announcement_has_the_header_too(school):
    api = school.api
    member = school.learners[0]
    mark = len(api.messages(member.id))
    confirmed = await said(api, school.teacher, "/schedule demain 9:00 announce Rappel du TP")
    assert "📣 Docker L3 2026 · annonce de Prof\n\nRappel du TP" in confirmed.text, "shown as members will get it"
    school.clock.set(datetime(2026, 3, 3, 9, 5, tzinfo=UTC))
    await class_sweep(school.harness)
    got = [m.text for m in bot_messages(api, member.id, mark) if "Rappel du TP" in (m.text or "")]
    assert len(got) == 1 and got[0].startswith("📣 Docker L3 2026 · annonce de Prof"), got
