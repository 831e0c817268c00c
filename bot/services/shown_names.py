"""A person's name as others see it (boards, class stats, certificates, /verify, announcements): one function.

Telegram lets a first name hold anything: right-to-left overrides that turn "Ana‮1202 ni deifitreC" around,
zero-width and other invisible characters that make two names look alike or a name look empty, line breaks, and
64 characters. `shown_name` keeps the letters, marks, digits, symbols and plain spaces, drops the rest, and bounds
the length; a name left empty becomes `fallback`. HTML escaping stays the renderer's job (bot/i18n).
"""

from __future__ import annotations

import unicodedata

__all__ = ["MAX_SHOWN", "shown_name"]

MAX_SHOWN = 32
_DROPPED_CATEGORIES = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")
"""Controls, format characters (bidirectional controls, zero-width spaces and joiners), surrogates, private use,
unassigned, line and paragraph separators."""
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
"""Letters and symbols that draw nothing (Hangul fillers, the Braille blank, the Mongolian vowel separator)."""


def shown_name(raw: str | None, *, fallback: str = "?") -> str:
    """`raw` cleaned of invisible and direction-changing characters, spaces collapsed, at most MAX_SHOWN characters."""
    kept = []
    for char in raw or "":
        category = unicodedata.category(char)
        if category in _DROPPED_CATEGORIES or char in _INVISIBLE_LETTERS:
            continue
        kept.append(" " if category == "Zs" else char)
    name = " ".join("".join(kept).split())
    if len(name) > MAX_SHOWN:
        name = name[:MAX_SHOWN - 1].rstrip() + "…"
    return name or fallback
