"""The Lab tab's terminal opens the caller's own workspace and nobody else's: Telegram's signed initData, sent as
the socket's first message, is the only way in. Each refusal has its positive control: the genuine initData
opens the terminal, and the same attack against a deliberately weakened check gets in (so the test can fail)."""

from __future__ import annotations

import functools
import hashlib
import hmac
import time
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from mini_app import init_data_for
from terminal_client import hello, open_terminal_socket

from bot.services.lab_terminal import learner_id_of
from bot.webapp import init_data, lab_terminal

ALICE, BOB = 861, 862


async def started(harness, user_id: int, first_name: str) -> int:
    """The learner has talked to the bot; their stored id (their workspace's key)."""
    user = harness.api.user(user_id, first_name=first_name)
    sent = await user.send("/start")
    await harness.api.wait_for_message(user_id, after=sent, timeout=30)
    learner_id = await learner_id_of(harness.application.bot_data["services"].db, user_id)
    assert learner_id is not None
    return learner_id


async def workspace_status(harness, learner_id: int) -> str:
    return await harness.application.bot_data["services"].sandbox.workspace_status(learner_id=learner_id)


async def refused_before_any_workspace(harness, learner_id: int, first_message: str | None) -> None:
    terminal = await open_terminal_socket(harness, first_message)
    try:
        assert await terminal.until_closed(timeout=lab_terminal.AUTH_TIMEOUT + 10) is None, "no JSON, no output"
        assert terminal.close_code == aiohttp.WSCloseCode.POLICY_VIOLATION
        assert terminal.screen == ""
    finally:
        await terminal.close()
    assert await workspace_status(harness, learner_id) == "none", "the refusal came before the lab was touched"


async def opens_own_workspace(harness, telegram_id: int, first_message: str) -> str:
    """Open a terminal with `first_message`, print the workspace's marker file, and close it; the screen."""
    terminal = await open_terminal_socket(harness, first_message)
    try:
        assert await terminal.opened() == {"type": "ready"}, terminal.screen
        # quoted so that the echo of what is typed does not hold "marker=" itself
        await terminal.type("echo mark\"\"er=$(cat /workspace/whose 2>/dev/null || echo unmarked)\r")
        await terminal.wait_for("marker=")
        await terminal.wait_for("\n", after=terminal.screen.index("marker="))
        return terminal.screen
    finally:
        await terminal.close()


async def mark(harness, telegram_id: int, name: str) -> None:
    terminal = await open_terminal_socket(harness, hello(init_data_for(telegram_id, first_name=name)))
    try:
        assert await terminal.opened() == {"type": "ready"}
        await terminal.type(f"echo {name} > /workspace/whose && echo marked-$((1+1))\r")
        await terminal.wait_for("marked-2")
    finally:
        await terminal.close()


def weakened(monkeypatch: pytest.MonkeyPatch, **check: object) -> None:
    """The deliberately weakened target of a positive control: the terminal's initData check loosened."""
    monkeypatch.setattr(lab_terminal, "verify_init_data", functools.partial(init_data.verify_init_data, **check))


def skip_signature(raw: str | None, *, bot_token: str) -> init_data.WebAppCaller:
    fields = dict(parse_qsl(raw or ""))
    """The weakened check: whatever the hash says, re-signed as if Telegram had signed it."""
    fields["hash"] = hmac.new(init_data.secret_key(bot_token), init_data.data_check_string(fields).encode(),
                              hashlib.sha256).hexdigest()
    return init_data.verify_init_data(urlencode(fields), bot_token=bot_token)


async def test_a_socket_without_init_data_is_closed_and_with_it_opens(lab_harness):
    alice = await started(lab_harness, ALICE, "Alice")

    await refused_before_any_workspace(lab_harness, alice, None)  # nothing sent: closed after AUTH_TIMEOUT
    await refused_before_any_workspace(lab_harness, alice, "bonjour")
    await refused_before_any_workspace(lab_harness, alice, hello(""))

    screen = await opens_own_workspace(lab_harness, ALICE, hello(init_data_for(ALICE, first_name="Alice")))
    assert "marker=unmarked" in screen  # positive control


async def test_a_forged_init_data_is_refused_unless_the_signature_check_is_weakened(lab_harness, monkeypatch):
    alice = await started(lab_harness, ALICE, "Alice")
    await started(lab_harness, BOB, "Bob")
    await mark(lab_harness, ALICE, "alice")
    bobs = dict(parse_qsl(init_data_for(BOB, first_name="Bob")))
    bobs["user"] = bobs["user"].replace(str(BOB), str(ALICE))
    forged = hello(urlencode(bobs))

    terminal = await open_terminal_socket(lab_harness, forged)
    try:
        assert await terminal.until_closed() is None
        assert terminal.close_code == aiohttp.WSCloseCode.POLICY_VIOLATION and terminal.screen == ""
    finally:
        await terminal.close()
    assert await workspace_status(lab_harness, alice) == "running"  # Alice's own, from her marking

    monkeypatch.setattr(lab_terminal, "verify_init_data", skip_signature)
    weakened_screen = await opens_own_workspace(lab_harness, ALICE, forged)
    assert "marker=alice" in weakened_screen, "positive control: without the signature check, Bob gets Alice's shell"


async def test_each_learner_reaches_only_their_own_workspace(lab_harness):
    await started(lab_harness, ALICE, "Alice")
    await started(lab_harness, BOB, "Bob")
    await mark(lab_harness, ALICE, "alice")
    await mark(lab_harness, BOB, "bob")

    bobs_screen = await opens_own_workspace(lab_harness, BOB, hello(init_data_for(BOB, first_name="Bob")))
    alices_screen = await opens_own_workspace(lab_harness, ALICE, hello(init_data_for(ALICE, first_name="Alice")))

    assert "marker=bob" in bobs_screen and "marker=alice" not in bobs_screen
    assert "marker=alice" in alices_screen and "marker=bob" not in alices_screen  # and the other way round


async def test_an_init_data_replayed_after_a_day_is_refused_and_a_younger_one_opens(lab_harness, monkeypatch):
    alice = await started(lab_harness, ALICE, "Alice")
    now = int(time.time())
    stale = hello(init_data_for(ALICE, first_name="Alice", auth_date=now - 24 * 3600 - 5))

    await refused_before_any_workspace(lab_harness, alice, stale)

    younger = hello(init_data_for(ALICE, first_name="Alice", auth_date=now - 24 * 3600 + 60))
    assert "marker=unmarked" in await opens_own_workspace(lab_harness, ALICE, younger)  # positive control
    weakened(monkeypatch, max_age=10 * 24 * 3600)
    assert "marker=unmarked" in await opens_own_workspace(lab_harness, ALICE, stale), \
        "positive control: with a longer max_age, the replayed initData gets in"
