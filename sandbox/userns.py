"""How the lab's engine maps a workspace's uids to the host's (`dockerd --userns-remap`).

With user-namespace remapping, uid 0 in a workspace is an unprivileged host uid (the remap user's first
subordinate id), and every uid inside is shifted by the same amount. The bot needs the shift for one
thing: the folders it makes on a workspace's loop disk must belong to the workspace's uids 1000 and
1001 *as the host sees them*. The engine tells it: `docker info` lists `name=userns` among its security
options, and its data root then ends with `<uid>.<gid>`, the first host uid and gid of the mapping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import docker

__all__ = ["NO_SHIFT", "IdShift", "engine_id_shift"]

_ROOT_SUFFIX = re.compile(r"/(\d+)\.(\d+)/?$")


@dataclass(frozen=True)
class IdShift:
    """Host uid/gid of a workspace's uid/gid 0 (0, 0: no remapping, the workspace's ids are the host's)."""

    uid: int = 0
    gid: int = 0


NO_SHIFT = IdShift()


def engine_id_shift(client: docker.DockerClient) -> IdShift:
    info = client.info()
    if not any("name=userns" in option for option in info.get("SecurityOptions") or []):
        return NO_SHIFT
    found = _ROOT_SUFFIX.search(str(info.get("DockerRootDir", "")))
    if not found:
        raise ValueError(f"userns-remap engine with an unexpected data root: {info.get('DockerRootDir')!r}")
    return IdShift(int(found[1]), int(found[2]))
