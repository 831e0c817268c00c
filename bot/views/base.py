"""What a view is: the text of one message and its inline keyboard."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

__all__ = ["View", "keyboard"]


@dataclass(frozen=True)
class View:
    """One message to send: HTML text (parse mode from the application defaults) and buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None


def keyboard(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback data) pairs; empty rows are dropped."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows if row]
    )
