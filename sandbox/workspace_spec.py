"""How a workspace container is made: limits, isolation, and what nested Docker needs.

Without a hardened runtime, nested Docker needs every capability but SYS_RESOURCE, no
seccomp/AppArmor profile, unmasked /proc paths and a read-write /sys/fs/cgroup. That is why
the sandbox host must be a dedicated, disposable machine. Block devices stay forbidden
(device rule `c *:* rwm`, not `a`), so `docker run --privileged` inside cannot open the host's
disks. With `SANDBOX_RUNTIME=sysbox-runc` none of these extra privileges are granted.
"""

from __future__ import annotations

import docker

from sandbox.config import SandboxSettings
from sandbox.prepare import WORKSPACE_IMAGE

__all__ = ["LABEL", "WORKDIR", "create_workspace_container"]

LABEL = "org.tutorbot.workspace"
WORKDIR = "/workspace"
WORKSPACE_CAPS = [
    "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE",
    "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
    "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_TIME", "SYS_TTY_CONFIG",
    "WAKE_ALARM",
]


_REGISTRY_HOSTS = ("registry-1.docker.io", "index.docker.io", "auth.docker.io", "docker.io",
                   "production.cloudflare.docker.com")


def create_workspace_container(client: docker.DockerClient, settings: SandboxSettings, *, name: str,
                               network: str, volume: str, labels: dict[str, str], mirror_url: str) -> str:
    """Create (not start) a workspace on its own network with its own Docker data volume."""
    api = client.api
    hardened = settings.runtime is not None
    host_config = api.create_host_config(
        cap_add=None if hardened else WORKSPACE_CAPS,
        security_opt=None if hardened else ["seccomp=unconfined", "apparmor=unconfined"],
        device_cgroup_rules=None if hardened else ["c *:* rwm"],
        binds=None if hardened else {"/sys/fs/cgroup": {"bind": "/sys/fs/cgroup", "mode": "rw"}},
        mounts=[docker.types.Mount("/var/lib/docker", volume, type="volume")],
        network_mode=network,
        mem_limit=settings.memory, memswap_limit=settings.memory,
        nano_cpus=int(settings.cpus * 1e9), pids_limit=settings.pids,
        runtime=settings.runtime, init=False, restart_policy={"Name": "no"},
        # Without egress, outside names must fail at once rather than time out (the mirror is an address).
        dns=None if settings.egress else ["127.0.0.1"],
        extra_hosts=None if settings.egress else {host: "127.0.0.1" for host in _REGISTRY_HOSTS},
    )
    if not hardened:
        host_config.update(MaskedPaths=[], ReadonlyPaths=[])
    created = api.create_container(
        WORKSPACE_IMAGE, name=name, host_config=host_config, working_dir=WORKDIR, hostname="labo",
        labels=labels, environment={"TUTORBOT_MIRROR": mirror_url},
    )
    return created["Id"]
