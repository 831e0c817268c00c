"""The Charts tab: the data /class stats draws, as series the page draws itself (SVG, no library).

    GET /api/class/{id}/charts
"""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from bot.services import class_stats, mini_app_class
from bot.webapp.api_class_access import class_route, for_class, services_of

__all__ = ["routes"]


def routes() -> Iterable[web.AbstractRouteDef]:
    return [web.get("/api/class/{class_id}/charts", charts)]


@class_route
async def charts(request: web.Request) -> web.Response:
    services = services_of(request)
    now = services.clock.now()
    _, stats = await for_class(request, lambda session, klass, call: class_stats.class_stats(
        session=session, catalog=services.catalog, klass=klass, now=now))
    return web.json_response({"class_id": stats.class_id, "class_name": stats.class_name,
                              **mini_app_class.chart_data(stats)})
