"""The local Bot API's flood control keeps Telegram's documented limits: 30 messages in any second for the
bot, 20 in any minute per group (edits included), a short burst then ~1 a second in a private chat, and
429 with retry_after beyond; a refused message does not count."""

from __future__ import annotations

import pytest
from telegram import Bot
from telegram.error import RetryAfter

from bot.local_api import FloodLimits, LocalBotApi
from bot.local_api.errors import TooManyRequests
from bot.local_api.flood import FloodControl

TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"


def test_thirty_a_second_for_the_bot_in_a_sliding_window():
    now = [0.0]
    flood = FloodControl(FloodLimits(), clock=lambda: now[0])
    for chat in range(30):
        now[0] = chat * 0.03
        flood.admit(1000 + chat)
    with pytest.raises(TooManyRequests) as refused:
        flood.admit(2000)  # the 31st within one second
    assert refused.value.retry_after == 1
    now[0] = 1.0  # the first one left the window: one more may go, not two
    flood.admit(2001)
    with pytest.raises(TooManyRequests):
        flood.admit(2002)


def test_a_private_chat_allows_a_short_burst_then_one_a_second():
    now = [0.0]
    flood = FloodControl(FloodLimits(), clock=lambda: now[0])
    for _ in range(5):
        flood.admit(7)
    with pytest.raises(TooManyRequests):
        flood.admit(7)
    now[0] = 1.0
    flood.admit(7)
    with pytest.raises(TooManyRequests):
        flood.admit(7)


async def test_edits_in_a_group_count_in_its_twenty_a_minute_and_in_private_chats_they_do_not():
    api = LocalBotApi(TOKEN, flood_limits=FloodLimits(per_minute_per_group=20))
    await api.start()
    try:
        group, user = api.group(-300, "Quiz"), api.user(9)
        async with Bot(TOKEN, base_url=f"{api.url}/bot") as bot:
            board = await bot.send_message(group.id, "📊 0")
            for i in range(19):
                await bot.edit_message_text(f"📊 {i + 1}", chat_id=group.id, message_id=board.message_id)
            with pytest.raises(RetryAfter):
                await bot.edit_message_text("📊 de trop", chat_id=group.id, message_id=board.message_id)
            mine = await bot.send_message(user.id, "1")
            for i in range(25):
                await bot.edit_message_text(f"{i}", chat_id=user.id, message_id=mine.message_id)
    finally:
        await api.stop()
