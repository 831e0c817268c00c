"""Who sent a message in a group: a member writing as themselves, or an anonymous admin writing as the group."""

from __future__ import annotations

from telegram import Update

__all__ = ["sent_as_the_group"]


def sent_as_the_group(update: Update) -> bool:
    """An anonymous admin: Telegram sends the message on behalf of the group itself (`sender_chat` is the group; a
    linked channel posting there is not one)."""
    message, chat = update.effective_message, update.effective_chat
    return (message is not None and chat is not None and message.sender_chat is not None
            and message.sender_chat.id == chat.id)
