"""The sandbox host's agent (docker-compose): the bot asks it for disks and firewall rules, and it
refuses anything but those operations on well-formed arguments."""

from __future__ import annotations

import json
import os
import secrets
import threading

import pytest

from sandbox.errors import LabUnavailable
from sandbox.host_agent import Agent, _Handler, _Server
from sandbox.host_side import AgentClient, RemoteDisks, RemoteFirewall
from sandbox.quota import loop_quota_possible


@pytest.fixture
def agent(tmp_path):
    if not loop_quota_possible(None):
        if os.environ.get("CI"):
            pytest.fail("CI must run the host agent's tests: they need root and loop devices")
        pytest.skip("needs root and loop devices (as on a sandbox host)")
    _Handler.agent = Agent(tmp_path / "disks", firewall=False, subnet_pool="10.201.0.0/16")
    path = tmp_path / "agent.sock"
    server = _Server(str(path), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield AgentClient(str(path))
    server.shutdown()
    server.server_close()


def test_the_bot_gets_a_fixed_size_disk_for_a_workspace_through_the_agent_and_frees_it(agent):
    disks = RemoteDisks(agent, prefix="tbagent", size=64 * 2**20)
    key = secrets.token_hex(6)
    try:
        folder = disks.provision(key)
        assert folder.endswith(f"tbagent-{key}")
        usage = disks.usage(key)
        assert usage is not None and 40 * 2**20 < usage.size <= 64 * 2**20 and usage.used < usage.size
        assert disks.keys() == [key] and disks.age(key) >= 0
    finally:
        disks.release(key)
    assert disks.keys() == [] and disks.usage(key) is None


@pytest.mark.parametrize("request_", [
    {"op": "provision", "prefix": "tbagent", "key": "../../etc", "size": 1},
    {"op": "provision", "prefix": "../x", "key": "0123456789ab", "size": 1},
    {"op": "provision", "prefix": "tbagent", "key": "0123456789ab", "size": -5},
    {"op": "protect", "subnet": "172.17.0.0/16"},
    {"op": "shell", "command": "id"},
])
def test_the_agent_refuses_anything_but_its_operations_on_well_formed_arguments(agent, request_):
    with pytest.raises(LabUnavailable, match="refused"):
        agent.call(**request_)


def test_firewall_rules_go_through_the_agent_for_the_labs_own_subnets_only(agent):
    RemoteFirewall(agent).protect("10.201.3.0/29", "10.201.3.2")
    with pytest.raises(LabUnavailable):
        RemoteFirewall(agent).protect("192.168.0.0/24", None)


def test_the_sandbox_services_seccomp_file_is_the_workspaces_profile():
    from pathlib import Path

    from sandbox.seccomp import workspace_profile

    shipped = json.loads((Path(__file__).resolve().parents[2] / "sandbox" / "host" / "seccomp.json").read_text())
    assert shipped == json.loads(workspace_profile()), "regenerate sandbox/host/seccomp.json from sandbox/seccomp.py"


def test_a_host_without_room_for_a_disk_says_so_through_the_agent(agent, tmp_path):
    import shutil

    from sandbox.errors import HostDiskFull

    size = min(shutil.disk_usage(tmp_path).free + (1 << 30), 1 << 40)
    with pytest.raises(HostDiskFull):
        RemoteDisks(agent, prefix="tbagent", size=size).provision(secrets.token_hex(6))
