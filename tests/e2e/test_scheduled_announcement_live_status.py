"""A scheduled announcement gets the live status an immediate one has: when its time fires, its author gets one
status message (queued / sent / failed / blocked, with a stop button), edited until everything went out."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class, said

from bot.jobs.class_calendar import run_class_sweep


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=4)


async def test_a_scheduled_announcement_shows_its_status_when_its_time_fires(school):
    api, clock, teacher, members = school.api, school.clock, school.teacher, school.learners
    scheduled = await said(api, teacher, "/schedule 2026-03-02 14:30 announce **TP** jeudi, salle 12")
    assert "2026-03-02 14:30" in scheduled.text
    members[0].chat.blocked = True
    mark = api.messages(TEACHER)[-1]

    clock.set(datetime(2026, 3, 2, 13, 29, tzinfo=UTC))  # 14:29 in Paris: not yet
    assert await run_class_sweep(school.context()) == 0
    clock.set(datetime(2026, 3, 2, 13, 30, tzinfo=UTC))
    assert await run_class_sweep(school.context()) == 4
    status = await api.wait_for_message(TEACHER, after=mark, predicate=lambda m: "Annonce programmée" in (m.text or ""))
    assert "Docker L3" in status.text and "Envoyés" in status.text
    await school.drain()
    for _ in range(100):
        if "Terminé" in (status.text or ""):
            break
        await api.wait_for_edit(status, edits=status.edits + 1, timeout=10)
    assert "Envoyés : 3" in status.text and "Bloqués : 1" in status.text and "Échecs : 0" in status.text, status.text
    assert not status.buttons, "nothing left to stop"
    for member in members[1:]:
        assert [m for m in api.messages(member.id) if m.from_bot and "salle 12" in (m.text or "")]
    # the sweep after does not fire it again
    assert await run_class_sweep(school.context()) == 0
    assert len([m for m in api.messages(TEACHER) if "Annonce programmée" in (m.text or "")]) == 1


async def test_the_status_of_a_scheduled_announcement_stops_what_has_not_gone_out(school):
    api, clock, teacher, members = school.api, school.clock, school.teacher, school.learners
    await said(api, teacher, "/schedule 2026-03-02 14:30 announce Le TP est **annulé**")
    mark = api.messages(TEACHER)[-1]
    sender = school.application.bot_data["outbox"]
    await sender.stop()  # nothing goes out until the test says so: the stop button finds every row queued
    clock.set(datetime(2026, 3, 2, 13, 30, tzinfo=UTC))
    assert await run_class_sweep(school.context()) == 4
    status = await api.wait_for_message(TEACHER, after=mark, predicate=lambda m: "Annonce programmée" in (m.text or ""))
    assert "En attente : 4" in status.text and status.buttons, status.text
    await teacher.press(status, "⏹ Arrêter l'envoi")
    for _ in range(100):
        if "Terminé" in (status.text or ""):
            break
        await api.wait_for_edit(status, edits=status.edits + 1, timeout=10)
    assert "Annulés : 4" in status.text and "Envoyés : 0" in status.text, status.text
    await sender.start()
    await school.drain()
    for member in members:
        assert not [m for m in api.messages(member.id) if m.from_bot and "annulé" in (m.text or "")]
