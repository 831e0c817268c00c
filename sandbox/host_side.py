"""What the lab does on the sandbox host itself (disks, firewall, kernel-table limits): here, or through the host agent.

With a local engine the bot does it in-process (it runs as root next to dockerd). With
`SANDBOX_HOST_AGENT` set (docker-compose), it asks the agent that runs inside the sandbox service
(sandbox/host_agent.py) over a unix socket. Both sides have the same small interface.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from pathlib import Path
from typing import Any, Protocol

from sandbox.config import SandboxSettings
from sandbox.errors import ErrorCode, HostDiskFull, LabUnavailable
from sandbox.firewall import Firewall
from sandbox.kernel_tables import TableLimits, WorkspaceNotVisible, bound_workspace_tables
from sandbox.quota import DiskUsage, LoopDisks, loop_quota_possible
from sandbox.userns import NO_SHIFT, IdShift

__all__ = ["DiskStore", "FirewallRules", "KernelTables", "WorkspaceTables", "host_side_for", "kernel_tables_for"]

log = logging.getLogger(__name__)


class DiskStore(Protocol):
    def provision(self, key: str) -> str: ...
    def release(self, key: str) -> None: ...
    def usage(self, key: str) -> DiskUsage | None: ...
    def age(self, key: str) -> float: ...
    def keys(self) -> list[str]: ...


class FirewallRules(Protocol):
    def protect(self, subnet: str, mirror_ip: str | None) -> None: ...
    def release(self, subnet: str) -> None: ...


class KernelTables(Protocol):
    def bound(self, container_id: str, pid: int) -> None: ...


def kernel_tables_for(settings: SandboxSettings) -> KernelTables:
    """Who sets a started workspace's own kernel-table limits (sandbox/kernel_tables.py)."""
    return WorkspaceTables(TableLimits(settings.inotify_instances, settings.inotify_watches),
                           AgentClient(settings.host_agent) if settings.host_agent else None)


def host_side_for(settings: SandboxSettings, id_shift: IdShift = NO_SHIFT) -> tuple[DiskStore | None, FirewallRules]:
    """The lab's disks (None: the soft quota on volumes) and firewall, local or through the agent.
    `id_shift`: the engine's user-namespace mapping (sandbox/userns.py), for the owners of disk folders."""
    disks: DiskStore | None = None
    if settings.host_agent:
        agent = AgentClient(settings.host_agent)
        if settings.disk_quota != "volume":
            disks = RemoteDisks(agent, prefix=settings.name_prefix, size=settings.disk_limit_bytes, id_shift=id_shift)
        return disks, (RemoteFirewall(agent) if settings.firewall else Firewall(False))
    quota = settings.disk_quota
    if quota == "loop" or (quota == "auto" and loop_quota_possible(os.environ.get("DOCKER_HOST"))):
        disks = LoopDisks(Path(settings.disk_dir), settings.disk_limit_bytes, prefix=settings.name_prefix,
                          id_shift=(id_shift.uid, id_shift.gid))
    elif quota == "auto":
        log.warning("no hard disk quota (the daemon is remote or this process cannot mount): "
                    "workspace disks are measured from the host daemon (SANDBOX_DISK_QUOTA=volume)")
    return disks, Firewall(settings.firewall)


class AgentClient:
    def __init__(self, path: str, timeout: float = 60) -> None:
        self.path, self.timeout = path, timeout

    def call(self, **request: object) -> dict[str, Any]:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.settimeout(self.timeout)
                conn.connect(self.path)
                conn.sendall(json.dumps(request).encode() + b"\n")
                answer: dict[str, Any] = json.loads(conn.makefile("rb").readline())
        except (OSError, ValueError) as exc:
            raise LabUnavailable(f"the sandbox host agent does not answer: {exc}") from None
        if answer.get("code") == ErrorCode.HOST_DISK_FULL:
            details = answer.get("details") or {}
            raise HostDiskFull(free_bytes=int(details.get("free_bytes", 0)), needed_bytes=int(details.get("needed_bytes", 0)))
        if "error" in answer:
            raise LabUnavailable(f"the sandbox host agent refused {request.get('op')}: {answer['error']}")
        return answer


class RemoteDisks:
    def __init__(self, agent: AgentClient, *, prefix: str, size: int, id_shift: IdShift = NO_SHIFT) -> None:
        self.agent, self.prefix, self.size, self.id_shift = agent, prefix, size, id_shift

    def provision(self, key: str) -> str:
        return str(self.agent.call(op="provision", prefix=self.prefix, key=key, size=self.size,
                                   uid_shift=self.id_shift.uid, gid_shift=self.id_shift.gid)["host_dir"])

    def release(self, key: str) -> None:
        self.agent.call(op="release", prefix=self.prefix, key=key)

    def usage(self, key: str) -> DiskUsage | None:
        answer = self.agent.call(op="usage", prefix=self.prefix, key=key)
        return None if answer.get("used") is None else DiskUsage(used=answer["used"], size=answer["size"])

    def age(self, key: str) -> float:
        return float(self.agent.call(op="age", prefix=self.prefix, key=key)["age"])

    def keys(self) -> list[str]:
        return [str(key) for key in self.agent.call(op="keys", prefix=self.prefix)["keys"]]


class RemoteFirewall:
    def __init__(self, agent: AgentClient) -> None:
        self.agent = agent

    def protect(self, subnet: str, mirror_ip: str | None) -> None:
        if subnet:
            self.agent.call(op="protect", subnet=subnet, mirror_ip=mirror_ip)

    def release(self, subnet: str) -> None:
        if subnet:
            self.agent.call(op="release_subnet", subnet=subnet)


class WorkspaceTables:
    """Sets a workspace's kernel-table limits from this process when it sees the workspace's processes (root
    beside the engine: local mode, `lab-engine.sh`), else through the host agent (docker-compose)."""

    def __init__(self, limits: TableLimits, agent: AgentClient | None) -> None:
        self.limits, self.agent = limits, agent

    def bound(self, container_id: str, pid: int) -> None:
        try:
            if bound_workspace_tables(container_id, pid, self.limits) is None:
                log.info("workspace %s shares the host's user namespace (an engine without userns-remap): its "
                         "inotify use counts against the host's per-uid limits", container_id[:12])
            return
        except WorkspaceNotVisible as exc:
            if self.agent is None:  # a remote engine without the agent: as for the firewall, the operator's part
                log.warning("workspace %s has no inotify limits of its own (%s): run the host agent on the sandbox "
                            "host (sandbox/README.md)", container_id[:12], exc)
                return
        self.agent.call(op="bound_tables", container_id=container_id, pid=pid, instances=self.limits.instances,
                        watches=self.limits.watches)
