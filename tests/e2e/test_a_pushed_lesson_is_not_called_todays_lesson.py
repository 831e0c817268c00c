"""An instructor pushes two lessons in a row: each arrives as a new lesson from the class, not as "today's lesson"
twice (that greeting belongs to the calendar's lesson of the day)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, open_class, said


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), periodic_jobs=False)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3", learners=1)


async def test_the_calendar_sends_todays_lesson_and_two_pushes_are_two_new_lessons(school):
    api, member = school.api, school.learners[0]
    await said(api, school.teacher, "/class plan weekdays 2026-03-03 09:00")
    mark = len(api.messages(member.id))
    school.clock.set(datetime(2026, 3, 3, 8, 5, tzinfo=UTC))  # 9:05 in Paris: the class's lesson time passed
    assert await class_sweep(school.harness) == 1
    daily = [m.text for m in bot_messages(api, member.id, mark) if "Docker L3" in (m.text or "")]
    assert len(daily) == 1 and "leçon du jour" in daily[0], daily

    mark = len(api.messages(member.id))
    await said(api, school.teacher, "/push m1-conteneurs")
    await said(api, school.teacher, "/push m2-volumes")
    await school.drain()
    greetings = [m.text for m in bot_messages(api, member.id, mark) if "Docker L3" in (m.text or "")]
    assert len(greetings) == 2, greetings
    assert all("nouvelle leçon" in text and "leçon du jour" not in text for text in greetings), greetings
