"""The class routes' common part: the class in the path, checked against the caller, and domain errors as JSON.

An instructor reaches only the classes they teach (another class's id: 404, whether it exists or not); someone
who teaches no class gets 403. Every error carries `message`, in the caller's language (the page shows it).
"""

from __future__ import annotations

import functools
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from aiohttp import web

from bot.context import Services
from bot.i18n import label, t
from bot.services import mini_app_class
from bot.services.class_errors import (
    ClassError,
    ClassNotFound,
    ContentProblems,
    InvalidWhen,
    NothingToPush,
    NotInstructor,
    PastDay,
    UnknownLesson,
)
from bot.services.unit_of_work import Session
from bot.webapp.server import APPLICATION, caller

if TYPE_CHECKING:
    from bot.storage.models import Classroom

__all__ = ["ApiFailure", "ClassCall", "bad_request", "class_route", "for_class", "plain", "read_json", "services_of"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_TAG = re.compile(r"<[^>]+>")


class ApiFailure(Exception):
    """An answer other than 200: `status`, a stable `error` code, and `message` for the person."""

    def __init__(self, status: int, error: str, message: str, **extra: object) -> None:
        super().__init__(error)
        self.status, self.error, self.message, self.extra = status, error, message, extra


@dataclass(frozen=True)
class ClassCall:
    """What a class route knows once the caller is checked: their language and the class's id."""

    lang: str
    class_id: int
    telegram_id: int


def services_of(request: web.Request) -> Services:
    services: Services = request.app[APPLICATION].bot_data["services"]
    return services


def _fallback_language(request: web.Request) -> str:
    code = caller(request).language_code
    return code if code in ("fr", "en") else services_of(request).settings.default_language


async def read_json(request: web.Request) -> dict[str, object]:
    """The request's JSON object (400 when it is not one)."""
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise bad_request(request)
    return body


def bad_request(request: web.Request) -> ApiFailure:
    """A request the page would not send (a field missing or of the wrong kind)."""
    return ApiFailure(400, "bad_request", label(_fallback_language(request), "ma_bad_request"))


def plain(text: str) -> str:
    """A chat message (Telegram HTML) as plain text for the page."""
    return html.unescape(_TAG.sub("", text))


def class_route(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Turn an ApiFailure raised by `handler` into its JSON answer."""
    @functools.wraps(handler)
    async def answer(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except ApiFailure as failure:
            return web.json_response({"error": failure.error, "message": failure.message, **failure.extra},
                                     status=failure.status, headers={"Cache-Control": "no-store"})
    return answer


async def for_class(request: web.Request, work: Callable[[Session, Classroom, ClassCall], T]) -> tuple[ClassCall, T]:
    """Run `work(session, klass, call)` in one unit for the class `{class_id}` of the path, if the caller teaches
    it; a domain error becomes an ApiFailure worded in the caller's language (the unit is rolled back)."""
    who = caller(request)
    services = services_of(request)
    fallback = _fallback_language(request)
    raw = request.match_info.get("class_id", "")
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        raise ApiFailure(404, "not_found", label(fallback, "ma_not_found"))
    class_id = int(raw)

    def unit(session: Session) -> tuple[ClassCall, T]:
        lang = mini_app_class.caller_language(session=session, telegram_id=who.telegram_id) or fallback
        call = ClassCall(lang=lang, class_id=class_id, telegram_id=who.telegram_id)
        try:
            klass = mini_app_class.taught_class(session=session, telegram_id=who.telegram_id, class_id=class_id,
                                                first_instructors=services.settings.instructor_ids)
            return call, work(session, klass, call)
        except ClassError as exc:
            raise _failure(exc, lang, who.telegram_id, class_id) from exc

    return await services.db.run(unit)


def _failure(exc: ClassError, lang: str, telegram_id: int, class_id: int) -> ApiFailure:
    if isinstance(exc, NotInstructor):
        log.warning("Mini App: class %s refused to %s (not an instructor)", class_id, telegram_id)
        return ApiFailure(403, "forbidden", label(lang, "ma_forbidden"))
    if isinstance(exc, ClassNotFound):
        log.info("Mini App: class %s is not one of %s's", class_id, telegram_id)
        return ApiFailure(404, "not_found", label(lang, "ma_not_found"))
    if isinstance(exc, PastDay):
        return ApiFailure(409, "past_day", label(lang, "ma_past_day", date=exc.day.isoformat(),
                                                 earliest=exc.earliest.isoformat()))
    if isinstance(exc, InvalidWhen):
        key = "ma_when_past" if exc.reason == "past" else "ma_bad_when"
        return ApiFailure(422, "bad_when", label(lang, key, value=exc.value))
    if isinstance(exc, UnknownLesson):
        return ApiFailure(422, "unknown_lesson", label(lang, "ma_unknown_lesson", lesson=exc.lesson_id))
    if isinstance(exc, NothingToPush):
        return ApiFailure(409, "nothing_to_push", label(lang, "ma_nothing_to_push"))
    if isinstance(exc, ContentProblems):
        problems = [{"line": p.line, "text": plain(t(lang, f"md_{p.code}", **dict(p.values)))} for p in exc.problems]
        return ApiFailure(422, "content_problems", label(lang, "ma_content_problems"), problems=problems)
    log.warning("Mini App: class %s, %s: %s", class_id, telegram_id, exc)
    return ApiFailure(400, "refused", label(lang, "ma_refused"))
