"""What the reviewed and new lessons say about the lab (Docker 20.10, rootless, Compose 1.29) holds
in a real lab workspace, command for command."""

from __future__ import annotations

import pytest
import pytest_asyncio
from tests_sandbox_settings import lab_settings_again
from tests_support import ensure_lab_prepared

from sandbox.service import SandboxService

MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")
pytestmark = pytest.mark.docker
LEARNER = 6101


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def lab():
    ensure_lab_prepared()
    service = SandboxService(lab_settings_again(name_prefix="tbrv", command_timeout=120, warm_pool_size=0))
    await service.start()
    await service.reset(learner_id=LEARNER)
    yield service
    await service.reset(learner_id=LEARNER)
    await service.close()


async def run(lab, command: str):
    return await lab.run_command(learner_id=LEARNER, command=command)


@MODULE_LOOP
async def test_a_relative_dot_path_is_refused_and_a_bare_name_is_a_volume_on_20_10(lab):
    refused = await run(lab, "mkdir -p site && docker run --rm -v ./site:/x alpine true")
    assert refused.exit_code != 0 and "invalid characters for a local volume name" in refused.output
    named = await run(lab, "docker run --rm -v site:/x alpine true && docker volume ls -q")
    assert named.exit_code == 0 and "site" in named.output.split()


@MODULE_LOOP
async def test_the_health_check_example_becomes_healthy(lab):
    started = await run(lab, "docker run -d --name sain --health-cmd 'wget -q -O /dev/null "
                             "http://localhost:8080/hostname || exit 1' --health-interval 2s "
                             "busybox httpd -f -p 8080 -h /etc")
    assert started.exit_code == 0, started.output
    status = await run(lab, "for i in 1 2 3 4 5 6 7 8 9 10; do s=$(docker inspect -f '{{.State.Health.Status}}' sain);"
                            " [ \"$s\" = healthy ] && break; sleep 1; done; echo $s; docker ps")
    assert "(healthy)" in status.output, status.output


@MODULE_LOOP
async def test_exit_codes_and_troubleshooting_commands(lab):
    missing = await run(lab, "docker run --name casse alpine nimporte")
    assert missing.exit_code == 127
    listed = await run(lab, "docker ps -a --filter name=casse --format '{{.Status}}'")
    assert listed.output.strip() == "Created", "a command that cannot start leaves the container Created"
    code = await run(lab, "docker inspect -f '{{.State.ExitCode}} {{.State.OOMKilled}}' casse")
    assert code.output.strip() == "127 false"
    events = await run(lab, "sleep 1; docker events --since 10m --until \"$(date +%s)\" --filter container=casse")
    assert events.exit_code == 0 and "create" in events.output
    df = await run(lab, "docker system df")
    assert df.exit_code == 0 and "Local Volumes" in df.output and "Build Cache" in df.output


@MODULE_LOOP
async def test_root_in_a_container_and_the_compose_of_the_lab(lab):
    who = await run(lab, "docker run --rm alpine id")
    assert "uid=0(root)" in who.output
    compose = await run(lab, "docker compose version")
    assert compose.exit_code == 0 and "1.29" in compose.output


@MODULE_LOOP
async def test_python_as_pid_1_ignores_sigterm_and_init_forwards_it(lab):
    sleeper = "python -c 'import time; time.sleep(600)'"
    started = await run(lab, f"docker run -d --name pid1 python:3.11-slim {sleeper} && "
                             f"docker run -d --init --name avecinit python:3.11-slim {sleeper}")
    assert started.exit_code == 0, started.output
    await run(lab, "docker stop pid1 avecinit")
    codes = await run(lab, "docker inspect -f '{{.Name}} {{.State.ExitCode}}' pid1 avecinit")
    assert codes.output.split() == ["/pid1", "137", "/avecinit", "143"], codes.output


@MODULE_LOOP
async def test_shell_form_entrypoint_ignores_arguments_and_low_ports_need_no_capability(lab):
    built = await run(lab, "printf 'FROM alpine\\nENTRYPOINT echo bonjour\\n' > Dockerfile.shell && "
                           "docker build -q -t shellform -f Dockerfile.shell . && docker run --rm shellform monde")
    assert built.exit_code == 0 and built.output.strip().endswith("bonjour"), built.output
    low = await run(lab, "docker run --rm --user 1000 --cap-drop ALL busybox sh -c 'httpd -p 80 && echo ecoute'")
    assert "ecoute" in low.output, low.output
    host = await run(lab, "docker run --rm --network host --user 1000 busybox httpd -p 81")
    assert host.exit_code != 0 and "Permission denied" in host.output, "positive control: the host network still needs it"
