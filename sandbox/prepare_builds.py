"""Build the workspace image and the stand-ins by running their shell scripts, only where stale.

The scripts (sandbox/workspace/build-offline.sh, sandbox/images/build.sh) stay the single source of how
an image is made, so CI and a person at a shell build exactly what prepare builds. They use the docker
CLI, which reads the same DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH as `docker.from_env()`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import docker
from docker.errors import ImageNotFound

from sandbox.names import LABEL_RECIPE, LABEL_ROLE, LABEL_STANDIN
from sandbox.prepare_errors import BuildFailed
from sandbox.recipes import (
    PARENTS,
    STANDIN_BUILD_SCRIPT,
    STANDIN_KEYS,
    WORKSPACE_BUILD_SCRIPT,
    WORKSPACE_DIR,
    primary_ref,
    standin_recipe,
    workspace_recipe,
)

Log = Callable[[str], None]


def image_recipe(client: docker.DockerClient, ref: str) -> str | None:
    """The recipe label of a local image, or None when the image is absent."""
    try:
        return (client.images.get(ref).labels or {}).get(LABEL_RECIPE)
    except ImageNotFound:
        return None


def stale_standins(client: docker.DockerClient) -> list[str]:
    """Stand-ins missing locally, or whose label differs from their recipe (parents first)."""
    return [key for key in STANDIN_KEYS if image_recipe(client, primary_ref(key)) != standin_recipe(key)]


def run_script(args: list[str], *, cache_dir: Path, force: bool, log: Log) -> None:
    """Run a build script; its output goes to the log on failure, its summary lines always."""
    env = {**os.environ, "TUTORBOT_CACHE_DIR": str(cache_dir), "FORCE": "1" if force else "0"}
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    for line in done.stdout.splitlines():
        if line.startswith(("built", "up to date", "debootstrap", "using cached")):
            log(f"  {line}")
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-25:])
        raise BuildFailed(f"{' '.join(args)} failed (exit {done.returncode}):\n{tail}")


def build_workspace_offline(image: str, *, cache_dir: Path, force: bool, log: Log) -> None:
    log(f"building {image} offline (debootstrap, cached in {cache_dir})")
    run_script([str(WORKSPACE_BUILD_SCRIPT), image], cache_dir=cache_dir, force=force, log=log)


def build_workspace_online(client: docker.DockerClient, image: str, *, log: Log) -> None:
    """Build from the Dockerfile (pulls debian:bookworm-slim); raises BuildFailed if that fails."""
    log(f"building {image} from its Dockerfile")
    try:
        client.images.build(path=str(WORKSPACE_DIR), tag=image, pull=True, rm=True, forcerm=True,
                            buildargs={"TUTORBOT_RECIPE": workspace_recipe()})
    except docker.errors.DockerException as error:
        raise BuildFailed(f"docker build of {image} failed: {error}") from error


def build_standins(keys: list[str], *, cache_dir: Path, force: bool, log: Log) -> None:
    """Build the given stand-ins, each after its parent, independent ones in parallel."""
    wanted = set(keys)
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures: dict[str, Future[None]] = {}
        for key in STANDIN_KEYS:
            if key in wanted:
                parent = futures.get(PARENTS.get(key, ""))
                futures[key] = pool.submit(_build_after, key, parent, cache_dir, force, log)
        for future in futures.values():
            future.result()


def _build_after(key: str, parent: Future[None] | None, cache_dir: Path, force: bool, log: Log) -> None:
    if parent is not None:
        parent.result()
    run_script([str(STANDIN_BUILD_SCRIPT), key], cache_dir=cache_dir, force=force, log=log)


def prune_replaced(client: docker.DockerClient) -> None:
    """Drop the untagged images earlier builds left behind (images still in use are kept)."""
    for label in (f"{LABEL_STANDIN}=true", f"{LABEL_ROLE}=workspace"):
        client.images.prune(filters={"dangling": True, "label": label})
