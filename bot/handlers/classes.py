"""Instructors' commands (/class, /push, /schedule), joining a class by link or code, and /leave.

Every instructor command checks the role for the class it acts on (bot/services/classes.py:
require_class); anyone else gets a refusal in their language, and the attempt is logged.
Instructors see their commands in the menu through a per-chat command scope.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from telegram import BotCommand, BotCommandScopeChat, InputFile, Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import ClassChoose, ClassDelete, LessonPick
from bot.content.pages import TELEGRAM_TEXT_LIMIT
from bot.context import BotContext
from bot.handlers import class_leaving, fair_use
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.class_choice import ask_class
from bot.handlers.common import PRIVATE, LearnerSnapshot, learner, reply
from bot.i18n import Raw, label, t
from bot.services import (
    announcements,
    class_calendar,
    class_dates,
    class_groups,
    class_stats,
    class_timezone,
    classes,
)
from bot.services.class_errors import (
    BadClassRef,
    ClassChoiceNeeded,
    ClassNotFound,
    ContentProblems,
    InvalidWhen,
    JoinRefused,
    LinkRefused,
    NothingToPush,
    NotInstructor,
    NotOwner,
    NotSchedulable,
    PastDay,
    UnknownLesson,
)
from bot.services.errors import InvalidSetting, UnknownCourse
from bot.services.unit_of_work import LearnerRow, Session
from bot.services.zone_names import ZoneLookup, find_zone, zone_label
from bot.views.announcement_header import announcement_header
from bot.views.base import keyboard
from bot.views.class_groups import group_link_link
from bot.views.class_pickers import class_choice_view, lesson_rows, module_rows
from bot.views.classes import (
    chart_labels,
    class_created_text,
    class_link_text,
    class_list_text,
    content_problems_text,
    delete_view,
    join_link,
    plan_text,
    push_nothing_text,
    stats_text,
)

__all__ = ["INSTRUCTOR_COMMANDS", "early_handlers", "handlers", "malformed_class_ref", "plan_for", "push_for", "schedule_from_text",
           "refresh_instructor_menus", "refuse", "refuse_bad_ref", "schedule_menu", "show_instructor_menu", "split_class_ref", "stats_for"]

log = logging.getLogger(__name__)
T = TypeVar("T")
INSTRUCTOR_COMMANDS = ("class", "push", "schedule", "announce")
_CLASS_REF = re.compile(r"^#\d{1,9}$")
_ANNOUNCEMENT_REF = re.compile(r"^#a\d{1,9}$")
_AGAIN = {"class stats": "stats", "class plan": "plan", "schedule": "schedule"}
"""The commands run again on the class chosen from "which class?" (bot/handlers/class_pickers.py)."""
_OWNER_ACTIONS = {"class delete": "delete", "class revoke": "revoke", "class cap": "cap", "class expire": "expire",
                  "class invite": "invite", "class tz": "tz"}
_CODE = re.compile(r"^(?:/start\s+(?P<prefix>[ji]-)?|(?P<typed>[ji]-)|(?:https?://)?t\.me/\w+\?start=(?P<linked>[ji]-))"
                   r"(?P<code>[A-Za-z0-9_-]{22})$")
"""`/start j-<code>` (the link), `/start <code>`, `j-<code>` typed alone (never a bare word: in terminal mode a
22-letter word may be a command), or the link itself pasted as text (`https://t.me/<bot>?start=j-<code>`)."""


def split_class_ref(args: list[str]) -> tuple[str | None, list[str]]:
    """`#12` anywhere in the arguments names the class; the rest are the command's own arguments."""
    ref = next((arg for arg in args if _CLASS_REF.match(arg)), None)
    return ref, [arg for arg in args if arg != ref]


def malformed_class_ref(args: list[str]) -> str | None:
    """`#abc` among a command's arguments: meant as a class number, but not one (never silently ignored)."""
    return next((arg for arg in args if arg.startswith("#") and len(arg) > 1 and not _CLASS_REF.match(arg)), None)


async def refuse_bad_ref(update: Update, context: BotContext, me: LearnerSnapshot, ref: str) -> None:
    """"#abc n'est pas un numéro de classe", with the user's classes to choose from."""
    log.info("malformed class number %r from %s", ref, me.telegram_id)
    mine = await context.services.db.run(lambda session: classes.classes_of(session=session,
                                                                            telegram_id=me.telegram_id))
    if not mine and me.telegram_id not in context.services.settings.instructor_ids:
        await refuse(update, context, me, "class")  # not an instructor: the usual refusal
        return
    lines = "\n".join(t(me.lang, "cf_ref_line", id=c.id, name=c.name) for c in mine) or t(me.lang, "cf_no_classes")
    await reply(update, context, t(me.lang, "cf_bad_ref", ref=ref, lines=Raw(lines)))


async def refuse(update: Update, context: BotContext, me: LearnerSnapshot, command: str,
                 error: NotInstructor | None = None) -> None:
    log.warning("instructor command /%s refused to user %s (class %s)", command, me.telegram_id,
                error.class_id if error else None)
    await reply(update, context, t(me.lang, "class_refused"))


async def show_instructor_menu(context: BotContext, chat_id: int, lang: str) -> None:
    """The learner's menu plus the instructor's commands, for this chat only (Telegram's per-chat scope)."""
    try:
        base = await context.bot.get_my_commands(language_code=None if lang == "fr" else lang)
        commands = [*base, *(BotCommand(name, label(lang, f"cmd_{name}")) for name in INSTRUCTOR_COMMANDS)]
        await context.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
    except TelegramError as exc:  # the menu is a convenience: the commands work without it
        log.info("could not set the instructor menu of %s: %s", chat_id, exc)


async def refresh_instructor_menus(context: BotContext) -> None:
    """At start: every known instructor gets the instructor menu (those who never wrote are skipped)."""
    services = context.services
    ids = await services.db.run(lambda session: classes.all_instructors(
        session=session, first_instructors=services.settings.instructor_ids))
    for telegram_id, lang in ids:
        await show_instructor_menu(context, telegram_id, lang)


async def _as_instructor(update: Update, context: BotContext, me: LearnerSnapshot, command: str,
                         work: Callable[[Session], T]) -> T | None:
    """Run `work` in one unit; a refusal or a missing class is answered here (None)."""
    try:
        return await context.services.db.run(work)
    except NotOwner as exc:
        log.warning("owner-only /%s refused to co-instructor %s (class %s)", command, me.telegram_id, exc.class_id)
        action = t(me.lang, f"cf_action_{_OWNER_ACTIONS.get(command, 'delete')}")
        await reply(update, context, t(me.lang, "cf_not_owner", name=exc.class_name, action=action))
    except BadClassRef as exc:
        await refuse_bad_ref(update, context, me, exc.ref)
    except ClassChoiceNeeded as exc:
        await ask_class(update, context, me, exc, _AGAIN.get(command, ""))
    except NotInstructor as exc:
        await refuse(update, context, me, command, exc)
    except ClassNotFound:
        await reply(update, context, t(me.lang, "class_not_found"))
    return None


def _lessons_list(context: BotContext, course_id: str) -> str:
    course = context.services.catalog.courses[course_id]
    return ", ".join(lesson.id for lesson in course.lessons_in_order())


# --- /class ---------------------------------------------------------------------------------------------------

async def class_command(update: Update, context: BotContext) -> None:
    me = await learner(update, context)
    ref, args = split_class_ref(list(context.args or []))
    sub, rest = (args[0].lower(), args[1:]) if args else ("list", [])
    bad = malformed_class_ref(args) if sub != "new" else None
    if bad is not None:
        await refuse_bad_ref(update, context, me, bad)
        return
    match sub:
        case "new":
            await _new_class(update, context, me, rest)
        case "list":
            await _list_classes(update, context, me)
        case "joinlink" | "link" | "revoke" | "cap" | "expire" | "invite":
            await _link(update, context, me, ref, sub, rest)
        case "plan":
            await _plan(update, context, me, ref, rest)
        case "stats":
            await _stats(update, context, me, ref)
        case "delete":
            await _delete(update, context, me, ref)
        case "tz" | "fuseau":
            await _timezone(update, context, me, ref, rest)
        case "group" | "groupe" | "linkgroup" | "unlinkgroup" | "unlink":
            await _group_howto(update, context, me, ref)
        case _:
            allowed = await context.services.db.run(lambda session: classes.is_instructor(
                session=session, telegram_id=me.telegram_id,
                first_instructors=context.services.settings.instructor_ids))
            if not allowed:
                await refuse(update, context, me, "class")
                return
            await reply(update, context, t(me.lang, "class_usage"))


def _options(words: list[str]) -> tuple[list[str], dict[str, str]]:
    plain = [w for w in words if "=" not in w]
    options = dict(w.split("=", 1) for w in words if "=" in w)
    return plain, {k.lower(): v for k, v in options.items()}


async def _new_class(update: Update, context: BotContext, me: LearnerSnapshot, words: list[str]) -> None:
    services = context.services
    plain, options = _options(words)
    name = " ".join(plain).strip()
    if not classes.may_create_classes(telegram_id=me.telegram_id, first_instructors=services.settings.instructor_ids):
        co = await services.db.run(lambda session: classes.is_instructor(
            session=session, telegram_id=me.telegram_id, first_instructors=services.settings.instructor_ids))
        if co:
            log.warning("/class new refused to co-instructor %s (not in INSTRUCTOR_IDS)", me.telegram_id)
            await reply(update, context, t(me.lang, "cf_cannot_create"))
        else:
            await refuse(update, context, me, "class new")
        return
    if not name:
        await reply(update, context, t(me.lang, "class_new_usage"))
        return
    now = services.clock.now()
    try:
        at = class_dates.parse_clock(options["time"]) if "time" in options else time(9, 0)
    except InvalidWhen as exc:
        await reply(update, context, t(me.lang, "class_new_bad_time", value=exc.value))
        return
    try:
        info = await services.db.run(lambda session: classes.create_class(
            session=session, catalog=services.catalog, name=name, creator=me.telegram_id,
            first_instructors=services.settings.instructor_ids, now=now, course_id=options.get("course"),
            timezone=options.get("tz", services.settings.default_timezone), lesson_time=at))
    except UnknownCourse as exc:
        await reply(update, context, t(me.lang, "unknown_course", course=exc.course_id))
        return
    except InvalidSetting as exc:
        key = "class_new_bad_timezone" if exc.setting == "timezone" else "class_new_bad_time"
        await reply(update, context, t(me.lang, key, value=exc.value))
        return
    course = services.catalog.courses[info.course_id]
    start = class_dates.earliest_start(zone=info.timezone, at=info.lesson_time, now=now, weekdays_only=True)
    text = class_created_text(me.lang, info, course_title=course.title, bot_username=context.bot.username, today=start)
    others = await services.db.run(lambda session: len(classes.classes_of(session=session, telegram_id=me.telegram_id)))
    if others > 1:  # never silently: from now on, the commands act on the new class
        text += "\n\n" + t(me.lang, "taps_new_class_chosen", name=info.name)
    await reply(update, context, text)
    await show_instructor_menu(context, update.effective_chat.id, me.lang)


async def _list_classes(update: Update, context: BotContext, me: LearnerSnapshot) -> None:
    services = context.services

    def unit(session: Session) -> tuple[list[classes.ClassInfo], dict[int, list[str]], int | None] | None:
        if not classes.is_instructor(session=session, telegram_id=me.telegram_id,
                                     first_instructors=services.settings.instructor_ids):
            return None
        mine = classes.classes_of(session=session, telegram_id=me.telegram_id)
        try:
            chosen: int | None = classes.chosen_class_id(session=session, telegram_id=me.telegram_id)
        except (ClassChoiceNeeded, NotInstructor):
            chosen = None
        return mine, class_groups.linked_group_titles(session=session, class_ids=[c.id for c in mine]), chosen

    result = await services.db.run(unit)
    if result is None:
        await refuse(update, context, me, "class")
        return
    mine, groups, chosen = result
    titles = {cid: course.title for cid, course in services.catalog.courses.items()}
    text = class_list_text(me.lang, mine, titles, groups) + "\n\n" + t(me.lang, "class_usage")
    if len(mine) < 2:
        await reply(update, context, text)
        return
    current = next((c.name for c in mine if c.id == chosen), None)
    text += "\n\n" + (t(me.lang, "taps_current_class", name=current) if current else t(me.lang, "taps_which_class"))
    view = class_choice_view(me.lang, tuple((c.id, c.name) for c in mine), chosen=chosen)
    await reply(update, context, text, view.markup)


async def _link(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None, sub: str,
                rest: list[str]) -> None:
    services = context.services
    now = services.clock.now()
    if sub == "cap" and not (rest and rest[0].isdigit() and int(rest[0]) > 0):
        await reply(update, context, t(me.lang, "class_cap_usage"))
        return
    expires_on = None
    if sub == "expire":
        try:
            expires_on = class_calendar.parse_date(rest[0]) if rest else None
        except InvalidWhen:
            expires_on = None
        if expires_on is None:
            await reply(update, context, t(me.lang, "class_expire_usage"))
            return

    def unit(session: Session) -> tuple[classes.ClassInfo, str | None]:
        if sub in ("joinlink", "link"):
            klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        else:  # changing the link or inviting: the owner's
            klass = classes.require_owner(session=session, telegram_id=me.telegram_id, ref=ref,
                                          first_instructors=services.settings.instructor_ids)
        class_id = klass.id or 0
        info = classes.class_info(session=session, class_id=class_id)
        invite = None
        if sub == "revoke":
            classes.new_join_code(session=session, class_id=class_id, now=now, member_cap=info.member_cap)
        elif sub == "cap":  # the link already shared keeps working
            classes.set_member_cap(session=session, class_id=class_id, cap=int(rest[0]), now=now)
        elif sub == "expire":
            assert expires_on is not None
            end = datetime.combine(expires_on, time(23, 59), tzinfo=ZoneInfo(klass.timezone))
            classes.set_code_expiry(session=session, class_id=class_id, expires_at=end, now=now)
        elif sub == "invite":
            invite = classes.new_instructor_invite(session=session, class_id=class_id, now=now)
        session.flush()
        return classes.class_info(session=session, class_id=class_id), invite

    try:
        result = await _as_instructor(update, context, me, f"class {sub}", unit)
    except LinkRefused as exc:
        if exc.reason == "cap_below_members":
            await reply(update, context, t(me.lang, "cf_cap_below", members=exc.value, cap=rest[0]))
        else:
            example = (now + timedelta(days=30)).date().isoformat()
            await reply(update, context, t(me.lang, "cf_expiry_past", date=exc.value, example=example))
        return
    if result is None:
        return
    info, invite = result
    username = context.bot.username
    if invite is not None:
        await reply(update, context, t(me.lang, "class_invite", name=info.name, days=classes.INVITE_DAYS,
                                       link=join_link(username, invite, "i-")))
    elif sub == "revoke":
        await reply(update, context, t(me.lang, "class_revoked", link=join_link(username, info.join_code or "")))
    else:  # the old spelling, `/class link`, still shows it, and says its new name
        text = class_link_text(me.lang, info, bot_username=username)
        await reply(update, context, f"{text}\n\n{t(me.lang, 'class_link_renamed')}" if sub == "link" else text)


async def _timezone(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                    rest: list[str]) -> None:
    """/class tz Europe/London (or a city, `montreal`, or an offset, as /timezone reads them): the class's zone;
    what is still to come keeps its local time."""
    services = context.services
    now = services.clock.now()
    wanted = " ".join(rest)[:64]
    fixed_note = ""
    if wanted:
        found = await asyncio.to_thread(find_zone, wanted, now=now)  # the city index is read from disk once
        if found.zone is None and found.fixed is not None:  # "UTC-5": that offset all year, shown as "UTC-5"
            offered = [zone for zone in found.suggestions if zone != found.fixed]
            fixed_note = t(me.lang, "taps_tz_fixed", offset=zone_label(found.fixed), zones=", ".join(offered),
                           example=f"/class tz {offered[0]}" if offered else "/class tz Europe/Paris")
            found = ZoneLookup(found.fixed)
        if found.zone is None:
            zones = [zone for zone in found.suggestions if zone != found.fixed]  # never "Etc/GMT+5" for UTC-5
            text = t(me.lang, "class_tz_unknown", value=wanted)
            if zones:
                text += "\n" + t(me.lang, "class_tz_did_you_mean", zones=", ".join(zones),
                                  example=f"/class tz {zones[0]}")
            await reply(update, context, text)
            return
        rest = [found.zone]

    def unit(session: Session) -> class_timezone.ZoneChanged | str:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        if not rest:
            return klass.timezone
        classes.require_owner(session=session, telegram_id=me.telegram_id, ref=ref,
                              first_instructors=services.settings.instructor_ids)
        return class_timezone.change_timezone(session=session, klass=klass, timezone=rest[0], now=now)

    try:
        result = await _as_instructor(update, context, me, "class tz", unit)
    except InvalidSetting as exc:
        await reply(update, context, t(me.lang, "class_tz_unknown", value=exc.value))
        return
    if isinstance(result, str):
        await reply(update, context, t(me.lang, "class_tz_usage", zone=zone_label(result)))
    elif result is not None:
        text = t(me.lang, "class_tz_changed", name=result.class_name, old=zone_label(result.old),
                 new=zone_label(result.new), days=result.days_moved, posts=result.posts_moved)
        text += ("\n" + fixed_note) if fixed_note else ""
        if result.kept:  # their new local time has passed: kept at the same instant, never sent early
            zone = ZoneInfo(result.new)
            items = "\n".join(t(me.lang, f"tz_kept_{k.kind}", when=k.due_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
                              for k in result.kept)
            text += "\n\n" + t(me.lang, "tz_kept", count=len(result.kept), zone=zone_label(result.new), items=Raw(items))
        await reply(update, context, text)


async def _group_howto(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    """Only a group can be linked to a class: how, with Telegram's "add to a group" link."""
    def unit(session: Session) -> tuple[int, str]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        return klass.id or 0, klass.name

    result = await _as_instructor(update, context, me, "class group", unit)
    if result is not None:
        class_id, name = result
        await reply(update, context, t(me.lang, "cg_howto", name=name, id=class_id,
                                       link=group_link_link(context.bot.username, class_id)))


def _plan_words(words: list[str], *, today: date) -> tuple[time | None, set[date]]:
    """After the start day: an optional time (`14h`, `14:30`) and `skip DAY,DAY`; any other word is refused."""
    at, skip, i = None, set[date](), 0
    while i < len(words):
        word = words[i]
        if word.lower() in ("skip", "sauf") and i + 1 < len(words):
            skip |= {class_dates.parse_day(d, today=today) for d in words[i + 1].split(",") if d}
            i += 2
            continue
        if at is None and class_dates.is_clock(word):
            at = class_dates.parse_clock(word)
        else:
            raise InvalidWhen(word, "usage")
        i += 1
    return at, skip


async def _plan(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None, rest: list[str]) -> None:
    services = context.services
    catalog, now = services.catalog, services.clock.now()
    action = rest[0].lower() if rest else "show"

    def unit(session: Session) -> tuple[str, classes.ClassInfo, list[class_calendar.PlanLine], str]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        today = now.astimezone(ZoneInfo(klass.timezone)).date()
        note = ""
        if action == "weekdays" or action == "daily":
            if len(rest) < 2:
                raise InvalidWhen("", "usage")
            start = class_dates.parse_day(rest[1], today=today)
            at, skip = _plan_words(rest[2:], today=today)
            lines = class_calendar.generate_plan(session=session, catalog=catalog, klass=klass, start=start, at=at,
                                                 skip=skip, weekdays_only=action == "weekdays", now=now)
            note = t(me.lang, "plan_generated", count=sum(1 for line in lines if not line.sent))
        elif action == "set" and len(rest) == 3:
            on = class_dates.parse_day(rest[1], today=today)
            done = class_calendar.set_entry(session=session, catalog=catalog, klass=klass, on_date=on,
                                            lesson_id=rest[2], now=now)
            lessons = catalog.courses[klass.course_id].lessons
            note = t(me.lang, "plan_set", date=on.isoformat(), title=lessons[rest[2]].title)
            if done.moved_from is not None:
                note += "\n" + t(me.lang, "plan_set_moved", previous=done.moved_from.isoformat())
            if done.sent_on is not None:
                note += "\n" + t(me.lang, "plan_set_already_sent", previous=done.sent_on.isoformat())
            if done.replaced is not None:
                note += "\n" + t(me.lang, "plan_set_replaced", lesson=done.replaced,
                                  title=catalog.courses[klass.course_id].lesson_title(done.replaced))
        elif action == "drop" and len(rest) == 2:
            on = class_dates.parse_day(rest[1], today=today)
            dropped = class_calendar.drop_entry(session=session, klass=klass, on_date=on)
            if dropped is None:
                note = t(me.lang, "plan_drop_nothing", date=on.isoformat())
            else:
                note = t(me.lang, "plan_dropped_lesson", date=on.isoformat(), lesson=dropped,
                         title=catalog.courses[klass.course_id].lesson_title(dropped))
        elif action != "show" or len(rest) > 1:
            raise InvalidWhen(" ".join(rest[1:]) if action == "show" else "", "usage")
        session.flush()
        info = classes.class_info(session=session, class_id=klass.id or 0)
        lines = class_calendar.upcoming(session=session, catalog=catalog, klass=klass, limit=12, include_sent=False)
        return note, info, lines, klass.timezone

    try:
        result = await _as_instructor(update, context, me, "class plan", unit)
    except InvalidWhen as exc:
        if exc.reason == "usage" and exc.value:
            await reply(update, context, t(me.lang, "plan_unknown_word", word=exc.value) + "\n"
                        + t(me.lang, "plan_usage"))
        else:
            await reply(update, context, t(me.lang, "plan_usage") if exc.reason == "usage"
                        else t(me.lang, "bad_date", value=exc.value))
        return
    except PastDay as exc:
        await _past_day(update, context, me, ref, exc)
        return
    except UnknownLesson as exc:
        await _unknown_lesson(update, context, me, ref, exc)
        return
    if result is None:
        return
    note, info, lines, zone = result
    today = now.astimezone(ZoneInfo(zone)).date()
    start = class_dates.earliest_start(zone=zone, at=info.lesson_time, now=now, weekdays_only=True)
    text = plan_text(me.lang, info, lines, today=today, start=start)
    put = keyboard([[(label(me.lang, "btn_taps_plan_lesson"), LessonPick(info.id, "m").encode())]])
    await reply(update, context, f"{note}\n\n{text}" if note else text, put)


async def _past_day(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                    exc: PastDay) -> None:
    """A day whose class time has passed: why, and the first day a calendar can start on."""
    zone = await context.services.db.run(lambda session: classes.require_class(
        session=session, telegram_id=me.telegram_id, ref=ref).timezone)
    await reply(update, context, t(me.lang, "plan_past", date=exc.day.isoformat(), earliest=exc.earliest.isoformat(),
                                   time=exc.at.strftime("%H:%M"), timezone=zone_label(zone)))


async def _unknown_lesson(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                          exc: UnknownLesson) -> None:
    course_id = await context.services.db.run(lambda session: classes.require_class(
        session=session, telegram_id=me.telegram_id, ref=ref).course_id)
    await reply(update, context, t(me.lang, "unknown_lesson", lesson=exc.lesson_id,
                                   lessons=_lessons_list(context, course_id)))


async def _stats(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    services = context.services
    now = services.clock.now()
    stats = await _as_instructor(update, context, me, "class stats", lambda session: class_stats.class_stats(
        session=session, catalog=services.catalog,
        klass=classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref), now=now))
    if stats is None:
        return
    await reply(update, context, stats_text(me.lang, stats))
    if not stats.rows:
        return
    chat_id = update.effective_chat.id
    if class_stats.has_chart(stats):  # drawing is CPU work: off the event loop
        chart = await asyncio.to_thread(class_stats.render_chart, stats, chart_labels(me.lang))
        await context.bot.send_photo(chat_id=chat_id, photo=chart, caption=t(me.lang, "stats_chart_caption"))
    else:
        await reply(update, context, t(me.lang, "stats_chart_empty"))
    table = class_stats.render_csv(stats)
    await context.bot.send_document(chat_id=chat_id, document=InputFile(table, filename=f"class-{stats.class_id}.csv"),
                                    caption=t(me.lang, "stats_csv_caption"))


async def _delete(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    def unit(session: Session) -> tuple[int, str, int]:
        klass = classes.require_owner(session=session, telegram_id=me.telegram_id, ref=ref,
                                      first_instructors=context.services.settings.instructor_ids)
        class_id = klass.id or 0
        return class_id, klass.name, class_calendar.pending_posts(session=session, class_id=class_id)

    result = await _as_instructor(update, context, me, "class delete", unit)
    if result is None:
        return
    class_id, name, posts = result
    view = delete_view(me.lang, class_id=class_id, name=name, posts=posts)
    await reply(update, context, view.text, view.markup)


@on_press(ClassDelete)
async def confirm_delete(update: Update, context: BotContext, press: Press[ClassDelete]) -> None:
    me, services = press.me, context.services
    await press.accept()
    if not press.payload.confirm:
        await reply(update, context, t(me.lang, "class_delete_kept"))
        return
    now = services.clock.now()

    def unit(session: Session) -> tuple[str, int]:
        klass = classes.require_owner(session=session, telegram_id=me.telegram_id, ref=f"#{press.payload.class_id}",
                                      first_instructors=services.settings.instructor_ids)
        name = klass.name
        return name, classes.delete_class(session=session, class_id=press.payload.class_id, now=now,
                                          notice=lambda lang: t(lang, "class_deleted_notice", name=name))

    result = await _as_instructor(update, context, me, "class delete", unit)
    if result is not None:
        services.outbox_signal.set()  # the members' notices are queued
        await reply(update, context, t(me.lang, "class_deleted", name=result[0], posts=result[1]))


# --- /push and /schedule --------------------------------------------------------------------------------------

async def push_command(update: Update, context: BotContext) -> None:
    """/push: the calendar's next lesson now; without a calendar, the lessons to pick from (buttons); /push <id>."""
    me = await learner(update, context)
    ref, args = split_class_ref(list(context.args or []))
    bad = malformed_class_ref(args)
    if bad is not None:
        await refuse_bad_ref(update, context, me, bad)
        return
    await push_for(update, context, me, ref, args[0] if args else None)


async def push_for(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                   lesson_id: str | None) -> None:
    """Push `lesson_id` (or the calendar's next lesson) to the class `ref` (or the chosen one); the reply names it."""
    services = context.services
    now = services.clock.now()

    def unit(session: Session) -> tuple[tuple[int, str], class_calendar.Pushed | None]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        named = (klass.id or 0, klass.name)
        if classes.member_count(session=session, class_id=klass.id or 0) == 0:
            return named, None
        return named, class_calendar.push_lesson(session=session, catalog=services.catalog, klass=klass, now=now,
                                                 lesson_id=lesson_id, by=me.telegram_id)

    try:
        (class_id, class_name), pushed = await services.db.run(unit)
    except ClassChoiceNeeded as exc:
        await ask_class(update, context, me, exc, "push")
        return
    except NotInstructor as exc:
        await refuse(update, context, me, "push", exc)
        return
    except ClassNotFound:
        await reply(update, context, t(me.lang, "class_not_found"))
        return
    except NothingToPush as exc:
        await _push_picker(update, context, me, ref, exc)
        return
    except UnknownLesson as exc:
        await _unknown_lesson(update, context, me, ref, exc)
        return
    if pushed is None:
        await reply(update, context, t(me.lang, "class_no_members"))
        return
    services.outbox_signal.set()
    already = t(me.lang, "pushed_already", already=pushed.already) if pushed.already else ""
    other = keyboard([[(label(me.lang, "btn_taps_other_lesson"), LessonPick(class_id, "p").encode())]])
    await reply(update, context, t(me.lang, "taps_pushed", title=pushed.title, queued=pushed.queued, name=class_name,
                                   already=Raw(already)), other)


async def _push_picker(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                       nothing: NothingToPush) -> None:
    """No calendar lesson to push: the next lessons as buttons, then every module (the typed commands still shown)."""
    services = context.services

    def unit(session: Session) -> tuple[int, str, frozenset[str]]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        return klass.id or 0, klass.course_id, frozenset(class_calendar.lessons_sent(session=session, klass=klass))

    class_id, course_id, had = await services.db.run(unit)
    course = services.catalog.courses[course_id]
    rows = lesson_rows(me.lang, course, class_id=class_id, purpose="p", had=had,
                       lesson_ids=[lesson_id for lesson_id, _ in nothing.next_lessons])
    rows += module_rows(course, class_id=class_id, purpose="p", had=had)
    text = push_nothing_text(me.lang, nothing, ref) + "\n\n" + t(me.lang, "taps_pick_push_hint")
    await reply(update, context, text, keyboard(rows))


async def stats_for(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    """/class stats for the class `ref` (after "which class?")."""
    await _stats(update, context, me, ref)


async def plan_for(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None,
                   words: list[str]) -> None:
    """/class plan `words` for the class `ref` (after "which class?", or a day picked for a lesson)."""
    await _plan(update, context, me, ref, words)


def _as_members_get_it(session: Session, draft: announcements.Draft, lang: str) -> list[str]:
    """The announcement's messages with the header members get (in `lang`, for its author's preview)."""
    author = announcements.author_name(session=session, announcement_id=draft.id)
    return announcements.with_header(draft.parts, announcement_header(lang, draft.class_name, author))


async def schedule_command(update: Update, context: BotContext) -> None:
    """/schedule [#class] <when> lesson <id> | /schedule [#class] <when> announce <text> | /schedule <when> #a<id>.

    The class number is read only right after the command (as /announce does); the text is kept as typed, `#`
    and all. A drafted announcement (#a<id>) goes to its own class."""
    text = (update.effective_message.text or "").split(maxsplit=1)
    await schedule_from_text(update, context, text[1].strip() if len(text) > 1 else "")


async def schedule_from_text(update: Update, context: BotContext, body: str) -> None:
    """What /schedule does with the words after it (also the second step of ⏰ Programmer: "<when> #a<id>")."""
    me = await learner(update, context)
    services = context.services
    first, _, after = body.partition(" ")
    ref: str | None = None
    if _CLASS_REF.match(first):
        ref, body = first, after.strip()
    elif first.startswith("#") and len(first) > 1 and not _ANNOUNCEMENT_REF.match(first):
        await refuse_bad_ref(update, context, me, first)
        return
    found = class_dates.split_when(body, today=services.clock.now().date())
    if found is None:
        allowed = await services.db.run(lambda session: classes.is_instructor(
            session=session, telegram_id=me.telegram_id, first_instructors=services.settings.instructor_ids))
        if not allowed:
            await refuse(update, context, me, "schedule")
        elif not body:
            await schedule_menu(update, context, me, ref)
        else:
            await reply(update, context, t(me.lang, "schedule_usage"))
        return
    when_text, rest = found
    what, _, tail = rest.partition(" ")
    now = services.clock.now()

    def unit(session: Session) -> tuple[datetime, classes.ClassInfo, list[str]]:
        preview: list[str] = []
        if _ANNOUNCEMENT_REF.match(what):  # the announcement's own class, whatever the newest class is
            announcement_id = int(what[2:])
            try:
                draft = announcements.draft(session=session, announcement_id=announcement_id)
                klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{draft.class_id}")
            except (ClassNotFound, NotInstructor):
                raise NotSchedulable(announcement_id, "not_yours") from None
            announcements.schedulable(session=session, announcement_id=announcement_id)
            due = class_calendar.parse_when(when_text, zone=klass.timezone, now=now)
            class_calendar.schedule_post(session=session, catalog=services.catalog, klass=klass, due_at=due,
                                         by=me.telegram_id, now=now, announcement_id=draft.id)
            preview = _as_members_get_it(session, draft, me.lang)
        else:
            klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
            due = class_calendar.parse_when(when_text, zone=klass.timezone, now=now)
            if what.lower() in ("lesson", "leçon", "lecon"):
                class_calendar.schedule_post(session=session, catalog=services.catalog, klass=klass, due_at=due,
                                             by=me.telegram_id, now=now, lesson_id=tail.strip())
            elif what.lower() in ("announce", "annonce"):
                parts = announcements.prepare(tail)
                draft = announcements.create_draft(session=session, klass=klass, author=me.telegram_id,
                                                   parts=parts, now=now)
                class_calendar.schedule_post(session=session, catalog=services.catalog, klass=klass, due_at=due,
                                             by=me.telegram_id, now=now, announcement_id=draft.id)
                preview = _as_members_get_it(session, draft, me.lang)
            else:
                raise InvalidWhen(rest, "usage")
        return due, classes.class_info(session=session, class_id=klass.id or 0), preview

    try:
        result = await _as_instructor(update, context, me, "schedule", unit)
    except InvalidWhen as exc:
        key = {"past": "when_past", "usage": "schedule_usage"}.get(exc.reason, "bad_when")
        await reply(update, context, t(me.lang, key, value=exc.value))
        return
    except UnknownLesson as exc:
        await _unknown_lesson(update, context, me, ref, exc)
        return
    except ContentProblems as exc:
        await reply(update, context, content_problems_text(me.lang, exc.problems))
        return
    except NotSchedulable as exc:
        log.info("scheduling announcement %s refused to %s: %s", exc.announcement_id, me.telegram_id, exc.status)
        key = {"sent": "cf_ann_sent", "scheduled": "cf_ann_scheduled", "cancelled": "cf_ann_cancelled"}.get(
            exc.status, "cf_ann_not_yours")
        await reply(update, context, t(me.lang, key, id=exc.announcement_id))
        return
    if result is None:
        return
    due, info, preview = result
    confirmation = t(me.lang, "cf_scheduled", when=due.astimezone(ZoneInfo(info.timezone)).strftime("%Y-%m-%d %H:%M"),
                     timezone=zone_label(info.timezone), name=info.name, id=info.id)
    if len(preview) == 1:  # one message: the confirmation shows it as the members will get it (one reply, in order)
        shown = f"{confirmation}\n{t(me.lang, 'cf_scheduled_preview', name=info.name)}\n\n{preview[0]}"
        confirmation = shown if len(shown) <= TELEGRAM_TEXT_LIMIT else confirmation
    await reply(update, context, confirmation)


async def schedule_menu(update: Update, context: BotContext, me: LearnerSnapshot, ref: str | None) -> None:
    """/schedule alone: what can be scheduled, as buttons (a lesson, or the announcements already scheduled)."""
    def unit(session: Session) -> tuple[int, str]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        return klass.id or 0, klass.name

    found = await _as_instructor(update, context, me, "schedule", unit)
    if found is None:
        return
    class_id, name = found
    rows = [[(label(me.lang, "btn_taps_schedule_lesson"), LessonPick(class_id, "s").encode())],
            [(label(me.lang, "btn_taps_scheduled"), ClassChoose(class_id, "anns").encode())]]
    await reply(update, context, t(me.lang, "taps_schedule_menu", name=name) + "\n\n" + t(me.lang, "schedule_usage"),
                keyboard(rows))


# --- joining and leaving ----------------------------------------------------------------------------------------

async def join_by_code(update: Update, context: BotContext) -> None:
    """`/start j-<code>` (the link), `/start i-<code>` (an instructor invite), or the code typed alone."""
    match = _CODE.match((update.effective_message.text or "").strip())
    if match is None:
        return
    me = await learner(update, context)
    if not await fair_use.guess_allowed(update, context, me.lang):  # codes are not to be guessed
        raise ApplicationHandlerStop
    services = context.services
    now = services.clock.now()
    code = match["code"]
    if (match["prefix"] or match["typed"] or match["linked"]) == "i-":
        try:
            info = await services.db.run(lambda session: classes.accept_invite(
                session=session, telegram_id=me.telegram_id, code=code, now=now))
        except JoinRefused as exc:
            log.warning("instructor invite refused to %s: %s", me.telegram_id, exc.reason)
            await reply(update, context, t(me.lang, f"join_{exc.reason}"))
            raise ApplicationHandlerStop from None
        await reply(update, context, t(me.lang, "class_instructor_welcome", name=info.name))
        await show_instructor_menu(context, update.effective_chat.id, me.lang)
        raise ApplicationHandlerStop

    def unit(session: Session, row: LearnerRow) -> classes.Joined:
        return classes.join(session=session, catalog=services.catalog, learner=row, code=code, now=now)

    try:
        joined = await services.db.as_learner(me.id, unit)
    except JoinRefused as exc:
        log.info("join code refused to %s: %s", me.telegram_id, exc.reason)
        await reply(update, context, t(me.lang, f"join_{exc.reason}"))
        raise ApplicationHandlerStop from None
    key = "class_already_member" if joined.already else "class_joined"
    await reply(update, context, t(me.lang, key, name=joined.class_name, course=joined.course_title))
    raise ApplicationHandlerStop


def early_handlers() -> list[BaseHandler]:
    """Group -1: join codes and links, before /start's course deep links and the lab's text handler."""
    return [MessageHandler(filters.Regex(_CODE) & PRIVATE, join_by_code)]


def handlers() -> list[BaseHandler]:
    private = PRIVATE
    return [
        CommandHandler("class", class_command, filters=private),
        CommandHandler("push", push_command, filters=private),
        CommandHandler("schedule", schedule_command, filters=private),
        press_handler(confirm_delete),
        *class_leaving.handlers(),
    ]

