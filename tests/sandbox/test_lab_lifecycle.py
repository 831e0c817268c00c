"""Workspaces come and go cleanly: idle ones stop, stopped ones come back, old ones and orphans are reaped."""

from __future__ import annotations

import asyncio

import pytest
from lab_support import PREFIX, lab_settings, leftovers, remove_everything

from sandbox.service import SandboxService
from sandbox.workspace_spec import LABEL
from sandbox.workspaces import KEY_LABEL

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")


@MODULE_LOOP
async def test_an_idle_workspace_stops_comes_back_with_its_files_and_is_removed_after_the_retention(engine):
    settings = lab_settings(f"{PREFIX}i", warm_pool_size=0, idle_stop_after=1, remove_after=1)
    lab = SandboxService(settings)
    await lab.start()
    try:
        await lab.run_command(learner_id=300, command="echo gardé > note.txt && docker pull -q busybox")
        await asyncio.sleep(1.5)
        assert 300 in (await lab.reap()).stopped
        assert await lab.workspace_status(learner_id=300) == "stopped"
        back = await lab.run_command(learner_id=300, command="cat note.txt; docker images -q busybox | wc -l")
        assert back.output.split() == ["gardé", "1"], "files and images are kept while stopped"
        await asyncio.sleep(1.5)
        await lab.reap()
        await asyncio.sleep(1.2)
        removed = (await lab.reap()).removed
        assert removed == (f"{PREFIX}i-ws-300",)
        assert await lab.workspace_status(learner_id=300) == "none"
        left = [name for name in leftovers(engine, f"{PREFIX}i") if "-pool-" not in name]
        assert left == [], "nothing of the workspace is left once the reaper removed it"
    finally:
        await lab.close()
        assert remove_everything(engine, settings) == []


@MODULE_LOOP
async def test_orphaned_networks_and_volumes_are_reaped_at_start(engine):
    settings = lab_settings(f"{PREFIX}o", orphan_min_age=0, warm_pool_size=0)
    labels = {LABEL: "1", KEY_LABEL: "orphan0000"}
    engine.networks.create(f"{PREFIX}o-net-orphan0000", labels=labels)
    engine.volumes.create(f"{PREFIX}o-vol-orphan0000", labels=labels)
    lab = SandboxService(settings)
    await lab.start()
    await lab.close()
    assert leftovers(engine, f"{PREFIX}o") == []


@MODULE_LOOP
async def test_with_egress_off_a_workspace_still_pulls_from_the_mirror_but_reaches_nothing_else(engine):
    settings = lab_settings(f"{PREFIX}e", egress=False, warm_pool_size=0)
    lab = SandboxService(settings)
    await lab.start()
    try:
        pulled = await lab.run_command(learner_id=400, command="docker run --rm hello-world | head -2")
        outside = await lab.run_command(learner_id=400, command="curl -s -m 3 -o /dev/null -w '%{http_code}' http://1.1.1.1/")
    finally:
        await lab.close()
        assert remove_everything(engine, settings) == []
    assert "Hello from Docker!" in pulled.output
    assert outside.output.strip() == "000" and outside.exit_code != 0


@MODULE_LOOP
async def test_workspace_networks_use_small_subnets_so_many_learners_fit(engine):
    settings = lab_settings(f"{PREFIX}n", warm_pool_size=0, subnet_pool="10.202.0.0/24")
    lab = SandboxService(settings)
    await lab.start()
    try:
        await asyncio.gather(*(lab.run_command(learner_id=500 + i, command="true") for i in range(3)))
        subnets = {config["Subnet"] for network in engine.networks.list(names=[f"{PREFIX}n-net-"])
                   for config in network.attrs["IPAM"]["Config"]}
    finally:
        await lab.close()
        assert remove_everything(engine, settings) == []
    assert len(subnets) == 3 and all(s.startswith("10.202.0.") and s.endswith("/29") for s in subnets)


async def a_learner_leaves_a_file_then_the_bot_starts_again(settings, first_owner: str, then_owner: str) -> str:
    """Learner 1 of a database writes a file; the bot starts again on `then_owner`'s database; its learner 1 looks."""
    before = SandboxService(settings)
    await before.start(owner=first_owner)
    try:
        await before.run_command(learner_id=1, command="echo 'carnet de Camille' > secret.txt")
    finally:
        await before.close()
    after = SandboxService(settings)
    await after.start(owner=then_owner)
    try:
        return (await after.run_command(learner_id=1, command="cat secret.txt 2>&1; ls")).output
    finally:
        await after.close()


@MODULE_LOOP
async def test_a_new_database_s_learner_never_gets_the_workspace_of_an_old_database_s_learner(engine):
    settings = lab_settings(f"{PREFIX}n", warm_pool_size=0)
    try:
        seen = await a_learner_leaves_a_file_then_the_bot_starts_again(settings, "olddb", "newdb")
        assert "carnet de Camille" not in seen, "another person's files"
        names = [c.name for c in engine.containers.list(all=True, filters={"label": LABEL})
                 if c.name.startswith(f"{PREFIX}n-ws-")]
        assert f"{PREFIX}n-ws-olddb-1" not in names, "the old database's workspace is removed at start"
    finally:
        assert remove_everything(engine, settings) == []


@MODULE_LOOP
async def test_control_with_the_same_database_the_learner_finds_their_files_again(engine):
    # the positive control: the same steps on one database (as all databases were before owners) do find it
    settings = lab_settings(f"{PREFIX}s", warm_pool_size=0)
    try:
        assert "carnet de Camille" in await a_learner_leaves_a_file_then_the_bot_starts_again(settings, "", "")
        assert "carnet de Camille" in await a_learner_leaves_a_file_then_the_bot_starts_again(settings, "db", "db")
    finally:
        assert remove_everything(engine, settings) == []
