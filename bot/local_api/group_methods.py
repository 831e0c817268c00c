"""Groups in the local Bot API: who may send what where, members and admins, quiz timers, migration.

Telegram's rules, with its words:
- a bot removed from a group gets 403 "bot was kicked from the group chat" (or "supergroup chat"), one that
  left it 403 "bot is not a member of the group chat";
- without the right to write or to send polls, 400 "not enough rights to send text messages to the chat"
  ("... polls ...");
- once a group became a supergroup, its old id answers 400 "group chat was upgraded to a supergroup chat"
  with `parameters.migrate_to_chat_id`;
- a poll with `open_period` closes by itself: the bot then receives a `poll` update with `is_closed`, as it
  does after stopPoll.
"""

from __future__ import annotations

import asyncio
import time

from bot.local_api.errors import BadRequest, Forbidden
from bot.local_api.membership import chat_member_json
from bot.local_api.polls import Poll
from bot.local_api.store import Chat, Store

__all__ = ["GroupMethods", "MAX_OPEN_PERIOD", "MIN_OPEN_PERIOD"]

MIN_OPEN_PERIOD, MAX_OPEN_PERIOD = 5, 600
_WRITING = {"sendmessage": "text messages", "senddocument": "documents", "sendphoto": "photos",
            "sendpoll": "polls"}


class GroupMethods:
    store: Store
    bot_user: dict

    def _poll_timers(self) -> dict[str, asyncio.TimerHandle]:
        timers = getattr(self, "_timers", None)
        if timers is None:
            timers = self._timers = {}
        return timers

    def check_group(self, chat: Chat, method: str) -> None:
        """Refuse, as Telegram does, what the bot may not do in this group."""
        group = chat.group
        if group is None:
            return
        if group.migrated_to is not None:
            raise BadRequest("group chat was upgraded to a supergroup chat", migrate_to_chat_id=group.migrated_to)
        kind = "supergroup chat" if chat.type == "supergroup" else "group chat"
        if group.bot_status == "kicked":
            raise Forbidden(f"bot was kicked from the {kind}")
        if group.bot_status == "left":
            raise Forbidden(f"bot is not a member of the {kind}")
        what = _WRITING.get(method)
        if what is None or group.bot_status == "administrator":
            return
        allowed = group.can_send_polls if method == "sendpoll" else group.can_send_messages
        if not allowed or group.bot_status == "restricted":
            raise BadRequest(f"not enough rights to send {what} to the chat")

    def _group_chat(self, params: dict) -> Chat:
        try:
            chat = self.store.chat(int(params.get("chat_id")))
        except (TypeError, ValueError):
            chat = None
        if chat is None:
            raise BadRequest("chat not found")
        self.check_group(chat, "")
        return chat

    async def m_getchat(self, params: dict) -> dict:
        chat = self._group_chat(params)
        return {**chat.to_api(), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": {
            "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False, "premium_subscription": False,
            "gifts_from_channels": False}}

    async def m_getchatadministrators(self, params: dict) -> list[dict]:
        chat = self._group_chat(params)
        if chat.group is None:
            raise BadRequest("there are no administrators in the private chat")
        admins = [chat_member_json(user, status) for user, status in chat.group.admins()]
        if chat.group.bot_status == "administrator":
            admins.append(chat_member_json(self.bot_user, "administrator"))
        return admins

    async def m_getchatmember(self, params: dict) -> dict:
        chat = self._group_chat(params)
        user_id = int(params.get("user_id") or 0)
        if user_id == self.bot_user["id"]:
            return chat_member_json(self.bot_user, chat.group.bot_status if chat.group else "member")
        if chat.group is None:
            if user_id != chat.id:
                raise BadRequest("user not found")
            return chat_member_json({"id": chat.id, "is_bot": False, "first_name": chat.first_name or ""}, "member")
        if user_id not in chat.group.members:
            raise BadRequest("user not found")
        user, status = chat.group.members[user_id]
        return chat_member_json(user, status)

    async def m_getchatmembercount(self, params: dict) -> int:
        chat = self._group_chat(params)
        if chat.group is None:
            return 2
        return sum(chat.group.is_member(uid) for uid in chat.group.members) + (chat.group.bot_status != "left")

    @staticmethod
    def check_open_period(value: object) -> int | None:
        if value is None:
            return None
        try:
            seconds = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise BadRequest("wrong open period specified") from None
        if not MIN_OPEN_PERIOD <= seconds <= MAX_OPEN_PERIOD:
            raise BadRequest("wrong open period specified")
        return seconds

    def start_poll_timer(self, poll: Poll, open_period: int | None) -> None:
        """Close `poll` after `open_period` seconds, as Telegram does, and tell the bot."""
        if open_period is None:
            return
        poll.deadline = time.time() + open_period
        poll.open_period, poll.close_date = open_period, int(poll.deadline)
        loop = asyncio.get_running_loop()
        self._poll_timers()[poll.id] = loop.call_later(
            open_period, lambda: loop.create_task(self.close_poll(poll)))

    async def close_poll(self, poll: Poll) -> None:
        timer = self._poll_timers().pop(poll.id, None)
        if timer is not None:
            timer.cancel()
        if poll.is_closed:
            return
        poll.is_closed = True
        await self.store.push_update({"poll": poll.to_api()})

    def stop_poll_timers(self) -> None:
        for timer in self._poll_timers().values():
            timer.cancel()
        self._poll_timers().clear()
