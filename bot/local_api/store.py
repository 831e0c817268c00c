"""What the simulated Telegram remembers: chats, messages, files, polls and pending updates."""

from __future__ import annotations

import asyncio
import itertools
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from bot.local_api.membership import GroupState

__all__ = ["CallbackAnswer", "Chat", "SentDocument", "SentMessage", "Store"]


@dataclass
class Chat:
    id: int
    type: str  # private | group | supergroup
    title: str | None = None
    first_name: str | None = None
    blocked: bool = False
    group: GroupState | None = None  # groups and supergroups only

    def to_api(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.title:
            data["title"] = self.title
        if self.first_name:
            data["first_name"] = self.first_name
        return data


@dataclass
class SentDocument:
    file_id: str
    filename: str
    data: bytes
    mime_type: str | None = None


@dataclass
class SentMessage:
    """A message in a chat, from the bot or from a simulated user, in its current state."""

    message_id: int
    chat: Chat
    sender: dict
    date: int
    text: str | None = None
    html: str | None = None
    entities: list[dict] = field(default_factory=list)
    caption: str | None = None
    reply_markup: dict | None = None
    poll: Any = None
    document: SentDocument | None = None
    extra: dict = field(default_factory=dict)
    edits: int = 0
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        return self.chat.id

    @property
    def from_bot(self) -> bool:
        return bool(self.sender.get("is_bot"))

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons, flattened: (label, callback data or url)."""
        rows = (self.reply_markup or {}).get("inline_keyboard") or []
        return [(b.get("text", ""), b.get("callback_data") or b.get("url")) for row in rows for b in row]

    def to_api(self) -> dict:
        data: dict[str, Any] = {"message_id": self.message_id, "date": self.date, "chat": self.chat.to_api(),
                                "from": self.sender, **self.extra}
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        if self.caption is not None:
            data["caption"] = self.caption
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        if self.poll is not None:
            data["poll"] = self.poll.to_api()
        if self.document is not None:
            data["document"] = {"file_id": self.document.file_id, "file_unique_id": f"u{self.document.file_id}",
                                "file_name": self.document.filename, "file_size": len(self.document.data),
                                **({"mime_type": self.document.mime_type} if self.document.mime_type else {})}
        if self.edits:
            data["edit_date"] = self.date
        return data


@dataclass(frozen=True)
class CallbackAnswer:
    query_id: str
    text: str | None
    show_alert: bool


class Store:
    """All state, plus a condition that wakes whoever waits for updates or bot messages."""

    def __init__(self) -> None:
        self.chats: dict[int, Chat] = {}
        self.messages: dict[int, list[SentMessage]] = {}
        self.files: dict[str, SentDocument] = {}
        self.polls: dict[str, Any] = {}
        self.updates: list[dict] = []
        self.callback_answers: list[CallbackAnswer] = []
        self.chat_actions: list[tuple[int, str]] = []
        self.requests_log: list[tuple[str, dict, str | None]] = []
        self.commands: dict[str, list] = {}  # default scope, by language ("" for all)
        self.scoped_commands: dict[tuple, list] = {}  # (scope key, language): see Methods._commands_table
        self.menu_buttons: dict[int | None, dict] = {}  # chat id (None: every private chat) -> MenuButton
        self.changed = asyncio.Condition()
        self._update_ids = itertools.count(1)
        self.last_update_id = 0  # the newest update pushed for the bot
        self._message_ids: dict[int, itertools.count] = {}
        self._file_ids = itertools.count(1)
        # Telegram's poll ids are unique for good (a 64-bit number as text): a bot restarted on the same
        # database (tutorbot chat, tests that restart) must not see an id it already stored.
        self._poll_ids = itertools.count(secrets.randbits(62))
        self._query_ids = itertools.count(9000)

    def chat(self, chat_id: int) -> Chat | None:
        return self.chats.get(chat_id)

    def add_message(self, chat: Chat, sender: dict, **fields: Any) -> SentMessage:
        counter = self._message_ids.setdefault(chat.id, itertools.count(1))
        message = SentMessage(message_id=next(counter), chat=chat, sender=sender, date=int(time.time()), **fields)
        self.messages.setdefault(chat.id, []).append(message)
        return message

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        for message in self.messages.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        return None

    def add_file(self, filename: str, data: bytes, mime_type: str | None = None) -> SentDocument:
        document = SentDocument(f"file{next(self._file_ids)}", filename, data, mime_type)
        self.files[document.file_id] = document
        return document

    def new_poll_id(self) -> str:
        return str(next(self._poll_ids))

    def new_query_id(self) -> str:
        return str(next(self._query_ids))

    async def push_update(self, payload: dict) -> int:
        update_id = self.last_update_id = next(self._update_ids)
        async with self.changed:
            self.updates.append({"update_id": update_id, **payload})
            self.changed.notify_all()
        return update_id

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()
