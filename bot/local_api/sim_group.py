"""A simulated group: members join, leave and answer the bot's quiz polls; admins change the bot's rights.

    group = api.group(-100, "Docker club")
    ana = api.user(1); group.add(ana, status="creator")
    await ana.send("/quiz now", chat=group)
    task = group.answer_at(poll_message, [(ana, 2, 1.5), (bob, 0, 3.0)])   # scripted answer times
    new = await group.migrate(by=ana)                                         # becomes a supergroup
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from bot.local_api.membership import ANONYMOUS_ADMIN, GroupState, chat_member_json
from bot.local_api.polls import PollRefused
from bot.local_api.store import Chat, SentMessage

if TYPE_CHECKING:
    from bot.local_api.server import LocalBotApi
    from bot.local_api.users import SimUser

__all__ = ["SimGroup"]


class SimGroup:
    def __init__(self, api: LocalBotApi, chat: Chat) -> None:
        self.api, self.chat = api, chat

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def state(self) -> GroupState:
        assert self.chat.group is not None
        return self.chat.group

    def add(self, user: SimUser, *, status: str = "member") -> SimUser:
        """Make `user` a member (creator, administrator, member) without a service message."""
        self.state.members[user.id] = (user.user, status)
        return user

    async def join(self, user: SimUser) -> SentMessage:
        """`user` joins: the group shows a service message, which the bot receives."""
        self.add(user)
        return await self._service(user.user, new_chat_members=[user.user])

    async def leave(self, user: SimUser) -> SentMessage:
        self.state.members[user.id] = (user.user, "left")
        return await self._service(user.user, left_chat_member=user.user)

    async def set_bot(self, *, status: str | None = None, can_send_messages: bool | None = None,
                      can_send_polls: bool | None = None, by: SimUser | None = None) -> None:
        """An admin changes the bot's status or rights; the bot receives my_chat_member."""
        state = self.state
        old = state.bot_status
        if status is not None:
            state.bot_status = status
        if can_send_messages is not None:
            state.can_send_messages = can_send_messages
        if can_send_polls is not None:
            state.can_send_polls = can_send_polls
        bot = self.api.bot_user
        actor = by.user if by is not None else next(iter(u for u, _ in state.admins()), ANONYMOUS_ADMIN)
        await self.api.store.push_update({"my_chat_member": {
            "chat": self.chat.to_api(), "from": actor, "date": int(time.time()),
            "old_chat_member": chat_member_json(bot, old), "new_chat_member": chat_member_json(bot, state.bot_status)}})

    async def remove_bot(self, *, by: SimUser | None = None) -> None:
        await self.set_bot(status="kicked", by=by)

    async def send_as_group(self, text: str) -> SentMessage:
        """An anonymous admin writes: `from` is GroupAnonymousBot and `sender_chat` the group itself."""
        return await self._deliver(ANONYMOUS_ADMIN, text=text, entities=_command_entities(text),
                                   extra={"sender_chat": self.chat.to_api()})

    async def forward(self, user: SimUser, message: SentMessage) -> SentMessage:
        """`user` forwards `message` (a poll, say) into the group."""
        if not self.state.is_member(user.id):
            self.add(user)
        origin = {"type": "user", "sender_user": message.sender, "date": message.date}
        return await self._deliver(user.user, poll=message.poll, text=message.text,
                                   extra={"forward_origin": origin, "forward_date": message.date})

    def answer_at(self, message: SentMessage, plan: list[tuple[SimUser, int, float]]) -> asyncio.Task[list[str]]:
        """Members answer the poll in `message` at scripted times (seconds after it was sent).

        The task returns what happened to each answer, in plan order: "ok", "closed" or "refused".
        """
        sent = time.monotonic()

        async def one(user: SimUser, option: int, delay: float) -> str:
            await asyncio.sleep(max(0.0, sent + delay - time.monotonic()))
            try:
                await user.answer_poll(message, [option])
            except PollRefused as exc:
                return "closed" if "closed" in str(exc) else "refused"
            return "ok"

        async def all_of_them() -> list[str]:
            return list(await asyncio.gather(*(one(u, o, d) for u, o, d in plan)))

        return asyncio.get_running_loop().create_task(all_of_them())

    async def migrate(self, *, by: SimUser) -> SimGroup:
        """The group becomes a supergroup with a new id; the old id answers 400 with migrate_to_chat_id."""
        new_id = int(f"-100{abs(self.id):010d}")
        state = self.state
        new_state = GroupState(members=dict(state.members), bot_status=state.bot_status,
                               can_send_messages=state.can_send_messages, can_send_polls=state.can_send_polls,
                               privacy=state.privacy)
        new_chat = self.api.store.chats.setdefault(
            new_id, Chat(new_id, "supergroup", title=self.chat.title, group=new_state))
        await self._service(by.user, migrate_to_chat_id=new_id)
        state.migrated_to = new_id
        new = SimGroup(self.api, new_chat)
        await new._service(by.user, migrate_from_chat_id=self.id)
        return new

    async def _service(self, sender: dict, **extra: object) -> SentMessage:
        return await self._deliver(sender, extra=dict(extra))

    async def _deliver(self, sender: dict, **fields: object) -> SentMessage:
        store = self.api.store
        message = store.add_message(self.chat, sender, **fields)  # type: ignore[arg-type]
        if self.receives(message):
            await store.push_update({"message": message.to_api()})
        return message

    def receives(self, message: SentMessage) -> bool:
        """Does the bot receive this group message? With privacy mode: commands and service messages only."""
        if not self.state.privacy:
            return True
        text = message.text or ""
        if not text.startswith("/"):
            return message.text is None and message.poll is None and not message.extra.get("forward_origin")
        command = text.split()[0]
        return "@" not in command or command.split("@", 1)[1].lower() == self.api.bot_user["username"].lower()


def _command_entities(text: str) -> list[dict]:
    if not text.startswith("/"):
        return []
    command = text.split()[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]



