"""The local Bot API refuses what Telegram refuses, with Telegram's words, through the real PTB client."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter

from bot.local_api import FloodLimits, LocalBotApi

TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"


@pytest.fixture
async def bot(local_api):
    client = Bot(TOKEN, base_url=f"{local_api.url}/bot", base_file_url=f"{local_api.url}/file/bot")
    async with client:
        yield client


async def test_html_that_does_not_parse_is_refused_like_telegram(bot, local_api):
    user = local_api.user(1)
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag \"div\""):
        await bot.send_message(user.id, "<div>Bonjour</div>", parse_mode="HTML")
    with pytest.raises(BadRequest, match="can't find end tag corresponding to start tag \"b\""):
        await bot.send_message(user.id, "<b>Bonjour", parse_mode="HTML")


async def test_4096_utf16_units_pass_and_one_more_is_too_long(bot, local_api):
    user = local_api.user(2)
    await bot.send_message(user.id, "😀" + "a" * 4094)  # the emoji counts as two units
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user.id, "😀" + "a" * 4095)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.send_message(user.id, "<b>" + "a" * 4097 + "</b>", parse_mode="HTML")
    await bot.send_message(user.id, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")  # tags are not counted


async def test_callback_data_over_64_bytes_is_refused(bot, local_api):
    user = local_api.user(3)
    ok = InlineKeyboardMarkup([[InlineKeyboardButton("ok", callback_data="é" * 32)]])
    await bot.send_message(user.id, "choix", reply_markup=ok)
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("ko", callback_data="a" * 65)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await bot.send_message(user.id, "choix", reply_markup=too_long)


async def test_poll_limits_are_enforced(bot, local_api):
    user = local_api.user(4)
    with pytest.raises(BadRequest, match="Poll question length must not exceed 300"):
        await bot.send_poll(user.id, "q" * 301, ["a", "b"])
    with pytest.raises(BadRequest, match="Poll_option_invalid"):
        await bot.send_poll(user.id, "q", ["a", "b" * 101])
    with pytest.raises(BadRequest, match="can't have more than 12 options"):
        await bot.send_poll(user.id, "q", [str(i) for i in range(13)])
    with pytest.raises(BadRequest, match="Explanation length must not exceed 200"):
        await bot.send_poll(user.id, "q", ["a", "b"], type="quiz", correct_option_ids=[0], explanation="e" * 201)


async def test_a_blocked_user_and_an_unknown_chat_are_refused(bot, local_api):
    user = local_api.user(5)
    await user.block()
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(user.id, "coucou")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(424242, "coucou")


async def test_a_wrong_token_and_an_unknown_method_fail_like_telegram(local_api):
    stranger = Bot("987654321:WRONG-token-xxxxxxxxxxxxxxxxxxxxxxxx", base_url=f"{local_api.url}/bot")
    with pytest.raises(InvalidToken):
        await stranger.get_me()
    import httpx

    async with httpx.AsyncClient() as client:
        response = await client.post(f"{local_api.url}/bot{TOKEN}/sendTeleportation")
    assert response.status_code == 404
    assert response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_editing_a_message_with_the_same_content_is_not_modified(bot, local_api):
    user = local_api.user(6)
    message = await bot.send_message(user.id, "pareil")
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_text("pareil", chat_id=user.id, message_id=message.message_id)
    await bot.edit_message_text("différent", chat_id=user.id, message_id=message.message_id)
    assert local_api.messages(user.id)[-1].text == "différent"


async def test_a_document_goes_up_and_comes_back_byte_for_byte(bot, local_api):
    user = local_api.user(7)
    sent = await user.send_document("Dockerfile", b"FROM busybox\n\xff\x00binary")
    update = (await bot.get_updates())[-1]
    assert update.message.document.file_name == "Dockerfile"
    file = await bot.get_file(update.message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"FROM busybox\n\xff\x00binary"
    assert sent.document.filename == "Dockerfile"
    await bot.send_document(user.id, b"log complet", filename="sortie.txt", caption="<b>journal</b>", parse_mode="HTML")
    assert local_api.messages(user.id)[-1].document.data == b"log complet"


async def test_flood_control_answers_429_with_retry_after():
    api = LocalBotApi(TOKEN, flood_limits=FloodLimits(per_minute_per_group=20))
    await api.start()
    try:
        group = api.group(-100, "Quiz du vendredi")
        async with Bot(TOKEN, base_url=f"{api.url}/bot") as bot:
            for i in range(20):
                await bot.send_message(group.id, f"question {i}")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(group.id, "une de trop")
        retry_after = caught.value.retry_after
        seconds = retry_after if isinstance(retry_after, int) else retry_after.total_seconds()
        assert 1 <= seconds <= 60
        private = api.user(8)
        async with Bot(TOKEN, base_url=f"{api.url}/bot") as bot:
            with pytest.raises(RetryAfter):
                for i in range(10):
                    await bot.send_message(private.id, f"message {i}")
    finally:
        await api.stop()
