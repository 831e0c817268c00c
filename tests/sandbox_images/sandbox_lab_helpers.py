"""Helpers for the sandbox image tests: start a workspace like the service does, run commands."""

from __future__ import annotations

import time

import docker

from sandbox.prepare import MIRROR_URL_FOR_WORKSPACES, WORKSPACE_IMAGE
from sandbox.workspace_spec import WORKSPACE_CAPS  # noqa: E402 - one list of capabilities


def wait_for_exit(container, timeout: float = 60) -> tuple[int, str]:
    result = container.wait(timeout=timeout)
    return result["StatusCode"], container.logs().decode(errors="replace")


def start_workspace(client, network: str):
    """A learner workspace as the workspace service starts one (no --privileged).

    `systempaths=unconfined` is a CLI spelling: the API wants empty MaskedPaths and ReadonlyPaths.
    """
    api = client.api
    host_config = api.create_host_config(
        cap_add=WORKSPACE_CAPS, security_opt=["seccomp=unconfined", "apparmor=unconfined"],
        device_cgroup_rules=["a *:* rwm"], mem_limit="1g", network_mode=network,
        binds={"/sys/fs/cgroup": {"bind": "/sys/fs/cgroup", "mode": "rw"}},
        mounts=[docker.types.Mount("/var/lib/docker", None, type="volume")],
    )
    host_config.update(MaskedPaths=[], ReadonlyPaths=[])
    created = api.create_container(
        WORKSPACE_IMAGE, host_config=host_config, labels={"org.tutorbot.test": "true"},
        environment={"TUTORBOT_MIRROR": MIRROR_URL_FOR_WORKSPACES},
    )
    api.start(created["Id"])
    container = client.containers.get(created["Id"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if container.exec_run(["test", "-e", "/run/tutorbot-workspace-ready"]).exit_code == 0:
            return container
        container.reload()
        if container.status == "exited":
            break
        time.sleep(0.2)
    logs = container.logs().decode(errors="replace")
    container.remove(force=True, v=True)
    raise AssertionError(f"the workspace's dockerd did not come up:\n{logs}")


def sh(container, command: str, timeout: int = 120) -> tuple[int, str]:
    """Run a shell command in a workspace, cut at `timeout` seconds inside it."""
    result = container.exec_run(["timeout", "-s", "KILL", str(timeout), "sh", "-c", command])
    return result.exit_code, result.output.decode(errors="replace")
