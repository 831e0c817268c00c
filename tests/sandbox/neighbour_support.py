"""An attacker and a bystander workspace on the lab's engine, for the shared-kernel-table attacks.

`pair(...)` makes both from the real workspace spec (sandbox/workspaces.py); the attacker's may be built
by a weakened WorkspaceHost (one protection removed) for a positive control. Everything runs as the learner
(`docker exec -u learner`), and `wait_for` is the barrier: it repeats a check until its output says so.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import docker
from lab_support import PREFIX, lab_settings, leftovers

from sandbox.userns import engine_id_shift
from sandbox.workspaces import Workspace, WorkspaceHost


def sh(client: docker.DockerClient, workspace: Workspace, script: str, *, detach: bool = False) -> str:
    exec_id = client.api.exec_create(workspace.container_id, ["sh", "-c", script], user="learner")["Id"]
    if detach:
        client.api.exec_start(exec_id, detach=True)
        return ""
    return client.api.exec_start(exec_id).decode(errors="replace")


def put_file(client: docker.DockerClient, workspace: Workspace, path: str, text: str) -> None:
    sh(client, workspace, f"cat > {path} <<'EOF'\n{text}\nEOF")


def wait_for(client: docker.DockerClient, workspace: Workspace, script: str, what: str, timeout: float = 180) -> str:
    """Barrier: run `script` until its output holds `what`."""
    deadline = time.monotonic() + timeout
    output = ""
    while time.monotonic() < deadline:
        output = sh(client, workspace, script)
        if what in output:
            return output
        time.sleep(0.2)
    raise AssertionError(f"never saw {what!r}: {output!r}")


@contextmanager
def pair(engine: docker.DockerClient, tag: str, *, weaken: Callable[[WorkspaceHost], None] | None = None,
         **overrides: object) -> Iterator[tuple[Workspace, Workspace]]:
    """(attacker, bystander), removed after; `weaken` changes the attacker's WorkspaceHost only."""
    prefix = f"{PREFIX}{tag}"
    settings = lab_settings(prefix, host_agent=os.environ.get("SANDBOX_HOST_AGENT"), **overrides)
    host = WorkspaceHost(engine, settings, id_shift=engine_id_shift(engine))
    attackers = WorkspaceHost(engine, settings, id_shift=engine_id_shift(engine))
    if weaken is not None:
        weaken(attackers)
    made: list[Workspace] = []
    try:
        made.append(attackers.create(f"{prefix}-ws-1"))
        made.append(host.create(f"{prefix}-ws-2"))
        yield made[0], made[1]
    finally:
        for workspace in made:
            host.remove(workspace)
        assert leftovers(engine, prefix) == []


def held(output: str) -> tuple[int, str]:
    """(count, error) from a hog's `holding N (error)`."""
    count, error = output.split("holding ", 1)[1].split(" ", 1)
    return int(count), error.split(")", 1)[0].strip("(")
