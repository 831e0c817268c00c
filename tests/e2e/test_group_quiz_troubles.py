"""Group games when things go wrong: each case gets a clear answer and loses nothing.

A question ends when the test says its time is up (`time_is_up`), not after its real seconds."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from bot_harness import REPO_CONTENT
from group_play import (
    answer_in_game_time,
    final_board,
    last_game_id,
    make_group,
    next_poll,
    stored_results,
    time_is_up,
)
from sqlalchemy import text

from bot.services.clock import ManualClock
from bot.views.group_game import group_games


def _status(engine, game_id: int) -> str:  # noqa: ANN001
    with engine.connect() as connection:
        return connection.execute(text("SELECT status FROM quiz_game WHERE id = :g"), {"g": game_id}).scalar_one()


def _texts(api, chat_id: int) -> list[str]:  # noqa: ANN001
    return [m.text for m in api.messages(chat_id) if m.text]


async def _reply(api, chat_id: int, after: int, start: str) -> str:  # noqa: ANN001
    message = await api.wait_for_message(chat_id, after=after, timeout=5,
                                         predicate=lambda m: bool(m.text) and m.text.startswith(start))
    return message.text


async def test_a_member_who_is_not_an_admin_cannot_start_or_stop_until_games_are_opened(make_harness, local_api):
    await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -5001, 1)
    sent = await ana.send("/quiz now 1 5s", chat=group)
    assert "Seuls les admins" in await _reply(local_api, group.id, sent.message_id, "🔒")
    sent = await admin.send("/quiz now 1 60s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    sent = await ana.send("/quiz stop", chat=group)
    assert "Seuls les admins" in await _reply(local_api, group.id, sent.message_id, "🔒")
    assert not poll.poll.is_closed
    sent = await admin.send("/quiz stop", chat=group)
    assert "Partie arrêtée" in await _reply(local_api, group.id, sent.message_id, "⏹")
    sent = await admin.send("/quiz open", chat=group)
    await _reply(local_api, group.id, sent.message_id, "🔓")
    sent = await ana.send("/quiz now 1 5s", chat=group)
    await next_poll(local_api, group.id, sent.message_id, timeout=5)


async def test_two_games_requested_at_once_give_one_game_and_one_explanation(make_harness, local_api):
    await make_harness(content=REPO_CONTENT)
    group, admin, _ = make_group(local_api, -5002, 0)
    other = group.add(local_api.user(777, first_name="Zoé"), status="administrator")
    first = await admin.send("/quiz now 1 5s", chat=group)
    await other.send("/quiz now 2 5s", chat=group)
    refusal = await _reply(local_api, group.id, first.message_id, "⏳")
    assert "déjà en cours" in refusal and "/quiz stop" in refusal
    barrier = await admin.send("/help", chat=group)  # handled after both requests: a chat's updates go in order
    await _reply(local_api, group.id, barrier.message_id, "Quiz en groupe")
    assert sum(1 for m in local_api.messages(group.id) if m.poll) == 1


async def test_an_anonymous_admin_starts_a_game_and_a_lobby_lets_members_join(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT, group_lobby_seconds=2)
    group, _admin, (ana, bob) = make_group(local_api, -5003, 2)
    sent = await group.send_as_group("/quiz 1 5s")
    lobby = await local_api.wait_for_message(group.id, after=sent.message_id, timeout=5,
                                             predicate=lambda m: bool(m.buttons))
    assert "Rejoindre" in lobby.buttons[0][0]
    presses = [await ana.press(lobby, lobby.buttons[0][0]), await ana.press(lobby, lobby.buttons[0][0]),
               await bob.press(lobby, lobby.buttons[0][0])]
    for query in presses:
        await local_api.wait_for_callback_answer(query)
    await time_is_up(bot)  # the lobby's time
    poll = await next_poll(local_api, group.id, lobby.message_id)
    toasts = [a.text for a in local_api.callback_answers]
    assert toasts == ["Tu es dans la partie !", "Tu es déjà dans la partie.", "Tu es dans la partie !"]
    assert "P000, P001" in lobby.text and not lobby.buttons  # the lobby closed: its button is gone
    assert poll.poll.question.startswith("[1/1]")


async def test_privacy_mode_and_chatter_get_no_answer_in_a_group(make_harness, local_api):
    await make_harness(content=REPO_CONTENT)
    group = local_api.group(-5004, "Bavards", privacy=False)
    ana = group.add(local_api.user(4004))
    await ana.send("salut tout le monde", chat=group)
    await ana.send("/quiz@another_bot now", chat=group)
    await ana.send("/inconnue", chat=group)
    barrier = await ana.send("/help", chat=group)  # handled after the three: a chat's updates go in order
    await _reply(local_api, group.id, barrier.message_id, "Quiz en groupe")
    assert [m.message_id for m in local_api.messages(group.id)] == [barrier.message_id + 1]


async def test_a_forwarded_poll_is_ignored_and_its_answers_count_for_nothing(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group = local_api.group(-5005, "Transferts", privacy=False)
    admin = group.add(local_api.user(5005, first_name="Admin"), status="creator")
    ana = group.add(local_api.user(5006, first_name="Ana"))
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    stranger = await bot.application.bot.send_poll(ana.id, "Autre sondage ?", ["a", "b"], type="quiz",
                                                   correct_option_ids=[0], is_anonymous=False)
    forwarded = await group.forward(ana, local_api.messages(ana.id)[-1])
    await ana.answer_poll(stranger.poll.id, [0])  # a poll that is not the game's question
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2)])
    await time_is_up(bot, poll)
    final = await final_board(local_api, group.id, poll.message_id)
    assert forwarded.poll is not None
    assert stored_results(bot.engine, last_game_id(bot.engine)) == [(1, ana.id, 1000, 1)]
    assert "Ana" in final.text


async def test_the_bot_without_the_right_to_send_polls_says_so_and_frees_the_group(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, _ = make_group(local_api, -5006, 1)
    await group.set_bot(can_send_polls=False, by=admin)
    sent = await admin.send("/quiz now 2 5s", chat=group)
    assert "droit d'envoyer des sondages" in await _reply(local_api, group.id, sent.message_id, "⚠️")
    assert _status(bot.engine, last_game_id(bot.engine)) == "stopped"
    await group.set_bot(can_send_polls=True, by=admin)
    sent = await admin.send("/quiz now 1 5s", chat=group)
    await next_poll(local_api, group.id, sent.message_id, timeout=5)


async def test_the_bot_removed_mid_game_ends_it_quietly_and_keeps_the_scores(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -5007, 1)
    sent = await admin.send("/quiz now 3 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2)])
    await time_is_up(bot, poll)
    second = await next_poll(local_api, group.id, poll.message_id)
    await group.remove_bot(by=admin)
    game_id = last_game_id(bot.engine)
    await local_api.wait_for(lambda: _status(bot.engine, game_id) == "stopped", what="the game did not end")
    assert group_games(bot.application).pending_job(game_id) is None  # no timer left: nothing more will be sent
    assert _status(bot.engine, game_id) == "stopped"
    assert stored_results(bot.engine, game_id) == [(1, ana.id, 1000, 1)]
    refused = [r for r in local_api.requests_log if r[2] and "kicked" in r[2]]
    assert len(refused) <= 1  # at most the one call that found out
    assert not any(m.poll for m in local_api.messages(group.id) if m.message_id > second.message_id)


async def test_a_group_upgraded_mid_game_plays_on_in_the_supergroup_with_its_history(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -5008, 1)
    sent = await admin.send("/quiz now 2 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2)])
    supergroup = await group.migrate(by=admin)
    await time_is_up(bot, poll)
    second = await next_poll(local_api, supergroup.id, 0)
    await supergroup.answer_at(second, [(ana, second.poll.correct_option_id, 0.2)])
    await time_is_up(bot, second)
    final = await final_board(local_api, supergroup.id, second.message_id)
    assert "🥇 P000 · <b>2100</b>" in final.html or "🥇 P000 · 2100 pts" in final.text
    with bot.engine.connect() as connection:
        chats = {r[0] for r in connection.execute(text("SELECT chat_id FROM quiz_game_result"))}
    assert chats == {supergroup.id}
    sent = await admin.send("/quiz now 1 5s", chat=supergroup)
    await next_poll(local_api, supergroup.id, sent.message_id, timeout=5)  # the old game no longer holds it


async def _all_updates_handled(application) -> None:  # noqa: ANN001
    """Barrier: every update received so far has been handled (errors included: handlers block)."""
    while application.update_processor.current_concurrent_updates or not application.update_queue.empty():
        await asyncio.sleep(0.02)


async def test_a_group_upgraded_between_games_keeps_its_board_and_logs_no_error(make_harness, local_api, caplog):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -5011, 1)
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2)])
    await time_is_up(bot, poll)
    await final_board(local_api, group.id, poll.message_id)
    caplog.set_level(logging.ERROR)
    supergroup = await group.migrate(by=admin)  # no game running: only the service messages tell the bot
    sent = await admin.send("/top all", chat=supergroup)  # handled after the supergroup's own service message
    board = await local_api.wait_for_message(supergroup.id, after=sent.message_id, timeout=5)
    assert "🥇 P000" in board.text, board.text
    await _all_updates_handled(bot.application)  # the old group's service message too
    with bot.engine.connect() as connection:
        chats = {r[0] for r in connection.execute(text("SELECT chat_id FROM quiz_game_result"))}
    assert chats == {supergroup.id}
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], [r.getMessage() for r in caplog.records]


async def test_two_hundred_players_answer_one_question(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT, game_clock=ManualClock(datetime(2026, 3, 2, 18, 0, tzinfo=UTC)))
    group, admin, players = make_group(local_api, -5009, 200)
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    right = poll.poll.correct_option_id
    # ten at a time, every 0.2 s of the game's clock from 0.5 s: the first ten are the fastest
    outcomes = await answer_in_game_time(bot, poll, [(p, right, 0.5 + (i // 10) * 0.2) for i, p in enumerate(players)])
    assert outcomes == ["ok"] * 200
    await time_is_up(bot, poll)
    final = await final_board(local_api, group.id, poll.message_id)
    results = stored_results(bot.engine, last_game_id(bot.engine))
    assert len(results) == 200  # everyone scored; the fastest are on top (give or take a busy machine's jitter)
    assert {r[1] for r in results[:3]} <= {p.id for p in players[:10]}
    assert final.text.count("\n") < 20  # the top ten, not two hundred lines


async def test_a_player_who_blocked_the_bot_still_plays_in_the_group(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -5010, 2)
    await ana.block()
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2), (bob, poll.poll.correct_option_id, 1.0)])
    await time_is_up(bot, poll)
    await final_board(local_api, group.id, poll.message_id)
    assert [r[1] for r in stored_results(bot.engine, last_game_id(bot.engine))] == [ana.id, bob.id]


async def test_help_in_a_group_lists_the_group_commands_and_the_menu_is_scoped(make_harness, local_api):
    await make_harness(content=REPO_CONTENT)
    group, admin, _ = make_group(local_api, -5011, 0)
    sent = await admin.send("/help", chat=group)
    help_text = await _reply(local_api, group.id, sent.message_id, "Quiz en groupe")
    assert "/top" in help_text and "/run" not in help_text
    group_menu = local_api.store.scoped_commands[(("all_group_chats",), "")]
    assert [c["command"] for c in group_menu] == ["quiz", "top", "season", "help"]
    assert "top" not in [c["command"] for c in local_api.store.commands[""]]


async def test_an_admin_pauses_after_a_question_and_resumes(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -5012, 1)
    sent = await admin.send("/quiz now 2 5s", chat=group)
    poll = await next_poll(local_api, group.id, sent.message_id, timeout=5)
    sent = await admin.send("/quiz pause", chat=group)
    assert "quiz resume" in await _reply(local_api, group.id, sent.message_id, "⏸")
    await group.answer_at(poll, [(ana, poll.poll.correct_option_id, 0.2)])
    board = next(m for m in local_api.messages(group.id) if m.text and m.text.startswith("📊"))
    await time_is_up(bot, poll)
    await local_api.wait_for_edit(board)  # the question still closes and scores
    assert group_games(bot.application).pending_job(last_game_id(bot.engine)) is None  # and the game waits
    assert sum(1 for m in local_api.messages(group.id) if m.poll) == 1
    sent = await ana.send("/quiz resume", chat=group)
    assert "Seuls les admins" in await _reply(local_api, group.id, sent.message_id, "🔒")
    sent = await admin.send("/quiz resume", chat=group)
    await _reply(local_api, group.id, sent.message_id, "▶️")
    second = await next_poll(local_api, group.id, poll.message_id, timeout=5)
    assert second.poll.question.startswith("[2/2]")
