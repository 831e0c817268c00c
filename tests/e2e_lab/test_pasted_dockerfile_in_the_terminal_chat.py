"""`tutorbot chat`: a learner pastes a Dockerfile; it goes as one message, is built under a name of its own,
and the progress shows the step that runs and the last line it printed."""

from __future__ import annotations

from bot.local_api.terminal import run_terminal_chat

DOCKERFILE = [
    "FROM busybox",
    "RUN for i in 1 2 3 4 5 6; do echo \"ligne $i\"; sleep 1; done",
    "CMD echo bonjour",
]


async def test_a_pasted_dockerfile_is_one_message_and_is_built_under_its_own_name(lab_harness):
    api = lab_harness.api
    user = api.user(851, first_name="Ada")
    printed: list[str] = []
    script = iter(DOCKERFILE)

    async def read_line() -> str | None:
        line = next(script, None)
        if line is not None:
            return line  # pasted: every line at once
        await api.wait_for_message(user.id, timeout=120, predicate=lambda m: "construite" in m.text)
        return None

    await run_terminal_chat(api, user, read_line=read_line, write=printed.append)
    output = "\n".join(printed)
    assert "Construction de l'image essai-1" in output and "/build -t nom" in output, "which name, and how to choose"
    built = await api.wait_for_message(user.id, predicate=lambda m: "construite" in m.text)
    assert "essai-1" in built.text and "docker run --rm essai-1" in built.text
    typed = [m.text for m in api.store.messages[user.id] if not m.from_bot]
    assert typed == ["/start", "\n".join(DOCKERFILE)], "the pasted block went as one message"
    assert "Étape 2/3" in output and "ligne " in output, "the progress showed the running step and its last line"
    assert "Bonjour Ada" in output


async def test_build_dash_t_chooses_the_name(lab_harness):
    api = lab_harness.api
    bea = api.user(852, first_name="Béa")
    sent = await bea.send("/build -t salut:v1\nFROM busybox\nCMD echo salut\n")
    built = await api.wait_for_message(bea.id, after=sent, timeout=120, predicate=lambda m: "construite" in m.text)
    assert "salut:v1" in built.text
    sent = await bea.send("docker run --rm salut:v1")
    ran = await api.wait_for_message(bea.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)
    assert "salut" in ran.text and "✅ code 0" in ran.text
