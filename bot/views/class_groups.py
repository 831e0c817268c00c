"""A group linked to a class, as text: the link's status, and what a linked group's game asks."""

from __future__ import annotations

from bot.content import Catalog
from bot.i18n import t
from bot.services.class_groups import GameSource, LinkedClass

__all__ = ["game_source_text", "group_link_link", "link_status_text"]

_SHOWN_LESSONS = 6


def group_link_link(bot_username: str, class_id: int) -> str:
    """Telegram's "add to a group" link: the group then receives `/start link-<id>` from the instructor."""
    return f"https://t.me/{bot_username}?startgroup=link-{class_id}"


def link_status_text(lang: str, linked: LinkedClass | None) -> str:
    if linked is None:
        return t(lang, "cg_status_none")
    return t(lang, "cg_status", name=linked.name, id=linked.class_id)


def game_source_text(lang: str, source: GameSource, catalog: Catalog) -> str:
    course = catalog.courses[source.course_id]
    titles = [course.lessons[lesson_id].title for lesson_id in source.lesson_ids if lesson_id in course.lessons]
    shown = ", ".join(titles[-_SHOWN_LESSONS:]) + (" …" if len(titles) > _SHOWN_LESSONS else "")
    return t(lang, f"cg_game_{source.scope}", name=source.class_name, lessons=shown)
