"""The Today tab: a class's calendar (sent, to come, posts planned), and moving, skipping or pushing a lesson.

    GET  /api/class/{id}/today
    POST /api/class/{id}/calendar/move    {"lesson_id", "date": "YYYY-MM-DD", "time": "HH:MM" (optional)}
    POST /api/class/{id}/calendar/skip    {"date"}
    POST /api/class/{id}/calendar/cancel  {"post_id"}
    POST /api/class/{id}/push             {"lesson_id" (optional: the calendar's next)}

Each action answers {"message", "today"}: what happened, in the caller's language, and the calendar as it is now.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.i18n import label
from bot.services import class_calendar, class_dates, classes, mini_app_class
from bot.services.unit_of_work import Session
from bot.webapp.api_class_access import (
    ApiFailure,
    ClassCall,
    bad_request,
    class_route,
    for_class,
    read_json,
    services_of,
)

if TYPE_CHECKING:
    from bot.storage.models import Classroom

__all__ = ["routes"]


def routes() -> Iterable[web.AbstractRouteDef]:
    return [
        web.get("/api/class/{class_id}/today", today),
        web.post("/api/class/{class_id}/calendar/move", move),
        web.post("/api/class/{class_id}/calendar/skip", skip),
        web.post("/api/class/{class_id}/calendar/cancel", cancel),
        web.post("/api/class/{class_id}/push", push),
    ]


def today_json(view: mini_app_class.TodayView) -> dict[str, object]:
    zone = ZoneInfo(view.timezone)
    return {
        "class": {"id": view.class_id, "name": view.name, "timezone": view.timezone,
                  "lesson_time": view.lesson_time.strftime("%H:%M"), "members": view.members},
        "today": view.today.isoformat(),
        "calendar": [{"date": line.on_date.isoformat(), "lesson_id": line.lesson_id, "title": line.title,
                      "at": line.due_at.astimezone(zone).strftime("%H:%M"), "sent": line.sent}
                     for line in view.calendar],
        "posts": [{"id": post.id, "kind": post.kind, "lesson_id": post.lesson_id, "title": post.title,
                   "date": post.due_at.astimezone(zone).date().isoformat(),
                   "at": post.due_at.astimezone(zone).strftime("%H:%M")} for post in view.posts],
        "next_unsent": [{"lesson_id": lesson_id, "title": title} for lesson_id, title in view.next_unsent],
    }


def _view(session: Session, klass: Classroom, request: web.Request) -> dict[str, object]:
    services = services_of(request)
    return today_json(mini_app_class.today_view(session=session, catalog=services.catalog, klass=klass,
                                                now=services.clock.now()))


@class_route
async def today(request: web.Request) -> web.Response:
    _, body = await for_class(request, lambda session, klass, call: _view(session, klass, request))
    return web.json_response(body)


def _text(request: web.Request, body: dict[str, object], key: str, *, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 64:
        raise bad_request(request)
    return value.strip()


def _date(value: str | None) -> date:
    return class_calendar.parse_date(value or "")


def _time(value: str | None) -> time | None:
    return class_dates.parse_clock(value) if value else None


@class_route
async def move(request: web.Request) -> web.Response:
    body = await read_json(request)
    lesson_id, day = _text(request, body, "lesson_id"), _text(request, body, "date")
    at = _text(request, body, "time", required=False)
    services = services_of(request)
    now = services.clock.now()

    def work(session: Session, klass: Classroom, call: ClassCall) -> tuple[str, dict[str, object]]:
        assert lesson_id is not None
        on_date = _date(day)
        moved = mini_app_class.move_lesson(session=session, catalog=services.catalog, klass=klass,
                                           lesson_id=lesson_id, on_date=on_date, at=_time(at), now=now,
                                           by=call.telegram_id)
        course = services.catalog.courses[klass.course_id]
        when = moved.due_at.astimezone(ZoneInfo(klass.timezone)).strftime("%Y-%m-%d %H:%M")
        message = label(call.lang, "ma_moved", title=course.lesson_title(lesson_id), when=when)
        if moved.entry is not None and moved.entry.replaced is not None:
            message += " " + label(call.lang, "ma_moved_replaced", title=course.lesson_title(moved.entry.replaced))
        if moved.entry is not None and moved.entry.sent_on is not None:
            message += " " + label(call.lang, "ma_moved_already_sent", date=moved.entry.sent_on.isoformat())
        session.flush()
        return message, _view(session, klass, request)

    _, (message, view) = await for_class(request, work)
    return web.json_response({"message": message, "today": view})


@class_route
async def skip(request: web.Request) -> web.Response:
    body = await read_json(request)
    day = _text(request, body, "date")
    services = services_of(request)

    def work(session: Session, klass: Classroom, call: ClassCall) -> tuple[str, dict[str, object]]:
        on_date = _date(day)
        dropped = class_calendar.drop_entry(session=session, klass=klass, on_date=on_date)
        if dropped is None:
            message = label(call.lang, "ma_skip_nothing", date=on_date.isoformat())
        else:
            message = label(call.lang, "ma_skipped", date=on_date.isoformat(),
                            title=services.catalog.courses[klass.course_id].lesson_title(dropped))
        session.flush()
        return message, _view(session, klass, request)

    _, (message, view) = await for_class(request, work)
    return web.json_response({"message": message, "today": view})


@class_route
async def cancel(request: web.Request) -> web.Response:
    body = await read_json(request)
    post_id = body.get("post_id")
    if not isinstance(post_id, int) or isinstance(post_id, bool):
        raise bad_request(request)

    def work(session: Session, klass: Classroom, call: ClassCall) -> tuple[str, dict[str, object]]:
        done = mini_app_class.cancel_post(session=session, klass=klass, post_id=post_id)
        session.flush()
        return label(call.lang, "ma_post_cancelled" if done else "ma_post_gone"), _view(session, klass, request)

    _, (message, view) = await for_class(request, work)
    return web.json_response({"message": message, "today": view})


@class_route
async def push(request: web.Request) -> web.Response:
    body = await read_json(request)
    lesson_id = _text(request, body, "lesson_id", required=False)
    services = services_of(request)
    now = services.clock.now()

    def work(session: Session, klass: Classroom, call: ClassCall) -> tuple[str, dict[str, object]]:
        if classes.member_count(session=session, class_id=klass.id or 0) == 0:
            raise ApiFailure(409, "no_members", label(call.lang, "ma_no_members"))
        pushed = class_calendar.push_lesson(session=session, catalog=services.catalog, klass=klass, now=now,
                                            lesson_id=lesson_id, by=call.telegram_id)
        message = label(call.lang, "ma_pushed", title=pushed.title, queued=pushed.queued)
        if pushed.already:
            message += " " + label(call.lang, "ma_pushed_already", already=pushed.already)
        session.flush()
        return message, _view(session, klass, request)

    _, (message, view) = await for_class(request, work)
    services.outbox_signal.set()
    return web.json_response({"message": message, "today": view})
