"""A prepared lab on the real engine, shared by the sandbox image tests (prepared once per session)."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import docker
import pytest
from tests_support import preparation_lock

from sandbox.prepare import check_prepared, connect_mirror, disconnect_mirror, prepare


def _unavailable(reason: str) -> None:
    """Skip locally; in CI (CI=true) a lab that cannot be prepared is a failure, never a skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {reason}: the sandbox image tests must run in CI")
    pytest.skip(f"{reason} (these tests always run in CI)")


@pytest.fixture(scope="session")
def docker_client():
    try:
        engine = docker.from_env(timeout=900)
        engine.ping()
    except Exception as error:  # noqa: BLE001 - any failure means no engine
        _unavailable(f"no Docker engine answers ({error})")
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def cache_dir() -> Path:
    return Path(os.environ.get("TUTORBOT_CACHE_DIR", Path.home() / ".cache" / "tutorbot"))


@pytest.fixture(scope="session")
def first_report(docker_client, cache_dir):
    """The report of this session's first prepare (which builds everything on a fresh machine)."""
    if not check_prepared(docker_client).ok and (shutil.which("debootstrap") is None or os.geteuid() != 0):
        _unavailable("the lab is not prepared and building it needs root and debootstrap")
    with preparation_lock(cache_dir):
        return prepare(docker_client, cache_dir=cache_dir, log=lambda line: print(line, flush=True))


@pytest.fixture
def run_container(docker_client, first_report):
    """Start containers from the prepared images; all are removed after the test."""
    started = []

    def run(image: str, command=None, **kwargs):
        container = docker_client.containers.run(image, command, detach=True, **kwargs)
        started.append(container)
        return container

    yield run
    for container in started:
        container.remove(force=True, v=True)


@pytest.fixture
def workspace_network(docker_client, first_report):
    """A network of the workspace's own, which the mirror joins under its alias."""
    name = f"tutorbot-test-ws-{uuid.uuid4().hex[:8]}"
    network = docker_client.networks.create(name, driver="bridge", labels={"org.tutorbot.test": "true"})
    connect_mirror(docker_client, name)
    yield name
    disconnect_mirror(docker_client, name)
    network.remove()
