"""Issue #11 with the real lab: before a class whose lesson has an exercise, the members who use the lab
find their own workspace running, its Docker daemon answering, before the class time; a member who never
used the lab gets none, and no more workspaces start than the lab's capacity allows.

The class has four members: three used the lab the day before (Ana first, Ben, then Cyd last), Dan never
did. Overnight the lab stopped their idle workspaces. The lab holds four workspaces and keeps two free
(`KEEP_FREE`), so two boots are allowed before the class: Cyd's and Ben's (the most recent users).
"""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime

import pytest
from bot_harness import start_harness
from sqlmodel import Session, select
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from bot.jobs.lab_prewarm import KEEP_FREE, run_prewarm
from bot.storage.models import Learner
from sandbox.service import SandboxService

pytestmark = pytest.mark.docker
PREFIX = "tbwarm"
TEACHER = 700
MAX_WORKSPACES = 4


@pytest.fixture
async def class_lab(tmp_path, local_api, clock):
    ensure_lab_prepared()
    # idle_stop_after: the reaper stops a workspace idle for a second (the night between two days)
    sandbox = SandboxService(lab_settings_again(name_prefix=PREFIX, command_timeout=60, max_workspaces=MAX_WORKSPACES,
                                                idle_stop_after=1.0))
    bot = await start_harness(tmp_path, local_api, clock, sandbox=sandbox, instructor_ids=frozenset({TEACHER}),
                              class_sweep_seconds=3600)
    yield bot, sandbox
    await stop_bot(bot.application)
    await remove_the_tests_workspaces(PREFIX)


async def said(api, user, text: str, predicate=None, timeout: float = 5.0):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent, predicate=predicate, timeout=timeout)


def lab_id(harness, telegram_id: int) -> int:
    """The learner's own number, which names their workspace."""
    with Session(harness.engine) as session:
        learner = session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).one()
        assert learner.id is not None
        return learner.id


async def boots_done(harness) -> None:
    """Wait for the workspace boots the pre-warm job started (its tasks are named after the learner)."""
    tasks = [task for task in asyncio.all_tasks() if task.get_name().startswith("prewarm-")]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=180)


async def test_the_likely_members_find_a_running_lab_before_the_class_within_capacity(class_lab):
    harness, lab = class_lab
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    teacher = api.user(TEACHER, first_name="Prof")
    created = await said(api, teacher, "/class new Atelier", predicate=lambda m: "Classe" in m.text)
    code = re.search(r"start=j-([A-Za-z0-9_-]{22})", created.text).group(1)
    ana, ben, cyd, dan = (api.user(3100 + i, first_name=name) for i, name in enumerate(("Ana", "Ben", "Cyd", "Dan")))
    for member in (ana, ben, cyd, dan):
        await said(api, member, f"/start j-{code}")
    for hour, member in ((10, ana), (11, ben), (12, cyd)):  # the day before: three of them use the lab
        clock.set(datetime(2026, 3, 3, hour, 0, tzinfo=UTC))
        await said(api, member, "/run docker ps", timeout=180, predicate=lambda m: "CONTAINER ID" in (m.text or ""))
    await said(api, teacher, "/class plan set 2026-03-04 m1-conteneurs")  # its lesson has an exercise
    ids = {member.id: lab_id(harness, member.id) for member in (ana, ben, cyd, dan)}

    # the night: the lab stops the idle workspaces (their files stay)
    for _ in range(100):
        await lab.reap()
        if all([await lab.workspace_status(learner_id=ids[m.id]) == "stopped" for m in (ana, ben, cyd)]):
            break
        await asyncio.sleep(0.2)
    assert [await lab.workspace_status(learner_id=ids[m.id]) for m in (ana, ben, cyd, dan)] == [
        "stopped", "stopped", "stopped", "none"]

    clock.set(datetime(2026, 3, 4, 7, 40, tzinfo=UTC))  # 08:40 Paris: the class is more than 10 min away
    assert await run_prewarm(harness.context()) == 0
    # the class comes at 09:00 Paris; two boots, spread over 08:50-08:59 (08:50, then 08:54:30)
    clock.set(datetime(2026, 3, 4, 7, 51, tzinfo=UTC))
    assert await run_prewarm(harness.context()) == 1, "the boots are spread, not all at once"
    clock.set(datetime(2026, 3, 4, 7, 55, tzinfo=UTC))
    assert await run_prewarm(harness.context()) == 1
    await boots_done(harness)
    assert await run_prewarm(harness.context()) == 0, "a workspace is started once"
    assert harness.clock.now() < datetime(2026, 3, 4, 8, 0, tzinfo=UTC), "all this before the class time"

    status = {m.user["first_name"]: await lab.workspace_status(learner_id=ids[m.id]) for m in (ana, ben, cyd, dan)}
    assert MAX_WORKSPACES - KEEP_FREE == 2
    assert status == {"Cyd": "running", "Ben": "running", "Ana": "stopped", "Dan": "none"}, (
        "the two most recent lab users are warmed (capacity 2); Dan never used the lab: no workspace")
    for member in (cyd, ben):  # their own daemon answers, already started
        result = await lab.run_internal(learner_id=ids[member.id], command="docker version --format '{{.Server.Version}}'")
        assert result.exit_code == 0 and re.match(r"\d+\.\d+", result.output.strip()), result.output

    clock.set(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))  # class time: Cyd's first command finds the lab ready
    answered = await said(api, cyd, "/run docker ps", timeout=60, predicate=lambda m: "CONTAINER ID" in (m.text or ""))
    assert "✅" in answered.text
