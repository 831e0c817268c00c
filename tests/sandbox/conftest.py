"""A real lab on the real engine, shared by the sandbox tests (small limits so hostile cases end fast)."""

from __future__ import annotations

import os

import docker
import pytest
import pytest_asyncio
from lab_support import PREFIX, lab_settings, remove_everything
from tests_support import ensure_lab_prepared

from sandbox.service import SandboxService

HOST_ENGINE = "unix:///var/run/docker.sock"


@pytest.fixture(scope="session")
def engine() -> docker.DockerClient:
    """The engine, with the lab prepared; at the end of the session nothing of ours may be left on it."""
    client = ensure_lab_prepared()
    yield client
    left = remove_everything(client, lab_settings(PREFIX))
    assert left == [], f"left over on the host after reaping: {left}"


@pytest.fixture(scope="session")
def control_engine(engine) -> docker.DockerClient:
    """Where the escape tests' positive controls run: the host's own engine (the default socket), also when
    the lab is an engine of its own (DOCKER_HOST from sandbox/host/lab-engine.sh, whose remapped user
    namespace would make even the weakened container harmless)."""
    if os.environ.get("DOCKER_HOST", HOST_ENGINE) == HOST_ENGINE:
        return engine
    return docker.DockerClient(base_url=HOST_ENGINE, timeout=600)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab(engine):
    service = SandboxService(lab_settings())
    await service.start()
    yield service
    await service.close()
