"""The line that opens an announcement a member receives: which class, and who wrote it, in the member's language."""

from __future__ import annotations

from bot.i18n import t

__all__ = ["announcement_header"]


def announcement_header(lang: str, class_name: str, author: str) -> str:
    return t(lang, "announce_header" if author else "announce_header_class", name=class_name, author=author)
