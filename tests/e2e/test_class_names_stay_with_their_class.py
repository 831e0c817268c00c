"""A class's name, id and existence are told only to its members and instructors: a forged button or a guessed
`#N` gets the same answer whether the class exists or not."""

from __future__ import annotations

from datetime import UTC, datetime

from class_school import TEACHER, open_class, said
from forged_presses import forge

SECRET = "Secret ACME Bootcamp"
OTHER_TEACHER = 702


async def test_a_stranger_cannot_read_or_probe_a_class(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER_TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name=SECRET)
    api = school.api
    other = await open_class(harness, teacher_id=OTHER_TEACHER, name="Autre")
    eve = api.user(2001, first_name="Eve")
    start = await said(api, eve, "/start")
    for data in ("cq:1:0", "cq:1:1", "cq:999:0"):
        answer = await forge(api, eve, start, data)
        assert answer.show_alert and "plus valable" in answer.text, (data, answer)
        answer = await forge(api, other.teacher, other.created, data)  # an instructor, of another class
        assert answer.show_alert and "plus valable" in answer.text, (data, answer)
    await said(api, eve, "/help")  # her chat is answered in order: what the presses said is in by now
    await said(api, other.teacher, "/help")
    seen = [m.text or "" for m in api.messages(eve.id) + api.messages(OTHER_TEACHER)]
    assert not any(SECRET in text for text in seen), seen

    for user in (eve, other.teacher):
        existing = (await said(api, user, "/class stats #1")).text
        missing = (await said(api, user, "/class stats #999")).text
        assert existing == missing and SECRET not in existing, (existing, missing)

    own = await said(api, school.teacher, "/class stats #1")  # positive control: its instructor sees it
    assert SECRET in own.text
