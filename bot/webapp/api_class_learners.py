"""The Learners tab: each member's progress, last activity, quiz score, exercises and streak, the furthest behind
first; the same table as CSV (as /class stats sends it), downloaded or sent to the instructor's chat.

    GET  /api/class/{id}/learners
    GET  /api/class/{id}/learners.csv
    POST /api/class/{id}/learners/csv-to-chat
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import web
from telegram import InputFile

from bot.i18n import label, t
from bot.services import class_stats, mini_app_class, mini_app_learners
from bot.webapp.api_class_access import class_route, for_class, services_of
from bot.webapp.server import APPLICATION

if TYPE_CHECKING:
    pass

__all__ = ["routes"]


def routes() -> Iterable[web.AbstractRouteDef]:
    return [
        web.get("/api/class/{class_id}/learners", learners),
        web.get("/api/class/{class_id}/learners.csv", learners_csv),
        web.post("/api/class/{class_id}/learners/csv-to-chat", csv_to_chat),
    ]


def _line_json(line: mini_app_class.LearnerLine) -> dict[str, object]:
    return {
        "member": line.member, "name": line.name, "lessons_done": line.lessons_done,
        "lessons_total": line.lessons_total, "behind_by": line.behind_by,
        "quiz_percent": None if line.first_try_accuracy is None else round(100 * line.first_try_accuracy),
        "questions_answered": line.questions_answered, "exercises_done": line.exercises_done,
        "streak": line.streak,
        "last_activity": line.last_activity.isoformat(timespec="seconds") if line.last_activity else None,
    }


@class_route
async def learners(request: web.Request) -> web.Response:
    services = services_of(request)
    now = services.clock.now()

    _, (stats, lines) = await for_class(request, lambda session, klass, call: mini_app_learners.learners_table(
        session=session, catalog=services.catalog, klass=klass, now=now))
    return web.json_response({"class_id": stats.class_id, "class_name": stats.class_name,
                              "planned_so_far": stats.planned_so_far, "now": now.isoformat(timespec="seconds"),
                              "learners": [_line_json(line) for line in lines]})


async def _csv(request: web.Request) -> class_stats.ClassStats:
    services = services_of(request)
    now = services.clock.now()
    _, stats = await for_class(request, lambda session, klass, call: class_stats.class_stats(
        session=session, catalog=services.catalog, klass=klass, now=now))
    return stats


@class_route
async def learners_csv(request: web.Request) -> web.Response:
    stats = await _csv(request)
    return web.Response(body=class_stats.render_csv(stats), content_type="text/csv", charset="utf-8", headers={
        "Content-Disposition": f'attachment; filename="class-{stats.class_id}.csv"'})


@class_route
async def csv_to_chat(request: web.Request) -> web.Response:
    """Inside Telegram a page cannot always save a file: the bot sends the table to the instructor's chat."""
    services = services_of(request)
    now = services.clock.now()
    call, stats = await for_class(request, lambda session, klass, call: class_stats.class_stats(
        session=session, catalog=services.catalog, klass=klass, now=now))
    await request.app[APPLICATION].bot.send_document(chat_id=call.telegram_id, caption=t(call.lang, "stats_csv_caption"),
                            document=InputFile(class_stats.render_csv(stats), filename=f"class-{stats.class_id}.csv"))
    return web.json_response({"message": label(call.lang, "ma_csv_sent")})
