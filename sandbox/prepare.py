"""`tutorbot sandbox prepare`: make the workspace image, the learner images and the mirror ready.

Online (Docker Hub answers within 3 s) the workspace image is built from its Dockerfile and the mirror
is a pull-through cache of Docker Hub. Offline the workspace image and the learner images' stand-ins
are built from Debian packages (one debootstrap each, cached) and pushed into a read-only mirror.
Every step checks labels first, so a prepared lab is confirmed in about a second and nothing is rebuilt.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Literal

import docker

from sandbox.names import (
    DEFAULT_NAMES,
    MIRROR_ALIAS,
    MIRROR_CONTAINER,
    MIRROR_NETWORK,
    MIRROR_URL_FOR_WORKSPACES,
    WORKSPACE_IMAGE,
    LabNames,
)
from sandbox.prepare_builds import (
    build_standins,
    build_workspace_offline,
    build_workspace_online,
    image_recipe,
    prune_replaced,
    stale_standins,
)
from sandbox.prepare_errors import PrepareError
from sandbox.prepare_fill import MirrorItem, fill_mirror
from sandbox.prepare_mirror import connect_mirror, disconnect_mirror, ensure_mirror, ensure_network
from sandbox.prepare_probe import registry_answers
from sandbox.prepare_results import PrepareReport, PrepareStatus
from sandbox.readiness import check_prepared
from sandbox.recipes import STANDIN_KEYS, standin_recipe, standin_tags, workspace_recipe

__all__ = [
    "MIRROR_ALIAS", "MIRROR_CONTAINER", "MIRROR_NETWORK", "MIRROR_URL_FOR_WORKSPACES", "WORKSPACE_IMAGE",
    "LabNames", "PrepareError", "PrepareReport", "PrepareStatus", "check_prepared", "connect_mirror",
    "disconnect_mirror", "prepare",
]

Mode = Literal["auto", "offline", "online"]


def prepare(client: docker.DockerClient, *, cache_dir: Path, log: Callable[[str], None] = print,
            force: bool = False, mode: Mode = "auto", names: LabNames = DEFAULT_NAMES) -> PrepareReport:
    """Build or pull what the lab needs and fill the mirror; quick and changes nothing when done."""
    started = time.monotonic()
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / "prepare.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        online = mode == "online" or (mode == "auto" and registry_answers())
        built: list[str] = []
        pulled: list[str] = []
        pushed: list[str] = []
        if online:
            try:
                built, pulled = _prepare_online(client, names=names, force=force, log=log)
            except (PrepareError, docker.errors.DockerException) as error:
                log(f"online preparation failed ({error}); preparing offline")
                online = False
        if not online:
            built = _build_offline(client, cache_dir=cache_dir, force=force, names=names, log=log)
            _tag_every_name(client, log=log)
        ensure_network(client, names)
        mirror_mode = "proxy" if online else "standin"
        recreated = ensure_mirror(client, mode=mirror_mode, image="registry:2", names=names, log=log)
        if not online:
            pushed = fill_mirror(client, _mirror_items(client), registry_image="registry:2",
                                 names=names, log=log)
    return PrepareReport(mode="online" if online else "offline", built=tuple(built), pulled=tuple(pulled),
                         pushed=tuple(pushed), mirror_recreated=recreated,
                         seconds=time.monotonic() - started)


def _build_offline(client: docker.DockerClient, *, cache_dir: Path, force: bool, names: LabNames,
                   log: Callable[[str], None]) -> list[str]:
    """Workspace and stand-ins in parallel (their debootstraps are the slow part); returns what was built."""
    standins = list(STANDIN_KEYS) if force else stale_standins(client)
    workspace = force or image_recipe(client, names.workspace_image) != workspace_recipe()
    if standins:
        log(f"building offline stand-ins: {', '.join(standins)}")
    with ThreadPoolExecutor(max_workers=2) as pool:
        jobs = [pool.submit(build_standins, standins, cache_dir=cache_dir, force=force, log=log)]
        if workspace:
            jobs.append(pool.submit(build_workspace_offline, names.workspace_image, cache_dir=cache_dir,
                                    force=force, log=log))
        for job in jobs:
            job.result()
    if standins or workspace:
        prune_replaced(client)
    return (["workspace"] if workspace else []) + standins


def _prepare_online(client: docker.DockerClient, *, names: LabNames, force: bool,
                    log: Callable[[str], None]) -> tuple[list[str], list[str]]:
    built = []
    if force or image_recipe(client, names.workspace_image) != workspace_recipe():
        build_workspace_online(client, names.workspace_image, log=log)
        built.append("workspace")
    if image_recipe(client, "registry:2") is None and _has_image(client, "registry:2"):
        return built, []  # the real registry:2 (no tutorbot label) is already here
    log("pulling registry:2 for the pull-through mirror")
    client.images.pull("registry", tag="2")
    return built, ["registry:2"]


def _tag_every_name(client: docker.DockerClient, *, log: Callable[[str], None]) -> None:
    """Every name:tag of tags.txt on each stand-in (a tag added to tags.txt needs no rebuild of the image)."""
    for refs in standin_tags().values():
        image = client.images.get(refs[0])
        missing = [ref for ref in refs[1:] if ref not in image.tags]
        for ref in missing:
            repository, tag = ref.rsplit(":", 1)
            image.tag(repository, tag)
        if missing:
            log(f"tagged {', '.join(missing)}")


def _has_image(client: docker.DockerClient, ref: str) -> bool:
    try:
        client.images.get(ref)
        return True
    except docker.errors.ImageNotFound:
        return False


def _mirror_items(client: docker.DockerClient) -> list[MirrorItem]:
    items = []
    for key, refs in standin_tags().items():
        image_id = client.images.get(refs[0]).id
        items.extend(MirrorItem(ref, image_id, standin_recipe(key)) for ref in refs)
    return items


def main() -> None:
    """`python -m sandbox.prepare [--force] [--offline|--online] [--check]` for manual runs."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild everything")
    parser.add_argument("--mode", choices=["auto", "offline", "online"], default="auto")
    parser.add_argument("--check", action="store_true", help="only say whether the lab is prepared")
    default_cache = Path(os.environ.get("TUTORBOT_CACHE_DIR", Path.home() / ".cache" / "tutorbot"))
    parser.add_argument("--cache-dir", type=Path, default=default_cache)
    args = parser.parse_args()
    client = docker.from_env(timeout=600)
    if args.check:
        status = check_prepared(client)
        print(status.describe())
        raise SystemExit(0 if status.ok else 1)
    report = prepare(client, cache_dir=args.cache_dir, force=args.force, mode=args.mode)
    print(report.summary())


if __name__ == "__main__":
    main()
