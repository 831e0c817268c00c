"""A group game is joined from its own lobby, by a member of the group: a Join button forged in a private chat,
in another group, or pressed by an outsider, joins nothing and puts no name on the group's boards. Its questions
are answered by members only: a vote through a forwarded copy of a question reaches the bot with the question's
poll id, from anyone who sees the copy, and counts only for a member of the game's group."""

from __future__ import annotations

from bot_harness import REPO_CONTENT
from forged_presses import forge
from group_play import final_board, last_game_id, make_group, next_poll, stored_answers, time_is_up
from sqlalchemy import text

SPAM = "🎁 FREE crypto → t.me/scam"


def players(engine, game_id: int) -> set[int]:  # noqa: ANN001
    with engine.connect() as connection:
        return {row[0] for row in connection.execute(
            text("SELECT telegram_id FROM quiz_game_player WHERE game_id = :g"), {"g": game_id})}


async def test_a_forged_join_from_elsewhere_or_by_an_outsider_is_refused(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT, group_lobby_seconds=60)
    group, admin, (ana,) = make_group(local_api, -7001, 1)
    other, _other_admin, _ = make_group(local_api, -7002, 0, first_id=1100, title="Elsewhere")
    mallory = local_api.user(6666, first_name=SPAM)
    other.add(mallory)
    sent = await admin.send("/quiz 1 5s", chat=group)
    lobby = await local_api.wait_for_message(group.id, after=sent.message_id, predicate=lambda m: bool(m.buttons))
    game_id = last_game_id(bot.engine)
    join_data = lobby.buttons[0][1]
    assert str(game_id) not in join_data.split(":")[1:], "the button names no game"

    private = await mallory.send("/start")
    in_other = await mallory.send("hello", chat=other)
    for message in (private, in_other):
        for data in (join_data, f"gj:{game_id}"):
            answer = await forge(local_api, mallory, message, data)
            assert answer.show_alert and "plus valable" in answer.text, (data, answer)
    outsider = await forge(local_api, mallory, lobby, join_data)  # seen in a public group, or a forwarded lobby
    assert outsider.show_alert and "plus valable" in outsider.text

    member = await forge(local_api, ana, lobby, join_data)  # positive control: the same press by a member
    assert member.text == "Tu es dans la partie !"
    assert players(bot.engine, game_id) == {ana.id}
    assert all(SPAM not in (m.text or "") for m in local_api.messages(group.id))


async def test_a_vote_through_a_forwarded_question_counts_only_for_a_member_of_the_group(make_harness, local_api):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -7011, 1)
    other, _other_admin, _ = make_group(local_api, -7012, 0, first_id=1100, title="Elsewhere")
    mallory = other.add(local_api.user(6667, first_name="Mallory"))
    other.add(ana)  # Ana belongs to both groups
    sent = await admin.send("/quiz now 2 5s", chat=group)
    first = await next_poll(local_api, group.id, sent.message_id)
    copy = await other.forward(ana, first)  # Ana shares the game's question with the other group
    await mallory.answer_poll(copy, [first.poll.correct_option_id])  # Telegram counts it in the game's poll
    await ana.answer_poll(copy, [first.poll.correct_option_id])  # a member, through the same copy
    await time_is_up(bot, first)  # barrier: both votes reached the bot and were handled before the close
    game_id = last_game_id(bot.engine)
    assert set(stored_answers(bot.engine, game_id)) == {(0, ana.id)}, "the outsider's vote is not scored"
    assert players(bot.engine, game_id) == {ana.id}

    # positive control: the same vote, through a forwarded copy, by Mallory once a member of the group, is scored
    group.add(mallory)  # no service message: the bot learns it from Telegram
    second = await next_poll(local_api, group.id, first.message_id)
    copy = await other.forward(ana, second)
    await mallory.answer_poll(copy, [second.poll.correct_option_id])
    await time_is_up(bot, second)
    final = await final_board(local_api, group.id, second.message_id)
    assert set(stored_answers(bot.engine, game_id)) == {(0, ana.id), (1, mallory.id)}
    assert players(bot.engine, game_id) == {ana.id, mallory.id}
    assert "Mallory" in final.text
