"""Disk used by a workspace, and what happens when it is over its limit.

Usage = the workspace's Docker data (its `/var/lib/docker` volume, measured with `du` inside) plus
the container's own writable layer (`/workspace`, `/tmp`..., measured by the host daemon). It is
checked after every command and build, every few seconds while a long one runs, and by the
reaper. Over the limit, the build cache and dangling images are reclaimed first; if that is not
enough, the learner may only run commands that free space (or `/reset`) until they are under.
A single file is also capped by `ulimit -f`, so one command cannot write more than the limit.
Without a hard quota (XFS `pquota` + `--storage-opt size=`, or Sysbox), a workspace can overshoot by
what it writes between two checks; the host must keep that margin free.
"""

from __future__ import annotations

import asyncio
import logging
import re

import docker
from docker.errors import DockerException

from sandbox.docker_calls import DockerCalls
from sandbox.errors import DiskLimitReached

__all__ = ["DiskGuard", "frees_space"]

log = logging.getLogger(__name__)
_DOCKER_DATA_KIB = "du -skx /var/lib/docker 2>/dev/null | cut -f1"
_RECLAIM = "docker builder prune -af >/dev/null 2>&1; docker image prune -f >/dev/null 2>&1; true"
_SHELL_TRICKS = re.compile(r"[|<>`$&\n(){}]")
_FREES_SPACE = re.compile(
    r"^\s*(?:sudo\s+)?(?:rm|rmdir|du|df|ls|truncate|"
    r"docker\s+(?:rm|rmi|ps|images|image\s+(?:rm|prune|ls)|container\s+(?:rm|prune|ls|stop)|stop|kill|"
    r"volume\s+(?:rm|prune|ls)|system\s+(?:prune|df)|builder\s+prune|network\s+(?:rm|prune|ls)))\b"
)


def frees_space(command: str) -> bool:
    """Commands a learner over the disk limit may still run: those that look at or free space.

    Simple commands chained with `&&` or `;` only: no pipes, redirections, substitutions or `&`.
    """
    parts = re.split(r"&&|;", command)
    return all(_FREES_SPACE.match(part) and not _SHELL_TRICKS.search(part) for part in parts if part.strip())


class DiskGuard:
    def __init__(self, calls: DockerCalls, client: docker.DockerClient, limit_bytes: int) -> None:
        self.calls, self.client, self.limit = calls, client, limit_bytes
        self.over: dict[int, int] = {}  # learner -> bytes used when last found over the limit

    def refuse(self, learner_id: int, command: str | None) -> None:
        """Raise DiskLimitReached unless the learner is under the limit or the command frees space."""
        used = self.over.get(learner_id)
        if used is not None and (command is None or not frees_space(command)):
            raise DiskLimitReached(used, self.limit)

    async def usage(self, container_id: str) -> int | None:
        """Bytes used by the workspace, or None if it could not be measured."""
        try:
            return await asyncio.wait_for(self.calls.raw(self._measure, container_id), 30)
        except (DockerException, OSError, TimeoutError, ValueError) as exc:
            log.debug("disk usage of %s unknown: %s", container_id[:12], exc)
            return None

    async def check(self, learner_id: int, container_id: str) -> bool:
        """Measure; over the limit, reclaim caches and measure again. True while still over."""
        used = await self.usage(container_id)
        if used is not None and used > self.limit:
            await self.calls.raw(self._exec, container_id, _RECLAIM)
            used = await self.usage(container_id)
        if used is not None and used > self.limit:
            self.over[learner_id] = used
            return True
        if used is not None:
            self.over.pop(learner_id, None)
        return False

    def forget(self, learner_id: int) -> None:
        self.over.pop(learner_id, None)

    def _measure(self, container_id: str) -> int:
        docker_kib = self._exec(container_id, _DOCKER_DATA_KIB).strip()
        api = self.client.api  # inspect_container() cannot ask for sizes
        writable = api._result(api._get(api._url("/containers/{0}/json", container_id), params={"size": 1}),
                               True).get("SizeRw") or 0
        return int(docker_kib or 0) * 1024 + int(writable)

    def _exec(self, container_id: str, script: str) -> str:
        exec_id = self.client.api.exec_create(container_id, ["sh", "-c", script])["Id"]
        return self.client.api.exec_start(exec_id).decode(errors="replace")
