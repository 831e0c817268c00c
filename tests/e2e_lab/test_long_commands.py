"""A learner starts a server in the foreground: they see it still runs, stop it, and nothing is left behind."""

from __future__ import annotations

from sandbox.service import SandboxService


def is_output(message) -> bool:
    return "<b>$</b>" in message.html or "code" in message.text and message.text.startswith("$")


async def containers_left(lab_harness, learner_id: int) -> str:
    sandbox: SandboxService = lab_harness.application.bot_data["services"].sandbox
    result = await sandbox.run_internal(learner_id=learner_id, command="docker ps -a --format '{{.Names}} {{.Image}}'")
    return result.output.strip()


async def start_nginx_in_the_foreground(api, user):
    sent = await user.send("/run docker pull -q nginx")
    await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code 0" in m.text)
    sent = await user.send("docker run --rm nginx")
    notice = await api.wait_for_message(user.id, after=sent, timeout=15,
                                        predicate=lambda m: "démarre un serveur" in m.text)
    assert "⏹" in notice.text and notice.buttons, "a Stop button under the live notice"
    assert "docker run -d --rm nginx" in notice.text, "a server in the foreground: -d is suggested"
    return sent, notice


async def test_a_foreground_server_is_stopped_with_the_button_and_leaves_no_container(lab_harness):
    api = lab_harness.api
    tom = api.user(821, first_name="Tom")
    sent, notice = await start_nginx_in_the_foreground(api, tom)
    await tom.press(notice, "⏹ Stop")
    stopped = await api.wait_for_message(tom.id, after=sent, timeout=30, predicate=lambda m: "arrêtée" in m.text)
    assert "à ta demande" in stopped.text and "Plus aucun conteneur ne tourne" in stopped.text
    assert await containers_left(lab_harness, 1) == ""
    assert notice.deleted, "the live notice goes once the result is there"


async def test_cancel_stops_it_too_and_says_what_still_runs(lab_harness):
    api = lab_harness.api
    uma = api.user(822, first_name="Uma")
    sent = await uma.send("docker run -d --name web nginx")
    await api.wait_for_message(uma.id, after=sent, timeout=60, predicate=lambda m: "code 0" in m.text)
    sent, notice = await start_nginx_in_the_foreground(api, uma)
    cancel = await uma.send("/cancel")
    ack = await api.wait_for_message(uma.id, after=cancel, timeout=10, predicate=lambda m: "J'arrête" in m.text)
    stopped = await api.wait_for_message(uma.id, after=ack, timeout=30, predicate=lambda m: "arrêtée" in m.text)
    assert "web (nginx)" in stopped.text, "what still runs is named exactly"
    assert await containers_left(lab_harness, 1) == "web nginx"
    sent = await uma.send("/cancel")
    nothing = await api.wait_for_message(uma.id, after=sent, timeout=10)
    assert "Aucune commande" in nothing.text


async def test_the_suggested_detached_command_and_the_build_suggestion_work(lab_harness):
    api = lab_harness.api
    vic = api.user(823, first_name="Vic")
    sent = await vic.send("FROM nginx\nRUN echo 'salut du labo' > /usr/share/nginx/html/index.html\n")
    built = await api.wait_for_message(vic.id, after=sent, timeout=120, predicate=lambda m: "construite" in m.text)
    run, curl = [line for line in built.text.splitlines() if line.startswith(("docker rm", "curl"))]
    assert run == "docker rm -f essai-1 2>/dev/null; docker run -d -p 8080:80 --name essai-1 essai-1", \
        "the run suggestion publishes a free port, in a container named after the image (never the learner's own web)"
    for command in (run, "sleep 1", curl):
        sent = await vic.send(f"/run {command}")
        done = await api.wait_for_message(vic.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)
        assert "✅ code 0" in done.text, done.text
    assert "salut du labo" in done.text


async def test_reset_gives_a_fresh_workspace_after_the_confirmation(lab_harness):
    api = lab_harness.api
    wes = api.user(824, first_name="Wes")
    sent = await wes.send("touch trace.txt && docker run -d --name web nginx")
    await api.wait_for_message(wes.id, after=sent, timeout=60, predicate=lambda m: "code 0" in m.text)
    sent = await wes.send("/reset")
    question = await api.wait_for_message(wes.id, after=sent)
    await wes.press(question, "♻️ Oui, tout effacer")
    await api.wait_for_message(wes.id, after=question, timeout=60, predicate=lambda m: "remis à neuf" in m.text)
    sent = await wes.send("ls -A; docker ps -a -q | wc -l")
    fresh = await api.wait_for_message(wes.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)
    assert "trace.txt" not in fresh.text and "\n0\n" in fresh.text, fresh.text
