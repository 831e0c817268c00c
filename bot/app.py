"""The one place that wires the application: settings -> services -> handlers -> jobs."""

from __future__ import annotations

import asyncio
import logging
from functools import partial
from typing import TYPE_CHECKING

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    LinkPreviewOptions,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.config import Settings
from bot.content import Catalog
from bot.context import BotContext, Services
from bot.handlers import (
    announcements,
    class_groups,
    class_pickers,
    classes,
    errors,
    exercises,
    fair_use,
    fallback,
    group_boards,
    group_quiz,
    lab,
    lab_intro,
    lab_reset,
    lab_running,
    lessons,
    lessons_toc,
    memo,
    menu,
    privacy,
    progress,
    quiz,
    review,
)
from bot.handlers import exam as exam_handlers
from bot.handlers import settings as settings_handlers
from bot.handlers.common import LAB_COMMANDS
from bot.handlers.error_reports import ErrorReports
from bot.i18n import LANGUAGES, label
from bot.jobs.class_calendar import register_class_calendar
from bot.jobs.daily_delivery import register_daily_delivery
from bot.jobs.group_sweep import register_group_sweep
from bot.jobs.lab_prewarm import register_lab_prewarm
from bot.jobs.outbox_sender import OutboxSender
from bot.jobs.retention import register_retention
from bot.log_privacy import protect_logs
from bot.services import conversation_steps, installation
from bot.services.budgets import GuessBudget, ReplyBudgets
from bot.services.clock import Clock, SystemClock
from bot.services.lab_work import lab_tags
from bot.services.learners import LearnerDefaults
from bot.services.pacing import Pacer, SendLimits
from bot.services.unit_of_work import Database
from bot.storage import make_engine, require_current_schema, upgrade_database
from bot.telegram_pacing import PacedRateLimiter
from bot.telegram_transport import DiagnosingRequest
from bot.update_processor import PerChatUpdateProcessor
from bot.update_receipts import ReceiptQueue
from bot.update_source import start_receiving, stop_receiving
from bot.views.group_game import group_games
from bot.webapp.features import FEATURES
from bot.webapp.server import WebAppServer

if TYPE_CHECKING:
    from sandbox.service import SandboxService

__all__ = ["COMMANDS", "build_application", "start_bot", "stop_bot"]

log = logging.getLogger(__name__)

COMMANDS = ("start", "menu", "lesson", "lessons", "quiz", "review", "progress", "run", "build", "terminal", "cancel",
            "reset", "exercise", "check", "exam", "memo", "def", "verify", "settings", "leave", "privacy", "mydata", "forget",
            "help")
"""The command menu, in order; each description is `cmd_<name>` in bot/i18n."""
GROUP_COMMANDS = ("quiz", "top", "season", "help")
"""The command menu in groups (`cmd_group_<name>`)."""


def build_application(
    settings: Settings, *, catalog: Catalog, base_url: str, token: str, clock: Clock | None = None,
    rate_limit: bool = True, sandbox: SandboxService | None = None, game_clock: Clock | None = None,
    send_limits: SendLimits | None = None,
) -> Application:
    """Build the bot for a Bot API at `base_url` (Telegram's, a self-hosted one, or our local one).

    `clock` is the calendar's (days, weeks, seasons); `game_clock` times group games' answers (real time unless a
    test moves it: an answer "2 s after the question" without waiting 2 s). `send_limits` are Telegram's unless a test
    shortens their windows (a game moved on faster than real time)."""
    protect_logs(token, settings.telegram_webhook_secret)  # no token, no person in any log record
    if settings.migrate_on_start:
        upgrade_database(settings.database_url)
    else:  # several processes: `tutorbot db upgrade` ran once before them
        require_current_schema(settings.database_url)
    clock = clock or SystemClock()
    engine = make_engine(settings.database_url)
    defaults = LearnerDefaults(language=settings.default_language, timezone=settings.default_timezone,
                               daily_time=settings.default_daily_time)
    services = Services(
        settings=settings, engine=engine, db=Database(engine, defaults=defaults, now=clock.now), catalog=catalog,
        clock=clock, sandbox=sandbox, game_clock=game_clock or SystemClock(),
    )
    # each chat waits its turn in its own bounded queue before it takes one of the 256 slots
    processor = PerChatUpdateProcessor(256, chat_queue=settings.chat_queue, now=services.game_clock.now)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        .context_types(ContextTypes(context=BotContext))
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(processor)
        .update_queue(ReceiptQueue(now=services.game_clock.now))  # poll answers timed as they arrive
        # aiohttp, not PTB's httpx: a third of the CPU per update (bot/telegram_http.py)
        .request(DiagnosingRequest(connection_pool_size=8, pool_timeout=30.0))
        .get_updates_request(DiagnosingRequest(connection_pool_size=1))  # long polling on the same transport
    )
    pacer = Pacer(send_limits or SendLimits())  # the one budget of replies, group games and the outbox (bot/telegram_pacing.py)
    builder = builder.rate_limiter(PacedRateLimiter(pacer, max_retries=3, pace_replies=rate_limit))
    application = builder.build()
    application.bot_data["services"] = services
    processor.on_dropped = partial(fair_use.tell_dropped, application)
    if settings.error_chat_id is not None:  # unexpected errors reach a person
        application.bot_data["error_reports"] = ErrorReports(application.bot, settings.error_chat_id,
                                                             language=settings.default_language)
    application.bot_data["pacer"] = pacer
    application.bot_data["outbox"] = OutboxSender(application.bot, services, concurrency=settings.outbox_concurrency,
                                                  pacer=pacer)
    if settings.fair_budgets:  # before every other handler: what is over budget is not answered
        application.bot_data["budgets"], application.bot_data["guesses"] = ReplyBudgets(), GuessBudget()
        application.add_handlers(fair_use.early_handlers(), group=-2)
    application.add_handlers([*group_quiz.early_handlers(), *classes.early_handlers(),
                              *announcements.early_handlers()], group=-1)
    lab_modules = (exercises, lab_reset, lab_running, lab_intro, lab) if settings.lab_enabled else ()
    for module in (menu, lessons, lessons_toc, quiz, review, exam_handlers, memo, group_quiz, class_groups, group_boards,
                   progress, privacy, settings_handlers, fallback, classes, announcements, class_pickers, *lab_modules):
        application.add_handlers(module.handlers())
    application.add_handlers(fallback.late_handlers())
    application.add_error_handler(errors.on_error)
    return application


async def start_bot(application: Application, *, poll_interval: float = 0.0, poll_timeout: float = 10.0) -> None:
    """Initialise, register commands and jobs, start the lab, and start receiving updates (polling or webhook)."""
    await application.initialize()
    services: Services = application.bot_data["services"]
    for lang in LANGUAGES:
        await application.bot.set_my_commands(
            [BotCommand(name, label(lang, f"cmd_{name}")) for name in COMMANDS
             if services.settings.lab_enabled or name not in LAB_COMMANDS],
            language_code=None if lang == "fr" else lang,
        )
        await application.bot.set_my_commands(
            [BotCommand(name, label(lang, f"cmd_group_{name}")) for name in GROUP_COMMANDS],
            scope=BotCommandScopeAllGroupChats(), language_code=None if lang == "fr" else lang,
        )
    if services.settings.periodic_jobs:
        register_daily_delivery(application, every_seconds=services.settings.delivery_sweep_seconds)
        register_group_sweep(application, every_seconds=services.settings.delivery_sweep_seconds)
        register_class_calendar(application, every_seconds=services.settings.class_sweep_seconds)
        register_retention(application, days=services.settings.data_retention_days)
        if services.sandbox is not None:
            register_lab_prewarm(application)
    await classes.refresh_instructor_menus(BotContext(application=application))
    now = services.clock.now()
    services.waiting.steps.update(await services.db.run(  # two-step commands open before a restart go on
        lambda session: conversation_steps.open_steps(session=session, now=now)))
    if services.sandbox is not None:
        await asyncio.to_thread(lab_tags)  # read once here: explaining a failure then reads no file
        owner = await services.db.run(lambda session: installation.installation_token(session=session))
        await services.sandbox.start(owner=owner)
    await application.start()
    await group_games(application).rearm()
    await application.bot_data["outbox"].start()
    if services.settings.webapp_served:
        await _serve_mini_app(application, services.settings)
    await start_receiving(application, services.settings, poll_interval=poll_interval, poll_timeout=poll_timeout)
    log.info("bot ready: %d course(s), updates by %s", len(services.catalog.courses),
             "webhook" if services.settings.webhook_mode else "long polling")


async def _serve_mini_app(application: Application, settings: Settings) -> None:
    """Serve the Mini App, and make it the menu button of every private chat."""
    server = WebAppServer(application, bot_token=application.bot.token, listen=settings.webapp_listen,
                          port=settings.webapp_bind_port, features=FEATURES)
    await server.start()
    application.bot_data["webapp"] = server
    url = settings.webapp_url or server.local_url
    await application.bot.set_chat_menu_button(menu_button=MenuButtonWebApp(
        label(settings.default_language, "webapp_menu_button"), WebAppInfo(url)))


async def stop_bot(application: Application) -> None:
    """Stop receiving updates, finish running handlers, close the lab and the database."""
    services: Services = application.bot_data["services"]
    await stop_receiving(application)
    if "webapp" in application.bot_data:
        await application.bot_data.pop("webapp").stop()
    await application.bot_data["outbox"].stop()
    if application.running:
        await application.stop()
    await group_games(application).answers.flush()  # game answers still in a batch
    if "error_reports" in application.bot_data:
        application.bot_data["error_reports"].close()
    await application.shutdown()
    if services.sandbox is not None:
        await services.sandbox.close()
    services.db.close()
    services.engine.dispose()
