"""A game survives a restart of the bot, and a whole 20-question game stays under the group limit.

Questions end when the test says their time is up (`time_is_up`); the restarted bot's timer is checked where it
is armed, then run."""

from __future__ import annotations

from datetime import UTC, datetime

from bot_harness import REPO_CONTENT, TOKEN, start_harness
from group_play import (
    answer_in_game_time,
    expected_scores,
    final_board,
    last_game_id,
    make_group,
    next_poll,
    stored_answers,
    stored_results,
    time_is_up,
    wait_for_answers,
)

from bot.app import stop_bot
from bot.local_api import FloodLimits, LocalBotApi
from bot.services.clock import ManualClock
from bot.services.competition_budget import GROUP_LIMIT, game_messages, worst_minute
from bot.services.pacing import SendLimits
from bot.views.group_game import group_games


async def test_a_restart_mid_question_closes_it_on_time_and_keeps_the_scores(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -6001, 2)
    sent = await admin.send("/quiz now 2 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    asked = datetime.now(UTC)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2), (bob, poll.poll.correct_option_id, 0.3)])
    await wait_for_answers(bot.engine, 2)  # received and stored (answers sent while it is down are timed on receipt)
    await bot.restart()  # a new process on the same database
    board = next(m for m in local_api.messages(group.id) if m.text and m.text.startswith("📊"))
    timer = group_games(bot.application).pending_job(last_game_id(bot.engine))
    assert timer is not None and timer.next_t is not None
    closes_after = (timer.next_t - asked).total_seconds()
    assert 5.0 <= closes_after <= 7.0  # at its planned time (5 s + a short grace), not a new 5 s
    await time_is_up(bot, poll)
    await local_api.wait_for_edit(board)
    second = await next_poll(local_api, group.id, poll.message_id)
    await group.answer_at(second, [(bob, second.poll.correct_option_id, 0.3)])
    await time_is_up(bot, second)
    await final_board(local_api, group.id, second.message_id)
    game_id = last_game_id(bot.engine)
    stored = stored_answers(bot.engine, game_id)  # the times the bot measured (a loaded machine adds to the 0.2–0.3 s)
    assert set(stored) == {(0, ana.id), (0, bob.id), (1, bob.id)}

    def answered(position: int, player) -> tuple[int, float]:  # noqa: ANN001
        option, elapsed_ms = stored[(position, player.id)]
        return option, elapsed_ms / 1000

    expected = expected_scores([(poll.poll.correct_option_id, {ana.id: answered(0, ana), bob.id: answered(0, bob)}),
                                (second.poll.correct_option_id, {bob.id: answered(1, bob)})], 5)
    assert expected[bob.id] > 2000 and expected[ana.id] > 900  # both right, in time, across the restart
    assert stored_results(bot.engine, game_id) == [(1, bob.id, expected[bob.id], 2), (2, ana.id, expected[ana.id], 1)]


def test_the_message_budget_of_a_game_fits_the_group_limit():
    assert game_messages(questions=20, lobby=True) == 44
    for timer in (5, 10, 20, 60):
        assert worst_minute(questions=20, timer=timer, lobby=True) <= GROUP_LIMIT - 4


async def test_a_twenty_question_game_meets_no_429_with_telegrams_limits_on(tmp_path, clock):
    """The game moves on as fast as the test goes, so Telegram's group minute lasts SPAN seconds on both sides: the
    local Bot API's flood control and the bot's pacer (its other limits are Telegram's)."""
    span = 6.0
    api = LocalBotApi(TOKEN, flood_limits=FloodLimits(per_minute_per_group=GROUP_LIMIT, group_span=span))
    await api.start()
    bot = await start_harness(tmp_path, api, clock, content=REPO_CONTENT, group_lobby_seconds=1,
                              game_clock=ManualClock(datetime(2026, 3, 2, 18, 0, tzinfo=UTC)),
                              send_limits=SendLimits(group_span=span))
    try:
        group, admin, (ana,) = make_group(api, -6002, 1)
        sent = await admin.send("/quiz 20 5s", chat=group)
        lobby = await api.wait_for_message(group.id, after=sent.message_id, predicate=lambda m: bool(m.buttons))
        await api.wait_for_callback_answer(await ana.press(lobby, lobby.buttons[0][0]))
        await time_is_up(bot)  # the lobby's time
        last, rights = lobby.message_id, []
        for _ in range(20):
            poll = await next_poll(api, group.id, last, timeout=60)
            rights.append(poll.poll.correct_option_id)
            await answer_in_game_time(bot, poll, [(ana, poll.poll.correct_option_id, 0.3)])
            await time_is_up(bot, poll)
            last = poll.message_id
        await final_board(api, group.id, last, timeout=60)
        refused = [(method, error) for method, _params, error in api.requests_log if error]
        assert refused == []
        game_id = last_game_id(bot.engine)
        stored = stored_answers(bot.engine, game_id)
        expected = expected_scores([(right, {ana.id: (right, stored[(q, ana.id)][1] / 1000)})
                                    for q, right in enumerate(rights)], 5)
        assert stored_results(bot.engine, game_id) == [(1, ana.id, expected[ana.id], 20)]
    finally:
        await stop_bot(bot.application)
        await api.stop()
