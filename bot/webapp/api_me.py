"""`GET /api/me`: who the caller is, and the classes they teach or belong to (only their own facts)."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from bot.context import Services
from bot.services.mini_app_people import mini_app_person
from bot.webapp.server import APPLICATION, caller

__all__ = ["routes"]


def routes() -> Iterable[web.AbstractRouteDef]:
    return [web.get("/api/me", me)]


async def me(request: web.Request) -> web.Response:
    who = caller(request)
    services: Services = request.app[APPLICATION].bot_data["services"]
    person = await services.db.run(lambda session: mini_app_person(
        session=session, telegram_id=who.telegram_id, first_instructors=services.settings.instructor_ids))
    language = person.language or (who.language_code if who.language_code in ("fr", "en") else None)
    return web.json_response({
        "first_name": who.first_name,
        "language": language or services.settings.default_language,
        "instructor": person.instructor,
        "teaches": [{"id": taught.id, "name": taught.name, "course": taught.course_id, "timezone": taught.timezone,
                     "members": taught.members} for taught in person.teaches],
        "learns_in": list(person.learns_in),
        "lab": services.settings.lab_enabled and services.sandbox is not None,  # the Lab tab shows when true
    })
