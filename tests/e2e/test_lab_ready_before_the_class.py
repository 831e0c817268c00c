"""Before a class whose lesson has an exercise, the lab starts the workspaces of the members who use it."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

from lab_fakes import FakeLab

from bot.jobs.lab_prewarm import run_prewarm

TEACHER = 700


async def said(api, user, text: str, predicate=None):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent, predicate=predicate)


async def test_the_members_who_use_the_lab_find_it_started_before_the_exercise_lesson(make_harness):
    lab = FakeLab(answers={"docker ps": "CONTAINER ID   IMAGE"})
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600, sandbox=lab)
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 2, 7, 0, tzinfo=UTC))
    teacher = api.user(TEACHER, first_name="Prof")
    created = await said(api, teacher, "/class new Atelier", predicate=lambda m: "Classe" in m.text)
    code = re.search(r"start=j-([A-Za-z0-9_-]{22})", created.text).group(1)
    members = [api.user(3000 + i, first_name=f"M{i}") for i in range(4)]
    for member in members:
        await said(api, member, f"/start j-{code}")
    for member in members[:2]:  # two of them have used the lab
        await said(api, member, "/run docker ps", predicate=lambda m: "CONTAINER" in (m.text or ""))
    lab_users = {learner_id for learner_id, _ in lab.commands}
    await said(api, teacher, "/class plan set 2026-03-03 m1-images")
    await said(api, teacher, "/class plan set 2026-03-04 m1-conteneurs")  # this one has an exercise

    clock.set(datetime(2026, 3, 3, 7, 55, tzinfo=UTC))  # 08:55 Paris: a lesson without exercise comes
    assert await run_prewarm(harness.context()) == 0
    # the exercise lesson comes at 09:00 Paris: two boots spread over 08:50-08:59 (08:50, 08:54:30)
    clock.set(datetime(2026, 3, 4, 7, 51, tzinfo=UTC))
    assert await run_prewarm(harness.context()) == 1, "the boots are spread, not all at once"
    clock.set(datetime(2026, 3, 4, 7, 55, tzinfo=UTC))
    assert await run_prewarm(harness.context()) == 1
    for _ in range(100):
        if len(lab.internal) == 2:
            break
        await asyncio.sleep(0.02)
    assert {learner_id for learner_id, _ in lab.internal} == lab_users, "the members who use the lab, only"
    assert {command for _, command in lab.internal} == {"true"}
    assert await run_prewarm(harness.context()) == 0, "a workspace is started once"
