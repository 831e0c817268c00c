"""LocalBotApi: the project's own Bot API server, for local mode, `tutorbot chat` and the tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from aiohttp import web

from bot.local_api.flood import FloodControl, FloodLimits
from bot.local_api.http import make_app
from bot.local_api.membership import GroupState
from bot.local_api.methods import Methods
from bot.local_api.sim_group import SimGroup
from bot.local_api.store import CallbackAnswer, Chat, SentMessage, Store
from bot.local_api.users import SimUser
from bot.local_api.webhook import Webhook

T = TypeVar("T")

__all__ = ["LocalBotApi"]


class LocalBotApi:
    """Serves `{url}/bot<token>/<method>` and `{url}/file/bot<token>/<path>` like Telegram does.

    Updates wait for getUpdates, or are POSTed to the webhook once the bot sets one (bot/local_api/webhook.py).
    """

    def __init__(self, token: str, *, host: str = "127.0.0.1", port: int = 0, flood_control: bool = True,
                 flood_limits: FloodLimits | None = None, bot_username: str = "docker_tutor_bot") -> None:
        self.token, self.host, self.port = token, host, port
        self.store = Store()
        self.bot_user = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Tuteur Docker",
                         "username": bot_username, "can_join_groups": True,
                         "can_read_all_group_messages": False, "supports_inline_queries": False}
        flood = FloodControl(flood_limits or FloodLimits()) if flood_control else None
        self.methods = Methods(self.store, self.bot_user, flood)
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> str:
        self._runner = web.AppRunner(make_app(self.token, self.store, self.methods), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # noqa: SLF001 - aiohttp exposes no public getter
        self.url = f"http://{self.host}:{port}"
        return self.url

    async def stop(self) -> None:
        await self.methods.stop_webhook()
        self.methods.stop_poll_timers()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def menu_commands(self, chat_id: int, language_code: str | None = None) -> list[str]:
        """The command menu a private chat's user sees, resolved as Telegram does (chat scope, then
        all private chats, then default; each with the user's language first)."""
        lang = language_code or ""
        scoped = self.store.scoped_commands
        for table, key in ((scoped, (("chat", chat_id), lang)), (scoped, (("chat", chat_id), "")),
                           (scoped, (("all_private_chats",), lang)), (scoped, (("all_private_chats",), ""))):
            if key in table:
                return [c["command"] for c in table[key]]
        commands = self.store.commands.get(lang) or self.store.commands.get("", [])
        return [c["command"] for c in commands]

    # -- the people on the other side ------------------------------------------------------------
    def user(self, user_id: int, *, first_name: str = "Ana", last_name: str | None = None,
             username: str | None = None, language_code: str | None = "fr") -> SimUser:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        for key, value in (("last_name", last_name), ("username", username), ("language_code", language_code)):
            if value is not None:
                user[key] = value
        return SimUser(self, user)

    def group(self, chat_id: int, title: str, *, kind: str = "group", privacy: bool = True) -> SimGroup:
        """A group (or supergroup) the bot is a member of, with privacy mode on unless told otherwise."""
        if chat_id >= 0:
            raise ValueError("group chat ids are negative, as in Telegram")
        chat = self.store.chats.setdefault(chat_id, Chat(chat_id, kind, title=title,
                                                         group=GroupState(privacy=privacy)))
        return SimGroup(self, chat)

    # -- what Telegram does to the bot (tests) ------------------------------------------------------
    def hold(self, chat_id: int) -> asyncio.Event:
        """The bot's calls to `chat_id` wait (a slow chat) until the returned event is set."""
        gate = self.methods.holds[chat_id] = asyncio.Event()
        return gate

    def fail_send(self, chat_id: int, nth: int) -> None:
        """The `nth` message the bot sends to `chat_id` from now fails once with a 502 (a network hiccup)."""
        self.methods.failures[chat_id] = nth

    async def close_poll_now(self, poll: SentMessage | str) -> None:
        """The poll's time runs out now: it closes as Telegram closes it when its `open_period` ends (no vote
        counts after this, and the bot receives the `poll` update with `is_closed`). A test says when a question's
        time is up instead of waiting the period out."""
        poll_id = poll.poll.id if isinstance(poll, SentMessage) and poll.poll is not None else poll
        await self.methods.close_poll(self.store.polls[poll_id])

    async def wait_delivered(self, *, timeout: float = 5.0) -> None:
        """Barrier: every update pushed so far (a vote, a message, a press) has reached the bot: getUpdates
        confirmed it with a later offset (so it is in the bot's update queue), or the webhook answered 200."""
        last = self.store.last_update_id
        await self.wait_for(lambda: not any(u["update_id"] <= last and self.methods.wants(u)
                                            for u in self.store.updates), timeout=timeout,
                            what=f"the bot did not take the updates up to {last}")

    # -- what the bot did ------------------------------------------------------------------------
    def last_message_id(self, chat_id: int) -> int:
        """The id of the newest message in a chat, from anyone (0 in an empty chat): `after=` for what comes next."""
        messages = self.store.messages.get(chat_id, [])
        return messages[-1].message_id if messages else 0

    def messages(self, chat_id: int) -> list[SentMessage]:
        """What the bot sent to a chat (current state, after edits), oldest first."""
        return [m for m in self.store.messages.get(chat_id, []) if m.from_bot and not m.deleted]

    @property
    def webhook(self) -> Webhook | None:
        """The webhook the bot set, with its delivery state; None when the bot polls."""
        return self.methods.delivery.webhook if self.methods.delivery is not None else None

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        return self.store.callback_answers

    @property
    def requests_log(self) -> list[tuple[str, dict, str | None]]:
        return self.store.requests_log

    @property
    def chat_actions(self) -> list[tuple[int, str]]:
        return self.store.chat_actions

    async def wait_for_message(self, chat_id: int, *, after: SentMessage | int | None = None,
                               predicate: Callable[[SentMessage], bool] | None = None,
                               timeout: float = 5.0) -> SentMessage:
        """The first bot message in the chat after `after` (a message or its id) that matches."""
        after_id = after.message_id if isinstance(after, SentMessage) else (after or 0)

        def found() -> SentMessage | None:
            return next((m for m in self.messages(chat_id)
                         if m.message_id > after_id and (predicate is None or predicate(m))), None)

        return await self._wait(found, timeout, f"no bot message in chat {chat_id} after {after_id}")

    async def wait_for_edit(self, message: SentMessage, *, edits: int = 1, timeout: float = 5.0) -> SentMessage:
        def found() -> SentMessage | None:
            return message if message.edits >= edits else None

        return await self._wait(found, timeout, f"message {message.message_id} was not edited")

    async def wait_for_callback_answer(self, query_id: str, *, timeout: float = 5.0) -> CallbackAnswer:
        """The bot's answer to a button press (`query_id`, as `SimUser.press` returns it)."""
        return await self.wait_for(
            lambda: next((a for a in self.callback_answers if a.query_id == query_id), None),
            timeout=timeout, what=f"no answer to the callback query {query_id}")

    async def wait_for(self, condition: Callable[[], T | None], *, timeout: float = 5.0,
                       what: str = "the condition never held", recheck: float = 0.05) -> T:
        """The first truthy value of `condition()`: checked at every change the bot makes here (a message, an
        edit, a callback answer, ...), and every `recheck` seconds for what lives elsewhere (its database).

        An event, not a pause: it returns as soon as the condition holds, and fails after `timeout`.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self.store.changed:
            while not (value := condition()):
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError(what)
                try:
                    await asyncio.wait_for(self.store.changed.wait(), min(left, recheck))
                except TimeoutError:
                    pass
        return value

    async def _wait(self, found: Callable[[], SentMessage | None], timeout: float, what: str) -> SentMessage:
        async with self.store.changed:
            try:
                await asyncio.wait_for(self.store.changed.wait_for(lambda: found() is not None), timeout)
            except TimeoutError:
                raise TimeoutError(what) from None
        result = found()
        assert result is not None
        return result
