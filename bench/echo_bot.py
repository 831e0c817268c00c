"""The ceiling: a bare python-telegram-bot bot answering the bench's load with no database and no content.

It gives the same replies the bench waits for (a menu with a button after /start, a page with a button
after /lesson, a question with
buttons A/B/C after /quiz, the question edited after a press) with PTB's defaults, long polling and
concurrent updates, so the tutor bot's figures can be read as a share of what PTB itself allows.
Its transport is PTB's default (httpx), or the bot's own (aiohttp) with ECHO_TRANSPORT=aiohttp.
Its HTTP pool is the bot's (8 connections, bot/app.py) unless ECHO_POOL_SIZE says otherwise: PTB's
default (256) is slower at 50 in flight, and the ceiling should measure PTB, not a pool setting.

    BOT_TOKEN=... TELEGRAM_API_URL=http://127.0.0.1:PORT [ECHO_POOL_SIZE=256] [ECHO_TRANSPORT=aiohttp] python bench/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import BaseRequest, HTTPXRequest

QUESTION = InlineKeyboardMarkup([[InlineKeyboardButton(c, callback_data=f"q:{c}") for c in "ABC"]])
MENU = InlineKeyboardMarkup([[InlineKeyboardButton("Lesson", callback_data="lesson")]])


async def start(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /start with a menu."""
    await update.effective_message.reply_text(f"Hello {update.effective_user.first_name}", reply_markup=MENU)


async def lesson(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /lesson with a one-page lesson."""
    await update.effective_message.reply_text("Lesson 1/1: images and containers.", reply_markup=MENU)


async def quiz(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /quiz with a question."""
    await update.effective_message.reply_text("Question 1/1: which one?", reply_markup=QUESTION)


async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Acknowledge a press and put the verdict in place of the buttons."""
    query = update.callback_query
    await query.answer()
    await query.edit_message_text(f"{query.message.text}\n\nYou chose {query.data[2:]}.")


async def help_(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /help (the bench's probe)."""
    await update.effective_message.reply_text("help")


def _transport(pool: int, pool_timeout: float | None = 30.0) -> BaseRequest:
    """PTB's default (httpx), or with ECHO_TRANSPORT=aiohttp the bot's own (bot/telegram_http.py)."""
    if os.environ.get("ECHO_TRANSPORT") == "aiohttp":
        from bot.telegram_http import AiohttpRequest  # noqa: PLC0415

        return AiohttpRequest(connection_pool_size=pool, pool_timeout=pool_timeout)
    return HTTPXRequest(connection_pool_size=pool, pool_timeout=pool_timeout)


def main() -> None:
    base = os.environ["TELEGRAM_API_URL"]
    pool = int(os.environ.get("ECHO_POOL_SIZE") or 8)
    application = (
        Application.builder().token(os.environ["BOT_TOKEN"]).base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot").concurrent_updates(256)
        .request(_transport(pool)).get_updates_request(_transport(1, pool_timeout=1.0)).build()
    )
    application.add_handlers([CommandHandler("start", start), CommandHandler("lesson", lesson),
                              CommandHandler("quiz", quiz),
                              CommandHandler("help", help_), CallbackQueryHandler(answer)])
    application.run_polling(poll_interval=0.0, timeout=10, allowed_updates=["message", "callback_query"])


if __name__ == "__main__":
    main()
