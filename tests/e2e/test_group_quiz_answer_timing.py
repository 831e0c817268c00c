"""A player's answer is timed when the bot receives it: an answer received just before the deadline counts by the
formula even when the busy bot handles it after the question's close time; an answer given after the poll closed
is refused by Telegram and never reaches the bot; answers given together are stored in a few units of work.

The first story is the suite's one game played on the wall clock: Telegram's countdown, the bot's own timer and
answers timed as they arrive, with nothing moved on by the test. The others end a question when the test says
(`time_is_up`)."""

from __future__ import annotations

import asyncio
import time

from bot_harness import REPO_CONTENT
from group_play import (
    final_board,
    kahoot,
    last_game_id,
    make_group,
    next_poll,
    stored_answers,
    stored_results,
    time_is_up,
    wait_for_answers,
)
from telegram import Update
from telegram.ext import TypeHandler

from bot.services.competitions import CLOSE_GRACE
from bot.views.group_game import group_games

TIMER = 5
SLOW = 2.5  # seconds the bot takes to get round to one player's answer (a busy bot, simulated)


async def test_an_answer_received_in_time_but_handled_after_the_close_time_scores_by_the_formula(
        make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob, cyd) = make_group(local_api, -4101, 3)
    handled: dict[int, float] = {}

    async def busy(update: Update, _context: object) -> None:
        """Ana's answer waits before any handler sees it, as behind a long queue of updates."""
        answer = update.poll_answer
        if answer is not None and answer.user is not None and answer.user.id == ana.id:
            await asyncio.sleep(SLOW)
            handled[ana.id] = time.time()

    bot.application.add_handler(TypeHandler(Update, busy), group=-2)
    start = await admin.send(f"/quiz now m01 1 {TIMER}s", chat=group)
    poll = await next_poll(local_api, group.id, start.message_id, timeout=10)
    right = poll.poll.correct_option_id
    outcomes = await group.answer_at(poll, [(ana, right, TIMER - 0.8), (bob, right, 1.0), (cyd, right, TIMER + 0.3)])
    assert outcomes == ["ok", "ok", "closed"]  # Telegram refuses an answer to a closed poll: the bot never sees it
    await final_board(local_api, group.id, poll.message_id, timeout=20)

    # Ana's answer is there, timed at receipt, though it was handled after the bot's own time to close the question
    game_id = last_game_id(bot.engine)
    stored = stored_answers(bot.engine, game_id)
    assert set(stored) == {(0, ana.id), (0, bob.id)}
    assert handled[ana.id] > poll.poll.deadline + CLOSE_GRACE.total_seconds()
    ana_ms, bob_ms = stored[(0, ana.id)][1], stored[(0, bob.id)][1]
    assert -100 <= ana_ms - (TIMER - 0.8) * 1000 <= 500, ana_ms
    assert -100 <= bob_ms - 1000 <= 500, bob_ms
    results = stored_results(bot.engine, game_id)
    assert {(player, points, correct) for _rank, player, points, correct in results} == {
        (ana.id, kahoot(ana_ms / 1000, TIMER), 1), (bob.id, kahoot(bob_ms / 1000, TIMER), 1)}
    assert [player for _rank, player, _p, _c in results] == [bob.id, ana.id]


async def test_forty_answers_given_at_once_are_stored_in_a_few_units_of_work(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, players = make_group(local_api, -4102, 40)
    start = await admin.send(f"/quiz now m01 1 {TIMER}s", chat=group)
    poll = await next_poll(local_api, group.id, start.message_id, timeout=10)
    right = poll.poll.correct_option_id
    wrong = (right + 1) % len(poll.poll.options)
    plan = [(player, right if i % 4 else wrong, 1.0 + (i % 2) * 0.01) for i, player in enumerate(players)]
    answers = group_games(bot.application).answers
    batches_before = answers.batches
    assert await group.answer_at(poll, plan) == ["ok"] * len(plan)
    await wait_for_answers(bot.engine, len(plan))  # stored by the batches, as long before a real close
    await time_is_up(bot, poll)
    await final_board(local_api, group.id, poll.message_id)
    stored = stored_answers(bot.engine, last_game_id(bot.engine))
    assert {player for _position, player in stored} == {player.id for player in players}
    assert all(stored[(0, player.id)][0] == option for player, option, _s in plan)
    assert 1 <= answers.batches - batches_before < len(plan) // 2  # one per ~50 ms of answers, not one each
