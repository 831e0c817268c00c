"""Settings and checks shared by the sandbox tests (importable: pytest puts this folder on sys.path)."""

from __future__ import annotations

import secrets

import docker

from sandbox.config import SandboxSettings
from sandbox.host_side import host_side_for
from sandbox.workspace_spec import LABEL

# One prefix per test session: two suites sharing an engine never touch each other's workspaces.
PREFIX = f"tbt{secrets.token_hex(3)}"


def lab_settings(prefix: str = PREFIX, **overrides) -> SandboxSettings:
    """Small limits so hostile cases end fast on a 2-core CI machine."""
    values = dict(name_prefix=prefix, warm_pool_size=1, max_workspaces=6, memory="768m", pids=256,
                  command_timeout=8, build_timeout=180, output_limit=64 * 1024, stream_limit=2 * 1024 * 1024,
                  disk_limit="1g", disk_check_every=1, evict_idle_after=0, reap_interval=3600)
    values.update(overrides)
    return SandboxSettings(**values)


def leftovers(client: docker.DockerClient, prefix: str) -> list[str]:
    """Every labelled container, network and volume of this prefix still on the host."""
    found = [c.name for c in client.containers.list(all=True, filters={"label": LABEL})]
    found += [n.name for n in client.networks.list(filters={"label": LABEL})]
    found += [v.name for v in client.volumes.list(filters={"label": LABEL})]
    disks, _ = host_side_for(SandboxSettings(name_prefix=prefix))
    found += [f"{prefix}-disk-{key}" for key in (disks.keys() if disks else [])]
    return sorted(name for name in found if name.startswith(f"{prefix}-"))


def remove_everything(client: docker.DockerClient, settings: SandboxSettings) -> list[str]:
    """Remove all workspaces of a prefix as the retention reaper would; returns what is left after."""
    from sandbox.workspaces import WorkspaceHost

    host = WorkspaceHost(client, settings)
    for workspace in host.list() + host.foreign():
        if workspace.name.startswith(f"{settings.name_prefix}-"):
            host.remove(workspace)
    host.reap_orphans(min_age_s=0)
    return leftovers(client, settings.name_prefix)
