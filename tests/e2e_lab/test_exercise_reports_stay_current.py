"""A learner on a phone sends several commands in a row during an exercise: the progress report that follows
describes the lab as it is after the last of them (no older report arriving late to contradict it); and the
shop's catalogue check is passed by the `catalogue` container only, not by whatever answers on port 8080."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import start_harness
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from sandbox.service import SandboxService

COURSE = Path(__file__).resolve().parents[2] / "content"
PREFIX = "tbburst"
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


async def open_shop(api, user):
    sent = await user.send("/start docker-fr")
    await api.wait_for_message(user.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await user.send("/exercise microservices-shop")
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "Exercice" in m.text)


async def test_commands_sent_in_a_row_get_one_current_report(course_lab):
    api = course_lab.api
    zoe = api.user(881, first_name="Zoé")
    opened = await open_shop(api, zoe)
    burst = ["docker run --rm alpine sleep 3",  # still running while the next three arrive
             "docker run -d --name catalogue -p 8080:80 nginx",
             "docker run -d --name paiement-1 nginx",
             "docker run -d --name paiement-2 nginx"]
    for command in burst:
        await zoe.send(command)
    last_output = await api.wait_for_message(zoe.id, after=opened, timeout=120,
                                             predicate=lambda m: m.text.startswith(f"$ {burst[-1]}"))
    report = await api.wait_for_message(zoe.id, after=last_output, timeout=120, predicate=is_report)
    assert "4/5" in report.text and "docker stop paiement-1" in report.text, report.text

    sent = await zoe.send("/check")  # checks take turns: every earlier report is out before this one
    asked = await api.wait_for_message(zoe.id, after=sent, timeout=120, predicate=is_report)
    automatic = [m for m in api.messages(zoe.id) if opened.message_id < m.message_id < sent.message_id and is_report(m)]
    assert [m.message_id for m in automatic] == [report.message_id], (
        "one report for the burst, after its last command:\n\n" + "\n---\n".join(m.text for m in automatic))
    assert "4/5" in asked.text


async def test_another_container_on_port_8080_is_not_the_catalogue(course_lab):
    api = course_lab.api
    noa = api.user(882, first_name="Noa")
    opened = await open_shop(api, noa)
    sent = await noa.send("docker run -d --name web -p 8080:80 nginx")
    await api.wait_for_message(noa.id, after=sent, timeout=120, predicate=is_report)
    sent = await noa.send("docker run -d --name catalogue nginx")
    report = await api.wait_for_message(noa.id, after=sent, timeout=120, predicate=is_report)
    assert "✅ Le catalogue répond" not in report.text, "`web` answers on 8080, not the catalogue"
    assert "web" in report.text and "docker rm -f web" in report.text, report.text

    sent = await noa.send("docker rm -f web")
    await api.wait_for_message(noa.id, after=sent, timeout=120, predicate=is_report)
    sent = await noa.send("docker rm -f catalogue")
    await api.wait_for_message(noa.id, after=sent, timeout=120, predicate=is_report)
    sent = await noa.send("docker run -d --name catalogue -p 8080:80 nginx")
    report = await api.wait_for_message(noa.id, after=sent, timeout=120, predicate=is_report)
    assert "✅ Le conteneur catalogue" in report.text, report.text
    assert "✅ Le catalogue répond" in report.text, report.text
    del opened
