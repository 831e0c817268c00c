"""A small subnet of its own for every workspace network.

Docker's default address pools hold about thirty networks (/16 and /20 blocks), and a stopped
workspace keeps its network for the whole retention time, so a busy lab would run out after a
few dozen learners. Each workspace network gets a /29 (gateway, workspace, mirror) carved from
`SANDBOX_SUBNET_POOL` (8192 of them in the default /16) instead.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterator

import docker

__all__ = ["SUBNET_PREFIX", "candidate_subnets", "used_subnets"]

SUBNET_PREFIX = 29


def used_subnets(client: docker.DockerClient) -> list[ipaddress.IPv4Network]:
    """Every IPv4 subnet the daemon's networks already use."""
    found = []
    for network in client.api.networks():
        for config in (network.get("IPAM") or {}).get("Config") or []:
            try:
                subnet = ipaddress.ip_network(config.get("Subnet", ""), strict=False)
            except ValueError:
                continue
            if isinstance(subnet, ipaddress.IPv4Network):
                found.append(subnet)
    return found


def candidate_subnets(pool: str, used: list[ipaddress.IPv4Network]) -> Iterator[ipaddress.IPv4Network]:
    """Free /29s of the pool, from a random start so concurrent creations rarely collide."""
    blocks = list(ipaddress.IPv4Network(pool).subnets(new_prefix=SUBNET_PREFIX))  # workspace networks are IPv4
    start = random.randrange(len(blocks))
    for block in blocks[start:] + blocks[:start]:
        if not any(block.overlaps(other) for other in used):
            yield block
