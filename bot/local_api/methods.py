"""The Bot API methods the bot uses, each validating like Telegram and updating the store."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from bot.local_api.errors import BadGateway, BadRequest, Conflict, Forbidden, NotFound
from bot.local_api.flood import FloodControl
from bot.local_api.group_methods import GroupMethods
from bot.local_api.polls import Poll
from bot.local_api.store import CallbackAnswer, Chat, SentMessage, Store
from bot.local_api.validation import check_reply_markup, formatted, poll_fields
from bot.local_api.webhook import Webhook, WebhookDelivery

__all__ = ["Methods"]

Method = Callable[[dict], Awaitable[Any]]
_SENDING = {"sendmessage", "sendpoll", "senddocument", "sendphoto"}
_GROUP_COUNTED = {"editmessagetext", "editmessagereplymarkup"}  # in groups, edits count against the limit too
_TARGETED = _SENDING | _GROUP_COUNTED | {"deletemessage", "stoppoll", "sendchataction"}


class Methods(GroupMethods):
    def __init__(self, store: Store, bot_user: dict, flood: FloodControl | None) -> None:
        self.store, self.bot_user, self.flood = store, bot_user, flood
        self.delivery: WebhookDelivery | None = None  # while a webhook is set
        self.holds: dict[int, asyncio.Event] = {}  # chat -> calls to it wait until the event is set (tests)
        self.failures: dict[int, int] = {}  # chat -> sends to it still to go before one fails with a 502 (tests)
        self.polled_for: list[str] | None = None  # the allowed_updates of the last getUpdates

    def lookup(self, name: str) -> Method:
        method = getattr(self, f"m_{name.lower()}", None)
        if method is None:
            raise NotFound()
        return method

    async def call(self, name: str, params: dict) -> Any:
        method = self.lookup(name)
        lowered = name.lower()
        if lowered in _TARGETED:
            chat = self._target(params)
            self.check_group(chat, lowered)
            gate = self.holds.get(chat.id)
            if gate is not None:
                await gate.wait()
            if lowered in _SENDING and chat.id in self.failures:
                self.failures[chat.id] -= 1
                if self.failures[chat.id] == 0:
                    del self.failures[chat.id]
                    raise BadGateway()
            if self.flood is not None and (lowered in _SENDING or (lowered in _GROUP_COUNTED and chat.id < 0)):
                self.flood.admit(chat.id)
        return await method(params)

    # -- helpers -------------------------------------------------------------------------------
    def _target(self, params: dict) -> Chat:
        try:
            chat_id = int(params.get("chat_id"))
        except (TypeError, ValueError):
            raise BadRequest("chat not found") from None
        chat = self.store.chat(chat_id)
        if chat is None:
            raise BadRequest("chat not found")
        if chat.blocked:
            raise Forbidden("bot was blocked by the user")
        return chat

    def _message(self, params: dict) -> SentMessage:
        chat = self._target(params)
        message = self.store.find_message(chat.id, int(params.get("message_id") or 0))
        if message is None:
            raise BadRequest("message to edit not found")
        return message

    async def _sent(self, chat: Chat, **fields: Any) -> dict:
        message = self.store.add_message(chat, self.bot_user, **fields)
        await self.store.notify()
        return message.to_api()

    # -- methods -------------------------------------------------------------------------------
    async def m_getme(self, _params: dict) -> dict:
        return self.bot_user

    async def m_setwebhook(self, params: dict) -> bool:
        if not params.get("url"):
            return await self.m_deletewebhook(params)
        webhook = Webhook.from_params(params)
        await self.stop_webhook()
        if params.get("drop_pending_updates"):
            self.store.updates.clear()
        self.delivery = WebhookDelivery(self.store, webhook)
        self.delivery.start()
        return True

    async def m_deletewebhook(self, params: dict) -> bool:
        await self.stop_webhook()
        if params.get("drop_pending_updates"):
            self.store.updates.clear()
        return True

    async def m_getwebhookinfo(self, _params: dict) -> dict:
        if self.delivery is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": len(self.store.updates)}
        return self.delivery.webhook.info(pending=len(self.store.updates))

    async def stop_webhook(self) -> None:
        if self.delivery is not None:
            await self.delivery.stop()
            self.delivery = None

    async def m_close(self, _params: dict) -> bool:
        return True

    m_logout = m_close

    async def m_getupdates(self, params: dict) -> list[dict]:
        if self.delivery is not None:
            raise Conflict("can't use getUpdates method while webhook is active; use deleteWebhook to delete "
                           "the webhook first")
        offset, limit = int(params.get("offset") or 0), min(100, int(params.get("limit") or 100))
        timeout = min(50.0, float(params.get("timeout") or 0))
        allowed = self.polled_for = params.get("allowed_updates") or None
        store = self.store
        async with store.changed:
            if offset:  # the bot confirms it has the ones before `offset`
                kept = [u for u in store.updates if u["update_id"] >= offset]
                if len(kept) < len(store.updates):  # delivered: wakes `wait_delivered` (and nothing when idle)
                    store.updates[:] = kept
                    store.changed.notify_all()
            try:
                await asyncio.wait_for(store.changed.wait_for(lambda: self._pending(allowed)), timeout)
            except TimeoutError:
                pass
            return self._pending(allowed)[:limit]

    def wants(self, update: dict) -> bool:
        """Whether the bot asked for this kind of update (getUpdates' or the webhook's `allowed_updates`):
        Telegram never delivers the others."""
        if self.delivery is not None:
            return self.delivery.webhook.wants(update)
        return not self.polled_for or any(kind in update for kind in self.polled_for)

    def _pending(self, allowed: list[str] | None) -> list[dict]:
        if not allowed:
            return list(self.store.updates)
        return [u for u in self.store.updates if any(kind in u for kind in allowed)]

    async def m_sendmessage(self, params: dict) -> dict:
        chat = self._target(params)
        parsed = formatted(params.get("text"), params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        return await self._sent(chat, text=parsed.text, html=params.get("text"),
                                entities=[_entity_json(e) for e in parsed.entities], reply_markup=markup)

    async def m_editmessagetext(self, params: dict) -> dict:
        message = self._message(params)
        parsed = formatted(params.get("text"), params.get("parse_mode"))
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        entities = [_entity_json(e) for e in parsed.entities]
        if parsed.text == message.text and entities == message.entities and markup == message.reply_markup:
            raise BadRequest("message is not modified: specified new message content and reply markup are "
                             "exactly the same as a current content and reply markup of the message")
        message.text, message.html, message.entities, message.reply_markup = parsed.text, params.get("text"), entities, markup
        message.edits += 1
        await self.store.notify()
        return message.to_api()

    async def m_editmessagereplymarkup(self, params: dict) -> dict:
        message = self._message(params)
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if markup == message.reply_markup or (not markup and not message.reply_markup):
            raise BadRequest("message is not modified: specified new message content and reply markup are "
                             "exactly the same as a current content and reply markup of the message")
        message.reply_markup = markup
        message.edits += 1
        await self.store.notify()
        return message.to_api()

    async def m_deletemessage(self, params: dict) -> bool:
        chat = self._target(params)
        message = self.store.find_message(chat.id, int(params.get("message_id") or 0))
        if message is None:
            raise BadRequest("message to delete not found")
        message.deleted = True
        return True

    async def m_answercallbackquery(self, params: dict) -> bool:
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise BadRequest("MESSAGE_TOO_LONG")
        self.store.callback_answers.append(
            CallbackAnswer(str(params.get("callback_query_id")), text, bool(params.get("show_alert")))
        )
        await self.store.notify()
        return True

    async def m_sendpoll(self, params: dict) -> dict:
        chat = self._target(params)
        options = poll_fields(params.get("question"), params.get("options"), params.get("explanation"))
        kind = params.get("type") or "regular"
        correct = params.get("correct_option_ids")
        if correct is None and params.get("correct_option_id") is not None:
            correct = [params["correct_option_id"]]
        correct = tuple(int(c) for c in correct or ())
        if kind == "quiz" and (not correct or any(not 0 <= c < len(options) for c in correct)):
            raise BadRequest("wrong correct option specified")
        anonymous = params.get("is_anonymous")
        open_period = self.check_open_period(params.get("open_period"))
        poll = Poll(self.store.new_poll_id(), params["question"], options, kind,
                    True if anonymous is None else bool(anonymous), correct, params.get("explanation"),
                    votes=[0] * len(options), chat_id=chat.id)
        self.store.polls[poll.id] = poll
        self.start_poll_timer(poll, open_period)
        return await self._sent(chat, poll=poll, reply_markup=params.get("reply_markup"))

    async def m_stoppoll(self, params: dict) -> dict:
        message = self._message(params)
        if message.poll is None:
            raise BadRequest("message with poll to stop not found")
        if message.poll.is_closed:
            raise BadRequest("poll has already been closed")
        await self.close_poll(message.poll)
        return message.poll.to_api()

    async def m_senddocument(self, params: dict) -> dict:
        return await self._send_file(params, "document")

    async def m_sendphoto(self, params: dict) -> dict:
        return await self._send_file(params, "photo")

    async def _send_file(self, params: dict, field_name: str) -> dict:
        chat = self._target(params)
        upload = params.get(field_name)
        if isinstance(upload, tuple):
            filename, data, mime = upload
            document = self.store.add_file(filename, data, mime)
        elif isinstance(upload, str) and upload in self.store.files:
            document = self.store.files[upload]
        else:
            raise BadRequest("wrong file identifier/HTTP URL specified")
        caption = formatted(params.get("caption"), params.get("parse_mode"), caption=True)
        fields: dict[str, Any] = {"caption": caption.text or None, "reply_markup": params.get("reply_markup")}
        if field_name == "document":
            fields["document"] = document
        else:
            fields["extra"] = {"photo": [{"file_id": document.file_id, "file_unique_id": f"u{document.file_id}",
                                          "width": 1, "height": 1, "file_size": len(document.data)}]}
        return await self._sent(chat, **fields)

    async def m_getfile(self, params: dict) -> dict:
        document = self.store.files.get(str(params.get("file_id")))
        if document is None:
            raise BadRequest("invalid file_id")
        return {"file_id": document.file_id, "file_unique_id": f"u{document.file_id}",
                "file_size": len(document.data), "file_path": f"documents/{document.file_id}"}

    async def m_sendchataction(self, params: dict) -> bool:
        chat = self._target(params)
        self.store.chat_actions.append((chat.id, str(params.get("action"))))
        return True

    # Commands are stored per scope and language, as Telegram does; the default scope's lists stay
    # in `store.commands[language]`, the others in `store.scoped_commands[(scope, language)]`.
    def _commands_table(self, params: dict) -> tuple[dict, object]:
        scope = _scope_key(params.get("scope"))
        lang = params.get("language_code") or ""
        if scope == ("default",):
            return self.store.commands, lang
        return self.store.scoped_commands, (scope, lang)

    async def m_setmycommands(self, params: dict) -> bool:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise BadRequest("BOT_COMMANDS_TOO_MUCH")
        table, key = self._commands_table(params)
        table[key] = commands
        return True

    async def m_getmycommands(self, params: dict) -> list:
        table, key = self._commands_table(params)
        return table.get(key, [])

    async def m_setchatmenubutton(self, params: dict) -> bool:
        chat_id = params.get("chat_id")
        self.store.menu_buttons[int(chat_id) if chat_id is not None else None] = _menu_button(params.get("menu_button"))
        return True

    async def m_getchatmenubutton(self, params: dict) -> dict:
        chat_id = params.get("chat_id")
        buttons = self.store.menu_buttons
        return buttons.get(int(chat_id) if chat_id is not None else None) or buttons.get(None) or {"type": "commands"}

    async def m_deletemycommands(self, params: dict) -> bool:
        table, key = self._commands_table(params)
        table.pop(key, None)
        return True


_MENU_BUTTON_TYPES = {"commands", "default", "web_app"}


def _menu_button(value: object) -> dict:
    """A MenuButton checked like Telegram's test environment: a web_app needs a text and an https URL
    (http is allowed, as that environment allows it, so a local Mini App can be opened)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise BadRequest("can't parse menu button JSON object") from None
    if not value:
        return {"type": "default"}
    if not isinstance(value, dict) or value.get("type") not in _MENU_BUTTON_TYPES:
        raise BadRequest("can't parse menu button JSON object")
    if value["type"] == "web_app":
        url = (value.get("web_app") or {}).get("url", "")
        if not value.get("text"):
            raise BadRequest("BUTTON_TEXT_INVALID")
        if not str(url).startswith(("https://", "http://")):
            raise BadRequest("BUTTON_URL_INVALID")
    return value


def _scope_key(scope: object) -> tuple:
    """A BotCommandScope as a key: ("default",), ("chat", chat_id), ("chat_member", chat_id, user_id)..."""
    if isinstance(scope, str):
        try:
            scope = json.loads(scope)
        except ValueError:
            raise BadRequest("can't parse commands scope JSON object") from None
    if not scope:
        return ("default",)
    if not isinstance(scope, dict) or "type" not in scope:
        raise BadRequest("can't parse commands scope JSON object")
    kind = scope["type"]
    if kind in ("default", "all_private_chats", "all_group_chats", "all_chat_administrators"):
        return (kind,)
    if kind in ("chat", "chat_administrators"):
        return (kind, int(scope.get("chat_id") or 0))
    if kind == "chat_member":
        return (kind, int(scope.get("chat_id") or 0), int(scope.get("user_id") or 0))
    raise BadRequest("wrong commands scope type specified")


def _entity_json(entity) -> dict:  # noqa: ANN001
    data = {"type": entity.type, "offset": entity.offset, "length": entity.length}
    if entity.url:
        data["url"] = entity.url
    if entity.language:
        data["language"] = entity.language
    return data
