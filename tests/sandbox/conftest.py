"""A real lab on the real engine, shared by the sandbox tests (small limits so hostile cases end fast)."""

from __future__ import annotations

import docker
import pytest
import pytest_asyncio
from tests_support import ensure_lab_prepared

from sandbox.config import SandboxSettings
from sandbox.service import SandboxService
from sandbox.workspace_spec import LABEL


def lab_settings(**overrides) -> SandboxSettings:
    values = dict(name_prefix="tbtest", warm_pool_size=1, max_workspaces=6, memory="768m", pids=256,
                  command_timeout=8, build_timeout=180, output_limit=64 * 1024, stream_limit=2 * 1024 * 1024,
                  disk_limit_gb=0.05, evict_idle_after=0, reap_interval=3600)
    values.update(overrides)
    return SandboxSettings(**values)


def leftovers(client: docker.DockerClient) -> list[str]:
    found = [c.name for c in client.containers.list(all=True, filters={"label": LABEL})]
    found += [n.name for n in client.networks.list(filters={"label": LABEL})]
    found += [v.name for v in client.volumes.list(filters={"label": LABEL})]
    return found


@pytest.fixture(scope="session")
def engine() -> docker.DockerClient:
    return ensure_lab_prepared()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab(engine):
    service = SandboxService(lab_settings())
    await service.start()
    yield service
    await service.close()
    for learner in range(1, 100):
        if await service.workspace_status(learner_id=learner) != "none":
            await service.reset(learner_id=learner)
