"""`tutorbot chat`: someone with no Telegram account talks to the bot in a terminal."""

from __future__ import annotations

import asyncio
import re

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



async def test_the_terminal_plays_an_instructor_and_a_learner_who_joins_by_the_link(make_harness):
    harness = await make_harness(instructor_ids=frozenset({1000}))
    api = harness.api
    people = [api.user(1000, first_name="Formateur"), api.user(1001, first_name="Élève 1")]
    printed: list[str] = []
    lines = iter(["/class new Atelier", "/as 1", "JOIN", "/as 0", "/class link"])

    async def read_line() -> str | None:
        await asyncio.sleep(0.3)  # the bot answers the previous line
        line = next(lines, None)
        if line == "JOIN":  # the learner types what the link would send
            for _ in range(100):
                found = re.search(r"start=(j-[A-Za-z0-9_-]{22})", "\n".join(printed))
                if found:
                    break
                await asyncio.sleep(0.05)
            line = f"/start {found.group(1)}"
        return line

    await run_terminal_chat(api, people, read_line=read_line, write=printed.append)
    await api.wait_for_message(1000, predicate=lambda m: "1 membre" in (m.text or ""), timeout=5)
    output = "\n".join(printed)
    assert "[Formateur]" in output and "[Élève 1]" in output, "each message says whom it went to"
    assert "Bienvenue dans la classe" in output and "Atelier" in output
