"""A learner opens the Lab tab on their phone: a real shell in their own workspace, as on their own machine."""

from __future__ import annotations

import asyncio

import aiohttp
from mini_app import init_data_for
from terminal_client import hello, open_terminal_socket

from bot.services.lab_terminal import learner_id_of


async def started(harness, user_id: int, first_name: str) -> None:
    """The learner has talked to the bot (the lab is theirs once they are a learner)."""
    user = harness.api.user(user_id, first_name=first_name)
    sent = await user.send("/start")
    await harness.api.wait_for_message(user_id, after=sent, timeout=30)


async def test_a_learner_types_commands_in_their_workspace_and_exit_closes_it(lab_harness):
    await started(lab_harness, 851, "Lina")
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(851, first_name="Lina")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        await terminal.type("echo $((6*7)) $(id -un) $(pwd) $(tty)\r")
        screen = await terminal.wait_for("42 learner /workspace /dev/pts/")
        assert "not a tty" not in screen
        await terminal.type("exit\r")
        assert await terminal.until_closed() == {"type": "closed", "reason": "exited", "exit_code": 0}
    finally:
        await terminal.close()


async def test_docker_run_it_works_in_the_terminal(lab_harness):
    await started(lab_harness, 852, "Milo")
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(852, first_name="Milo")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        await terminal.type("docker run -it --rm busybox sh\r")
        await terminal.wait_for("/ # ", timeout=90)
        await terminal.type("echo inside-$((40+2))\r")
        await terminal.wait_for("inside-42")
        shown = len(terminal.screen)
        await terminal.type("exit\r")
        await terminal.wait_for("learner@labo:/workspace$ ", after=shown)
        await terminal.type("echo back-$((1+1))\r")
        await terminal.wait_for("back-2")
    finally:
        await terminal.close()


async def test_a_second_terminal_of_the_same_learner_replaces_the_first(lab_harness):
    await started(lab_harness, 853, "Noa")
    first = await open_terminal_socket(lab_harness, hello(init_data_for(853, first_name="Noa")))
    second = None
    try:
        assert await first.opened() == {"type": "ready"}
        await first.type("sleep 300 &\r")
        second = await open_terminal_socket(lab_harness, hello(init_data_for(853, first_name="Noa")))
        closed = await first.until_closed()
        assert closed is not None and closed["reason"] == "replaced"
        assert await second.opened() == {"type": "ready"}
        await second.type("pgrep -c sleep || echo none-left\r")
        await second.wait_for("none-left"), "what the replaced terminal started is gone, as after a chat command"
    finally:
        await first.close()
        if second is not None:
            await second.close()


async def test_an_idle_terminal_is_closed(lab_harness):
    lab_harness.application.bot_data["services"].sandbox.settings.terminal_idle_timeout = 2
    await started(lab_harness, 854, "Oscar")
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(854, first_name="Oscar")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        closed = await terminal.until_closed()
        assert closed is not None and closed["reason"] == "idle"
    finally:
        await terminal.close()


async def test_a_chat_command_waits_for_the_terminal_then_runs(lab_harness):
    await started(lab_harness, 855, "Pia")
    api = lab_harness.api
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(855, first_name="Pia")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        sent = await api.user(855, first_name="Pia").send("/run echo from-the-chat")
        await terminal.type("exit\r")
        assert (await terminal.until_closed() or {}).get("reason") == "exited"
        reply = await api.wait_for_message(855, after=sent, timeout=60, predicate=lambda m: "from-the-chat" in m.text)
        assert "code 0" in reply.text
    finally:
        await terminal.close()


async def test_a_stopping_bot_closes_an_open_terminal(lab_harness):
    await started(lab_harness, 856, "Quentin")
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(856, first_name="Quentin")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        stopping = asyncio.ensure_future(lab_harness.application.bot_data["webapp"].stop())
        await terminal.until_closed(timeout=30)  # not the minute the server would wait for the socket to end
        assert terminal.close_code == aiohttp.WSCloseCode.GOING_AWAY
        await stopping
    finally:
        await terminal.close()


async def test_a_busy_terminal_is_closed_at_its_time_limit_with_what_it_started(lab_harness):
    lab_harness.application.bot_data["services"].sandbox.settings.terminal_total_timeout = 4
    await started(lab_harness, 857, "Rita")
    terminal = await open_terminal_socket(lab_harness, hello(init_data_for(857, first_name="Rita")))
    try:
        assert await terminal.opened() == {"type": "ready"}
        await terminal.type("while true; do echo tic; sleep 0.5; done\r")  # busy: never idle
        closed = await terminal.until_closed()
        assert closed is not None and closed["reason"] == "total"
    finally:
        await terminal.close()
    left = await lab_harness.application.bot_data["services"].sandbox.run_command(
        learner_id=await learner_id_of(lab_harness.application.bot_data["services"].db, 857),
        command="ps -u learner -o comm= | grep -c sleep || true")
    assert left.output.strip() == "0", "nothing the terminal started outlives it"
