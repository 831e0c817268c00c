"""Quiz games in groups: /quiz (lobby, now, module, count, timer, stop, skip, open, admins), Join, answers.

Thin: parse, check who asks, call the services, let `bot/views/group_game.py` drive the game.
"""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import ChatMember, Update
from telegram.constants import ChatMemberStatus
from telegram.error import ChatMigrated, TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.callbacks import JoinGame, StaleButton
from bot.context import BotContext
from bot.handlers.common import acknowledge, reply
from bot.handlers.group_senders import sent_as_the_group
from bot.i18n import label, t
from bot.services import class_groups, competition_groups, competition_schedules, competitions
from bot.services.competition_answers import ReceivedAnswer
from bot.services.competition_errors import (
    BadQuizRequest,
    GameAlreadyRunning,
    GameRefused,
    NoGame,
    NoSuchModule,
    NotAMember,
    NotAnAdmin,
)
from bot.services.competition_requests import QuizRequest, parse_quiz_request
from bot.services.competition_values import GameView
from bot.services.errors import InvalidSetting
from bot.services.unit_of_work import Session
from bot.update_processor import PerChatUpdateProcessor
from bot.update_receipts import receipts_of
from bot.views.class_groups import game_source_text
from bot.views.group_boards import scheduled_text
from bot.views.group_game import group_games

__all__ = ["handlers"]

log = logging.getLogger(__name__)
GROUPS = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
ADMINS = (ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR)


async def is_admin(update: Update, context: BotContext, *, check_class: bool = True) -> bool:
    """An admin of this group, an anonymous admin writing as the group itself, or (`check_class`) an instructor
    of the class the group is linked to."""
    message, chat = update.effective_message, update.effective_chat
    if message is not None and message.sender_chat is not None:
        return sent_as_the_group(update)
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError as exc:
        log.info("could not check %s in group %s: %s", user.id, chat.id, exc)
        member = None
    if member is not None and member.status in ADMINS:
        return True
    if not check_class:
        return False
    linked = await context.services.db.run(lambda s: class_groups.linked_class(session=s, chat_id=chat.id))
    return _teaches(update, linked)


def _teaches(update: Update, linked: class_groups.LinkedClass | None) -> bool:
    """An instructor of the class this group is linked to: a game admin here."""
    user, message = update.effective_user, update.effective_message
    return (linked is not None and user is not None and message is not None and message.sender_chat is None
            and user.id in linked.instructors)


async def group_quiz(update: Update, context: BotContext) -> None:
    """Open a game in the group, or control the running one (/quiz stop|skip|open|admins)."""
    services, chat = context.services, update.effective_chat
    now = services.clock.now()
    settings, linked = await services.db.run(lambda s: (competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=now), class_groups.linked_class(
        session=s, chat_id=chat.id)))
    lang = settings.language
    admin: bool | None = None
    try:
        request = parse_quiz_request(list(context.args or []))
        admin = _teaches(update, linked) or await is_admin(update, context, check_class=False)
        starts_a_game = request.control is None and request.weekday is None
        if not admin and not starts_a_game:  # settings, schedules, stop and skip stay with the admins
            raise NotAnAdmin()
        competition_groups.check_may_run_games(settings=settings, is_admin=admin)
        await _do(update, context, request)
    except GameRefused as refusal:
        if admin is None and isinstance(refusal, BadQuizRequest | NoSuchModule):
            admin = _teaches(update, linked) or await is_admin(update, context, check_class=False)
        await reply(update, context, _refusal_text(lang, refusal, context, echo=bool(admin)))


async def _do(update: Update, context: BotContext, request: QuizRequest) -> None:
    services, chat = context.services, update.effective_chat
    games = group_games(context.application)
    lang = (await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=services.clock.now()))).language
    if request.control in ("open", "admins"):
        await services.db.run(lambda s: competition_groups.set_open_to_all(
            session=s, chat_id=chat.id, open_to_all=request.control == "open"))
        await reply(update, context, t(lang, "gq_opened" if request.control == "open" else "gq_admins_only"))
        return
    if request.control in ("tz", "lang"):
        name, value = request.control, request.value
        try:
            stored = await services.db.run(lambda s: competition_groups.set_group_setting(
                session=s, chat_id=chat.id, title=chat.title or "", name=name, value=value, now=services.clock.now()))
        except InvalidSetting:
            await reply(update, context, t(lang, f"gq_bad_{name}", value=value))
            return
        await reply(update, context, t(stored if name == "lang" else lang, f"gq_{name}_set", value=stored))
        return
    if request.control == "unschedule":
        count = await services.db.run(lambda s: competition_schedules.remove_schedules(session=s, chat_id=chat.id))
        await reply(update, context, t(lang, "gq_unscheduled", count=count))
        return
    if request.weekday is not None and request.at is not None:
        weekday, at = request.weekday, request.at
        settings = await services.db.run(lambda s: competition_groups.group_settings(
            session=s, chat_id=chat.id, title=chat.title or "", now=services.clock.now()))
        run_at = await services.db.run(lambda s: competition_schedules.add_schedule(
            session=s, chat_id=chat.id, title=chat.title or "", weekday=weekday, at=at,
            module_id=request.module_id, question_count=request.count,
            by=update.effective_user.id if update.effective_user else 0, now=services.clock.now()))
        await reply(update, context, scheduled_text(lang, weekday=weekday, at=at.strftime("%H:%M"),
                                                    timezone=settings.timezone, run_at=run_at))
        return
    if request.control in ("stop", "skip", "pause", "resume"):
        game = await services.db.run(lambda s: competitions.active_game(session=s, chat_id=chat.id))
        if game is None:
            raise NoGame()
        if request.control == "stop":
            await games.finish(game.id, stopped=True)
        elif request.control == "skip":
            await games.skip(game.id)
        else:
            await reply(update, context, t(lang, f"gq_{request.control}d"))
            await games.pause(game.id, paused=request.control == "pause")
        return
    user = update.effective_user
    lobby = 0 if request.now else services.settings.group_lobby_seconds
    now, today = services.game_clock.now(), services.clock.now()

    def unit(s: Session) -> tuple[GameView, class_groups.GameSource | None]:
        source = class_groups.game_source(session=s, catalog=services.catalog, chat_id=chat.id, now=today)
        game = competitions.open_game(
            session=s, catalog=services.catalog, chat_id=chat.id, title=chat.title or "", by=user.id if user else 0,
            module_id=request.module_id, count=request.count, timer=request.timer, lobby_seconds=lobby, now=now,
            rng=games.rng, course_id=source.course_id if source else None,
            question_ids=source.question_ids if source else ())
        return game, source

    game, source = await services.db.run(unit)
    if source is not None and not request.module_id:  # a linked class's game: say what it asks
        await reply(update, context, game_source_text(lang, source, services.catalog))
    await games.begin(game)


def _refusal_text(lang: str, refusal: GameRefused, context: BotContext, *, echo: bool) -> str:
    """What to answer in the group; a member's own words are repeated only when an admin sent them (`echo`): the
    bot never relays a stranger's text, or link, to the whole group."""
    if not echo and isinstance(refusal, BadQuizRequest | NoSuchModule):
        return t(lang, "gq_refused_request_plain")
    match refusal:
        case GameAlreadyRunning():
            return t(lang, "gq_refused_running")
        case NotAnAdmin():
            return t(lang, "gq_refused_admin")
        case NoSuchModule(module_id=module_id):
            modules = ", ".join(m.id for c in context.services.catalog.courses.values() for m in c.modules)
            return t(lang, "gq_refused_module", module=module_id, modules=modules)
        case BadQuizRequest(what=what):
            return t(lang, "gq_refused_request", what=what)
        case _:
            return t(lang, "gq_no_game")


async def join(update: Update, context: BotContext) -> None:
    """Join the game whose lobby button was pressed (a toast answers: it costs no group message).

    Only a member of the group, on the open lobby message of that group: Telegram says which message was pressed,
    the button says nothing the bot trusts."""
    query, services = update.callback_query, context.services
    user, message = query.from_user, query.message
    lang = "fr" if (user.language_code or "fr").startswith("fr") else "en"
    try:
        JoinGame.decode(query.data)
        if message is None or message.chat.type not in ("group", "supergroup"):
            raise NoGame()
        chat_id, message_id = message.chat.id, message.message_id
        member = await is_member(context, chat_id, user.id)
        now = services.game_clock.now()
        added = await services.db.run(lambda s: competitions.join_game(
            session=s, chat_id=chat_id, lobby_message_id=message_id, telegram_id=user.id,
            first_name=user.first_name or "", is_member=member, now=now))
        group_games(context.application).note_member(chat_id, user.id)  # its answers need not ask Telegram again
    except (StaleButton, NoGame, NotAMember):
        await acknowledge(update, label(lang, "stale_button"), alert=True)
        return
    await acknowledge(update, label(lang, "gq_joined" if added else "gq_already_in"))


async def is_member(context: BotContext, chat_id: int, user_id: int) -> bool:
    """Whether Telegram says `user_id` belongs to the group now, or to the supergroup it became (False when it cannot
    tell)."""
    try:
        try:
            member = await context.bot.get_chat_member(chat_id, user_id)
        except ChatMigrated as moved:
            member = await context.bot.get_chat_member(moved.new_chat_id, user_id)
    except TelegramError as exc:
        log.info("could not check %s in group %s: %s", user_id, chat_id, exc)
        return False
    if member.status in (*ADMINS, ChatMemberStatus.MEMBER):
        return True
    return member.status == ChatMemberStatus.RESTRICTED and bool(getattr(member, "is_member", False))


async def poll_answer(update: Update, context: BotContext) -> None:
    """Hand a player's answer to a game's question over to be stored, timed when the bot received it.

    Only a member of the game's group plays: a vote on a forwarded copy of the poll (in another group, a private
    chat) reaches the bot with the same poll id, from anyone. Answers to other polls go on to the private quiz's
    handler."""
    receipts = receipts_of(context.application.update_queue)
    try:
        await _hand_over(update, context, receipts.received_at(update) if receipts is not None else None)
    finally:
        if receipts is not None:  # handed over (or refused): a question's close no longer waits for it
            receipts.take(update)


async def _hand_over(update: Update, context: BotContext, received: datetime | None) -> None:
    answer, services = update.poll_answer, context.services
    games = group_games(context.application)
    chat_id = games.answers.chat_of(answer.poll_id) if answer is not None else None
    if answer is None or answer.user is None or not answer.option_ids or chat_id is None:
        return
    user = answer.user
    if not games.known_member(chat_id, user.id):
        if not await is_member(context, chat_id, user.id):
            log.info("an answer to a game's poll in group %s by %s, who is not a member: not counted", chat_id,
                     user.id)
            raise ApplicationHandlerStop  # a game's poll all the same: not the private quiz's
        games.note_member(chat_id, user.id)
    if received is None:
        processor = context.application.update_processor
        received = processor.received_at(update) if isinstance(processor, PerChatUpdateProcessor) else None
    games.answers.add(ReceivedAnswer(poll_id=answer.poll_id, telegram_id=user.id, first_name=user.first_name or "",
                                     option=answer.option_ids[0], received_at=received or services.game_clock.now()))
    raise ApplicationHandlerStop  # a game's answer: nothing else to do with it


async def migrated(update: Update, context: BotContext) -> None:
    """The group became a supergroup: its games and history follow the new id."""
    message = update.effective_message
    old, new = (message.chat.id, message.migrate_to_chat_id) if message.migrate_to_chat_id else \
        (message.migrate_from_chat_id, message.chat.id)
    if old is None or new is None:
        return
    moved = await context.services.db.run(lambda s: competition_groups.move_chat(
        session=s, old_chat_id=old, new_chat_id=new))
    if moved:
        pacer = context.application.bot_data.get("pacer")  # the budget per chat follows the new id
        if pacer is not None:
            pacer.moved(old, new)
        log.info("group %s is now supergroup %s", old, new)


async def member_left(update: Update, context: BotContext) -> None:
    """A member left: kept in history, no longer on current boards."""
    message = update.effective_message
    gone = message.left_chat_member
    if gone is not None:
        group_games(context.application).forget_member(message.chat.id, gone.id)
        await context.services.db.run(lambda s: competition_groups.mark_member_left(
            session=s, chat_id=message.chat.id, telegram_id=gone.id))


async def bot_membership(update: Update, context: BotContext) -> None:
    """The bot was removed from a group: its game there ends, without a message it could not send."""
    change = update.my_chat_member
    if change is None or change.chat.type not in ("group", "supergroup"):
        return
    if change.new_chat_member.status in (ChatMember.BANNED, ChatMember.LEFT):
        chat_id = change.chat.id
        game = await context.services.db.run(lambda s: competitions.active_game(session=s, chat_id=chat_id))
        await context.services.db.run(lambda s: competition_groups.mark_bot_removed(session=s, chat_id=chat_id))
        if game is not None:
            await group_games(context.application).finish(game.id, stopped=True)


async def group_help(update: Update, context: BotContext) -> None:
    """List what the bot does in a group."""
    chat, services = update.effective_chat, context.services
    settings = await services.db.run(lambda s: competition_groups.group_settings(
        session=s, chat_id=chat.id, title=chat.title or "", now=services.clock.now()))
    await reply(update, context, t(settings.language, "gq_help"))


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("quiz", group_quiz, filters=GROUPS),
        CommandHandler(["help", "aide"], group_help, filters=GROUPS),
        CallbackQueryHandler(join, pattern=JoinGame.matches),
        MessageHandler(filters.StatusUpdate.MIGRATE, migrated),
        MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, member_left),
    ]


def early_handlers() -> list[BaseHandler]:
    """Run beside the other handlers (their own group): poll answers and the bot's group membership."""
    return [PollAnswerHandler(poll_answer), ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER)]
