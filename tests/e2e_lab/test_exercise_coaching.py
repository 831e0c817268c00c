"""A learner works through `named-volume` in the real lab: each report's next step follows what is done now,
the hint is the failing check's, a failed command is not simply repeated, and 🎉 comes only at the end."""

from __future__ import annotations

from pathlib import Path

import pytest
from bot_harness import start_harness
from tests_sandbox_settings import lab_settings_again, remove_the_tests_workspaces
from tests_support import ensure_lab_prepared

from bot.app import stop_bot
from sandbox.service import SandboxService

COURSE = Path(__file__).resolve().parents[2] / "content"
pytestmark = pytest.mark.docker


@pytest.fixture
async def course_lab(tmp_path, local_api, clock):
    ensure_lab_prepared()
    sandbox = SandboxService(lab_settings_again(name_prefix="tbcoach", command_timeout=60))
    bot = await start_harness(tmp_path, local_api, clock, content=COURSE, sandbox=sandbox)
    yield bot
    await stop_bot(bot.application)
    await remove_the_tests_workspaces("tbcoach")


async def report_after(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=90, predicate=lambda m: "vérifications" in m.text)


async def test_named_volume_is_coached_step_by_step(course_lab):
    api = course_lab.api
    ines = api.user(861, first_name="Inès")
    sent = await ines.send("/start docker-fr")
    await api.wait_for_message(ines.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await ines.send("/exercise")
    listing = await api.wait_for_message(ines.id, after=sent)
    assert "0/" in listing.text and any(label == "Des données qui survivent au conteneur" for label, _ in listing.buttons)
    await ines.press(listing, "Des données qui survivent au conteneur")
    await api.wait_for_message(ines.id, after=listing, predicate=lambda m: "Exercice" in m.text)

    report = await report_after(api, ines, "docker volume create mesdonnees")
    assert "1/4" in report.text and "Prochaine étape" in report.text and "echo bonjour" in report.text
    assert "`" not in report.text and "Bravo" not in report.text

    report = await report_after(api, ines, "docker exec db sh -c 'echo bonjour > /data/msg'")
    assert "a échoué" in report.text and "Prochaine étape" not in report.text, "a command that just failed is not repeated"

    report = await report_after(api, ines, "docker run -d --name db -v mesdonnees:/data alpine sleep 600")
    assert "1/4" in report.text and "echo bonjour" in report.text, "the write step is not skipped"
    hint_pressed = await ines.press(report, "💡 Indice")
    del hint_pressed
    hint = await api.wait_for_message(ines.id, after=report, timeout=60, predicate=lambda m: "Ce qui manque" in m.text)
    assert "echo bonjour" in hint.text, "the hint belongs to the first failing check"

    report = await report_after(api, ines, "docker exec db sh -c 'echo bonjour > /data/msg'")
    assert "2/4" in report.text and "docker rm -f db" in report.text
    report = await report_after(api, ines, "docker rm -f db")
    assert "3/4" in report.text and "Bravo" not in report.text and "cat /data/msg" in report.text
    report = await report_after(api, ines, "docker run --rm -v mesdonnees:/data alpine cat /data/msg")
    assert "4/4" in report.text and "Bravo" in report.text

    sent = await ines.send("/exercise")
    listing = await api.wait_for_message(ines.id, after=sent)
    assert "1/" in listing.text and ("✅ Des données qui survivent au conteneur", ) == tuple(
        label for label, _ in listing.buttons if label.startswith("✅"))
    sent = await ines.send("/progress")
    progress = await api.wait_for_message(ines.id, after=sent)
    assert "🧪 1/" in progress.text and "exercices" in progress.text


async def test_reopening_the_exercise_keeps_the_learners_edits(course_lab):
    api = course_lab.api
    joy = api.user(862, first_name="Joy")
    sent = await joy.send("/start docker-fr")
    await api.wait_for_message(joy.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await joy.send("/exercise nginx-bind-mount")
    await api.wait_for_message(joy.id, after=sent, timeout=30, predicate=lambda m: "Fichiers prêts" in m.text)
    sent = await joy.send("echo '<h1>Ma version</h1>' > index.html")
    await api.wait_for_message(joy.id, after=sent, timeout=60, predicate=lambda m: "vérifications" in m.text)
    sent = await joy.send("/exercise nginx-bind-mount")
    await api.wait_for_message(joy.id, after=sent, predicate=lambda m: "Exercice" in m.text)
    sent = await joy.send("cat index.html")
    shown = await api.wait_for_message(joy.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)
    assert "Ma version" in shown.text
