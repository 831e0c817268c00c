"""One learner cannot empty a kernel table the others need: inotify (and conntrack, test_conntrack_flood.py).

On the lab's engine (userns-remap) every workspace's inotify instances were charged to the host's root:
one learner holding 128 left every other workspace, and the host's root, with EMFILE. Each workspace now
has limits of its own in its user namespace (sandbox/kernel_tables.py). The attacker holds all it can, as
the learner and from a container of its daemon; a bystander workspace then still opens its instances.
The positive control is the same workspace spec without its own limits (the one protection removed):
the same attack there leaves the bystander with EMFILE.

The control empties the host root's inotify instances for the few seconds between its barrier and its end.
"""

from __future__ import annotations

import ctypes
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

import docker
import pytest
import test_root_in_a_workspace as root_tests
from lab_support import PREFIX, lab_settings, leftovers

from sandbox.userns import engine_id_shift
from sandbox.workspaces import Workspace, WorkspaceHost

pytestmark = [pytest.mark.docker]
lab_engine, engine = root_tests.lab_engine, root_tests.engine  # the lab's engine (userns-remap), as there

# Opens up to argv[1] inotify instances, says how many it holds (stdout and argv[2]), holds them argv[3] s.
HOG = """
import ctypes, os, sys, time
libc = ctypes.CDLL(None, use_errno=True)
fds, wanted, error = [], int(sys.argv[1]), "none"
while len(fds) < wanted:
    fd = libc.inotify_init1(0)
    if fd < 0:
        error = os.strerror(ctypes.get_errno())
        break
    fds.append(fd)
print(f"holding {len(fds)} ({error})", flush=True)
if sys.argv[2] != "-":
    with open(sys.argv[2] + ".tmp", "w") as out:
        out.write(f"holding {len(fds)} ({error})")
    os.rename(sys.argv[2] + ".tmp", sys.argv[2])
time.sleep(float(sys.argv[3]))
"""
WANTED = 2000  # far more than the host's whole table for one uid (128 by default)
HOLD_S = 60


class NoLimits:
    """The weakened target: the same workspace spec, without limits of its own in its user namespace."""

    def bound(self, container_id: str, pid: int) -> None:
        return None


def _sh(client: docker.DockerClient, workspace: Workspace, script: str, *, detach: bool = False) -> str:
    exec_id = client.api.exec_create(workspace.container_id, ["sh", "-c", script], user="learner")["Id"]
    if detach:
        client.api.exec_start(exec_id, detach=True)
        return ""
    return client.api.exec_start(exec_id).decode(errors="replace")


def _wait_for(client: docker.DockerClient, workspace: Workspace, script: str, what: str, timeout: float = 120) -> str:
    """Barrier: run `script` until its output holds `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        output = _sh(client, workspace, script)
        if what in output:
            return output
        time.sleep(0.2)
    raise AssertionError(f"never saw {what!r}: {output!r}")


@contextmanager
def _workspaces(engine: docker.DockerClient, tag: str, *, attacker_limited: bool) -> Iterator[tuple[WorkspaceHost, Workspace, Workspace]]:
    prefix = f"{PREFIX}{tag}"
    settings = lab_settings(prefix, host_agent=os.environ.get("SANDBOX_HOST_AGENT"), command_timeout=60)
    host = WorkspaceHost(engine, settings, id_shift=engine_id_shift(engine))
    weakened = WorkspaceHost(engine, settings, id_shift=engine_id_shift(engine))
    if not attacker_limited:
        weakened.tables = NoLimits()
    made: list[Workspace] = []
    try:
        made.append(weakened.create(f"{prefix}-ws-1"))
        made.append(host.create(f"{prefix}-ws-2"))
        yield host, made[0], made[1]
    finally:
        for workspace in made:
            host.remove(workspace)
        assert leftovers(engine, prefix) == []


def _held(output: str) -> tuple[int, str]:
    """(instances, error) from the hog's `holding N (error)`."""
    count, error = output.split("holding ", 1)[1].split(" ", 1)
    return int(count), error.strip().strip("()")


def _put_hog(engine: docker.DockerClient, workspace: Workspace) -> None:
    _sh(engine, workspace, f"cat > /tmp/hog.py <<'EOF'\n{HOG}\nEOF")


def _hog_as_learner(engine: docker.DockerClient, attacker: Workspace) -> tuple[int, str]:
    """The attacker's learner holds all the inotify instances it can (a long command); barrier: it says so."""
    _sh(engine, attacker, f"timeout {HOLD_S} python3 /tmp/hog.py {WANTED} /tmp/hog.learner {HOLD_S}", detach=True)
    return _held(_wait_for(engine, attacker, "cat /tmp/hog.learner 2>/dev/null", "holding"))


def _hog_in_a_container(engine: docker.DockerClient, attacker: Workspace) -> tuple[int, str]:
    """The same from a `-d` container of the attacker's daemon."""
    _sh(engine, attacker, f"docker run -d --name hog -v /tmp/hog.py:/hog.py:ro python:3-slim timeout {HOLD_S} "
                          f"python /hog.py {WANTED} - {HOLD_S}")
    return _held(_wait_for(engine, attacker, "docker logs hog 2>&1", "holding"))


def _host_root_opens(count: int) -> int:
    """How many of `count` inotify instances this process (the host's root) gets."""
    libc = ctypes.CDLL(None, use_errno=True)
    fds = []
    try:
        while len(fds) < count and (fd := libc.inotify_init1(0)) >= 0:
            fds.append(fd)
        return len(fds)
    finally:
        for fd in fds:
            os.close(fd)


BYSTANDER = "python3 /tmp/hog.py 16 - 0"
EMFILE = "Too many open files"


def test_a_learner_holding_every_inotify_instance_it_can_leaves_the_others_theirs(engine):
    assert engine_id_shift(engine).uid > 0, "the lab's engine must remap user namespaces (sandbox/host/lab-engine.sh)"
    limit = lab_settings().inotify_instances
    with _workspaces(engine, "ino", attacker_limited=True) as (_, attacker, bystander):
        _put_hog(engine, bystander)
        _put_hog(engine, attacker)
        assert _hog_as_learner(engine, attacker) == (limit, EMFILE)
        held, error = _hog_in_a_container(engine, attacker)  # its daemon's uid: the same limit, less what it uses
        assert 0 < held <= limit and error == EMFILE, (held, error)
        assert _held(_sh(engine, bystander, BYSTANDER)) == (16, "none")
        assert _host_root_opens(16) == 16


def test_control_without_limits_of_its_own_a_workspace_empties_the_hosts_inotify(engine):
    with _workspaces(engine, "inoc", attacker_limited=False) as (_, attacker, bystander):
        _put_hog(engine, bystander)
        _put_hog(engine, attacker)
        held, error = _hog_as_learner(engine, attacker)
        assert held > lab_settings().inotify_instances and error == EMFILE, (held, error)
        assert _held(_sh(engine, bystander, BYSTANDER)) == (0, EMFILE)
        assert _host_root_opens(16) == 0
