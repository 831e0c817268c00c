"""Is the lab prepared? A fast, read-only look used by `tutorbot run` before taking commands."""

from __future__ import annotations

import docker
from docker.errors import ImageNotFound, NotFound

from sandbox.mirror import read_contents
from sandbox.names import DEFAULT_NAMES, LABEL_MIRROR_MODE, LABEL_RECIPE, LabNames
from sandbox.prepare_results import PrepareStatus
from sandbox.recipes import standin_recipe, standin_tags, workspace_recipe


def check_prepared(client: docker.DockerClient, *, names: LabNames = DEFAULT_NAMES) -> PrepareStatus:
    """Say what is missing (workspace image, mirror, mirror contents); never raises for a missing part."""
    try:
        return _check(client, names)
    except docker.errors.DockerException as error:
        return PrepareStatus(problems=(f"the Docker engine of the lab does not answer: {error}",))


def _check(client: docker.DockerClient, names: LabNames) -> PrepareStatus:
    problems = []
    try:
        labels = client.images.get(names.workspace_image).labels or {}
        if labels.get(LABEL_RECIPE) != workspace_recipe():
            problems.append(f"workspace image {names.workspace_image} is out of date")
    except ImageNotFound:
        problems.append(f"workspace image {names.workspace_image} is missing")
    if not client.networks.list(names=[names.mirror_network]):
        problems.append(f"mirror network {names.mirror_network} is missing")
    try:
        mirror = client.containers.get(names.mirror_container)
    except NotFound:
        problems.append(f"mirror container {names.mirror_container} is missing")
        return PrepareStatus(problems=tuple(problems))
    mode = mirror.labels.get(LABEL_MIRROR_MODE)
    if mirror.status != "running":
        problems.append(f"mirror container {names.mirror_container} is {mirror.status}")
    if mode == "standin":
        contents = read_contents(client, names)
        lacking = [ref for key, refs in standin_tags().items() for ref in refs
                   if contents.get(ref, {}).get("recipe") != standin_recipe(key)]
        if lacking:
            problems.append(f"the mirror lacks {len(lacking)} image tags (first: {lacking[0]})")
    return PrepareStatus(problems=tuple(problems), mode=mode)
