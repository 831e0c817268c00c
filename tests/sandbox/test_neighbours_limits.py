"""Neighbours share the host fairly: workspaces run off the CPUs kept for the host's control path."""

from __future__ import annotations

import pytest

from sandbox.workspace_spec import workspace_cpuset

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
LEARNER = 51


@pytest.mark.parametrize(("cpus", "reserved", "cpuset"), [
    (2, 1, "1"), (8, 1, "1-7"), (8, 2, "2-7"), (1, 1, None), (4, 0, None), (2, 2, None),
])
def test_workspaces_run_on_every_cpu_but_the_reserved_ones(cpus, reserved, cpuset):
    assert workspace_cpuset(cpus, reserved) == cpuset


@MODULE_LOOP
async def test_a_learners_processes_cannot_run_on_the_hosts_reserved_cpu(lab, engine):
    cpus = int(engine.info()["NCPU"])
    seen = await lab.run_command(learner_id=LEARNER, command="cat /sys/fs/cgroup/cpuset/cpuset.cpus")
    expected = workspace_cpuset(cpus, lab.settings.reserved_cpus) or f"0-{cpus - 1}"
    assert seen.output.strip() == expected
    if cpus > 1:
        assert not seen.output.strip().startswith("0"), "CPU 0 is the host's"
    await lab.reset(learner_id=LEARNER)
