"""Host firewall for workspace networks: no cloud metadata, no private ranges, no host services.

Rules live on the sandbox host (a learner is root with NET_ADMIN inside their workspace, so
rules inside it would not hold). They are only applied when the Docker daemon is local and
iptables is usable; otherwise the operator applies the same rules on the sandbox host.
"""

from __future__ import annotations

import logging
import shutil
import subprocess

from sandbox.names import MIRROR_PORT

__all__ = ["Firewall"]

log = logging.getLogger(__name__)
CHAIN, INPUT_CHAIN = "TUTORBOT-WS", "TUTORBOT-WS-IN"
BLOCKED = ("169.254.0.0/16", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")


class Firewall:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and shutil.which("iptables") is not None and _iptables("-S", "DOCKER-USER")
        if enabled and not self.enabled:
            log.warning("workspace firewall not applied (no local iptables/DOCKER-USER): apply it on the sandbox host")
        if self.enabled:
            for chain, parent in ((CHAIN, "DOCKER-USER"), (INPUT_CHAIN, "INPUT")):
                _iptables("-N", chain)
                if not _iptables("-C", parent, "-j", chain):
                    _iptables("-I", parent, "1", "-j", chain)

    def protect(self, subnet: str, mirror_ip: str | None) -> None:
        """Allow the mirror's registry port and replies; drop private ranges (the mirror's other ports,
        other workspaces, the LAN, cloud metadata) and the host itself."""
        if not self.enabled or not subnet:
            return
        self.release(subnet)
        rules = [["-s", subnet, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "RETURN"]]
        if mirror_ip:
            rules.append(["-s", subnet, "-d", mirror_ip, "-p", "tcp", "--dport", str(MIRROR_PORT), "-j", "RETURN"])
        # Name resolution goes through the host's resolver; without it every lookup stalls.
        rules += [["-s", subnet, "-p", proto, "--dport", "53", "-j", "RETURN"] for proto in ("udp", "tcp")]
        rules += [["-s", subnet, "-d", blocked, "-j", "DROP"] for blocked in BLOCKED]
        for rule in rules:
            _iptables("-A", CHAIN, *rule)
        _iptables("-A", INPUT_CHAIN, "-s", subnet, "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "RETURN")
        _iptables("-A", INPUT_CHAIN, "-s", subnet, "-j", "DROP")

    def release(self, subnet: str) -> None:
        if not self.enabled or not subnet:
            return
        for chain in (CHAIN, INPUT_CHAIN):
            listing = subprocess.run(["iptables", "-S", chain], capture_output=True, text=True).stdout
            for line in listing.splitlines():
                if f"-s {subnet} " in line + " " and line.startswith("-A "):
                    _iptables("-D", *line.split()[1:])


def _iptables(*args: str) -> bool:
    return subprocess.run(["iptables", "-w", *args], capture_output=True).returncode == 0
