"""`tutorbot chat`: someone with no Telegram account talks to the bot in a terminal."""

from __future__ import annotations

import asyncio

from bot.local_api.terminal import run_terminal_chat


async def test_a_terminal_user_enrols_by_typing_the_number_of_a_button(harness):
    api = harness.api
    user = api.user(901, first_name="Tess")
    printed: list[str] = []
    script = iter(["1"])

    async def read_line() -> str | None:
        await api.wait_for_message(user.id, predicate=lambda m: bool(m.buttons), timeout=5)
        await asyncio.sleep(0.1)
        return next(script, None)

    await run_terminal_chat(api, user, read_line=read_line, write=printed.append)
    await api.wait_for_message(user.id, predicate=lambda m: "inscrit" in (m.text or ""), timeout=5)
    output = "\n".join(printed)
    assert "[1] Mini cours Docker" in output, "buttons are shown as numbered choices"
    assert "Bonjour Tess" in output
