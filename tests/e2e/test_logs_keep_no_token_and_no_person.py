"""A learner's whole story logged at DEBUG leaves neither the bot's token nor anything about the learner in the
log: updates are logged by their type and id, and the token is taken out of URLs and tracebacks."""

from __future__ import annotations

import asyncio
import logging

from bot_harness import TOKEN

NAME, SURNAME = "Zoéline", "Vasquez-Ortiz"
TEXT = "je m'appelle Zoéline et j'habite 12 rue des Lilas"


def bot_log(caplog) -> str:
    """What the bot's process logged (the local Bot API plays Telegram: its own records are not the bot's)."""
    handler = caplog.handler
    return "\n".join(handler.format(r) for r in caplog.records if not r.name.startswith("bot.local_api"))


async def test_a_learners_story_at_debug_level_logs_no_token_no_name_and_no_text(make_harness, caplog):
    caplog.set_level(logging.DEBUG)
    harness = await make_harness()
    api = harness.api
    zoe = api.user(7301, first_name=NAME, last_name=SURNAME, username="zoeline_v")
    sent = await zoe.send("/start mini")
    menu = await api.wait_for_message(zoe.id, after=sent, predicate=lambda m: bool(m.buttons))
    await zoe.press(menu, "📖 Les images")
    page = await api.wait_for_message(zoe.id, after=menu, predicate=lambda m: "Les images" in m.text)
    sent = await zoe.send("/quiz")
    question = await api.wait_for_message(zoe.id, after=sent, predicate=lambda m: bool(m.buttons))
    await zoe.press(question, "A")
    await api.wait_for_edit(question)
    sent = await zoe.send(TEXT)
    await api.wait_for_message(zoe.id, after=sent)
    assert page is not None

    log = bot_log(caplog)
    assert "update " in log, "updates are logged at DEBUG, by type and id"
    for secret in (TOKEN, TOKEN.split(":")[1], NAME, SURNAME, "zoeline_v", "rue des Lilas", "Les images"):
        assert secret not in log, f"{secret!r} is in the log"


async def test_a_connection_cut_logs_its_traceback_without_the_token(make_harness, caplog):
    caplog.set_level(logging.DEBUG)
    harness = await make_harness()
    api = harness.api
    port = int(api.url.rsplit(":", 1)[1])
    await api.stop()  # Telegram goes away under the bot's long polling
    for _ in range(200):  # until the polling loop has logged its failure (a barrier, not a clock)
        if any(r.exc_info or "rror" in r.getMessage() for r in caplog.records if r.name.startswith("telegram")):
            break
        await asyncio.sleep(0.05)
    api.port = port
    await api.start()
    failures = [r for r in caplog.records if r.name.startswith("telegram") and r.levelno >= logging.WARNING]
    assert failures, "the polling failure is logged"
    log = bot_log(caplog)
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
