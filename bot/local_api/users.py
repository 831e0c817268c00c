"""Simulated Telegram users and groups: what tests and `tutorbot chat` do as people."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from bot.local_api.polls import PollRefused
from bot.local_api.sim_group import SimGroup, _command_entities
from bot.local_api.store import Chat, SentMessage, Store

if TYPE_CHECKING:
    from bot.local_api.server import LocalBotApi

__all__ = ["SimGroup", "SimUser"]


class SimUser:
    def __init__(self, api: LocalBotApi, user: dict) -> None:
        self.api, self.user = api, user
        self.chat = api.store.chats.setdefault(
            user["id"], Chat(user["id"], "private", first_name=user.get("first_name"))
        )

    @property
    def id(self) -> int:
        return self.user["id"]

    @property
    def store(self) -> Store:
        return self.api.store

    async def _message(self, chat: Chat | None, key: str = "message", **fields: Any) -> SentMessage:
        message = self.store.add_message(chat or self.chat, self.user, **fields)
        await self.store.push_update({key: message.to_api()})
        return message

    async def send(self, text: str, chat: SimGroup | None = None) -> SentMessage:
        """A text message; a leading /command gets its bot_command entity, as Telegram adds it.

        In a group (`chat=`), the sender becomes a member if they were not, and the bot receives the
        message only if privacy mode lets it (commands for it, service messages)."""
        if chat is None:
            return await self._message(None, text=text, entities=_command_entities(text))
        if not chat.state.is_member(self.id):
            chat.add(self)
        return await chat._deliver(self.user, text=text, entities=_command_entities(text))  # noqa: SLF001

    async def send_document(self, filename: str, data: bytes, caption: str | None = None,
                            mime_type: str | None = None) -> SentMessage:
        document = self.store.add_file(filename, data, mime_type)
        return await self._message(None, document=document, caption=caption)

    async def send_sticker(self) -> SentMessage:
        sticker = self.store.add_file("sticker.webp", b"RIFF....WEBP", "image/webp")
        return await self._message(None, extra={"sticker": {
            "file_id": sticker.file_id, "file_unique_id": f"u{sticker.file_id}", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False}})

    async def send_photo(self, data: bytes = b"\x89PNG fake") -> SentMessage:
        photo = self.store.add_file("photo.jpg", data, "image/jpeg")
        return await self._message(None, extra={"photo": [{
            "file_id": photo.file_id, "file_unique_id": f"u{photo.file_id}", "width": 90, "height": 90}]})

    async def edit(self, message: SentMessage, new_text: str) -> SentMessage:
        message.text, message.edits = new_text, message.edits + 1
        await self.store.push_update({"edited_message": {**message.to_api(), "edit_date": int(time.time())}})
        return message

    async def press(self, message: SentMessage, button: str | None = None, *, data: str | None = None) -> str:
        """Press an inline button by its label or data; `data=` sends a payload as an old client might."""
        if data is None:
            data = next((d for label, d in message.buttons if button in (label, d)), None)
            if data is None:
                raise LookupError(f"no button {button!r} in {[label for label, _ in message.buttons]}")
        query_id = self.store.new_query_id()
        await self.store.push_update({"callback_query": {
            "id": query_id, "from": self.user, "message": message.to_api(),
            "chat_instance": str(message.chat_id), "data": data}})
        return query_id

    async def answer_poll(self, message_or_poll_id: SentMessage | str, option_ids: list[int]) -> None:
        """Vote on a poll through the message that shows it: the poll the bot sent, or a forwarded copy of it (a
        vote on a forward counts in the original poll, as on Telegram). Only someone who sees that message can vote:
        a member of its chat. With a poll id, the poll's own chat."""
        if isinstance(message_or_poll_id, SentMessage):
            if message_or_poll_id.poll is None:
                raise PollRefused(f"message {message_or_poll_id.message_id} has no poll")
            poll_id, seen_in = message_or_poll_id.poll.id, message_or_poll_id.chat_id
        else:
            poll_id, seen_in = message_or_poll_id, None
        poll = self.store.polls[poll_id]
        where = seen_in if seen_in is not None else poll.chat_id
        chat = self.store.chat(where) if where is not None else None
        if chat is not None and chat.group is not None and not chat.group.is_member(self.id):
            raise PollRefused(f"user {self.id} is not a member of chat {chat.id}")
        poll.vote(self.id, list(option_ids))
        if poll.is_anonymous:
            await self.store.push_update({"poll": poll.to_api()})
        else:
            await self.store.push_update({"poll_answer": {
                "poll_id": poll_id, "user": self.user, "option_ids": list(option_ids),
                "option_persistent_ids": [f"{poll_id}-{i}" for i in option_ids]}})

    async def block(self) -> None:
        await self._membership(blocked=True)

    async def unblock(self) -> None:
        await self._membership(blocked=False)

    async def _membership(self, *, blocked: bool) -> None:
        self.chat.blocked = blocked
        old, new = ("member", "kicked") if blocked else ("kicked", "member")
        now = int(time.time())
        await self.store.push_update({"my_chat_member": {
            "chat": self.chat.to_api(), "from": self.user, "date": now,
            "old_chat_member": {"status": old, "user": self.api.bot_user, **({"until_date": 0} if old == "kicked" else {})},
            "new_chat_member": {"status": new, "user": self.api.bot_user, **({"until_date": 0} if new == "kicked" else {})},
        }})
