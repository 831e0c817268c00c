"""The instructors' pickers, pressed: which class (remembered), which lesson, which day, and the class's scheduled
announcements (cancel, change the time).

Every press is checked against what the bot would show that instructor now (bot/services/class_pickers.py): a class
they teach, a lesson of its course, a quick day still offered, an announcement still waiting; anything else is
answered "this button has expired". The work itself is the typed commands' (/push, /schedule, /class plan).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import BaseHandler

from bot.callbacks import ClassChoose, DayPicked, LessonPick, LessonPicked, PostCancel, PostMove
from bot.context import BotContext
from bot.handlers import announcements as announce
from bot.handlers import classes as class_commands
from bot.handlers.buttons import Press, on_press, press_handler
from bot.handlers.class_days import ask_day
from bot.handlers.common import LearnerSnapshot, reply
from bot.i18n import t
from bot.services import class_calendar, class_pickers, classes, conversation_steps
from bot.services.class_errors import ClassChoiceNeeded, ClassNotFound, NotInstructor
from bot.services.errors import StaleReference
from bot.services.unit_of_work import Session
from bot.views.class_pickers import lessons_view, modules_view, scheduled_view

__all__ = ["handlers", "show_scheduled"]

log = logging.getLogger(__name__)
Again = Callable[[Update, BotContext, LearnerSnapshot, str], Awaitable[None]]


async def show_scheduled(update: Update, context: BotContext, me: LearnerSnapshot, ref: str) -> None:
    """The class's announcements waiting for their time, each with ⏰ Change the time and 🗑 Cancel."""
    def unit(session: Session) -> tuple[str, str, list[class_pickers.ScheduledAnnouncement]]:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=ref)
        return klass.name, klass.timezone, class_pickers.scheduled_announcements(session=session,
                                                                                 class_id=klass.id or 0)

    name, zone, items = await context.services.db.run(unit)
    view = scheduled_view(me.lang, class_name=name, zone=zone, items=items)
    await reply(update, context, view.text, view.markup)


_AGAIN: dict[str, Again] = {
    "push": lambda update, context, me, ref: class_commands.push_for(update, context, me, ref, None),
    "stats": class_commands.stats_for,
    "plan": lambda update, context, me, ref: class_commands.plan_for(update, context, me, ref, []),
    "schedule": class_commands.schedule_menu,
    "announce": announce.wait_for_announcement,
    "anns": show_scheduled,
}
"""What "which class?" runs once the class is chosen: the command that asked."""


def _taught(session: Session, me: LearnerSnapshot, class_id: int) -> tuple[str, str, str]:
    """(name, course id, time zone) of `class_id` if `me` teaches it; StaleReference otherwise (a forged press)."""
    try:
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{class_id}")
    except (NotInstructor, ClassNotFound):
        raise StaleReference(f"class {class_id} is not taught by {me.telegram_id}") from None
    return klass.name, klass.course_id, klass.timezone


@on_press(ClassChoose)
async def class_chosen(update: Update, context: BotContext, press: Press[ClassChoose]) -> None:
    """Remember the class; then run the command that asked, on it."""
    me, services, payload = press.me, context.services, press.payload
    if payload.then and payload.then not in _AGAIN:
        raise StaleReference(f"no command {payload.then!r} to run again")
    now = services.clock.now()

    def unit(session: Session) -> tuple[str, bool]:
        _taught(session, me, payload.class_id)
        try:
            before: int | None = classes.chosen_class_id(session=session, telegram_id=me.telegram_id)
        except ClassChoiceNeeded:
            before = None
        name = classes.choose_class(session=session, telegram_id=me.telegram_id, class_id=payload.class_id,
                                    now=now).name
        return name, before != payload.class_id

    name, changed = await services.db.run(unit)
    await press.accept()
    if changed:  # said once, when the commands start acting on another class
        log.info("instructor %s chose class %s", me.telegram_id, payload.class_id)
        await reply(update, context, t(me.lang, "taps_class_chosen", name=name))
    if payload.then:
        await _AGAIN[payload.then](update, context, me, f"#{payload.class_id}")


@on_press(LessonPick)
async def lesson_pick(update: Update, context: BotContext, press: Press[LessonPick]) -> None:
    """The modules (how many lessons of each the class has had), or one module's lessons (✅ had)."""
    me, services, payload = press.me, context.services, press.payload
    if payload.purpose not in class_pickers.PURPOSES:
        raise StaleReference(f"no purpose {payload.purpose!r}")

    def unit(session: Session) -> tuple[str, str, frozenset[str]]:
        name, course_id, _ = _taught(session, me, payload.class_id)
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{payload.class_id}")
        return name, course_id, frozenset(class_calendar.lessons_sent(session=session, klass=klass))

    name, course_id, had = await services.db.run(unit)
    course = services.catalog.courses[course_id]
    if payload.module_id:
        view = lessons_view(me.lang, course, class_id=payload.class_id, class_name=name, purpose=payload.purpose,
                            module_id=payload.module_id, had=had)
        if view is None:
            raise StaleReference(f"module {payload.module_id}")
    else:
        view = modules_view(me.lang, course, class_id=payload.class_id, class_name=name, purpose=payload.purpose,
                            had=had)
    await press.accept()
    await reply(update, context, view.text, view.markup)


@on_press(LessonPicked)
async def lesson_picked(update: Update, context: BotContext, press: Press[LessonPicked]) -> None:
    """Push the lesson now, or ask which day to schedule it or put it on the calendar."""
    me, services, payload = press.me, context.services, press.payload
    if payload.purpose not in class_pickers.PURPOSES:
        raise StaleReference(f"no purpose {payload.purpose!r}")
    name, course_id, _ = await services.db.run(lambda session: _taught(session, me, payload.class_id))
    lesson = services.catalog.courses[course_id].lessons.get(payload.lesson_id)
    if lesson is None:
        raise StaleReference(f"lesson {payload.lesson_id}")
    await press.accept()
    ref = f"#{payload.class_id}"
    if payload.purpose == "p":
        await class_commands.push_for(update, context, me, ref, lesson.id)
        return
    then = f"{ref} {{when}} lesson {lesson.id}" if payload.purpose == "s" else f"{ref} set {{when}} {lesson.id}"
    prompt = t(me.lang, f"taps_ask_day_{payload.purpose}", title=lesson.title, name=name)
    await ask_day(update, context, me, class_id=payload.class_id, purpose=payload.purpose,
                  item=lesson.id, prompt=prompt, then=then)


@on_press(DayPicked)
async def day_picked(update: Update, context: BotContext, press: Press[DayPicked]) -> None:
    """A quick day: schedule the lesson or announcement at the class's time that day, or put the lesson on it."""
    me, services, payload = press.me, context.services, press.payload
    if payload.purpose not in ("s", "m", "a"):
        raise StaleReference(f"no purpose {payload.purpose!r}")
    now = services.clock.now()

    def unit(session: Session) -> class_pickers.QuickDay:
        _, course_id, _ = _taught(session, me, payload.class_id)
        klass = classes.require_class(session=session, telegram_id=me.telegram_id, ref=f"#{payload.class_id}")
        if payload.purpose != "a" and payload.item not in services.catalog.courses[course_id].lessons:
            raise StaleReference(f"lesson {payload.item}")
        day = class_pickers.require_quick_day(session=session, klass=klass, now=now, day=payload.day)
        conversation_steps.clear(session=session, telegram_id=me.telegram_id)  # the typed answer is not awaited
        return day

    day = await services.db.run(unit)
    services.waiting.steps.pop(me.telegram_id, None)
    await press.accept()
    ref, when = f"#{payload.class_id}", day.when
    if payload.purpose == "m":
        await class_commands.plan_for(update, context, me, ref, ["set", day.day.isoformat(), payload.item])
    elif payload.purpose == "s":
        await class_commands.schedule_from_text(update, context, f"{ref} {when} lesson {payload.item}")
    else:
        if not payload.item.isdigit():
            raise StaleReference(f"announcement {payload.item!r}")
        await class_commands.schedule_from_text(update, context, f"{when} #a{payload.item}")


@on_press(PostCancel)
async def post_cancel(update: Update, context: BotContext, press: Press[PostCancel]) -> None:
    """Cancel a scheduled announcement: it will not go out."""
    me = press.me
    announcement_id, name = await context.services.db.run(lambda session: class_pickers.cancel_post(
        session=session, telegram_id=me.telegram_id, post_id=press.payload.post_id))
    await press.accept()
    await reply(update, context, t(me.lang, "taps_post_cancelled", id=announcement_id, name=name))


@on_press(PostMove)
async def post_move(update: Update, context: BotContext, press: Press[PostMove]) -> None:
    """Free a scheduled announcement's time, then ask for the new one (quick days, or typed)."""
    me = press.me

    def unit(session: Session) -> tuple[int, int, str]:
        announcement_id, klass = class_pickers.free_post(session=session, telegram_id=me.telegram_id,
                                                         post_id=press.payload.post_id)
        return announcement_id, klass.id or 0, klass.name

    announcement_id, class_id, name = await context.services.db.run(unit)
    await press.accept()
    await ask_day(update, context, me, class_id=class_id, purpose="a", item=str(announcement_id),
                  prompt=t(me.lang, "taps_ask_day_move", id=announcement_id, name=name),
                  then=f"{{when}} #a{announcement_id}")


def handlers() -> list[BaseHandler]:
    return [press_handler(class_chosen), press_handler(lesson_pick), press_handler(lesson_picked),
            press_handler(day_picked), press_handler(post_cancel), press_handler(post_move)]
