"""How a workspace container is made: a rootless Docker daemon in an unprivileged container.

Every privilege is listed here and justified in sandbox/README.md ("What each privilege is for"):

- capabilities: all dropped, but SETUID and SETGID stay in the bounding set, so that the file
  capabilities of newuidmap/newgidmap can map the daemon's subordinate uids (nothing else can use
  them: no binary in the image is setuid, and no process runs as root once the daemon starts);
- /dev/net/tun, for slirp4netns (the daemon's network namespace reaches out through it);
- our own seccomp profile (sandbox/seccomp.py) instead of Docker's default, AppArmor unconfined, and
  unmasked /proc paths (`systempaths=unconfined`): RootlessKit creates user, mount and network
  namespaces and mounts a fresh /proc inside them, which Docker's default seccomp profile refuses and
  which the kernel refuses while /proc has masked sub-mounts.
  Writing to /proc/sys or /proc/sysrq-trigger needs root in the host's user namespace, which nothing
  in a workspace has: the lab's engine runs with `--userns-remap` (sandbox/host/lab-engine.sh, the
  compose `sandbox` service), so even a workspace's uid 0 is an unprivileged host uid.

No cgroup tree is mounted read-write and no device rule is added: the workspace sees only its own
cgroup, read-only, so it can neither change its limits nor touch another workspace. The root
filesystem is read-only; what a learner writes goes to the workspace's own disk (Docker data and
/workspace, see sandbox/quota.py) or to small tmpfs mounts counted in its memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import docker

from sandbox.config import SandboxSettings
from sandbox.names import WORKSPACE_IMAGE
from sandbox.seccomp import workspace_profile

__all__ = ["DAEMON_USER", "DOCKER_DATA", "LABEL", "LEARNER_GID", "LEARNER_UID", "LEARNER_USER", "READY_FILE",
           "WORKDIR", "WORKSPACE_IMAGE", "WorkspaceDisk", "create_workspace_container", "workspace_cpuset"]

LABEL = "org.tutorbot.workspace"
WORKDIR = "/workspace"
DOCKER_DATA = "/var/lib/docker"
LEARNER_USER = "learner"   # uid 1001: the learner's commands
DAEMON_USER = "rootless"   # uid 1000: the rootless dockerd, and the bot's own read-only checks
LEARNER_UID, LEARNER_GID = 1001, 1000  # files the bot writes for the learner (group rootless)
READY_FILE = "/run/user/1000/ready"
KEPT_CAPS = ["SETUID", "SETGID"]
# A quarter of the default weight: workspaces share the CPU equally among themselves, and the host's own
# processes (dockerd, containerd, runc: the path of every learner's command) win over busy workspaces.
CPU_SHARES = 256


def workspace_cpuset(host_cpus: int, reserved: int | None) -> str | None:
    """The CPUs workspaces run on: all but the first `reserved` ones, which stay for the host's control path.

    `reserved` None: one CPU on hosts of 4 or more, none below (on 2 CPUs the reserve halved a bystander's
    latency under attack but also halved every learner's CPU: see sandbox/README.md). None (every CPU)
    when nothing is reserved or nothing would be left for workspaces."""
    if reserved is None:
        reserved = 1 if host_cpus >= 4 else 0
    if reserved <= 0 or host_cpus <= reserved:
        return None
    return f"{reserved}-{host_cpus - 1}" if host_cpus - 1 > reserved else str(reserved)


_REGISTRY_HOSTS = ("registry-1.docker.io", "index.docker.io", "auth.docker.io", "docker.io",
                   "production.cloudflare.docker.com")


@dataclass(frozen=True)
class WorkspaceDisk:
    """Where a workspace's writable data lives on the sandbox host.

    `host_dir` set: a folder on the workspace's own fixed-size filesystem (a hard quota), with
    `docker/` and `workspace/` inside. Otherwise two named volumes (a soft quota, measured from the host).
    """

    host_dir: str | None = None
    docker_volume: str | None = None
    files_volume: str | None = None

    def mounts(self) -> tuple[dict[str, Mapping[str, str]] | None, list[docker.types.Mount]]:
        if self.host_dir is not None:
            return ({f"{self.host_dir}/docker": {"bind": DOCKER_DATA, "mode": "rw"},
                     f"{self.host_dir}/workspace": {"bind": WORKDIR, "mode": "rw"}}, [])
        return None, [docker.types.Mount(DOCKER_DATA, self.docker_volume, type="volume"),
                      docker.types.Mount(WORKDIR, self.files_volume, type="volume")]


def create_workspace_container(client: docker.DockerClient, settings: SandboxSettings, *, name: str,
                               network: str, disk: WorkspaceDisk, labels: dict[str, str],
                               mirror_url: str, host_cpus: int | None = None) -> str:
    """Create (not start) a workspace on its own network with its own disk (`host_cpus`: the engine's NCPU,
    asked if not given)."""
    if host_cpus is None:
        host_cpus = int(client.info().get("NCPU") or 1)
    api = client.api
    binds, mounts = disk.mounts()
    seccomp = workspace_profile() if settings.seccomp == "profile" else "unconfined"
    security = ["apparmor=unconfined", f"seccomp={seccomp}"]
    host_config = api.create_host_config(
        cap_drop=["ALL"], cap_add=KEPT_CAPS,
        devices=["/dev/net/tun:/dev/net/tun:rwm"],
        security_opt=security,
        binds=binds, mounts=mounts,
        read_only=True,
        tmpfs={
            "/run/user/1000": "rw,nosuid,nodev,exec,uid=1000,gid=1000,mode=0750,size=64m",
            "/home/rootless": "rw,nosuid,nodev,exec,uid=1000,gid=1000,mode=0700,size=32m",
            "/home/learner": "rw,nosuid,nodev,exec,uid=1001,gid=1001,mode=0700,size=32m",
            "/tmp": "rw,nosuid,nodev,exec,mode=1777,size=256m",
            "/run/lock": "rw,nosuid,nodev,noexec,mode=1777,size=1m",
        },
        network_mode=network,
        mem_limit=settings.memory, memswap_limit=settings.memory,
        nano_cpus=int(settings.cpus * 1e9), pids_limit=settings.pids, cpu_shares=CPU_SHARES,
        cpuset_cpus=workspace_cpuset(host_cpus, settings.reserved_cpus),
        runtime=settings.runtime, init=False, restart_policy={"Name": "no"},
        # Without egress, outside names must fail at once rather than time out (the mirror is an address).
        dns=None if settings.egress else ["127.0.0.1"],
        extra_hosts=None if settings.egress else {host: "127.0.0.1" for host in _REGISTRY_HOSTS},
    )
    # systempaths=unconfined: runc mounts a new /proc in RootlessKit's user namespace, which masked
    # sub-mounts would forbid. /proc/sys stays out of reach of the workspace's root through the engine's
    # user namespace (see the module's docstring), not through a mask.
    host_config.update(MaskedPaths=[], ReadonlyPaths=[])
    created = api.create_container(
        WORKSPACE_IMAGE, name=name, host_config=host_config, working_dir=WORKDIR, hostname="labo",
        labels=labels, environment={"TUTORBOT_MIRROR": mirror_url},
    )
    return str(created["Id"])
