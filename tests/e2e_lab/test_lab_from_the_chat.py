"""A learner practises Docker from the chat: commands, Dockerfiles, exercises — all recorded."""

from __future__ import annotations

from sqlmodel import select

from bot.storage import session_scope
from bot.storage.models import ExerciseAttempt, ExerciseCompletion


def attempts(harness) -> list[ExerciseAttempt]:
    with session_scope(harness.application.bot_data["services"].engine) as session:
        return list(session.exec(select(ExerciseAttempt)).all())


async def test_a_learner_runs_hello_world_and_ps_all_from_the_chat(lab_harness):
    api = lab_harness.api
    nina = api.user(801, first_name="Nina")
    sent = await nina.send("/run docker run hello-world")
    reply = await api.wait_for_message(nina.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)
    assert "Hello from Docker!" in reply.text and "✅ code 0" in reply.text
    sent = await nina.send("/run docker ps -a")
    listing = await api.wait_for_message(nina.id, after=sent, timeout=30, predicate=lambda m: "code" in m.text)
    assert "hello-world" in listing.text and "Exited (0)" in listing.text
    recorded = attempts(lab_harness)
    assert [(a.kind, a.input, a.status, a.exit_code) for a in recorded] == [
        ("command", "docker run hello-world", "ok", 0), ("command", "docker ps -a", "ok", 0)]


async def test_a_pasted_dockerfile_is_built_with_progress_then_reviewed_in_french(lab_harness):
    api = lab_harness.api
    omar = api.user(802, first_name="Omar")
    sent = await omar.send("FROM ubuntu\nRUN apt-get install -y curl\nCMD echo bonjour\n")
    status = await api.wait_for_message(omar.id, after=sent, timeout=10)
    assert "Construction" in status.text
    failure = await api.wait_for_message(omar.id, after=status, timeout=120,
                                         predicate=lambda m: "échoué" in m.text or "construite" in m.text)
    review = await api.wait_for_message(omar.id, after=failure, timeout=60, predicate=lambda m: "remarque" in m.text)
    assert "ligne" in failure.text.lower() or "étape" in failure.text.lower()
    assert "apt-get update" in review.text
    assert "Les images" in review.text, "the remark links to the lesson that teaches the point"
    assert api.messages(omar.id)[0].edits >= 1, "the status message was edited with the outcome"


async def test_an_interactive_command_gets_an_explanation_and_an_alternative(lab_harness):
    api = lab_harness.api
    paz = api.user(803, first_name="Paz")
    sent = await paz.send("/run docker run -it ubuntu bash")
    reply = await api.wait_for_message(paz.id, after=sent, timeout=10)
    assert "-it" in reply.text and "docker run --rm ubuntu ls /" in reply.text
    assert attempts(lab_harness)[-1].status == "rejected"


async def test_terminal_mode_turns_each_message_into_a_command(lab_harness):
    api = lab_harness.api
    quentin = api.user(804, first_name="Quentin")
    sent = await quentin.send("/terminal on")
    await api.wait_for_message(quentin.id, after=sent)
    sent = await quentin.send("echo <b>pas du HTML</b> & co")
    reply = await api.wait_for_message(quentin.id, after=sent, timeout=30, predicate=lambda m: "code" in m.text)
    assert "<b>pas du HTML</b> & co" in reply.text


async def test_an_exercise_checks_itself_after_each_command_and_is_recorded(lab_harness):
    api = lab_harness.api
    rosa = api.user(805, first_name="Rosa")
    sent = await rosa.send("/start mini")
    await api.wait_for_message(rosa.id, after=sent, predicate=lambda m: bool(m.buttons))
    sent = await rosa.send("/exercise hello")
    opened = await api.wait_for_message(rosa.id, after=sent, predicate=lambda m: "Exercice" in m.text)
    sent = await rosa.send("/check")
    pending = await api.wait_for_message(rosa.id, after=sent, timeout=60, predicate=lambda m: "vérifications" in m.text)
    assert "0/1" in pending.text and "docker run hello-world" in pending.text
    sent = await rosa.send("/run docker run hello-world")
    done = await api.wait_for_message(rosa.id, after=sent, timeout=60, predicate=lambda m: "Bravo" in m.text)
    assert "1/1" in done.text
    with session_scope(lab_harness.application.bot_data["services"].engine) as session:
        assert session.exec(select(ExerciseCompletion.exercise_id)).all() == ["hello"]
    assert opened.buttons


async def test_when_the_lab_is_down_the_learner_is_told_and_the_attempt_is_kept(harness):
    from sandbox.service import SandboxService

    def broken_host():
        raise OSError("connection refused")

    harness.application.bot_data["services"].sandbox = SandboxService(client_factory=broken_host)
    api = harness.api
    sam = api.user(806, first_name="Sam")
    sent = await sam.send("/run docker ps")
    reply = await api.wait_for_message(sam.id, after=sent, timeout=10)
    assert "indisponible" in reply.text and "n'a pas été lancée" in reply.text
    assert [(a.input, a.status) for a in attempts(harness)] == [("docker ps", "unavailable")]
