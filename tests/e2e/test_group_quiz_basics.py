"""A group plays a short quiz: /quiz now, quiz polls with Telegram's countdown, one scoreboard, a leaderboard."""

from __future__ import annotations

from bot_harness import REPO_CONTENT
from group_play import final_board, last_game_id, make_group, next_poll, stored_results, time_is_up


async def test_an_admin_starts_a_two_question_game_and_the_fastest_wins(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -3001, 2)
    start = await admin.send("/quiz now m01 2 5s", chat=group)
    first = await next_poll(local_api, group.id, start.message_id, timeout=10)
    assert first.poll.open_period == 5 and not first.poll.is_anonymous and first.poll.type == "quiz"
    assert first.poll.question.startswith("[1/2] ")
    board = next(m for m in local_api.messages(group.id) if m.text and m.text.startswith("📊"))
    right = first.poll.correct_option_id
    wrong = (right + 1) % len(first.poll.options)
    assert await group.answer_at(first, [(ana, right, 0.2), (bob, wrong, 1.0)]) == ["ok", "ok"]
    await time_is_up(bot, first)
    second = await next_poll(local_api, group.id, first.message_id, timeout=10)
    assert board.edits == 1 and "Ana" not in board.text and "P000" in board.text
    right2 = second.poll.correct_option_id
    await group.answer_at(second, [(ana, right2, 0.25), (bob, right2, 0.3)])
    await time_is_up(bot, second)
    final = await final_board(local_api, group.id, second.message_id, timeout=10)
    assert "🥇 P000" in final.text and "🥈 P001" in final.text
    results = stored_results(bot.engine, last_game_id(bot.engine))
    # Ana: 1000 (under 0.5 s) + 1000 + 100 streak; Bob: 0 + 1000 (answers under 0.5 s: exact on a busy machine)
    assert results == [(1, ana.id, 2100, 2), (2, bob.id, 1000, 1)]
