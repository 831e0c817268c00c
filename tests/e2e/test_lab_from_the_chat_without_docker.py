"""The chat side of the lab, with a lab that answers from a script: what the learner reads, what is kept."""

from __future__ import annotations

import json

from lab_fakes import FakeLab
from sqlmodel import Session, select

from bot.storage.models import ExerciseAttempt, ExerciseCompletion

PS = "docker ps -a --no-trunc --format '{{json .}}'"


def attempts(harness) -> list[tuple[str, str, str]]:
    with Session(harness.engine) as session:
        return [(a.kind, a.input, a.status) for a in session.exec(select(ExerciseAttempt)).all()]


async def test_a_command_shows_its_output_and_is_recorded(make_harness):
    lab = FakeLab(answers={"docker ps": "CONTAINER ID   IMAGE   <none>"})
    harness = await make_harness(sandbox=lab)
    api = harness.api
    ana = api.user(931, first_name="Ana")
    sent = await ana.send("/run docker ps")
    shown = await api.wait_for_message(ana.id, after=sent, predicate=lambda m: "code" in m.text)
    assert "CONTAINER ID   IMAGE   <none>" in shown.text and "✅ code 0" in shown.text
    assert attempts(harness) == [("command", "docker ps", "ok")]


async def test_an_interactive_command_is_explained_not_run(make_harness):
    lab = FakeLab()
    harness = await make_harness(sandbox=lab)
    api = harness.api
    bob = api.user(932, first_name="Bob")
    sent = await bob.send("/run docker run -it ubuntu bash")
    answer = await api.wait_for_message(bob.id, after=sent)
    assert "docker run --rm ubuntu ls /" in answer.text and lab.commands == []
    assert attempts(harness) == [("command", "docker run -it ubuntu bash", "rejected")]


async def test_a_long_output_comes_whole_as_a_file(make_harness):
    harness = await make_harness(sandbox=FakeLab(answers={"seq 2000": "\n".join(map(str, range(1, 2001)))}))
    api = harness.api
    cy = api.user(933, first_name="Cy", language_code="en")
    sent = await cy.send("/run seq 2000")
    log = await api.wait_for_message(cy.id, after=sent, predicate=lambda m: m.document is not None)
    assert log.document.filename == "output.txt" and log.document.data.decode().startswith("1\n2\n")


async def test_a_pasted_dockerfile_is_built_summarised_and_reviewed(make_harness):
    lab = FakeLab()
    harness = await make_harness(sandbox=lab)
    api = harness.api
    dee = api.user(934, first_name="Dee")
    sent = await dee.send("FROM alpine\nRUN apk add curl\n")
    status = await api.wait_for_message(dee.id, after=sent)
    summary = await api.wait_for_message(dee.id, after=status, predicate=lambda m: "Image construite" in m.text)
    assert "essai-1" in summary.text and "7.8 Mo" in summary.text
    await api.wait_for_message(dee.id, after=summary, predicate=lambda m: "remarque" in m.text)
    assert "terminée" in api.messages(dee.id)[0].text, "the status message was edited with the outcome"
    assert attempts(harness) == [("build", "FROM alpine\nRUN apk add curl\n", "ok")]


async def test_an_open_exercise_checks_itself_after_a_command_and_is_completed(make_harness):
    row = {"Names": "eager_hopper", "Image": "hello-world", "State": "exited", "Status": "Exited (0) 1s ago", "Ports": ""}
    harness = await make_harness(sandbox=FakeLab(answers={PS: json.dumps(row), "docker run hello-world": "Hello"}))
    api = harness.api
    eve = api.user(935, first_name="Eve")
    sent = await eve.send("/start mini")
    await api.wait_for_message(eve.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await eve.send("/exercise hello")
    await api.wait_for_message(eve.id, after=sent)
    sent = await eve.send("/run docker run hello-world")
    done = await api.wait_for_message(eve.id, after=sent, predicate=lambda m: "Bravo" in m.text)
    assert "1/1" in done.text
    with Session(harness.engine) as session:
        assert session.exec(select(ExerciseCompletion.exercise_id)).all() == ["hello"]
    sent = await eve.send("/check")
    answer = await api.wait_for_message(eve.id, after=sent)
    assert "/exercise" in answer.text, "the exercise was closed once done"


async def test_in_terminal_mode_each_message_is_a_command_until_switched_off(make_harness):
    from bot.services.terminal_shell import in_terminal

    typed = "echo <b>pas du HTML</b> & co"  # run in the terminal's shell (its directory and variables)
    lab = FakeLab(answers={in_terminal(typed): "<b>pas du HTML</b> & co"})
    harness = await make_harness(sandbox=lab)
    api = harness.api
    fay = api.user(936, first_name="Fay")
    sent = await fay.send("/terminal on")
    await api.wait_for_message(fay.id, after=sent)
    sent = await fay.send("echo <b>pas du HTML</b> & co")
    shown = await api.wait_for_message(fay.id, after=sent, predicate=lambda m: "code" in m.text)
    assert "<b>pas du HTML</b> & co" in shown.text, "what the learner wrote is shown, not parsed"
    sent = await fay.send("/terminal off")
    await api.wait_for_message(fay.id, after=sent)
    sent = await fay.send("merci beaucoup")
    await api.wait_for_message(fay.id, after=sent)
    assert [command for _, command in lab.commands] == [in_terminal(typed)]
