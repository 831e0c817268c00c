"""A learner's lab actions and exercise checks take turns: commands sent in a row get one check, after the last;
a report overtaken by a newer command is dropped (unless it says the exercise is done); reports never cross."""

from __future__ import annotations

import asyncio

from bot.services.check_turns import CheckTurns


async def test_commands_in_a_row_are_checked_once_after_the_last():
    turns = CheckTurns()
    first, second, third = (turns.begin(7) for _ in range(3))
    assert turns.finish(first, changed_lab=True) is False
    assert turns.finish(second, changed_lab=True) is False
    assert turns.finish(third, changed_lab=True) is True
    assert turns.finish(turns.begin(7), changed_lab=False) is False, "a refused command alone changes nothing"


async def test_a_refused_last_command_still_owes_the_check_of_those_before():
    turns = CheckTurns()
    ran, refused = turns.begin(7), turns.begin(7)
    assert turns.finish(refused, changed_lab=False) is False, "the first command still runs"
    assert turns.finish(ran, changed_lab=True) is True


async def test_another_learners_commands_do_not_hold_back_a_check():
    turns = CheckTurns()
    mine, theirs = turns.begin(7), turns.begin(8)
    assert turns.finish(mine, changed_lab=True) is True
    del theirs


async def test_a_report_overtaken_by_a_newer_command_is_dropped_and_the_newer_one_checks():
    turns = CheckTurns()
    old = turns.begin(7)
    assert turns.finish(old, changed_lab=True)
    newer = None

    async def check() -> str:
        nonlocal newer
        newer = turns.begin(7)  # the learner sends another command while the checks run
        return "1/5"

    delivered: list[str] = []
    assert await turns.run_check(old, check, must_say=lambda r: False, deliver=_into(delivered)) is False
    assert delivered == []
    assert turns.finish(newer, changed_lab=False) is True, "the newer command's end checks, even refused"


async def test_a_report_saying_the_exercise_is_done_is_never_dropped():
    turns = CheckTurns()
    old = turns.begin(7)
    assert turns.finish(old, changed_lab=True)

    async def check() -> str:
        turns.begin(7)
        return "Bravo"

    delivered: list[str] = []
    assert await turns.run_check(old, check, must_say=lambda r: r == "Bravo", deliver=_into(delivered))
    assert delivered == ["Bravo"]


async def test_a_report_is_kept_when_the_newer_command_ended_without_running():
    turns = CheckTurns()
    old = turns.begin(7)
    assert turns.finish(old, changed_lab=True)

    async def check() -> str:
        refused = turns.begin(7)
        assert turns.finish(refused, changed_lab=False) is False
        return "2/5"

    delivered: list[str] = []
    assert await turns.run_check(old, check, must_say=lambda r: False, deliver=_into(delivered))
    assert delivered == ["2/5"], "nobody else will check: this report is the current one"


async def test_check_runs_of_a_learner_never_overlap_and_report_in_order():
    turns = CheckTurns()
    running, events = 0, []

    def slow_check(name: str, seconds: float):
        async def check() -> str:
            nonlocal running
            running += 1
            assert running == 1, "two check runs at once"
            await asyncio.sleep(seconds)
            running -= 1
            return name
        return check

    async def deliver(name: str) -> None:
        events.append(name)

    first = turns.begin(7)
    assert turns.finish(first, changed_lab=True)
    slow = asyncio.create_task(turns.run_check(first, slow_check("first", 0.05), must_say=lambda r: True,
                                               deliver=deliver))
    await asyncio.sleep(0)
    async with turns.turn(7):  # /check waits for the run in progress
        events.append("asked")
    await slow
    assert events == ["first", "asked"]


async def test_a_check_whose_turn_comes_after_a_newer_command_does_not_run():
    turns = CheckTurns()
    old = turns.begin(7)
    assert turns.finish(old, changed_lab=True)
    ran: list[str] = []

    async def check() -> str:
        ran.append("check")
        return "1/5"

    async with turns.turn(7):  # a /check in progress
        waiting = asyncio.create_task(turns.run_check(old, check, must_say=lambda r: True, deliver=_into([])))
        await asyncio.sleep(0)
        newer = turns.begin(7)
    assert await waiting is False and ran == [], "the state it would see is about to change"
    assert turns.finish(newer, changed_lab=False) is True


async def test_a_command_waits_for_the_check_in_progress():
    turns = CheckTurns()
    old = turns.begin(7)
    assert turns.finish(old, changed_lab=True)
    events: list[str] = []
    release = asyncio.Event()

    async def check() -> str:
        events.append("check starts")
        await release.wait()
        events.append("check ends")
        return "1/5"

    checking = asyncio.create_task(turns.run_check(old, check, must_say=lambda r: False, deliver=_into([])))
    await asyncio.sleep(0)

    async def command() -> None:
        turns.begin(7)
        await turns.wait_for_checks(7)
        events.append("command runs")

    running = asyncio.create_task(command())
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(checking, running)
    assert events == ["check starts", "check ends", "command runs"]


def _into(delivered: list[str]):
    async def deliver(result: str) -> None:
        delivered.append(result)
    return deliver
