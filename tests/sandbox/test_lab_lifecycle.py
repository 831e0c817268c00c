"""Workspaces come and go cleanly: idle ones stop, stopped ones come back, orphans are reaped."""

from __future__ import annotations

import pytest
from tests_sandbox_settings import lab_settings_again

from sandbox.service import SandboxService
from sandbox.workspace_spec import LABEL
from sandbox.workspaces import KEY_LABEL

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")


def _mine(engine, prefix: str) -> list[str]:
    names = [c.name for c in engine.containers.list(all=True, filters={"label": LABEL})]
    names += [n.name for n in engine.networks.list(filters={"label": LABEL})]
    names += [v.name for v in engine.volumes.list(filters={"label": LABEL})]
    return [name for name in names if name.startswith(prefix)]


@MODULE_LOOP
async def test_an_idle_workspace_stops_and_comes_back_with_its_files(engine):
    lab = SandboxService(lab_settings_again(name_prefix="tbidle", idle_stop_after=1))
    await lab.start()
    try:
        await lab.run_command(learner_id=300, command="echo gardé > note.txt")
        import asyncio

        await asyncio.sleep(1.5)
        await lab.reap()
        assert await lab.workspace_status(learner_id=300) == "stopped"
        back = await lab.run_command(learner_id=300, command="cat note.txt")
        assert back.output.strip() == "gardé"
    finally:
        await lab.reset(learner_id=300)
        await lab.close()
    assert _mine(engine, "tbidle") == [], "nothing is left once the workspace is removed"


@MODULE_LOOP
async def test_orphaned_networks_and_volumes_are_reaped_at_start(engine):
    labels = {LABEL: "1", KEY_LABEL: "orphan0000"}
    engine.networks.create("tborphan-net-orphan0000", labels=labels)
    engine.volumes.create("tborphan-vol-orphan0000", labels=labels)
    lab = SandboxService(lab_settings_again(name_prefix="tborphan", orphan_min_age=0))
    await lab.start()
    await lab.close()
    assert _mine(engine, "tborphan") == []


@MODULE_LOOP
async def test_with_egress_off_a_workspace_still_pulls_from_the_mirror_but_reaches_nothing_else(engine):
    lab = SandboxService(lab_settings_again(name_prefix="tbnoegress", egress=False))
    await lab.start()
    try:
        pulled = await lab.run_command(learner_id=400, command="docker run --rm hello-world | head -2")
        outside = await lab.run_command(learner_id=400, command="curl -s -m 3 -o /dev/null -w '%{http_code}' http://1.1.1.1/")
    finally:
        await lab.reset(learner_id=400)
        await lab.close()
    assert "Hello from Docker!" in pulled.output
    assert outside.output.strip() == "000" and outside.exit_code != 0
