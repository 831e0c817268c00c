"""Disk used by a workspace, measured on the sandbox host, and what happens when it is full.

Two modes (`SANDBOX_DISK_QUOTA`):

- **loop** (a hard quota): each workspace's Docker data and files sit on its own fixed-size ext4
  (sandbox/quota.py). The kernel refuses writes past the size; usage is read with statvfs on the
  host. A command that filled the disk comes back with `disk_full`, and the learner is told to
  free space (`docker system prune -a`, `rm`) or `/reset`.
- **volume** (a soft quota, for a sandbox host where the bot cannot mount): two named volumes whose
  size the host daemon measures (`/system/df`). Over the limit, the build cache and dangling images
  are reclaimed; if still over, only commands that look at or free space run until it is under.

Neither mode runs a program inside the workspace to measure it: a learner controls every binary there.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable

import docker
from docker.errors import DockerException

from sandbox.docker_calls import DockerCalls
from sandbox.errors import DiskLimitReached
from sandbox.host_side import DiskStore
from sandbox.quota import DiskUsage

__all__ = ["DiskGuard", "frees_space"]

log = logging.getLogger(__name__)
_RECLAIM = "docker builder prune -af >/dev/null 2>&1; docker image prune -f >/dev/null 2>&1; true"
_SHELL_TRICKS = re.compile(r"[|<>`$&\n(){}]")
_FREES_SPACE = re.compile(
    r"^\s*(?:sudo\s+)?(?:rm|rmdir|du|df|ls|truncate|"
    r"docker\s+(?:rm|rmi|ps|images|image\s+(?:rm|prune|ls)|container\s+(?:rm|prune|ls|stop)|stop|kill|"
    r"volume\s+(?:rm|prune|ls)|system\s+(?:prune|df)|builder\s+prune|network\s+(?:rm|prune|ls)))\b"
)
Reclaim = Callable[[str, str], str]  # (container_id, script) -> output, run as the daemon's user


def frees_space(command: str) -> bool:
    """Commands a learner over the disk limit may still run: those that look at or free space.

    Simple commands chained with `&&` or `;` only: no pipes, redirections, substitutions or `&`.
    """
    parts = re.split(r"&&|;", command)
    return all(_FREES_SPACE.match(part) and not _SHELL_TRICKS.search(part) for part in parts if part.strip())


class DiskGuard:
    def __init__(self, calls: DockerCalls, client: docker.DockerClient, limit_bytes: int, *,
                 loop: DiskStore | None, reclaim: Reclaim) -> None:
        self.calls, self.client, self.limit, self.loop = calls, client, limit_bytes, loop
        self._reclaim = reclaim
        self.over: dict[int, int] = {}  # learner -> bytes used when last found full / over the limit

    @property
    def hard(self) -> bool:
        """True when the kernel enforces the limit (loop mode)."""
        return self.loop is not None

    def refuse(self, learner_id: int, command: str | None) -> None:
        """Soft mode: raise DiskLimitReached unless under the limit or the command frees space.

        Hard mode refuses nothing: the kernel stops writes, and every command may free space.
        """
        used = self.over.get(learner_id)
        if not self.hard and used is not None and (command is None or not frees_space(command)):
            raise DiskLimitReached(used, self.limit)

    async def usage(self, key: str) -> DiskUsage | None:
        """Space used by the workspace with this key, measured on the host (None: unknown)."""
        try:
            if self.loop is not None:
                return await self.calls.raw(self.loop.usage, key)
            used = await asyncio.wait_for(self.calls.raw(self._volumes_size, key), 60)
            return DiskUsage(used=used, size=self.limit)
        except (DockerException, OSError, TimeoutError, ValueError) as exc:
            log.debug("disk usage of %s unknown: %s", key, exc)
            return None

    def is_full(self, usage: DiskUsage | None, *, refused_a_write: bool = False) -> bool:
        """Hard quota: (nearly) no room left on the workspace's filesystem, or a write was refused and
        less than 10 % is free (ext4 refuses a large write before the last blocks are gone).
        Soft quota: over the limit."""
        if usage is None:
            return False
        if self.loop is None:
            return usage.used > self.limit
        margin = usage.size // 10 if refused_a_write else max(8 * 1024 * 1024, usage.size // 100)
        return usage.size - usage.used < margin

    async def check(self, learner_id: int, container_id: str, key: str, *, refused_a_write: bool = False) -> bool:
        """Measure; when full, reclaim caches and measure again. True while still full."""
        usage = await self.usage(key)
        if self.is_full(usage, refused_a_write=refused_a_write):
            await self.calls.raw(self._reclaim, container_id, _RECLAIM)
            usage = await self.usage(key)
        if self.is_full(usage, refused_a_write=refused_a_write):
            self.over[learner_id] = usage.used if usage else 0
            return True
        if usage is not None:
            self.over.pop(learner_id, None)
        return False

    def forget(self, learner_id: int) -> None:
        self.over.pop(learner_id, None)

    def _volumes_size(self, key: str) -> int:
        """Sizes of the workspace's volumes as the host daemon computes them (`docker system df -v`)."""
        volumes = self.client.api.df().get("Volumes") or []
        return sum(max(0, (v.get("UsageData") or {}).get("Size", 0)) for v in volumes
                   if (v.get("Labels") or {}).get("org.tutorbot.key") == key)
