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


@MODULE_LOOP
async def test_the_dockerignore_example_keeps_the_env_file_out_of_the_image(lab):
    shown = await run(lab, "mkdir -p ctx && cd ctx && echo 'MOT_DE_PASSE=secret' > .env && echo 'print(1)' > app.py && "
                           "printf '.env\\n' > .dockerignore && "
                           "printf 'FROM busybox\\nWORKDIR /app\\nCOPY . .\\nCMD [\"ls\", \"-A\", \"/app\"]\\n' > Dockerfile"
                           " && docker build -q -t ctx . && docker run --rm ctx")
    assert shown.exit_code == 0 and "app.py" in shown.output.split(), shown.output
    assert ".env" not in shown.output.split(), "the ignored file stays out"
    unignored = await run(lab, "cd ctx && rm .dockerignore && docker build -q -t ctx2 . && docker run --rm ctx2")
    assert ".env" in unignored.output.split(), "positive control: without .dockerignore it is copied"


@MODULE_LOOP
async def test_log_rotation_options_and_the_none_driver(lab):
    rotated = await run(lab, "docker run -d --name journal --log-opt max-size=10m --log-opt max-file=3 nginx && "
                             "docker inspect -f '{{json .HostConfig.LogConfig}}' journal")
    assert '"max-file":"3"' in rotated.output and '"max-size":"10m"' in rotated.output, rotated.output
    driver = await run(lab, "docker info -f '{{.LoggingDriver}}'")
    assert driver.output.strip() == "json-file"
    silent = await run(lab, "docker run -d --name muet --log-driver none nginx >/dev/null && docker logs muet")
    assert silent.exit_code != 0 and "does not support reading" in silent.output


@MODULE_LOOP
async def test_hardening_limits_and_local_publishing_as_the_lessons_show(lab):
    hardened = await run(lab, "docker run --rm --read-only --tmpfs /tmp --security-opt no-new-privileges busybox "
                              "sh -c 'touch /tmp/ok && echo ecrit; touch /x'")
    assert "ecrit" in hardened.output and "Read-only file system" in hardened.output, hardened.output
    local = await run(lab, "docker run -d --name local -p 127.0.0.1:8089:80 nginx >/dev/null && docker port local")
    assert "80/tcp -> 127.0.0.1:8089" in local.output, local.output
    limited = await run(lab, "docker run -d --name limite --memory 256m --memory-swap 256m --cpus 1.5 --pids-limit 200 "
                             "nginx >/dev/null && docker inspect -f '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}}' limite")
    assert limited.output.split() == [str(256 * 2**20), "200"], limited.output


@MODULE_LOOP
async def test_compose_secrets_and_limits_on_the_labs_compose(lab):
    secret = await run(lab, "mkdir -p sec && cd sec && printf 's3cret\\n' > db_password.txt && printf 'services:\\n"
                            "  web:\\n    image: nginx:1.27\\n    mem_limit: 256m\\n    pids_limit: 200\\n"
                            "    secrets: [db_password]\\nsecrets:\\n  db_password:\\n    file: ./db_password.txt\\n'"
                            " > compose.yaml && docker compose up -d && docker compose exec -T web cat /run/secrets/db_password"
                            " && docker inspect -f '{{.HostConfig.Memory}}' sec_web_1; docker compose down")
    assert "s3cret" in secret.output and str(256 * 2**20) in secret.output, secret.output


@MODULE_LOOP
async def test_an_overlay_network_and_a_swarm_secret_on_the_single_node(lab):
    try:
        made = await run(lab, "docker swarm init >/dev/null && docker network create -d overlay --attachable back >/dev/null"
                              " && docker network inspect -f '{{.Scope}} {{.Driver}}' back")
        assert made.output.strip().splitlines()[-1] == "swarm overlay", made.output
        secret = await run(lab, "printf 's3cret' | docker secret create db_password - >/dev/null && "
                                "docker service create -q --name api --secret db_password nginx >/dev/null && "
                                "docker exec $(docker ps -q -f name=api) cat /run/secrets/db_password")
        assert secret.output.strip().endswith("s3cret"), secret.output
    finally:
        await run(lab, "docker service rm api; docker swarm leave --force")
