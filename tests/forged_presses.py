"""Pressing buttons as a forger would: any data, on any message, and reading the toast the bot answered with."""

from __future__ import annotations

import asyncio

from bot.local_api import LocalBotApi
from bot.local_api.store import CallbackAnswer, SentMessage
from bot.local_api.users import SimUser

__all__ = ["forge", "toast"]


async def toast(api: LocalBotApi, query_id: str, timeout: float = 5.0) -> CallbackAnswer:
    """The bot's answer to the press `query_id` (every press is answered: waiting for it is the barrier)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = next((a for a in api.callback_answers if a.query_id == query_id), None)
        if found is not None:
            return found
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"press {query_id} was never answered")
        await asyncio.sleep(0.02)


async def forge(api: LocalBotApi, user: SimUser, message: SentMessage, data: str) -> CallbackAnswer:
    """`user` sends `data` as if pressed on `message` (a client can send any data); the bot's toast."""
    return await toast(api, await user.press(message, data=data))
