"""`tutorbot chat`: a learner answers a pushed quiz with `1`, then types `4`: the chat says the answer cannot
change, in their language, and goes on (it used to crash on PollRefused)."""

from __future__ import annotations

import asyncio

import pytest

from bot.local_api.terminal import run_terminal_chat


@pytest.mark.parametrize(("lang", "already"), [("fr", "déjà répondu"), ("en", "already answered")])
async def test_answering_a_quiz_twice_prints_a_friendly_line_and_the_chat_goes_on(harness, lang, already):
    api = harness.api
    user = api.user(1001, first_name="Quentin", language_code=lang)
    printed: list[str] = []
    script = iter(["1", "4", "/aide" if lang == "fr" else "/help"])

    async def read_line() -> str | None:
        line = next(script, None)
        if line == "1":
            await api.wait_for_message(user.id, predicate=lambda m: bool(m.buttons), timeout=5)
            await harness.application.bot.send_poll(user.id, "2 + 2 ?", ["4", "5", "6", "22"], type="quiz",
                                                    correct_option_ids=[0], is_anonymous=False)
            await api.wait_for_message(user.id, predicate=lambda m: m.poll is not None, timeout=5)
            await asyncio.sleep(0.2)  # the chat prints it
        elif line == "4":
            for _ in range(100):
                if any("1" in p and "✔" in p for p in printed):
                    break
                await asyncio.sleep(0.05)
        elif line is not None:
            for _ in range(100):
                if any(already in p for p in printed):
                    break
                await asyncio.sleep(0.05)
        return line

    await run_terminal_chat(api, user, read_line=read_line, write=printed.append)
    output = "\n".join(printed)
    assert already in output, output
    assert sum(1 for p in printed if "✔" in p) == 1, "only the first answer went"
    typed = [m.text for m in api.store.messages[user.id] if not m.from_bot]
    assert typed[-1] in {"/aide", "/help"}, "the chat went on after the refused answer"
