"""Push the stand-ins into the read-only mirror through a short-lived writer on the same volume."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import docker

from sandbox.names import DEFAULT_NAMES, LABEL_ROLE, LabNames
from sandbox.prepare_errors import MirrorFailed
from sandbox.prepare_mirror import STORAGE, contents_archive, read_contents, wait_until_listening

Log = Callable[[str], None]


@dataclass(frozen=True)
class MirrorItem:
    """One name:tag the mirror must serve, and the local image it must be."""

    ref: str
    image_id: str
    recipe: str


def refs_to_push(client: docker.DockerClient, items: list[MirrorItem],
                 names: LabNames = DEFAULT_NAMES) -> list[MirrorItem]:
    contents = read_contents(client, names)
    return [item for item in items if contents.get(item.ref, {}).get("id") != item.image_id]


def fill_mirror(client: docker.DockerClient, items: list[MirrorItem], *, registry_image: str,
                names: LabNames = DEFAULT_NAMES, log: Log = print) -> list[str]:
    """Push what the mirror lacks; returns the refs pushed."""
    todo = refs_to_push(client, items, names)
    if not todo:
        return []
    log(f"pushing {len(todo)} image tags into the mirror")
    _remove_if_present(client, names.mirror_writer)
    writer = client.containers.run(
        registry_image, name=names.mirror_writer, detach=True, labels={LABEL_ROLE: "mirror-writer"},
        volumes={names.mirror_volume: {"bind": STORAGE, "mode": "rw"}},
        ports={"5000/tcp": ("127.0.0.1", None)},
    )
    try:
        wait_until_listening(writer)
        writer.reload()
        port = writer.attrs["NetworkSettings"]["Ports"]["5000/tcp"][0]["HostPort"]
        for item in todo:
            _push(client, item, f"127.0.0.1:{port}")
        contents = read_contents(client, names)
        contents.update({item.ref: {"id": item.image_id, "recipe": item.recipe} for item in todo})
        writer.put_archive(STORAGE, contents_archive(contents))
    finally:
        writer.remove(force=True)
    return [item.ref for item in todo]


def _push(client: docker.DockerClient, item: MirrorItem, registry: str) -> None:
    name, tag = item.ref.rsplit(":", 1)
    repository = f"{registry}/library/{name}"
    client.api.tag(item.image_id, repository, tag)
    try:
        for event in client.api.push(repository, tag=tag, stream=True, decode=True):
            if "error" in event:
                raise MirrorFailed(f"pushing {item.ref} into the mirror failed: {event['error']}")
    finally:
        client.api.remove_image(f"{repository}:{tag}", noprune=True)


def _remove_if_present(client: docker.DockerClient, name: str) -> None:
    try:
        client.containers.get(name).remove(force=True)
    except docker.errors.NotFound:
        pass
