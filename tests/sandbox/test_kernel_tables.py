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

import docker
import pytest
import test_root_in_a_workspace as root_tests
from lab_support import lab_settings
from neighbour_support import held, pair, put_file, sh, wait_for

from sandbox.host_agent import Agent, AgentRefusal
from sandbox.userns import engine_id_shift
from sandbox.workspaces import Workspace, WorkspaceHost

pytestmark = [pytest.mark.docker]
lab_engine, engine = root_tests.lab_engine, root_tests.engine  # the lab's engine (userns-remap), as there

# Opens up to argv[1] inotify instances, says how many it holds (stdout and argv[2]), holds them argv[3] s.
HOG = """
import ctypes, os, resource, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (resource.getrlimit(resource.RLIMIT_NOFILE)[1],) * 2)
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
# More than the host's whole table for one uid (128 by default, 8,192 as sandbox/host/lab-engine.sh sets it).
WANTED = int(open("/proc/sys/fs/inotify/max_user_instances").read()) + 64
HOLD_S = 60


def _no_limits(host: WorkspaceHost) -> None:
    """The weakened target: the same workspace spec, without limits of its own in its user namespace."""
    host.tables = NoLimits()


class NoLimits:
    def bound(self, container_id: str, pid: int) -> None:
        return None


def _put_hog(engine: docker.DockerClient, workspace: Workspace) -> None:
    put_file(engine, workspace, "/tmp/hog.py", HOG)


def _hog_as_learner(engine: docker.DockerClient, attacker: Workspace) -> tuple[int, str]:
    """The attacker's learner holds all the inotify instances it can (a long command); barrier: it says so."""
    sh(engine, attacker, f"timeout {HOLD_S} python3 /tmp/hog.py {WANTED} /tmp/hog.learner {HOLD_S}", detach=True)
    return held(wait_for(engine, attacker, "cat /tmp/hog.learner 2>/dev/null", "holding"))


def _hog_in_a_container(engine: docker.DockerClient, attacker: Workspace) -> tuple[int, str]:
    """The same from a `-d` container of the attacker's daemon."""
    sh(engine, attacker, f"docker run -d --name hog -v /tmp/hog.py:/hog.py:ro python:3-slim timeout {HOLD_S} "
                          f"python /hog.py {WANTED} - {HOLD_S}")
    return held(wait_for(engine, attacker, "docker logs hog 2>&1", "holding"))


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
    with pair(engine, "ino") as (attacker, bystander):
        _put_hog(engine, bystander)
        _put_hog(engine, attacker)
        assert _hog_as_learner(engine, attacker) == (limit, EMFILE)
        count, error = _hog_in_a_container(engine, attacker)  # its daemon's uid: the same limit, less what it uses
        assert 0 < count <= limit and error == EMFILE, (count, error)
        assert held(sh(engine, bystander, BYSTANDER)) == (16, "none")
        assert _host_root_opens(16) == 16


def test_control_without_limits_of_its_own_a_workspace_empties_the_hosts_inotify(engine):
    with pair(engine, "inoc", weaken=_no_limits) as (attacker, bystander):
        _put_hog(engine, bystander)
        _put_hog(engine, attacker)
        count, error = _hog_as_learner(engine, attacker)
        assert count > lab_settings().inotify_instances and error == EMFILE, (count, error)
        assert held(sh(engine, bystander, BYSTANDER)) == (0, EMFILE)
        assert _host_root_opens(16) == 0


def test_the_host_agent_sets_a_workspaces_limits_and_nothing_else(engine, tmp_path):
    """docker-compose: the bot does not see the engine's processes; the agent beside the engine sets the limits."""
    agent = Agent(tmp_path, firewall=False, subnet_pool="10.201.0.0/16")
    with pair(engine, "inoa") as (workspace, _):
        pid = engine.api.inspect_container(workspace.container_id)["State"]["Pid"]
        request = {"op": "bound_tables", "container_id": workspace.container_id, "pid": pid}
        answer = agent.handle({**request, "instances": 20, "watches": 2048})
        assert answer == {"limits": {"max_inotify_instances": 20, "max_inotify_watches": 2048}}
        _put_hog(engine, workspace)
        assert held(sh(engine, workspace, "python3 /tmp/hog.py 100 - 0")) == (20, EMFILE)
        refused = [{**request, "pid": os.getpid(), "instances": 20, "watches": 2048},  # not that container
                   {**request, "container_id": "../x", "instances": 20, "watches": 2048},
                   {**request, "pid": "1; id", "instances": 20, "watches": 2048},
                   {**request, "instances": 0, "watches": 2048}]
        for bad in refused:
            with pytest.raises(AgentRefusal):
                agent.handle(bad)
