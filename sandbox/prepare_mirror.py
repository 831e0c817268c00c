"""The registry mirror workspaces pull from: one container, a named volume, a network with an alias.

Offline ("standin" mode) the mirror is read-only, so no learner can push into what others pull; prepare
fills it through a short-lived writer container on the same volume, published on 127.0.0.1 only (the
daemon treats 127.0.0.0/8 registries as insecure-allowed). Online ("proxy" mode) it is a pull-through
cache of Docker Hub. A record of what was pushed (ref -> image id, recipe) lives in the volume.
"""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Callable

import docker

from sandbox.mirror import (
    NOT_A_ROUTER,
    STORAGE,
    connect_mirror,
    disconnect_mirror,
    mirror_container,
    read_contents,
)
from sandbox.names import (
    CONTENTS_FILE,
    DEFAULT_NAMES,
    LABEL_MIRROR_MODE,
    LABEL_ROLE,
    MIRROR_ALIAS,
    MIRROR_PORT,
    LabNames,
)
from sandbox.prepare_errors import MirrorFailed

Log = Callable[[str], None]
MODE_ENV = {
    "standin": {"REGISTRY_STORAGE_MAINTENANCE_READONLY": '{"enabled": true}'},
    "proxy": {"REGISTRY_PROXY_REMOTEURL": "https://registry-1.docker.io"},
}


def ensure_network(client: docker.DockerClient, names: LabNames = DEFAULT_NAMES) -> None:
    if not client.networks.list(names=[names.mirror_network]):
        client.networks.create(names.mirror_network, driver="bridge",
                               labels={LABEL_ROLE: "mirror-network"})


def ensure_mirror(client: docker.DockerClient, *, mode: str, image: str,
                  names: LabNames = DEFAULT_NAMES, log: Log = print) -> bool:
    """Start the mirror, or leave a matching one running; True when it was (re)created."""
    image_id = client.images.get(image).id
    old = mirror_container(client, names.mirror_container)
    if (old is not None and old.labels.get(LABEL_MIRROR_MODE) == mode and old.attrs["Image"] == image_id
            and (old.attrs["HostConfig"].get("Sysctls") or {}) == NOT_A_ROUTER):
        if old.status != "running":
            old.start()
        return False
    reattach: list[str] = []
    if old is not None:
        reattach = [n for n in old.attrs["NetworkSettings"]["Networks"] if n != names.mirror_network]
        old.remove(force=True)
    log(f"starting mirror {names.mirror_container} ({mode}) on network {names.mirror_network}")
    api = client.api
    created = api.create_container(
        image_id, name=names.mirror_container, environment=MODE_ENV[mode],
        labels={LABEL_ROLE: "mirror", LABEL_MIRROR_MODE: mode},
        host_config=api.create_host_config(
            # Connected to every workspace network: it must never route between them.
            sysctls=NOT_A_ROUTER, cap_drop=["ALL"], security_opt=["no-new-privileges"],
            restart_policy={"Name": "unless-stopped"},
            binds={names.mirror_volume: {"bind": STORAGE, "mode": "rw"}}),
        networking_config=api.create_networking_config(
            {names.mirror_network: api.create_endpoint_config(aliases=[MIRROR_ALIAS])}),
    )
    api.start(created["Id"])
    for network in reattach:
        connect_mirror(client, network, names=names)
    return True


def wait_until_listening(container, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if b"listening on" in container.logs():
            return
        container.reload()
        if container.status == "exited":
            break
        time.sleep(0.1)
    raise MirrorFailed(f"{container.name} did not start: {container.logs()[-2000:].decode(errors='replace')}")


def contents_archive(contents: dict[str, dict]) -> bytes:
    """A tar holding the contents record, for put_archive into the mirror's volume."""
    data = json.dumps(contents, indent=1, sort_keys=True).encode()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        info = tarfile.TarInfo(CONTENTS_FILE)
        info.size, info.mtime = len(data), int(time.time())
        archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


__all__ = ["MIRROR_PORT", "connect_mirror", "disconnect_mirror", "ensure_mirror", "ensure_network",
           "read_contents"]
