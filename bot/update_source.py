"""Where updates come from: long polling (the default) or a webhook served by PTB's own web server.

Webhook mode (TELEGRAM_WEBHOOK_URL): PTB listens on TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT at the URL's
path, calls setWebhook with TELEGRAM_WEBHOOK_SECRET as `secret_token`, and answers 403 to any POST without that
secret in `X-Telegram-Bot-Api-Secret-Token`. A reverse proxy in front terminates TLS (Telegram wants https).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from telegram.ext import Application

from bot.config import Settings

__all__ = ["ALLOWED_UPDATES", "start_receiving"]

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer", "my_chat_member"]


async def start_receiving(application: Application, settings: Settings, *, poll_interval: float = 0.0,
                          poll_timeout: float = 10.0) -> None:
    """Start the updater: a webhook server when a webhook URL is set, long polling otherwise."""
    if settings.webhook_mode:
        await application.updater.start_webhook(
            listen=settings.telegram_webhook_listen, port=settings.telegram_webhook_port,
            url_path=urlsplit(settings.telegram_webhook_url).path.lstrip("/"),
            webhook_url=settings.telegram_webhook_url, secret_token=settings.telegram_webhook_secret,
            allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False,
        )
        return
    await application.updater.start_polling(
        poll_interval=poll_interval, timeout=poll_timeout, drop_pending_updates=False,
        allowed_updates=ALLOWED_UPDATES,
    )
