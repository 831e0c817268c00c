"""Neighbours share the host fairly: workspaces can be kept off the CPUs reserved for the host's control path."""

from __future__ import annotations

import docker
import pytest
from lab_support import PREFIX, lab_settings, leftovers

from sandbox.workspace_spec import workspace_cpuset
from sandbox.workspaces import WorkspaceHost


@pytest.mark.parametrize(("cpus", "reserved", "cpuset"), [
    (2, 1, "1"), (8, 1, "1-7"), (8, 2, "2-7"), (1, 1, None), (4, 0, None), (2, 2, None),
    (2, None, None), (4, None, "1-3"), (16, None, "1-15"),
])
def test_workspaces_run_on_every_cpu_but_the_reserved_ones(cpus, reserved, cpuset):
    assert workspace_cpuset(cpus, reserved) == cpuset


def learners_cpus(engine: docker.DockerClient, reserved: int) -> str:
    """The CPUs a learner's processes may use, read as the learner in a workspace made with this reserve."""
    prefix = f"{PREFIX}cpu{reserved}"
    host = WorkspaceHost(engine, lab_settings(prefix, reserved_cpus=reserved))
    workspace = host.create(f"{prefix}-ws-1")
    try:
        exec_id = engine.api.exec_create(workspace.container_id, ["cat", "/sys/fs/cgroup/cpuset/cpuset.cpus"],
                                         user="learner")["Id"]
        return engine.api.exec_start(exec_id).decode().strip()
    finally:
        host.remove(workspace)
        assert leftovers(engine, prefix) == []


def test_a_learners_processes_cannot_run_on_the_hosts_reserved_cpu(engine):
    cpus = int(engine.info()["NCPU"])
    if cpus < 2:
        pytest.fail("this test needs a sandbox host of 2 CPUs or more")
    assert learners_cpus(engine, 1) == ("1" if cpus == 2 else f"1-{cpus - 1}")
    # Control: without a reserve, CPU 0 is the learners' too.
    assert learners_cpus(engine, 0).startswith("0")
