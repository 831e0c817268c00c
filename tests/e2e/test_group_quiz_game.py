"""Done when: a group of 30 plays a whole 10-question game at scripted answer times, through the real
python-telegram-bot and the local Bot API, and the scores and the ranking are the formula's.

The script's times are on the game's clock, which the test moves (answers "4 s after the question" without
waiting 4 s), and each question ends when the test says its time is up. The one game played on the wall clock is
in test_group_quiz_answer_timing.py."""

from __future__ import annotations

from datetime import UTC, datetime

from bot_harness import REPO_CONTENT
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
)

from bot.services.clock import ManualClock
from bot.services.pacing import SendLimits

PLAYERS, QUESTIONS, TIMER = 30, 10, 5


def plan_for(question: int, player: int) -> tuple[str, float] | None:
    """What player i does on question q: ("right" | "wrong", seconds after the poll), or None (no answer)."""
    if player % 10 == 9 and question % 2 == 1:
        return None
    seconds = 0.25 + 0.14 * player + 0.03 * (question % 4)
    return ("wrong" if (player + question) % 7 == 0 else "right"), seconds


async def test_thirty_players_ten_questions_scores_and_ranking_follow_the_formula(make_harness, local_api):
    # 22 group messages in a few seconds: the group's minute of Telegram's limit lasts 2 s here
    bot = await make_harness(content=REPO_CONTENT, game_clock=ManualClock(datetime(2026, 3, 2, 18, 0, tzinfo=UTC)),
                             send_limits=SendLimits(group_span=2.0))
    group, admin, players = make_group(local_api, -4001, PLAYERS)
    start = await admin.send(f"/quiz@docker_tutor_bot now {QUESTIONS} {TIMER}s", chat=group)
    scripted: list[tuple[int, dict[int, tuple[int, float]]]] = []
    last = start.message_id
    for question in range(QUESTIONS):
        poll = await next_poll(local_api, group.id, last)
        assert poll.poll.question.startswith(f"[{question + 1}/{QUESTIONS}] ")
        assert poll.poll.open_period == TIMER
        right = poll.poll.correct_option_id
        wrong = (right + 1) % len(poll.poll.options)
        plan, answers = [], {}
        for i, player in enumerate(players):
            step = plan_for(question, i)
            if step is None:
                continue
            option = right if step[0] == "right" else wrong
            plan.append((player, option, step[1]))
            answers[player.id] = (option, step[1])
        outcomes = await answer_in_game_time(bot, poll, plan)
        assert outcomes == ["ok"] * len(plan)
        await time_is_up(bot, poll)
        scripted.append((right, answers))
        last = poll.message_id
    final = await final_board(local_api, group.id, last)
    game_id = last_game_id(bot.engine)
    stored = stored_answers(bot.engine, game_id)
    results = stored_results(bot.engine, game_id)

    # every answer reached the bot, timed close to its script
    for position, (_right, answers) in enumerate(scripted):
        for player, (option, seconds) in answers.items():
            got_option, elapsed_ms = stored[(position, player)]
            assert got_option == option
            assert -100 <= elapsed_ms - seconds * 1000 <= 500, (position, player, elapsed_ms, seconds)
    # the points are the formula's, applied to the times the bot measured
    measured = [(right, {p: (o, stored[(q, p)][1] / 1000) for p, (o, _s) in answers.items()})
                for q, (right, answers) in enumerate(scripted)]
    expected = expected_scores(measured, TIMER)
    assert {player: points for _rank, player, points, _c in results} == expected
    # and the ranking is the one the script implies, wherever the script separates two players clearly
    by_script = expected_scores(scripted, TIMER)
    rank = {player: r for r, player, _p, _c in results}
    for a in by_script:
        for b in by_script:
            if by_script[a] > by_script[b] + 150:
                assert rank[a] < rank[b], (a, b, by_script[a], by_script[b])
    # the leaderboard shows the top three with medals, points and right answers
    top = results[:3]
    names = {p.id: p.user["first_name"] for p in players}
    for medal, (_rank, player, points, correct) in zip("🥇🥈🥉", top, strict=True):
        assert f"{medal} {names[player]} · {points} pts · {correct}/{QUESTIONS}" in final.text
    assert "⚡" in final.text
    # one scoreboard message, edited once per question
    boards = [m for m in local_api.messages(group.id) if m.text and m.text.startswith("📊")]
    assert len(boards) == 1 and boards[0].edits == QUESTIONS
