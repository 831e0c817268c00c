"""The API gateway exercise (m12) coached from the chat when nginx holds on to what it saw at start-up: services
recreated behind a running gateway, or a gateway started before its services. Each report names the command that
fixes it, and that command finishes the exercise; the checks' own requests stay out of `docker logs gateway`."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import start_harness
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from sandbox.service import SandboxService

COURSE = Path(__file__).resolve().parents[2] / "content"
PREFIX = "tbgate"
SERVICES = ("docker run -d --name courses --network boutique -v $PWD/courses:/usr/share/nginx/html nginx",
            "docker run -d --name paiement --network boutique -v $PWD/paiement:/usr/share/nginx/html nginx")
GATEWAY = ("docker run -d --name gateway --network boutique -p 8080:80 "
           "-v $PWD/gateway.conf:/etc/nginx/conf.d/default.conf nginx")
pytestmark = pytest.mark.docker


@pytest.fixture
async def course_lab(tmp_path, local_api, clock):
    ensure_lab_prepared()
    sandbox = SandboxService(lab_settings_again(name_prefix=PREFIX, command_timeout=60))
    bot = await start_harness(tmp_path, local_api, clock, content=COURSE, sandbox=sandbox)
    yield bot
    await stop_bot(bot.application)
    await remove_the_tests_workspaces(PREFIX)


def is_report(message) -> bool:
    return "vérifications" in (message.text or "")


async def open_gateway(api, user):
    sent = await user.send("/start docker-fr")
    await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await user.send("/exercise api-gateway")
    await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "Fichiers prêts" in m.text)


async def report_after(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=120, predicate=is_report)


async def finished_after(api, user, command: str):
    """The report after `command`; nginx may still be starting when its checks ran: /check once more then."""
    report = await report_after(api, user, command)
    if "Bravo" not in report.text:
        report = await report_after(api, user, "/check")
    return report


async def test_services_recreated_behind_the_gateway_need_a_gateway_restart(course_lab):
    api = course_lab.api
    eli = api.user(891, first_name="Éli")
    await open_gateway(api, eli)
    await report_after(api, eli, "docker network create boutique")
    await report_after(api, eli, SERVICES[0].replace("--network boutique", "--network boutique -p 8081:80"))
    await report_after(api, eli, SERVICES[1])
    report = await report_after(api, eli, GATEWAY)
    assert "Bravo" not in report.text and "docker rm -f courses paiement" in report.text, report.text

    await report_after(api, eli, "docker rm -f courses paiement")
    await report_after(api, eli, SERVICES[1])  # the other way round: each gets the address the other had
    report = await report_after(api, eli, SERVICES[0])
    if "▫️ /api/courses/" not in report.text:  # nginx may still be starting when the checks ran: ask again
        report = await report_after(api, eli, "/check")
    assert "Bravo" not in report.text and "▫️ /api/courses/" in report.text, "the gateway holds the old addresses"
    next_step = report.text.partition("Prochaine étape")[2]
    assert "docker restart gateway" in next_step and "gateway.conf" not in next_step, report.text

    report = await finished_after(api, eli, "docker restart gateway")
    assert "6/6" in report.text and "Bravo" in report.text, report.text


async def test_a_gateway_started_before_its_services_is_explained_and_its_logs_are_the_learners(course_lab):
    api = course_lab.api
    ana = api.user(892, first_name="Ana")
    await open_gateway(api, ana)
    await report_after(api, ana, "docker network create boutique")
    await report_after(api, ana, GATEWAY)  # nginx stops at once: `courses` does not exist yet
    await report_after(api, ana, SERVICES[0])
    report = await report_after(api, ana, SERVICES[1])
    assert "▫️ La gateway tourne" in report.text, report.text
    assert "host not found in upstream" in report.text and "docker start gateway" in report.text, report.text

    report = await finished_after(api, ana, "docker start gateway")
    assert "6/6" in report.text and "Bravo" in report.text, report.text

    sent = await ana.send("curl -s localhost:8080/api/courses/")
    await api.wait_for_message(ana.id, after=sent, timeout=60, predicate=lambda m: '"service": "courses"' in m.text)
    sent = await ana.send("docker logs gateway")
    logs = await api.wait_for_message(ana.id, after=sent, timeout=60,
                                      predicate=lambda m: m.text.startswith("$ docker logs gateway"))
    requests = [line for line in logs.text.splitlines() if '"GET /api/courses/' in line]
    assert len(requests) == 1 and "curl/" in requests[0], "only the learner's own request:\n" + logs.text
    assert "host not found in upstream" in logs.text, "the rest of the log is untouched"
    assert "masquées" in logs.text, "the learner is told the bot's own requests were left out"
