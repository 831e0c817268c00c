"""Where updates come from: long polling (the default) or a webhook served by our own web server.

Webhook mode (TELEGRAM_WEBHOOK_URL): bot/webhook_server.py listens on TELEGRAM_WEBHOOK_LISTEN:TELEGRAM_WEBHOOK_PORT
at the URL's path; the bot calls setWebhook with TELEGRAM_WEBHOOK_SECRET as `secret_token`. A POST without that
secret in `X-Telegram-Bot-Api-Secret-Token` gets 403 before its body is read, one over 1 MiB gets 413. A reverse
proxy in front terminates TLS (Telegram wants https).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from telegram.ext import Application

from bot.config import Settings
from bot.webhook_server import WebhookServer

__all__ = ["ALLOWED_UPDATES", "start_receiving", "stop_receiving"]

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "poll_answer", "my_chat_member"]


async def start_receiving(application: Application, settings: Settings, *, poll_interval: float = 0.0,
                          poll_timeout: float = 10.0) -> None:
    """Start the updater: a webhook server when a webhook URL is set, long polling otherwise."""
    if settings.webhook_mode:
        assert settings.telegram_webhook_url is not None and settings.telegram_webhook_secret is not None
        server = WebhookServer(application, listen=settings.telegram_webhook_listen,
                               port=settings.telegram_webhook_port,
                               path=urlsplit(settings.telegram_webhook_url).path, secret=settings.telegram_webhook_secret)
        await server.start()
        application.bot_data["webhook_server"] = server
        await application.bot.set_webhook(url=settings.telegram_webhook_url,
                                          secret_token=settings.telegram_webhook_secret,
                                          allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
        return
    await application.updater.start_polling(
        poll_interval=poll_interval, timeout=poll_timeout, drop_pending_updates=False,
        allowed_updates=ALLOWED_UPDATES,
    )


async def stop_receiving(application: Application) -> None:
    """Stop the webhook server or the long polling (updates then wait at Telegram)."""
    server = application.bot_data.pop("webhook_server", None)
    if server is not None:
        await server.stop()
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
