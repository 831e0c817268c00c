"""What the host sees of a container, read on the host itself (never through the container).

Also the deliberately weakened container of the escape tests' positive controls: the lab's old recipe
(root, every capability but SYS_RESOURCE, no seccomp/AppArmor, unmasked /proc, the host's cgroup tree
read-write). Each escape test runs its attack there too and must see it succeed; otherwise the test
could not tell an escape from a broken probe.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import docker

from sandbox.names import WORKSPACE_IMAGE
from sandbox.userns import engine_id_shift

OLD_RECIPE_CAPS = [
    "AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE", "BLOCK_SUSPEND", "CHOWN", "DAC_OVERRIDE",
    "DAC_READ_SEARCH", "FOWNER", "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE",
    "MAC_ADMIN", "MAC_OVERRIDE", "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW",
    "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYSLOG", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT",
    "SYS_MODULE", "SYS_NICE", "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_TIME", "SYS_TTY_CONFIG",
    "WAKE_ALARM",
]


def cgroup_file(client: docker.DockerClient, container_id: str, controller: str, name: str) -> Path:
    """The host's file for one of the container's cgroup v1 values. Found by the container's id in the
    host's tree, so it works for a container of a nested engine too (the compose deployment's lab)."""
    del client  # the host's tree is read directly
    found = sorted(Path(f"/sys/fs/cgroup/{controller}").glob(f"**/{container_id}/{name}"), key=lambda p: len(p.parts))
    if not found:
        raise AssertionError(f"no {controller} cgroup for {container_id[:12]}")
    return found[0]


def processes(client: docker.DockerClient, container_id: str) -> list[tuple[str, str]]:
    """(uid, command line) of every process of the container, as the host's ps shows them, the uid
    translated back into the container's own when the engine remaps user namespaces (1001001 -> 1001)."""
    top = client.api.top(container_id, ps_args="-eo pid,uid,args")
    uid, args = top["Titles"].index("UID"), top["Titles"].index("COMMAND")
    shift = engine_id_shift(client).uid

    def inside(host_uid: str) -> str:
        return str(int(host_uid) - shift) if shift and host_uid.isdigit() and int(host_uid) >= shift else host_uid

    return [(inside(row[uid]), row[args]) for row in top.get("Processes") or []]


def host_marker() -> Path:
    """A host path that only an escaped process could create."""
    return Path(f"/tmp/tutorbot-escape-{secrets.token_hex(6)}")


class Weakened:
    """A container with the old, escapable recipe, made by the test itself (removed on exit)."""

    def __init__(self, client: docker.DockerClient, *, network: str = "none", **extra: object) -> None:
        self.client = client
        api = client.api
        host_config = api.create_host_config(
            cap_add=OLD_RECIPE_CAPS, security_opt=["seccomp=unconfined", "apparmor=unconfined"],
            binds={"/sys/fs/cgroup": {"bind": "/sys/fs/cgroup", "mode": "rw"}},
            network_mode=network, mem_limit="256m", pids_limit=256, **extra)
        host_config.update(MaskedPaths=[], ReadonlyPaths=[])
        created = api.create_container(WORKSPACE_IMAGE, entrypoint=["sleep", "infinity"], user="0",
                                       host_config=host_config, name=f"tutorbot-weakened-{secrets.token_hex(4)}",
                                       labels={"org.tutorbot.test": "weakened"})
        self.id = created["Id"]
        api.start(self.id)

    def sh(self, script: str, *args: str) -> tuple[int, str]:
        result = self.client.api.exec_create(self.id, ["sh", "-c", script, "attack", *args], user="0")
        output = self.client.api.exec_start(result["Id"]).decode(errors="replace")
        return self.client.api.exec_inspect(result["Id"])["ExitCode"], output

    def __enter__(self) -> Weakened:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.api.remove_container(self.id, force=True, v=True)


def wait_for(predicate, timeout: float = 5.0) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()
