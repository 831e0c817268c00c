"""A learner types `docker ps` as they would in a terminal, without /run, from a phone keyboard."""

from __future__ import annotations

from bot.services.plain_commands import as_command


def is_output(message) -> bool:
    return "code" in message.text and "$" in message.text


async def test_a_plain_docker_ps_runs_in_the_lab(lab_harness):
    api = lab_harness.api
    lina = api.user(811, first_name="Lina")
    sent = await lina.send("docker ps")
    reply = await api.wait_for_message(lina.id, after=sent, timeout=60, predicate=is_output)
    assert "CONTAINER ID" in reply.text and "✅ code 0" in reply.text


async def test_what_a_phone_keyboard_does_is_undone_and_shell_commands_run_too(lab_harness):
    api = lab_harness.api
    lina = api.user(812, first_name="Lina")
    sent = await lina.send("Echo “bonjour le labo”")
    reply = await api.wait_for_message(lina.id, after=sent, timeout=60, predicate=is_output)
    assert "bonjour le labo" in reply.text and "“" not in reply.text.split("\n", 1)[1]
    sent = await lina.send("Docker version —format {{.Client.Version}}")
    reply = await api.wait_for_message(lina.id, after=sent, timeout=60, predicate=is_output)
    assert "docker version --format" in reply.text and "✅ code 0" in reply.text


async def test_prose_is_not_run(lab_harness):
    api = lab_harness.api
    lina = api.user(813, first_name="Lina")
    sent = await lina.send("Bonjour, docker c'est quoi ?")
    reply = await api.wait_for_message(lina.id, after=sent, timeout=10)
    assert "✅ code" not in reply.text and "« docker »" in reply.text.lower(), "a question about the course, not run"


def test_what_counts_as_a_command():
    assert as_command("docker ps") == "docker ps"
    assert as_command("Docker  ps -a") == "docker  ps -a"
    assert as_command("docker compose up —detach") == "docker compose up --detach"
    assert as_command("docker-compose ps") == "docker-compose ps"
    assert as_command("ls -l") == "ls -l"
    assert as_command("apk add curl") == "apk add curl"
    assert as_command("Sudo docker ps") == "sudo docker ps"
    assert as_command("cat\u00a0Dockerfile") == "cat Dockerfile"
    assert as_command("Docker") is None
    assert as_command("docker, c'est quoi ?") is None
    assert as_command("salut") is None
    assert as_command("") is None


def test_a_server_run_in_the_foreground_is_recognised():
    from bot.services.lab import run_image, starts_a_server_in_the_foreground

    assert run_image("docker run --rm -p 8080:80 --name web nginx:1.25") == "nginx"
    assert run_image("docker run -e A=b -v x:/y docker.io/library/redis") == "redis"
    assert starts_a_server_in_the_foreground("docker run --rm -p 8080:80 nginx")
    assert not starts_a_server_in_the_foreground("docker run -d -p 8080:80 nginx")
    assert not starts_a_server_in_the_foreground("docker run --rm nginx:1.25 nginx -v"), "another command, which ends"
    assert not starts_a_server_in_the_foreground("docker run --rm busybox echo nginx")
    assert not starts_a_server_in_the_foreground("docker ps")
