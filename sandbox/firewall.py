"""Host firewall for workspace networks: no cloud metadata, no private ranges, no host services.

Rules live on the sandbox host (a learner is root with NET_ADMIN inside their workspace, so
rules inside it would not hold). They are only applied when the Docker daemon is local and
iptables is usable; otherwise the operator applies the same rules on the sandbox host.

The chain is reached from FORWARD as well as from DOCKER-USER (dockerd briefly unhooks DOCKER-USER
each time it makes a network). A workspace's rules change in one `iptables-restore` transaction: there is no moment where the old
rules are gone and the new ones not yet in. Removing a workspace kills it before its rules go
(sandbox/workspaces.py).
"""

from __future__ import annotations

import ipaddress
import logging
import shutil
import subprocess
from collections.abc import Callable

from sandbox.errors import LabUnavailable
from sandbox.names import MIRROR_PORT
from sandbox.resolvers import lab_resolvers

__all__ = ["BLOCKED", "CONNECTIONS_PER_WORKSPACE", "Firewall", "workspace_rules"]

log = logging.getLogger(__name__)
CHAIN, INPUT_CHAIN = "TUTORBOT-WS", "TUTORBOT-WS-IN"
BLOCKED = ("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")
# Connections a workspace may hold open through the host at once (the host's conntrack table is shared
# by every workspace: 262,144 entries by default).
CONNECTIONS_PER_WORKSPACE = 4096


def workspace_rules(subnet: str, mirror_ip: str | None, resolvers: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """(chain, rule) for one workspace network, in order.

    Port 53 is open only towards the lab's resolvers that sit in a private range (a public one is not
    dropped in the first place): any other private address is dropped on every port, 53 included.
    """
    rules = [["-s", subnet, "-m", "conntrack", "--ctstate", "NEW", "-m", "connlimit", "--connlimit-above",
              str(CONNECTIONS_PER_WORKSPACE), "--connlimit-mask", "0", "-j", "DROP"],
             ["-s", subnet, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "RETURN"]]
    if mirror_ip:
        rules.append(["-s", subnet, "-d", mirror_ip, "-p", "tcp", "--dport", str(MIRROR_PORT), "-j", "RETURN"])
    rules += [["-s", subnet, "-d", f"{resolver}/32", "-p", proto, "--dport", "53", "-j", "RETURN"]
              for resolver in resolvers if _blocked(resolver) for proto in ("udp", "tcp")]
    rules += [["-s", subnet, "-d", blocked, "-j", "DROP"] for blocked in BLOCKED]
    chained = [(CHAIN, rule) for rule in rules]
    chained.append((INPUT_CHAIN, ["-s", subnet, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "RETURN"]))
    chained.append((INPUT_CHAIN, ["-s", subnet, "-j", "DROP"]))
    return chained


class Firewall:
    def __init__(self, enabled: bool, *, resolvers: Callable[[], tuple[str, ...]] = lab_resolvers) -> None:
        self.resolvers = resolvers
        self.enabled = enabled and shutil.which("iptables") is not None and _iptables("-S", "DOCKER-USER")
        if enabled and not self.enabled:
            log.warning("workspace firewall not applied (no local iptables/DOCKER-USER): apply it on the sandbox host")
        if self.enabled:
            # FORWARD too: dockerd deletes and re-inserts FORWARD's jump to DOCKER-USER whenever it makes a
            # network (any network, anyone's), and a workspace's packets slipped through in that moment.
            for chain in (CHAIN, INPUT_CHAIN):
                _iptables("-N", chain)
            self._jumps_first()

    def _jumps_first(self) -> None:
        """Our chains first in their parents. dockerd inserts each new network's rules at the top of FORWARD
        (its ACCEPTs among them), so a jump put first once drifts down below the ACCEPTs of the workspaces made
        since, and no longer covers them at the moment dockerd unhooks DOCKER-USER: it is put back first whenever
        a workspace network is protected (before any container runs on it)."""
        for chain, parent in ((CHAIN, "DOCKER-USER"), (CHAIN, "FORWARD"), (INPUT_CHAIN, "INPUT")):
            _jump_first(parent, chain)

    def protect(self, subnet: str, mirror_ip: str | None) -> None:
        """Allow the mirror's registry port, the lab's resolver and replies; drop private ranges (the
        mirror's other ports, other workspaces, the LAN, cloud metadata) and the host itself.

        The subnet's old rules are replaced in the same transaction (no gap between them)."""
        if not self.enabled or not subnet:
            return
        lines = [f"-D {line[3:]}" for line in self._rules_of(subnet)]
        lines += [f"-A {chain} {' '.join(rule)}" for chain, rule in workspace_rules(subnet, mirror_ip, self.resolvers())]
        if not _restore(lines):
            raise LabUnavailable(f"the firewall rules of {subnet} could not be applied")
        self._jumps_first()  # the workspace's network was just made: its rules went above ours

    def release(self, subnet: str) -> None:
        """Remove the subnet's rules: only once nothing of the workspace runs any more."""
        if not self.enabled or not subnet:
            return
        _restore([f"-D {line[3:]}" for line in self._rules_of(subnet)])

    def _rules_of(self, subnet: str) -> list[str]:
        found = []
        for chain in (CHAIN, INPUT_CHAIN):
            listing = subprocess.run(["iptables", "-w", "-S", chain], capture_output=True, text=True).stdout
            found += [line for line in listing.splitlines() if line.startswith("-A ") and f"-s {subnet} " in line + " "]
        return found


def _jump_first(parent: str, chain: str) -> None:
    """Make `-j chain` the first rule of `parent`, once, in one iptables-restore transaction (no moment without
    it). Deleted by its specification, never by number: dockerd may insert rules between our look and our change."""
    listing = subprocess.run(["iptables", "-w", "-S", parent], capture_output=True, text=True).stdout
    rules = [line for line in listing.splitlines() if line.startswith("-A ")]
    jump = f"-A {parent} -j {chain}"
    if rules[:1] == [jump] and rules.count(jump) == 1:
        return
    _restore([*(f"-D {parent} -j {chain}" for _ in range(rules.count(jump))), f"-I {parent} 1 -j {chain}"])


def _blocked(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return any(ip in ipaddress.ip_network(blocked) for blocked in BLOCKED)


def _restore(lines: list[str]) -> bool:
    if not lines:
        return True
    script = "*filter\n" + "".join(f"{line}\n" for line in lines) + "COMMIT\n"
    done = subprocess.run(["iptables-restore", "-w", "--noflush"], input=script, capture_output=True, text=True)
    if done.returncode != 0:
        log.warning("workspace firewall rules not changed: %s", done.stderr.strip())
    return done.returncode == 0


def _iptables(*args: str) -> bool:
    return subprocess.run(["iptables", "-w", *args], capture_output=True).returncode == 0
