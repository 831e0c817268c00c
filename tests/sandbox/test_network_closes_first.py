"""The network closes before anything else opens: /reset kills a workspace before its firewall rules go,
and port 53 is open towards the lab's resolver only, not towards any private address.

The targets are a network namespace of this machine (tests/sandbox/private_target.py): nothing leaves it.
"""

from __future__ import annotations

import asyncio
import subprocess
import time

import pytest
from private_target import PrivateTarget

from sandbox.firewall import CHAIN, Firewall, _iptables
from sandbox.workspaces import WorkspaceHost

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
PROBER, CONTROL, ASKER = 31, 32, 33


@pytest.fixture(scope="module")
def target():
    private = PrivateTarget().start()
    yield private
    private.stop()


def subnet_of(host: WorkspaceHost, learner_id: int) -> tuple[str, str]:
    workspace = host.get(learner_id)
    assert workspace is not None
    network = f"{host.prefix}-net-{workspace.key}"
    info = host.client.api.inspect_network(network)
    return network, info["IPAM"]["Config"][0]["Subnet"]


async def start_prober(lab, learner_id: int, address: str) -> None:
    """A `-d` container hammering a private address, and a barrier: it has tried at least ten times."""
    loop = (f"while :; do echo try; for i in $(seq 32); do "
            f"nc -w 1 {address} 8080 </dev/null >/dev/null 2>&1 & done; wait; done")
    started = await lab.run_command(learner_id=learner_id, command=f"docker run -d --name prober busybox sh -c '{loop}'")
    assert started.exit_code == 0, started.output
    for _ in range(60):
        tries = await lab.run_command(learner_id=learner_id, command="docker logs prober 2>&1 | grep -c try")
        if tries.output.strip().isdigit() and int(tries.output.strip()) >= 10:
            return
        await asyncio.sleep(0.5)
    raise AssertionError(f"the prober never ran: {tries.output!r}")


def rules_of(subnet: str) -> list[str]:
    """The host's rules that name this subnet (shown when a test fails)."""
    listing = subprocess.run(["iptables", "-w", "-S"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if subnet in line]


async def wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


@MODULE_LOOP
async def test_a_background_container_never_gets_through_while_its_workspace_is_reset(lab, target):
    await start_prober(lab, PROBER, target.first)
    _, subnet = subnet_of(lab._host, PROBER)  # noqa: SLF001
    assert target.count(target.first, 8080) == 0, f"the firewall already let the prober through: {rules_of(subnet)}"
    await lab.reset(learner_id=PROBER)
    # Barrier: the reset has returned, so the workspace and every container in it are gone; nothing can try again.
    assert lab._host.get(PROBER) is None  # noqa: SLF001
    assert target.count(target.first, 8080) == 0


@MODULE_LOOP
async def test_control_the_same_prober_gets_through_when_the_rules_go_before_the_workspace(lab, target):
    await start_prober(lab, CONTROL, target.first)
    host = lab._host  # noqa: SLF001
    network, _ = subnet_of(host, CONTROL)
    await asyncio.to_thread(host._release, network)  # noqa: SLF001 - the old order: rules first
    assert await wait_for(lambda: target.count(target.first, 8080) > 0, 20), "the prober never got through"
    await lab.reset(learner_id=CONTROL)


@MODULE_LOOP
async def test_port_53_reaches_the_labs_resolver_only(lab, target):
    await lab.run_command(learner_id=ASKER, command="true")
    host = lab._host  # noqa: SLF001
    _, subnet = subnet_of(host, ASKER)
    # The lab's resolver stands in at the target's first address; its second is any other private address.
    stand_in = Firewall(True, resolvers=lambda: (target.first,))
    await asyncio.to_thread(stand_in.protect, subnet, None)
    probe = (f"curl -s -m 2 http://{target.first}:53/ ; echo \" resolver $?\"; "
             f"curl -s -m 2 http://{target.second}:53/ ; echo \" other $?\"")
    asked = await lab.run_command(learner_id=ASKER, command=probe)
    # Barrier: both curls have ended (connected or timed out) before the counts are read.
    assert "resolver" in asked.output and "other 28" in asked.output, asked.output
    assert target.count(target.first, 53) >= 1, "the stand-in resolver must be reachable on port 53"
    assert target.count(target.second, 53) == 0, "another private address was reachable on port 53"

    # Control: the old rule (port 53 open before the private-range drops) lets the same probe through.
    old_rule = ["-s", subnet, "-p", "tcp", "--dport", "53", "-j", "RETURN"]
    assert _iptables("-I", CHAIN, "1", *old_rule)
    try:
        again = await lab.run_command(learner_id=ASKER, command=probe)
    finally:
        _iptables("-D", CHAIN, *old_rule)
    assert "other" in again.output, again.output
    assert target.count(target.second, 53) >= 1, "the control must reach the other address through the old rule"
    await lab.reset(learner_id=ASKER)
