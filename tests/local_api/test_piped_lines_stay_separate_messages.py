"""`tutorbot chat` fed by a pipe: lines that arrive together while it starts are not joined into one message.

`/start` then `docker ps` piped at once used to reach the bot as `/start\ndocker ps`. A line that starts
with `/`, a lab command or a choice number begins a new message; a pasted Dockerfile, a heredoc and a
`/build` with its Dockerfile still go as one message, as a phone sends a paste.
"""

from __future__ import annotations

from bot.local_api.pasted_lines import split_messages
from bot.local_api.terminal import run_terminal_chat

DOCKERFILE = ["FROM busybox", "ENV GREETING=salut", "RUN echo \"$GREETING\" > /msg", "CMD cat /msg"]


def test_commands_on_separate_lines_are_separate_messages():
    assert split_messages(["/start", "docker ps", "ls -l", "/progress", "2"]) == [
        "/start", "docker ps", "ls -l", "/progress", "2"]
    assert split_messages(["/lessons", "", "/quiz"]) == ["/lessons", "/quiz"]


def test_a_pasted_dockerfile_a_heredoc_and_a_build_still_group():
    assert split_messages(DOCKERFILE) == ["\n".join(DOCKERFILE)], "ENV is an instruction, not the env command"
    assert split_messages(["/build -t salut:v1", *DOCKERFILE, "docker run --rm salut:v1"]) == [
        "\n".join(["/build -t salut:v1", *DOCKERFILE]), "docker run --rm salut:v1"]
    heredoc = ["cat > compose.yaml <<'FIN'", "services:", "  web:", "    image: nginx", "FIN"]
    assert split_messages([*heredoc, "docker compose up -d"]) == ["\n".join(heredoc), "docker compose up -d"]
    script = ["/run cat > run.sh <<FIN", "docker ps", "ls", "FIN"]
    assert split_messages(script) == ["\n".join(script)], "a heredoc's lines are its text, even commands"
    continued = ["docker run -d --name web \\", "  -p 8080:80 nginx", "docker ps"]
    assert split_messages(continued) == ["\n".join(continued[:2]), "docker ps"]


async def test_lines_piped_at_start_up_reach_the_bot_one_by_one(harness):
    api = harness.api
    noa = api.user(911, first_name="Noa")
    piped = iter(["/start", "/progress", "/memo", *DOCKERFILE])
    printed: list[str] = []

    async def read_line() -> str | None:
        line = next(piped, None)
        if line is not None:
            return line  # piped: every line is already there when the chat starts
        await api.wait_for_message(noa.id, timeout=10, predicate=lambda m: "Construction de l'image" in m.text)
        return None

    await run_terminal_chat(api, noa, read_line=read_line, write=printed.append)
    typed = [m.text for m in api.store.messages[noa.id] if not m.from_bot]
    assert typed == ["/start", "/progress", "/memo", "\n".join(DOCKERFILE)], "the piped /start repeats the chat's own"
    answers = [m.text for m in api.store.messages[noa.id] if m.from_bot]
    assert sum("pas encore de cours" in text for text in answers) == 2, "/progress and /memo each answered"
    assert "Construction de l'image" in "\n".join(printed), "the pasted Dockerfile was taken as one"


async def test_piped_input_waits_for_each_answer_and_for_the_last_one_before_quitting(harness):
    api = harness.api
    printed: list[str] = []

    async def chat(person, *, wait_for_answers: bool) -> None:  # noqa: ANN001
        piped = iter(["/progress", "/memo"])

        async def read_line() -> str | None:
            return next(piped, None)  # a pipe: every line is there at once, then the end of input

        await run_terminal_chat(api, person, read_line=read_line, write=printed.append,
                                wait_for_answers=wait_for_answers)

    await chat(api.user(912, first_name="Lou"), wait_for_answers=True)
    assert sum("pas encore de cours" in line for line in printed) == 2, "/progress and /memo answered and printed"

    printed.clear()  # control: without waiting, the end of input quits before the bot has answered
    await chat(api.user(913, first_name="Max"), wait_for_answers=False)
    assert "pas encore de cours" not in "\n".join(printed)
