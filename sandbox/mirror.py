"""The image mirror as the running lab sees it: joined to each workspace network, read for what it holds.

`sandbox/prepare_mirror.py` (the preparation tooling) starts and fills it; this module is what the lab's
runtime needs, and nothing that builds.
"""

from __future__ import annotations

import io
import json
import tarfile

import docker
from docker.errors import NotFound
from docker.models.containers import Container

from sandbox.errors import LabNotPrepared
from sandbox.names import CONTENTS_FILE, DEFAULT_NAMES, MIRROR_ALIAS, LabNames

__all__ = ["NOT_A_ROUTER", "STORAGE", "connect_mirror", "disconnect_mirror", "mirror_container", "read_contents"]

STORAGE = "/var/lib/registry"
# Connected to every workspace network, the mirror must never route between them.
NOT_A_ROUTER = {"net.ipv4.ip_forward": "0", "net.ipv4.conf.all.forwarding": "0",
                "net.ipv6.conf.all.forwarding": "0"}


def connect_mirror(client: docker.DockerClient, network: str, *, names: LabNames = DEFAULT_NAMES) -> None:
    """Make the mirror answer as MIRROR_ALIAS on a workspace's own network (idempotent)."""
    mirror = mirror_container(client, names.mirror_container)
    if mirror is None:
        raise LabNotPrepared(f"no mirror container {names.mirror_container}: run `tutorbot sandbox prepare`")
    if network not in mirror.attrs["NetworkSettings"]["Networks"]:
        client.networks.get(network).connect(mirror, aliases=[MIRROR_ALIAS])


def disconnect_mirror(client: docker.DockerClient, network: str, *, names: LabNames = DEFAULT_NAMES) -> None:
    """Detach the mirror from a workspace network before that network is removed (idempotent)."""
    mirror = mirror_container(client, names.mirror_container)
    if mirror is not None and network in mirror.attrs["NetworkSettings"]["Networks"]:
        client.networks.get(network).disconnect(mirror, force=True)


def read_contents(client: docker.DockerClient, names: LabNames = DEFAULT_NAMES) -> dict[str, dict[str, str]]:
    """What prepare pushed into the mirror: ref -> {"id": image id, "recipe": recipe}."""
    mirror = mirror_container(client, names.mirror_container)
    if mirror is None:
        return {}
    try:
        stream, _ = mirror.get_archive(f"{STORAGE}/{CONTENTS_FILE}")
    except NotFound:
        return {}
    with tarfile.open(fileobj=io.BytesIO(b"".join(stream))) as archive:
        member = archive.extractfile(CONTENTS_FILE)
        contents: dict[str, dict[str, str]] = json.loads(member.read()) if member else {}
        return contents


def mirror_container(client: docker.DockerClient, name: str) -> Container | None:
    try:
        return client.containers.get(name)
    except NotFound:
        return None


