"""What the lessons tell a learner about the rootless lab works in the lab, command for command."""

from __future__ import annotations

import pytest
import pytest_asyncio
from tests_sandbox_settings import lab_settings_again
from tests_support import ensure_lab_prepared

from sandbox.service import SandboxService

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
LEARNER = 6001


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab():
    ensure_lab_prepared()
    service = SandboxService(lab_settings_again(name_prefix="tbrl", command_timeout=60, warm_pool_size=0))
    await service.start()
    yield service
    await service.reset(learner_id=LEARNER)
    await service.close()


@MODULE_LOOP
async def test_the_daemons_interface_is_tap0_and_a_macvlan_container_gets_an_address(lab):
    links = await lab.run_command(learner_id=LEARNER, command="docker run --rm --network host busybox ip -o link")
    assert links.exit_code == 0 and "tap0" in links.output, links.output
    made = await lab.run_command(
        learner_id=LEARNER,
        command="docker network create -d macvlan --subnet 192.168.1.0/24 --gateway 192.168.1.1 "
                "-o parent=tap0 macvlan-net && docker run --rm --network macvlan-net busybox ip -o addr")
    assert made.exit_code == 0 and "192.168.1." in made.output, made.output


@MODULE_LOOP
async def test_limits_on_inner_containers_are_accepted_and_shown_by_inspect(lab):
    run = await lab.run_command(learner_id=LEARNER, command="docker run -d --name petit --memory 128m --cpus 0.5 nginx")
    assert run.exit_code == 0, run.output
    shown = await lab.run_command(learner_id=LEARNER, command="docker inspect -f '{{.HostConfig.Memory}}' petit")
    assert shown.output.strip() == str(128 * 2**20)
    stats = await lab.run_command(learner_id=LEARNER, command="docker stats --no-stream")
    assert stats.exit_code == 0 and "petit" in stats.output
