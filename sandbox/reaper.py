"""Housekeeping of the lab: idle workspaces stop, long-stopped ones go, orphans are swept, disks checked.

Runs every `reap_interval` seconds and once at start-up. Stopping keeps a workspace's files and
images (the next command restarts it); removal after the retention time frees everything.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sandbox.config import SandboxSettings
from sandbox.disk import DiskGuard
from sandbox.docker_calls import DockerCalls
from sandbox.slots import Slots
from sandbox.workspaces import WorkspaceHost

__all__ = ["ReapReport", "reap_expired", "reap_once"]

log = logging.getLogger(__name__)
HARD_MARGIN = 1.25
Stop = Callable[[int], Awaitable[None]]


@dataclass(frozen=True)
class ReapReport:
    stopped: tuple[int, ...]
    removed: tuple[str, ...]
    over_disk: tuple[int, ...]
    orphans: int


async def reap_once(*, settings: SandboxSettings, calls: DockerCalls, host: WorkspaceHost, slots: Slots,
                    disk: DiskGuard, stop: Stop) -> ReapReport:
    """Stop idle workspaces, check the disks of the others, remove expired ones and orphans."""
    stopped = []
    for learner in slots.idle_for(settings.idle_stop_after):
        await stop(learner)
        stopped.append(learner)
    over = []
    for workspace in await calls(host.list):
        owner = workspace.learner_id
        if workspace.running and owner is not None and owner not in slots.busy:
            if await disk.check(owner, workspace.container_id, workspace.key):
                over.append(owner)
                if not disk.hard and disk.over[owner] > HARD_MARGIN * disk.limit:  # something keeps writing
                    await stop(owner)
                    stopped.append(owner)
    removed = await reap_expired(settings=settings, calls=calls, host=host)
    orphans = await calls(host.reap_orphans, min_age_s=settings.orphan_min_age)
    return ReapReport(tuple(stopped), removed, tuple(over), orphans)


async def reap_expired(*, settings: SandboxSettings, calls: DockerCalls, host: WorkspaceHost) -> tuple[str, ...]:
    """Remove workspaces stopped for longer than the retention time, and stopped pool ones."""
    now = datetime.now(UTC)
    removed = []
    for workspace in await calls(host.list):
        if workspace.running:
            continue
        if workspace.pooled:
            await calls(host.remove, workspace)
            removed.append(workspace.name)
            continue
        if workspace.learner_id is None:
            continue
        detail = await calls(host.get, workspace.learner_id)
        if detail and detail.finished_at and (now - detail.finished_at).total_seconds() >= settings.remove_after:
            await calls(host.remove, detail)
            removed.append(detail.name)
    return tuple(removed)
