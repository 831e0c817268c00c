"""Telegram's limits on what a bot may send, with Telegram's own error texts."""

from __future__ import annotations

from bot.local_api.errors import BadRequest
from bot.telegram_html import ParsedText, TelegramHtmlError, parse_telegram_html, utf16_len

__all__ = ["check_reply_markup", "formatted", "poll_fields"]

MAX_TEXT, MAX_CAPTION, MAX_CALLBACK_DATA = 4096, 1024, 64


def formatted(text: str | None, parse_mode: str | None, *, caption: bool = False) -> ParsedText:
    """Parse text as Telegram would and enforce its length limit on the visible text."""
    if text is None or text == "":
        if caption:
            return ParsedText("")
        raise BadRequest("message text is empty")
    if (parse_mode or "").upper() == "HTML":
        try:
            parsed = parse_telegram_html(text)
        except TelegramHtmlError as exc:
            raise BadRequest(f"can't parse entities: {exc}") from None
    else:
        parsed = ParsedText(text)
    limit = MAX_CAPTION if caption else MAX_TEXT
    if utf16_len(parsed.text) > limit:
        raise BadRequest("message caption is too long" if caption else "message is too long")
    if not caption and not parsed.text.strip():
        raise BadRequest("message text is empty")
    return parsed


def check_reply_markup(markup: dict | None) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not button.get("text"):
                raise BadRequest("BUTTON_TEXT_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise BadRequest("BUTTON_DATA_INVALID")


def poll_fields(question: str | None, options: list, explanation: str | None) -> list[str]:
    """Validate a poll like Telegram; returns the option texts."""
    if not question or not question.strip():
        raise BadRequest("poll question must be non-empty")
    if utf16_len(question) > 300:
        raise BadRequest("poll question length must not exceed 300")
    texts = [option.get("text", "") if isinstance(option, dict) else str(option) for option in options or []]
    if len(texts) < 2:
        raise BadRequest("poll must have at least 2 option")
    if len(texts) > 12:
        raise BadRequest("poll can't have more than 12 options")
    if any(not 1 <= utf16_len(text) <= 100 for text in texts):
        raise BadRequest("POLL_OPTION_INVALID")
    if explanation is not None and utf16_len(explanation) > 200:
        raise BadRequest("explanation length must not exceed 200")
    return texts
