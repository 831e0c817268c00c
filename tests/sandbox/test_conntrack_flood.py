"""A connection flood from one workspace takes at most its share of the host's connection-tracking table.

Every new flow a workspace sends out through the host is an entry of the table where its bridge is (the lab
engine's network namespace, then the host's), and a full table drops everyone's new connections. The
firewall lets a workspace hold at most `CONNECTIONS_PER_WORKSPACE` tracked flows at once (sandbox/firewall.py,
`connlimit`). The attacker sends 20,000 new UDP flows (a new entry each, kept 30 s unanswered); the table
then holds at most its share for the attacker's subnet, and a bystander workspace's new flows still get in.

The positive control is the same attack from a workspace whose `connlimit` rule was taken out (the one
protection removed): its entries pass the share several times over, at a rate that would fill the default
262,144-entry table in seconds. It does not fill it for real: the table is the host's, and a full one would
cut every new connection on this machine, the other workspaces' and the host's own, for 30 s.
"""

from __future__ import annotations

import ipaddress
import subprocess
from pathlib import Path

import docker
import pytest
import test_root_in_a_workspace as root_tests
from neighbour_support import pair, sh

from sandbox.firewall import CONNECTIONS_PER_WORKSPACE, workspace_rules
from sandbox.workspaces import Workspace, WorkspaceHost

pytestmark = [pytest.mark.docker]
lab_engine, engine = root_tests.lab_engine, root_tests.engine  # the lab's engine (userns-remap), as there

FLOWS = 20_000
TARGET = "198.51.100.7"  # TEST-NET-2: public (not dropped by the firewall), never answers
# One UDP socket, one datagram to each of `n` ports: `n` new flows; prints how many were sent.
FLOOD = ("timeout 60 python3 -c 'import socket, sys\n"
         "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
         "sent = 0\n"
         "for port in range(1, int(sys.argv[2]) + 1):\n"
         "    try:\n"
         "        s.sendto(b\"x\", (sys.argv[1], port)); sent += 1\n"
         "    except OSError:\n"
         "        pass\n"
         "print(\"sent\", sent)' {target} {n}")


def _subnet(engine: docker.DockerClient, workspace: Workspace) -> str:
    networks = engine.api.inspect_container(workspace.container_id)["NetworkSettings"]["Networks"]
    (name,) = networks
    return str(engine.api.inspect_network(name)["IPAM"]["Config"][0]["Subnet"])


def _in_lab_netns(run: Path, *command: str) -> str:
    """Run `command` in the lab engine's network namespace (where the workspaces' bridges and rules are)."""
    pid = (run / "dockerd.pid").read_text().strip()
    return subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", *command], capture_output=True, text=True,
                          check=True, timeout=60).stdout


def _entries_from(run: Path, subnet: str, target: str) -> int:
    """Tracked flows from `subnet`'s addresses to `target` (their original direction), in the lab engine's table."""
    network = ipaddress.ip_network(subnet)
    count = 0
    for line in _in_lab_netns(run, "cat", "/proc/net/nf_conntrack").splitlines():
        fields: dict[str, str] = {}
        for field in line.split():
            if field.startswith(("src=", "dst=")):
                fields.setdefault(*field.split("=", 1))  # the first ones: the original direction
        if "src" in fields and ipaddress.ip_address(fields["src"]) in network and fields["dst"] == target:
            count += 1
    return count


def _connlimit_removed(run: Path):
    def weaken(host: WorkspaceHost) -> None:
        create = host.create

        def create_without_connlimit(name: str) -> Workspace:
            workspace = create(name)
            subnet = _subnet(host.client, workspace)
            (connlimit,) = [rule for chain, rule in workspace_rules(subnet, None, ()) if "connlimit" in rule]
            _in_lab_netns(run, "iptables", "-w", "-D", "TUTORBOT-WS", *connlimit)
            return workspace
        host.create = create_without_connlimit  # type: ignore[method-assign]
    return weaken


def test_a_flood_from_one_workspace_takes_only_its_share_of_the_table(lab_engine):
    run, client = lab_engine
    with pair(client, "ct") as (attacker, bystander):
        assert "sent" in sh(client, attacker, FLOOD.format(target=TARGET, n=FLOWS))
        assert _entries_from(run, _subnet(client, attacker), TARGET) <= CONNECTIONS_PER_WORKSPACE
        assert "sent 100" in sh(client, bystander, FLOOD.format(target=TARGET, n=100))
        assert _entries_from(run, _subnet(client, bystander), TARGET) == 100


def test_control_without_connlimit_the_flood_takes_the_table(lab_engine):
    run, client = lab_engine
    with pair(client, "ctc", weaken=_connlimit_removed(run)) as (attacker, _):
        assert "sent" in sh(client, attacker, FLOOD.format(target=TARGET, n=FLOWS))
        assert _entries_from(run, _subnet(client, attacker), TARGET) > 3 * CONNECTIONS_PER_WORKSPACE
