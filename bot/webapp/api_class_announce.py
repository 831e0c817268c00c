"""The Announce tab: a Markdown announcement checked as /announce checks it, previewed as learners will get it,
then sent now or planned for a date and time in the class's time zone (as /schedule does).

    POST /api/class/{id}/announce/preview  {"text"}  -> {"parts_html": [...], "members"}  (422: the problems)
    POST /api/class/{id}/announce          {"text", "date", "time"} (no date: now) -> {"message", "id"}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.i18n import label
from bot.services import announcements, class_calendar, class_dates, classes, mini_app_class
from bot.services.unit_of_work import Session
from bot.views.announcement_header import announcement_header
from bot.webapp.api_class_access import (
    ApiFailure,
    ClassCall,
    bad_request,
    class_route,
    for_class,
    read_json,
    services_of,
)
from bot.webapp.preview_html import page_html

if TYPE_CHECKING:
    from bot.storage.models import Classroom

__all__ = ["routes"]

MAX_TEXT = 5 * 4096  # what announcements.prepare accepts at most, with room for Markdown marks


def routes() -> Iterable[web.AbstractRouteDef]:
    return [
        web.post("/api/class/{class_id}/announce/preview", preview),
        web.post("/api/class/{class_id}/announce", announce),
    ]


async def _text(request: web.Request) -> tuple[dict[str, object], str]:
    body = await read_json(request)
    text = body.get("text")
    if not isinstance(text, str) or len(text) > 2 * MAX_TEXT:
        raise bad_request(request)
    return body, text


@class_route
async def preview(request: web.Request) -> web.Response:
    _, text = await _text(request)

    def work(session: Session, klass: Classroom, call: ClassCall) -> dict[str, object]:
        parts = announcements.prepare(text)
        author = mini_app_class.author_name(session=session, telegram_id=call.telegram_id)
        shown = announcements.with_header(parts, announcement_header(call.lang, klass.name, author))
        return {"parts_html": [page_html(part) for part in shown],
                "members": classes.member_count(session=session, class_id=klass.id or 0)}

    _, body = await for_class(request, work)
    return web.json_response(body)


@class_route
async def announce(request: web.Request) -> web.Response:
    body, text = await _text(request)
    day, at = body.get("date"), body.get("time")
    if not (day is None or isinstance(day, str)) or not (at is None or isinstance(at, str)):
        raise bad_request(request)
    services = services_of(request)
    now = services.clock.now()

    def work(session: Session, klass: Classroom, call: ClassCall) -> tuple[str, int]:
        zone = ZoneInfo(klass.timezone)
        due = None
        if day:
            due = datetime.combine(class_calendar.parse_date(day), class_dates.parse_clock(at or "09:00"),
                                   tzinfo=zone).astimezone(ZoneInfo("UTC"))
        elif classes.member_count(session=session, class_id=klass.id or 0) == 0:
            raise ApiFailure(409, "no_members", label(call.lang, "ma_no_members"))
        draft, queued = mini_app_class.announce(session=session, klass=klass, author=call.telegram_id, text=text,
                                                now=now, catalog=services.catalog, due_at=due,
                                                header=announcement_header)
        if queued is not None:
            return label(call.lang, "ma_announced", members=queued.members, name=klass.name), draft.id
        assert due is not None
        return label(call.lang, "ma_announce_scheduled", when=due.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                     timezone=klass.timezone, name=klass.name), draft.id

    _, (message, announcement_id) = await for_class(request, work)
    services.outbox_signal.set()
    return web.json_response({"message": message, "id": announcement_id})
