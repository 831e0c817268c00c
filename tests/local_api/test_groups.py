"""The local Bot API knows groups as Telegram does, through the real PTB client: members and admins,
commands with @botname, privacy mode, quiz polls that close on their timer, rights, removal, migration."""

from __future__ import annotations

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from bot.local_api import FloodLimits, LocalBotApi, PollClosed, PollRefused

TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"


@pytest.fixture
async def bot(local_api):
    async with Bot(TOKEN, base_url=f"{local_api.url}/bot") as client:
        yield client


async def _updates(bot: Bot, offset: int = 0) -> list[Update]:
    return list(await bot.get_updates(offset=offset, timeout=0, allowed_updates=Update.ALL_TYPES))


async def test_admins_and_members_are_reported_like_telegram(bot, local_api):
    group = local_api.group(-201, "Docker club")
    ana, bob = local_api.user(1, first_name="Ana"), local_api.user(2, first_name="Bob")
    group.add(ana, status="creator")
    group.add(bob)
    admins = await bot.get_chat_administrators(group.id)
    assert [(a.user.id, a.status) for a in admins] == [(1, "creator")]
    assert (await bot.get_chat_member(group.id, bob.id)).status == "member"
    await group.leave(bob)
    assert (await bot.get_chat_member(group.id, bob.id)).status == "left"
    await group.set_bot(status="administrator", by=ana)
    assert {a.user.id for a in await bot.get_chat_administrators(group.id)} == {1, 123456789}
    chat = await bot.get_chat(group.id)
    assert chat.type == "group" and chat.title == "Docker club"


async def test_privacy_mode_lets_only_commands_for_this_bot_through(bot, local_api):
    group = local_api.group(-202, "Docker club")
    ana = local_api.user(1)
    await ana.send("bonjour tout le monde", chat=group)
    await ana.send("/quiz@some_other_bot", chat=group)
    await ana.send("/quiz@docker_tutor_bot m04 10", chat=group)
    await ana.send("/top", chat=group)
    texts = [u.message.text for u in await _updates(bot)]
    assert texts == ["/quiz@docker_tutor_bot m04 10", "/top"]
    open_group = local_api.group(-203, "Sans confidentialité", privacy=False)
    await ana.send("bonjour", chat=open_group)
    assert (await _updates(bot))[-1].message.text == "bonjour"


async def test_an_anonymous_admin_writes_as_the_group(bot, local_api):
    group = local_api.group(-204, "Docker club")
    await group.send_as_group("/quiz now")
    message = (await _updates(bot))[-1].message
    assert message.sender_chat.id == group.id
    assert message.from_user.username == "GroupAnonymousBot"


async def test_a_quiz_poll_closes_on_its_timer_and_answers_come_as_poll_answer(bot, local_api):
    group = local_api.group(-205, "Docker club")
    ana, bob, eve = (local_api.user(i) for i in (1, 2, 3))
    group.add(ana)
    group.add(bob)
    sent = await bot.send_poll(group.id, "Quelle commande ?", ["run", "ps", "rm"], type="quiz",
                               correct_option_id=1, is_anonymous=False, open_period=5, explanation="ps liste")
    assert sent.poll.open_period == 5 and sent.poll.close_date is not None
    message = local_api.messages(group.id)[-1]
    results = await group.answer_at(message, [(ana, 1, 0.1), (bob, 0, 0.2)])
    assert results == ["ok", "ok"]
    with pytest.raises(PollRefused):  # a second answer: Telegram's client does not offer it
        await ana.answer_poll(message, [2])
    with pytest.raises(PollRefused):  # not a member of the group
        await eve.answer_poll(message, [1])
    answers = [u.poll_answer for u in await _updates(bot) if u.poll_answer]
    assert [(a.user.id, a.option_ids) for a in answers] == [(1, (1,)), (2, (0,))]
    await local_api.wait_for(lambda: any("poll" in u for u in local_api.store.updates), timeout=15,
                             what="the poll never closed on its timer")
    closed = [u.poll for u in await _updates(bot) if u.poll]
    assert closed and closed[-1].is_closed and closed[-1].id == sent.poll.id
    assert closed[-1].options[1].voter_count == 1
    with pytest.raises(PollClosed):
        await bob.answer_poll(message, [1])


async def test_stop_poll_closes_and_notifies_and_explanation_is_limited(bot, local_api):
    group = local_api.group(-206, "Docker club")
    with pytest.raises(BadRequest, match="Explanation length must not exceed 200"):
        await bot.send_poll(group.id, "q", ["a", "b"], type="quiz", correct_option_id=0, explanation="e" * 201)
    with pytest.raises(BadRequest, match="Wrong open period specified"):
        await bot.send_poll(group.id, "q", ["a", "b"], type="quiz", correct_option_id=0, open_period=601)
    sent = await bot.send_poll(group.id, "q", ["a", "b"], type="quiz", correct_option_id=0, is_anonymous=False,
                               open_period=60, explanation="e" * 200)
    stopped = await bot.stop_poll(group.id, sent.message_id)
    assert stopped.is_closed
    assert [u.poll.is_closed for u in await _updates(bot) if u.poll] == [True]
    with pytest.raises(BadRequest, match="Poll has already been closed"):
        await bot.stop_poll(group.id, sent.message_id)


async def test_a_bot_without_rights_or_removed_is_refused_like_telegram(bot, local_api):
    group = local_api.group(-207, "Docker club")
    await group.set_bot(can_send_polls=False)
    await bot.send_message(group.id, "texte permis")
    with pytest.raises(BadRequest, match="Not enough rights to send polls to the chat"):
        await bot.send_poll(group.id, "q", ["a", "b"])
    await group.set_bot(can_send_messages=False)
    with pytest.raises(BadRequest, match="Not enough rights to send text messages to the chat"):
        await bot.send_message(group.id, "texte")
    await group.set_bot(status="administrator")  # an admin bot is not bound by the members' permissions
    await bot.send_message(group.id, "texte d'admin")
    await group.remove_bot()
    with pytest.raises(Forbidden, match="bot was kicked from the group chat"):
        await bot.send_message(group.id, "encore là ?")
    kinds = [u.my_chat_member.new_chat_member.status for u in await _updates(bot) if u.my_chat_member]
    assert kinds[-1] == "kicked"


async def test_a_group_upgraded_to_a_supergroup_answers_with_its_new_id(bot, local_api):
    group = local_api.group(-208, "Docker club")
    ana = local_api.user(1)
    group.add(ana, status="creator")
    supergroup = await group.migrate(by=ana)
    assert supergroup.id == -1000000000208 and supergroup.chat.type == "supergroup"
    with pytest.raises(ChatMigrated) as caught:
        await bot.send_message(group.id, "toujours là ?")
    assert caught.value.new_chat_id == supergroup.id
    import httpx

    async with httpx.AsyncClient() as client:
        raw = (await client.post(f"{local_api.url}/bot{TOKEN}/sendMessage",
                                 json={"chat_id": group.id, "text": "x"})).json()
    assert raw == {"ok": False, "error_code": 400,
                   "description": "Bad Request: group chat was upgraded to a supergroup chat",
                   "parameters": {"migrate_to_chat_id": supergroup.id}}
    await bot.send_message(supergroup.id, "me voici")
    messages = [u.message for u in await _updates(bot) if u.message]
    assert messages[-2].migrate_to_chat_id == supergroup.id
    assert messages[-1].migrate_from_chat_id == group.id
    assert (await bot.get_chat_member(supergroup.id, ana.id)).status == "creator"


async def test_a_forwarded_poll_is_not_seen_in_privacy_mode_but_is_seen_without_it(bot, local_api):
    group = local_api.group(-209, "Docker club", privacy=False)
    ana = local_api.user(1)
    await bot.send_poll(ana.id, "q", ["a", "b"], type="quiz", correct_option_id=0, is_anonymous=False)
    await group.forward(ana, local_api.messages(ana.id)[-1])
    forwarded = (await _updates(bot))[-1].message
    assert forwarded.poll is not None and forwarded.forward_origin is not None


async def test_twenty_messages_a_minute_per_group_then_429_and_edits_count():
    api = LocalBotApi(TOKEN, flood_limits=FloodLimits(per_minute_per_group=20))
    await api.start()
    try:
        group = api.group(-210, "Docker club")
        async with Bot(TOKEN, base_url=f"{api.url}/bot") as bot:
            board = await bot.send_message(group.id, "tableau 0")
            for i in range(1, 20):
                await bot.edit_message_text(f"tableau {i}", chat_id=group.id, message_id=board.message_id)
            with pytest.raises(RetryAfter):
                await bot.send_poll(group.id, "q", ["a", "b"])
    finally:
        await api.stop()


async def test_a_poll_closed_now_ends_as_on_its_timer_and_a_forwarded_copy_votes_in_it(bot, local_api):
    group, other = local_api.group(-211, "Docker club"), local_api.group(-212, "Elsewhere")
    ana, eve = local_api.user(1), local_api.user(3)
    group.add(ana)
    other.add(eve)
    sent = await bot.send_poll(group.id, "Quelle commande ?", ["run", "ps"], type="quiz", correct_option_ids=[1],
                               is_anonymous=False, open_period=60)
    message = local_api.messages(group.id)[-1]
    copy = await other.forward(ana, message)
    with pytest.raises(PollRefused):  # Eve does not see the group's message
        await eve.answer_poll(message, [1])
    await eve.answer_poll(copy, [1])  # but votes through the copy she sees: it counts in the original poll
    answers = [u.poll_answer for u in await _updates(bot) if u.poll_answer]
    assert [(a.poll_id, a.user.id, a.option_ids) for a in answers] == [(sent.poll.id, eve.id, (1,))]
    await local_api.close_poll_now(message)  # its time is up now, not in 60 s
    closed = [u.poll for u in await _updates(bot) if u.poll]
    assert closed and closed[-1].is_closed and closed[-1].id == sent.poll.id
    assert closed[-1].options[1].voter_count == 1
    with pytest.raises(PollClosed):
        await ana.answer_poll(message, [1])


async def test_delivered_means_the_bot_confirmed_the_updates_it_asked_for(bot, local_api):
    ana = local_api.user(1)
    await ana.send("bonjour")
    updates = await _updates(bot)  # handed over, not yet confirmed
    with pytest.raises(TimeoutError):  # only this test's client polls: nothing else can confirm them
        await local_api.wait_delivered(timeout=0.2)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0, allowed_updates=["message"])
    await local_api.wait_delivered(timeout=1)
    group = local_api.group(-213, "Docker club")
    group.add(ana)
    await bot.send_poll(group.id, "q", ["a", "b"], open_period=60)
    await local_api.close_poll_now(local_api.messages(group.id)[-1])  # a `poll` update the bot did not ask for
    await local_api.wait_delivered(timeout=1)
