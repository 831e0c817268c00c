"""The workspaces' chain stays above every ACCEPT of FORWARD: dockerd inserts each new network's rules (its
ACCEPTs among them) at the top, and the chain's jump from FORWARD is what covers the moment dockerd unhooks
DOCKER-USER. A jump that drifted below those ACCEPTs covered nothing: each protected workspace network puts it
back first."""

from __future__ import annotations

import subprocess

from tests_support import require_docker_here

from sandbox.firewall import CHAIN, Firewall, _iptables

JUMP = f"-A FORWARD -j {CHAIN}"
# What dockerd does when it makes a network, with an address of TEST-NET-1 (never routed): a rule inserted first.
NETWORK_RULE = ["-s", "192.0.2.1/32", "-j", "ACCEPT"]
SUBNET = "192.0.2.128/28"


def forward_rules() -> list[str]:
    listing = subprocess.run(["iptables", "-w", "-S", "FORWARD"], capture_output=True, text=True).stdout
    return [line for line in listing.splitlines() if line.startswith("-A ")]


def before_every_accept(rules: list[str]) -> bool:
    accepts = [number for number, rule in enumerate(rules) if rule.endswith("-j ACCEPT")]
    return JUMP in rules and rules.index(JUMP) < min(accepts, default=len(rules))


def test_a_network_made_after_the_chain_does_not_push_it_below_an_accept_for_good():
    require_docker_here()
    firewall = Firewall(True)
    assert firewall.enabled, "iptables and dockerd's DOCKER-USER chain are needed"
    assert _iptables("-I", "FORWARD", "1", *NETWORK_RULE)
    try:
        assert not before_every_accept(forward_rules()), "control: an ACCEPT went above the chain, as dockerd's do"
        firewall.protect(SUBNET, None)

        rules = forward_rules()
        assert before_every_accept(rules), rules[:4]
        assert rules.count(JUMP) == 1, "put back first, not added twice"
    finally:
        _iptables("-D", "FORWARD", *NETWORK_RULE)
        firewall.release(SUBNET)
