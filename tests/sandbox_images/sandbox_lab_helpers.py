"""Helpers for the sandbox image tests: start a workspace like the service does, run commands."""

from __future__ import annotations

import secrets
import time

from sandbox.config import SandboxSettings
from sandbox.prepare import MIRROR_URL_FOR_WORKSPACES
from sandbox.workspace_spec import (
    LEARNER_USER,
    READY_FILE,
    WORKDIR,
    WorkspaceDisk,
    create_workspace_container,
)


def wait_for_exit(container, timeout: float = 60) -> tuple[int, str]:
    result = container.wait(timeout=timeout)
    return result["StatusCode"], container.logs().decode(errors="replace")


def start_workspace(client, network: str):
    """A learner workspace made by the service's own spec (rootless, unprivileged), on anonymous volumes."""
    container_id = create_workspace_container(
        client, SandboxSettings(memory="1g"), name=f"tutorbot-imgtest-{secrets.token_hex(4)}", network=network,
        disk=WorkspaceDisk(), labels={"org.tutorbot.test": "true"}, mirror_url=MIRROR_URL_FOR_WORKSPACES)
    client.api.start(container_id)
    container = client.containers.get(container_id)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if container.exec_run(["test", "-e", READY_FILE], user="rootless").exit_code == 0:
            return container
        container.reload()
        if container.status == "exited":
            break
        time.sleep(0.2)
    logs = container.logs().decode(errors="replace")
    container.remove(force=True, v=True)
    raise AssertionError(f"the workspace's dockerd did not come up:\n{logs}")


def sh(container, command: str, timeout: int = 120) -> tuple[int, str]:
    """Run a shell command in a workspace as the learner, cut at `timeout` seconds inside it."""
    result = container.exec_run(["timeout", "-s", "KILL", str(timeout), "sh", "-c", command],
                                user=LEARNER_USER, workdir=WORKDIR)
    return result.exit_code, result.output.decode(errors="replace")
