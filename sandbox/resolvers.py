"""The DNS servers a workspace's lookups really go to, as the sandbox host's dockerd picks them.

A workspace asks Docker's embedded resolver (127.0.0.11 on its own network), which forwards from the
workspace's network namespace to the servers of the daemon's `dns` setting, else to the host's
resolv.conf (systemd-resolved's upstream file when the host only lists itself), else to Docker's
public defaults. The firewall opens port 53 towards these addresses only.
"""

from __future__ import annotations

import ipaddress
import json
import re
from pathlib import Path

__all__ = ["DOCKER_DEFAULT_DNS", "lab_resolvers", "resolvers_from"]

DOCKER_DEFAULT_DNS = ("8.8.8.8", "8.8.4.4")
_DAEMON_JSON = Path("/etc/docker/daemon.json")
_RESOLV_CONFS = (Path("/etc/resolv.conf"), Path("/run/systemd/resolve/resolv.conf"))


def resolvers_from(daemon_json: str | None, resolv_confs: list[str]) -> tuple[str, ...]:
    """IPv4 resolvers from the daemon's settings and resolv.conf texts, in dockerd's order of preference."""
    if daemon_json:
        configured = _ipv4(json.loads(daemon_json).get("dns") or [])
        if configured:
            return configured
    for text in resolv_confs:
        found = _ipv4(re.findall(r"^\s*nameserver\s+(\S+)", text, flags=re.MULTILINE))
        if found:
            return found
    return DOCKER_DEFAULT_DNS


def lab_resolvers() -> tuple[str, ...]:
    """The resolvers of this host (read each time: a DHCP lease may change them)."""
    daemon = _DAEMON_JSON.read_text() if _DAEMON_JSON.is_file() else None
    return resolvers_from(daemon, [path.read_text() for path in _RESOLV_CONFS if path.is_file()])


def _ipv4(values: list[str]) -> tuple[str, ...]:
    """Usable IPv4 addresses (a loopback one means nothing from a workspace's namespace)."""
    found = []
    for value in values:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            continue
        if address.version == 4 and not address.is_loopback:
            found.append(str(address))
    return tuple(found)
