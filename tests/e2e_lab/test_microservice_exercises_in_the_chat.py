"""The exercises of m01 (a shop split into services) and m12 (an API gateway) worked from the chat, in the
real lab: the typical mistake gets the hint of the check it fails, following that hint finishes the exercise."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import start_harness
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from sandbox.service import SandboxService

COURSE = Path(__file__).resolve().parents[2] / "content"
PREFIX = "tbmicro"
pytestmark = pytest.mark.docker


@pytest.fixture
async def course_lab(tmp_path, local_api, clock):
    ensure_lab_prepared()
    sandbox = SandboxService(lab_settings_again(name_prefix=PREFIX, command_timeout=60))
    bot = await start_harness(tmp_path, local_api, clock, content=COURSE, sandbox=sandbox)
    yield bot
    await stop_bot(bot.application)
    await remove_the_tests_workspaces(PREFIX)


async def open_exercise(api, user, exercise_id: str, *, files: bool):
    sent = await user.send("/start docker-fr")
    await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await user.send(f"/exercise {exercise_id}")
    wanted = "Fichiers prêts" if files else "Exercice"
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: wanted in m.text)


async def report_after(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=120, predicate=lambda m: "vérifications" in m.text)


async def test_the_shop_outage_stopping_both_payments_is_caught(course_lab):
    api = course_lab.api
    leo = api.user(871, first_name="Léo")
    await open_exercise(api, leo, "microservices-shop", files=False)
    report = await report_after(api, leo, "docker run -d --name catalogue -p 8080:80 nginx")
    assert "2/5" in report.text and "docker run -d --name paiement-1 nginx" in report.text, "next: the payments"
    await report_after(api, leo, "docker run -d --name paiement-1 nginx")
    report = await report_after(api, leo, "docker run -d --name paiement-2 nginx")
    assert "4/5" in report.text and "docker stop paiement-1" in report.text, "next: the outage"

    report = await report_after(api, leo, "docker stop paiement-1 paiement-2")  # the whole service down
    assert "Bravo" not in report.text
    assert "Prochaine étape" in report.text and "docker start paiement-2" in report.text, report.text

    report = await report_after(api, leo, "docker start paiement-2")
    assert "5/5" in report.text and "Bravo" in report.text


async def test_the_gateway_cannot_reach_services_left_on_the_default_bridge(course_lab):
    api = course_lab.api
    mia = api.user(872, first_name="Mia")
    ready = await open_exercise(api, mia, "api-gateway", files=True)
    assert "gateway.conf" in ready.text
    sent = await mia.send("cat gateway.conf")
    shown = await api.wait_for_message(mia.id, after=sent, timeout=60, predicate=lambda m: "proxy_pass" in m.text)
    await api.wait_for_message(mia.id, after=sent, timeout=60, predicate=lambda m: "vérifications" in m.text)
    assert "http://courses/" in shown.text and "http://paiement/" in shown.text

    await report_after(api, mia, "docker network create boutique")
    await report_after(api, mia, "docker run -d --name courses -v $PWD/courses:/usr/share/nginx/html nginx")
    await report_after(api, mia, "docker run -d --name paiement -v $PWD/paiement:/usr/share/nginx/html nginx")
    report = await report_after(api, mia, "docker run -d --name gateway --network boutique -p 8080:80 "
                                          "-v $PWD/gateway.conf:/etc/nginx/conf.d/default.conf nginx")
    assert "2/6" in report.text and "Bravo" not in report.text, report.text
    assert "--network boutique" in report.text and "docker restart gateway" in report.text, "the attach hint"

    sent = await mia.send("docker logs gateway")
    logs = await api.wait_for_message(mia.id, after=sent, timeout=60,
                                      predicate=lambda m: m.text.startswith("$ docker logs gateway"))
    await api.wait_for_message(mia.id, after=sent, timeout=60, predicate=lambda m: "vérifications" in m.text)
    assert "host not found" in logs.text, "the gateway stopped: it could not resolve the services' names"

    await report_after(api, mia, "docker network connect boutique courses")
    await report_after(api, mia, "docker network connect boutique paiement")
    report = await report_after(api, mia, "docker restart gateway")
    if "Bravo" not in report.text:  # nginx may still be starting when the checks ran: ask again
        report = await report_after(api, mia, "curl -s localhost:8080/api/paiements/")
    assert "6/6" in report.text and "Bravo" in report.text, report.text
