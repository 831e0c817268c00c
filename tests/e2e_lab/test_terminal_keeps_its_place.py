"""In /terminal, the learner's `cd` and `export` carry over to the next command, as in a shell."""

from __future__ import annotations


async def run(api, user, text: str):
    sent = await user.send(text)
    return await api.wait_for_message(user.id, after=sent, timeout=60, predicate=lambda m: "code" in m.text)


async def test_cd_then_pwd_and_export_then_echo_in_the_terminal(lab_harness):
    api = lab_harness.api
    zoe = api.user(841, first_name="Zoé")
    sent = await zoe.send("/terminal on")
    on = await api.wait_for_message(zoe.id, after=sent)
    assert "dossier courant" in on.text and "variables exportées" in on.text, "its help says so"
    await run(api, zoe, "mkdir -p projet/app && cd projet")
    where = await run(api, zoe, "pwd")
    assert "/workspace/projet\n" in where.text + "\n"
    await run(api, zoe, "cd app; export SALUT='bonjour le labo'")
    said = await run(api, zoe, 'echo "$SALUT depuis $(pwd)"')
    assert "bonjour le labo depuis /workspace/projet/app" in said.text
    failed = await run(api, zoe, "cd /nulle-part")
    assert "❌" in failed.text
    still = await run(api, zoe, "pwd")
    assert "/workspace/projet/app" in still.text, "a failed cd keeps the place"
    quoted = await run(api, zoe, "echo \"guillemets ' et \\\" et $((1+2))\"")
    assert "guillemets ' et \" et 3" in quoted.text
    sent = await zoe.send("/terminal off")
    await api.wait_for_message(zoe.id, after=sent)
    alone = await run(api, zoe, "pwd")
    assert "/workspace\n" in alone.text + "\n" and "projet" not in alone.text.split("\n", 1)[1]
