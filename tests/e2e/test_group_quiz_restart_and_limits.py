"""A game survives a restart of the bot, and a whole 20-question game stays under the group limit."""

from __future__ import annotations

import time

from bot_harness import REPO_CONTENT, TOKEN, start_harness
from group_play import (
    expected_scores,
    final_board,
    last_game_id,
    make_group,
    next_poll,
    stored_answers,
    stored_results,
    wait_for_answers,
)

from bot.app import stop_bot
from bot.local_api import FloodLimits, LocalBotApi
from bot.services.competition_budget import GROUP_LIMIT, game_messages, worst_minute


async def test_a_restart_mid_question_closes_it_on_time_and_keeps_the_scores(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -6001, 2)
    sent = await admin.send("/quiz now 2 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    asked = time.monotonic()
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2), (bob, poll.poll.correct_option_id, 0.3)])
    await wait_for_answers(bot.engine, 2)  # received and stored (answers sent while it is down are timed on receipt)
    await bot.restart()  # a new process on the same database
    board = next(m for m in local_api.messages(group.id) if m.text and m.text.startswith("📊"))
    await local_api.wait_for_edit(board, timeout=10)
    closed_after = time.monotonic() - asked
    assert 5.0 <= closed_after <= 7.0  # at its planned time (5 s + a short grace), not a new 5 s
    second = await next_poll(local_api, group.id, poll.message_id, timeout=10)
    await group.answer_at(second, [(bob, second.poll.correct_option_id, 0.3)])
    await final_board(local_api, group.id, second.message_id, timeout=10)
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
    api = LocalBotApi(TOKEN, flood_limits=FloodLimits(per_minute_per_group=GROUP_LIMIT))
    await api.start()
    bot = await start_harness(tmp_path, api, clock, content=REPO_CONTENT,
                              group_lobby_seconds=1)
    try:
        group, admin, (ana,) = make_group(api, -6002, 1)
        sent = await admin.send("/quiz 20 5s", chat=group)
        lobby = await api.wait_for_message(group.id, after=sent.message_id, predicate=lambda m: bool(m.buttons))
        await ana.press(lobby, lobby.buttons[0][0])
        last, rights = lobby.message_id, []
        for _ in range(20):
            poll = await next_poll(api, group.id, last, timeout=60)
            rights.append(poll.poll.correct_option_id)
            await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.3)])
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
