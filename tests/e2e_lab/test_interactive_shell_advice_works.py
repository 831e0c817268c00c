"""`docker exec -it … bash` cannot work in a chat: the bot's advice instead runs one command, and works.

Dropping `-it` is not enough (bash then reads nothing and exits at once, silently): the advice runs a
single command, or several with `sh -c '…'` (sh: slim and busybox images have no bash). Every command the
reply suggests is run here, in the real lab."""

from __future__ import annotations

import html
import re


async def run(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)


async def refused(api, user, command: str):
    sent = await user.send(command)
    return await api.wait_for_message(user.id, after=sent, timeout=20, predicate=lambda m: "⌨️" in (m.text or ""))


def suggested(message) -> list[str]:
    """The commands the reply shows as code."""
    return [html.unescape(c) for c in re.findall(r"<code>(docker [^<]*)</code>", message.html or "")]


async def test_exec_and_run_with_a_shell_get_advice_that_runs_in_the_lab(lab_harness):
    api = lab_harness.api
    ines = api.user(871, first_name="Inès")
    for start in ("docker run -d --name web nginx", "docker run -d --name boite busybox sleep 600"):
        assert "✅ code 0" in (await run(api, ines, start)).text
    cases = {"docker exec -it web bash": "web", "docker exec -it boite bash": "boite",
             "docker run -it ubuntu bash": "ubuntu", "docker run -it --rm debian": "debian",
             "docker run -it python": "python", "docker attach web": "web"}
    for command, target in cases.items():
        reply = await refused(api, ines, command)
        advice = [c for c in suggested(reply) if target in c and c != command]
        assert advice, reply.text
        assert command.replace(" -it", "") not in advice, "dropping -it alone ends at once, doing nothing"
        if "bash" in command:
            assert "sh -c" in reply.text and "bash" in reply.text, reply.text
        for fix in advice:
            done = await run(api, ines, fix)
            assert "✅ code 0" in done.text, (command, fix, done.text)
            if "attach" not in command:  # a shell's advice shows something (a server may have logged nothing)
                assert "aucune sortie" not in done.text, (command, fix, done.text)
