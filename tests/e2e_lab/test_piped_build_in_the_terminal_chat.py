"""`printf 'FROM busybox\\n…' | tutorbot chat`: piped input waits for the build's result, even when a step
stays silent longer than the chat's quiet wait."""

from __future__ import annotations

from bot.chat import bot_busy
from bot.local_api.terminal import run_terminal_chat

DOCKERFILE = ["FROM busybox", "RUN sleep 4", "RUN sleep 3 && echo fini", 'CMD ["echo", "salut"]']


async def test_piped_dockerfile_prints_the_build_result_before_the_chat_ends(lab_harness):
    api = lab_harness.api
    user = api.user(861, first_name="Pia")
    printed: list[str] = []
    script = iter(DOCKERFILE)

    async def read_line() -> str | None:
        return next(script, None)  # a pipe: every line at once, then the end of input

    await run_terminal_chat(api, user, read_line=read_line, write=printed.append, wait_for_answers=True,
                            busy=lambda: bot_busy(lab_harness.application))
    output = "\n".join(printed)
    assert "Image construite" in output, output
