"""Workspace lifecycle on the sandbox host (synchronous Docker SDK calls; the service runs them in threads).

Names carry the state that must survive a bot restart: `<prefix>-ws-<owner>-<learner>` is a learner's
workspace (`owner` names the bot's database: learner ids restart with a new database, and a new
learner must never get the workspace of someone from an old one), `<prefix>-pool-<key>` a warm one
nobody owns yet. Claiming renames a pool workspace,
which Docker persists, so a restarted bot re-adopts everything by listing labelled containers.
"""

from __future__ import annotations

import builtins
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import docker
from docker.errors import APIError, NotFound
from docker.models.networks import Network

from sandbox.config import SandboxSettings
from sandbox.errors import LabUnavailable
from sandbox.host_side import host_side_for, kernel_tables_for
from sandbox.learner_writes import files_tar, write_as_learner
from sandbox.mirror import connect_mirror, disconnect_mirror
from sandbox.names import MIRROR_CONTAINER, MIRROR_URL_FOR_WORKSPACES
from sandbox.subnets import candidate_subnets, used_subnets
from sandbox.userns import NO_SHIFT, IdShift
from sandbox.workspace_spec import (
    DAEMON_USER,
    LABEL,
    READY_FILE,
    WORKDIR,
    WorkspaceDisk,
    create_workspace_container,
)

__all__ = ["Workspace", "WorkspaceHost"]

log = logging.getLogger(__name__)
KEY_LABEL = "org.tutorbot.key"


@dataclass(frozen=True)
class Workspace:
    container_id: str
    name: str
    key: str
    running: bool
    finished_at: datetime | None = None

    @property
    def learner_id(self) -> int | None:
        tail = self.name.rsplit("-ws-", 1)
        number = tail[1].rsplit("-", 1)[-1] if len(tail) == 2 else ""
        return int(number) if number.isdigit() else None

    @property
    def owner(self) -> str | None:
        """The database the learner belongs to ("" for the names of before owners); None for a pool workspace."""
        tail = self.name.rsplit("-ws-", 1)
        if len(tail) != 2:
            return None
        return tail[1].rsplit("-", 1)[0] if "-" in tail[1] else ""

    @property
    def pooled(self) -> bool:
        return "-pool-" in self.name


class WorkspaceHost:
    def __init__(self, client: docker.DockerClient, settings: SandboxSettings, *, owner: str = "",
                 id_shift: IdShift = NO_SHIFT) -> None:
        if not re.fullmatch(r"[0-9a-z]{0,32}", owner):
            raise ValueError(f"a workspace owner is lowercase letters and digits, not {owner!r}")
        self.client, self.settings, self.owner = client, settings, owner
        self.disks, self.firewall = host_side_for(settings, id_shift)
        self.tables = kernel_tables_for(settings)
        self.prefix = settings.name_prefix
        self._claim_lock = threading.Lock()
        self._cpus: int | None = None  # the engine's CPU count, asked once

    # -- names ---------------------------------------------------------------------------------
    def learner_name(self, learner_id: int) -> str:
        return f"{self.prefix}-ws-{self.owner}-{learner_id}" if self.owner else f"{self.prefix}-ws-{learner_id}"

    def _network(self, key: str) -> str:
        return f"{self.prefix}-net-{key}"

    def _volume(self, key: str) -> str:
        return f"{self.prefix}-vol-{key}"

    def _files_volume(self, key: str) -> str:
        return f"{self.prefix}-files-{key}"

    def _disk(self, key: str, labels: dict[str, str] | None = None) -> WorkspaceDisk:
        """The workspace's own disk: mounted (again) if it is a loop filesystem, created if a volume is missing."""
        if self.disks is not None:
            return WorkspaceDisk(host_dir=self.disks.provision(key))
        if labels is not None:
            for volume in (self._volume(key), self._files_volume(key)):
                self.client.volumes.create(volume, labels=labels)
        return WorkspaceDisk(docker_volume=self._volume(key), files_volume=self._files_volume(key))

    # -- listing -------------------------------------------------------------------------------
    def list(self) -> list[Workspace]:
        """This lab's workspaces: its pool and its own learners' (another lab with another prefix may share
        the host; workspaces of another database are `foreign()`)."""
        return [w for w in self._all() if w.owner is None or w.owner == self.owner]

    def foreign(self) -> builtins.list[Workspace]:
        """Workspaces of this prefix that belong to the learners of another database (an older one)."""
        return [w for w in self._all() if w.owner is not None and w.owner != self.owner]

    def _all(self) -> builtins.list[Workspace]:
        found = []
        for item in self.client.api.containers(all=True, filters={"label": LABEL}):
            name = item["Names"][0].lstrip("/")
            if not name.startswith((f"{self.prefix}-ws-", f"{self.prefix}-pool-")):
                continue
            found.append(Workspace(item["Id"], name, item["Labels"].get(KEY_LABEL, ""), item["State"] == "running"))
        return found

    def get(self, learner_id: int) -> Workspace | None:
        try:
            info = self.client.api.inspect_container(self.learner_name(learner_id))
        except NotFound:
            return None
        finished = info["State"].get("FinishedAt", "")
        return Workspace(info["Id"], info["Name"].lstrip("/"), info["Config"]["Labels"].get(KEY_LABEL, ""),
                         info["State"]["Running"], _parse_time(finished))

    # -- creating, claiming, starting ----------------------------------------------------------
    def create(self, name: str) -> Workspace:
        """A new running workspace: its own network (internal without egress), volume and firewall."""
        key = secrets.token_hex(6)
        labels = {LABEL: "1", KEY_LABEL: key}
        network = self._network(key)
        self._create_network(network, labels)
        try:
            disk = self._disk(key, labels)
        except BaseException:  # no room for its disk (HostDiskFull): its network goes too
            try:
                self.client.api.remove_network(network)
            except APIError as exc:
                log.warning("network %s left for the orphan reaper: %s", network, exc)
            raise
        mirror_ip = self._connect_mirror(network)
        # An address, not a name: dockerd's resolver stalls ~10 s on the container name when offline.
        mirror_url = f"http://{mirror_ip}:5000" if mirror_ip else MIRROR_URL_FOR_WORKSPACES
        container_id = create_workspace_container(self.client, self.settings, name=name, network=network,
                                                  disk=disk, labels=labels, mirror_url=mirror_url,
                                                  host_cpus=self._host_cpus())
        workspace = Workspace(container_id, name, key, True)
        try:
            self._start(container_id, network)
        except BaseException:
            self.remove(workspace)  # nothing half-made stays on the host
            raise
        return workspace

    def _host_cpus(self) -> int:
        if self._cpus is None:
            self._cpus = int(self.client.info().get("NCPU") or 1)
        return self._cpus

    def _create_network(self, name: str, labels: dict[str, str]) -> Network:
        """A bridge on a /29 of its own (internal without egress); retried if a concurrent creation took it."""
        for attempt, subnet in enumerate(candidate_subnets(self.settings.subnet_pool, used_subnets(self.client))):
            ipam = docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=str(subnet),
                                                                               gateway=str(subnet[1]))])
            try:
                return self.client.networks.create(name, driver="bridge", labels=labels, ipam=ipam,
                                                   internal=not self.settings.egress)
            except APIError as exc:
                if "overlap" not in str(exc).lower() or attempt >= 20:
                    raise
        raise LabUnavailable(f"no free subnet left in {self.settings.subnet_pool}")

    def _connect_mirror(self, network: str) -> str | None:
        try:
            connect_mirror(self.client, network)
        except Exception as exc:  # noqa: BLE001 - learners can still work with what they build
            log.warning("mirror not connected to %s: %s", network, exc)
            return None
        return self._mirror_ip(network)

    def _mirror_ip(self, network: str) -> str | None:
        containers = self.client.api.inspect_network(network).get("Containers") or {}
        return next((c["IPv4Address"].split("/")[0] for c in containers.values() if c.get("Name") == MIRROR_CONTAINER), None)

    def claim_pooled(self, learner_id: int) -> Workspace | None:
        """Give a warm workspace to the learner by renaming it (a rename by id always succeeds, so claims
        are serialised: two learners must never get the same container)."""
        with self._claim_lock:
            for workspace in self.list():
                if workspace.pooled and workspace.running:
                    try:
                        self.client.api.rename(workspace.container_id, self.learner_name(learner_id))
                    except APIError:
                        continue  # gone meanwhile, or the learner's name is taken
                    return Workspace(workspace.container_id, self.learner_name(learner_id), workspace.key, True)
        return None

    def create_pooled(self) -> Workspace:
        return self.create(f"{self.prefix}-pool-{secrets.token_hex(4)}")

    def ensure_running(self, workspace: Workspace) -> Workspace:
        if not workspace.running:
            self._disk(workspace.key)  # a host restart unmounts loop filesystems
            self._start(workspace.container_id, self._network(workspace.key))
        return Workspace(workspace.container_id, workspace.name, workspace.key, True)

    def _start(self, container_id: str, network: str) -> None:
        """Firewall first, then start: a workspace (and the `-d` containers its daemon restarts) never runs
        a moment without its rules."""
        mirror_ip = self._connect_mirror(network)
        info = self.client.api.inspect_network(network)
        subnet = ((info.get("IPAM") or {}).get("Config") or [{}])[0].get("Subnet", "")
        self.firewall.protect(subnet, mirror_ip)
        self.client.api.start(container_id)
        # Its own inotify limits, before the bot runs anything there (sandbox/kernel_tables.py).
        self.tables.bound(container_id, int(self.client.api.inspect_container(container_id)["State"]["Pid"]))
        self.wait_ready(container_id)

    def wait_ready(self, container_id: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                exec_id = self.client.api.exec_create(container_id, ["test", "-e", READY_FILE],
                                                      user=DAEMON_USER)["Id"]
                self.client.api.exec_start(exec_id)
                if self.client.api.exec_inspect(exec_id).get("ExitCode") == 0:
                    return
            except APIError as exc:  # 409 while the container is still starting
                log.debug("workspace %s not ready yet: %s", container_id[:12], exc)
            state = self.client.api.inspect_container(container_id)["State"]
            if not state["Running"] and not state.get("Restarting") and state.get("FinishedAt", "0001") > state.get("StartedAt", ""):
                break
            time.sleep(0.2)
        raise LabUnavailable("the workspace's Docker daemon did not start")

    # -- stopping and removing ------------------------------------------------------------------
    def stop(self, workspace: Workspace) -> None:
        self.client.api.stop(workspace.container_id, timeout=5)

    def remove(self, workspace: Workspace) -> None:
        """Kill the workspace (and with it every container its daemon runs), then open its network.

        The firewall rules go last, and only once the container is known gone: a `-d` container probing
        the network during a /reset never finds it open.
        """
        network = self._network(workspace.key)
        try:
            self.client.api.remove_container(workspace.container_id, force=True, v=True)
        except NotFound:
            pass
        except APIError as exc:
            log.warning("could not remove %s, its firewall rules stay: %s", workspace.name, exc)
            return
        try:
            disconnect_mirror(self.client, network)
        except Exception as exc:  # noqa: BLE001 - keep removing what can be removed
            log.debug("mirror disconnect from %s: %s", network, exc)
        actions: tuple[Callable[[], object], ...] = (
                       lambda: self.client.api.remove_volume(self._volume(workspace.key), force=True),
                       lambda: self.client.api.remove_volume(self._files_volume(workspace.key), force=True),
                       lambda: self._release(network),
                       lambda: self._release_disk(workspace.key),
                       lambda: self.client.api.remove_network(network))
        for action in actions:
            try:
                action()
            except NotFound:
                pass
            except APIError as exc:
                log.warning("could not remove part of %s: %s", workspace.name, exc)

    def _release_disk(self, key: str) -> None:
        if self.disks is not None:
            self.disks.release(key)

    def _release(self, network: str) -> None:
        try:
            info = self.client.api.inspect_network(network)
        except NotFound:
            return
        subnet = ((info.get("IPAM") or {}).get("Config") or [{}])[0].get("Subnet", "")
        self.firewall.release(subnet)

    def reap_orphans(self, *, min_age_s: float = 600) -> int:
        """Remove this lab's labelled networks and volumes whose workspace is gone.

        Young ones are left alone: a workspace being created has its network before its container.
        """
        keys = {w.key for w in self.list()}
        now = datetime.now(UTC)
        removed = 0
        for network in self.client.api.networks(filters={"label": LABEL}):
            if not self._reapable(network["Name"], network["Labels"], network.get("Created"), keys, now, min_age_s):
                continue
            self._release(network["Name"])
            try:
                disconnect_mirror(self.client, network["Name"])
                self.client.api.remove_network(network["Id"])
                removed += 1
            except Exception as exc:  # noqa: BLE001 - try again at the next reaping
                log.warning("orphan network %s: %s", network["Name"], exc)
        for volume in (self.client.api.volumes(filters={"label": LABEL}).get("Volumes") or []):
            if not self._reapable(volume["Name"], volume.get("Labels") or {}, volume.get("CreatedAt"), keys, now, min_age_s):
                continue
            try:
                self.client.api.remove_volume(volume["Name"], force=True)
                removed += 1
            except APIError as exc:
                log.warning("orphan volume %s: %s", volume["Name"], exc)
        removed += self._reap_orphan_disks(keys, min_age_s)
        return removed

    def _reap_orphan_disks(self, keys: set[str], min_age_s: float) -> int:
        """Loop filesystems of this lab whose workspace is gone (and old enough not to be in creation)."""
        if self.disks is None:
            return 0
        removed = 0
        for key in self.disks.keys():
            if key not in keys and self.disks.age(key) >= min_age_s:
                self.disks.release(key)
                removed += 1
        return removed

    def _reapable(self, name: str, labels: dict[str, str], created: str | None, keys: set[str], now: datetime,
                  min_age_s: float) -> bool:
        if not name.startswith(f"{self.prefix}-") or labels.get(KEY_LABEL) in keys:
            return False
        born = _parse_time(created or "")
        return born is None or (now - born).total_seconds() >= min_age_s

    # -- files -----------------------------------------------------------------------------------
    def put_files(self, workspace: Workspace, files: dict[str, bytes], *, under: str = WORKDIR) -> None:
        """Write files (folders made as needed) as the learner, inside the workspace: never as root."""
        write_as_learner(self.client, workspace.container_id, files_tar(files), into=under)

    def put_tar(self, workspace: Workspace, data: bytes, under: str) -> None:
        """Empty `under` and unpack a tar the bot built there, as the learner (FilesNotWritten if either fails)."""
        write_as_learner(self.client, workspace.container_id, data, into=under, fresh=True)

    def exec_as_daemon(self, container_id: str, script: str) -> str:
        """A short command of the bot's own, as the daemon's user (never as root)."""
        exec_id = self.client.api.exec_create(container_id, ["sh", "-c", script], user=DAEMON_USER)["Id"]
        return self.client.api.exec_start(exec_id).decode(errors="replace")


def _parse_time(value: str) -> datetime | None:
    """Docker's timestamps: RFC 3339 with nanoseconds and a Z or an offset."""
    if not value or value.startswith("0001"):
        return None
    try:
        return datetime.fromisoformat(re.sub(r"(\.\d{6})\d+", r"\1", value).replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None
