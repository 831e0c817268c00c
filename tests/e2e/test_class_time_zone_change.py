"""A class moves to another time zone after it was created: the lessons and posts still to come keep their
local time in the new zone, what was already sent is untouched, and an unknown zone is refused with examples."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, class_sweep, open_class, said
from sqlmodel import Session, select

from bot.storage.models import Classroom, PlanEntry, ScheduledPost

LEARNER, OUTSIDER = 5000, 799


def stored(engine):
    with Session(engine) as session:
        zone = session.exec(select(Classroom.timezone)).one()
        days = {e.on_date.isoformat(): (e.due_at, e.sent_at is not None) for e in session.exec(select(PlanEntry))}
        posts = [p.due_at for p in session.exec(select(ScheduledPost))]
    return zone, days, posts


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 7, 0, tzinfo=UTC),  # Monday 08:00 in Paris
                              options="tz=Europe/Paris")
    school.learner = await school.join(LEARNER, "Élève")
    await said(school.api, school.teacher, "/class plan daily 2026-03-02 09:00")
    await said(school.api, school.teacher, "/schedule 2026-03-04 14:30 announce Pensez au TP !")
    return school


async def test_moving_to_montreal_keeps_nine_o_clock_local_for_the_days_to_come(school):
    api, clock, teacher = school.api, school.clock, school.teacher
    clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # 09:00 in Paris: the first day goes out
    assert await class_sweep(school) == 1
    _, before, posts_before = stored(school.engine)
    assert posts_before == [datetime(2026, 3, 4, 13, 30, tzinfo=UTC)], "14:30 in Paris"

    changed = await said(api, teacher, "/class tz America/Montreal")
    assert "Europe/Paris" in changed.text and "America/Montreal" in changed.text
    assert "2 jour(s) du calendrier et 1 envoi(s) programmé(s)" in changed.text, changed.text
    zone, after, posts_after = stored(school.engine)
    assert zone == "America/Montreal"
    assert after["2026-03-02"] == before["2026-03-02"], "the day already sent is untouched"
    # 09:00 in Montreal: UTC-5 before the North American DST change of 2026-03-08
    assert after["2026-03-03"] == (datetime(2026, 3, 3, 14, 0, tzinfo=UTC), False)
    assert after["2026-03-04"] == (datetime(2026, 3, 4, 14, 0, tzinfo=UTC), False)
    assert posts_after == [datetime(2026, 3, 4, 19, 30, tzinfo=UTC)], "the post stays at 14:30, Montreal time"

    # the calendar sweep follows: nothing at 09:00 Paris, the lesson at 09:00 Montreal
    clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    assert await class_sweep(school) == 0
    clock.set(datetime(2026, 3, 3, 13, 59, tzinfo=UTC))
    assert await class_sweep(school) == 0
    clock.set(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))
    assert await class_sweep(school) == 1
    plan = await said(api, teacher, "/class plan")
    assert "America/Montreal" in plan.text or "09:00" in plan.text

    current = await said(api, teacher, "/class tz")
    assert "America/Montreal" in current.text and "/class tz Europe/London" in current.text


async def test_an_unknown_zone_is_refused_with_examples_and_changes_nothing(school):
    api = school.api
    before = stored(school.engine)
    for zone in ("Mars/Olympus", "UTC+25"):  # a city ("Paris") is read as /timezone reads it; "UTC+2" is an offset
        answer = await said(api, school.teacher, f"/class tz {zone}")
        assert "Je ne connais pas le fuseau" in answer.text and "Europe/Paris" in answer.text, answer.text
        assert "Rien n'a changé" in answer.text
    assert stored(school.engine) == before


async def test_a_non_instructor_cannot_change_the_zone(school):
    api = school.api
    before = stored(school.engine)
    outsider = api.user(OUTSIDER, first_name="Hors")
    for who in (outsider, school.learner):
        answer = await said(api, who, "/class tz Europe/London")
        assert "réservée aux formateurs" in answer.text
    assert stored(school.engine) == before


async def test_class_tz_reads_a_city_as_timezone_does_and_an_offset_means_that_offset_shown_as_such(school):
    api, teacher = school.api, school.teacher
    moved = await said(api, teacher, "/class tz montréal")
    zone = stored(school.engine)[0]
    assert zone in {"America/Montreal", "America/Toronto"} and zone in moved.text, moved.text  # one zone, two names
    offset = await said(api, teacher, "/class tz UTC-5")
    assert "Etc/GMT" not in offset.text and "/class tz " in offset.text, offset.text
    assert "à UTC-5" in offset.text and "heure d'été" in offset.text, offset.text
    assert stored(school.engine)[0] == "Etc/GMT+5", "UTC-5 is five hours behind UTC (the Etc name's sign is inverted)"
    listed = await said(api, teacher, "/class")
    assert "UTC-5" in listed.text and "Etc/GMT" not in listed.text, listed.text
