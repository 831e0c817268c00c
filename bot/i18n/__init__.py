"""Interface text in French and English, kept in YAML files a translator can edit.

`t(lang, key, **values)` formats a message; values are HTML-escaped because every
message is sent in HTML parse mode and may contain what a learner wrote.
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import yaml

__all__ = ["LANGUAGES", "Raw", "label", "t"]

LANGUAGES = ("fr", "en")
_DIR = Path(__file__).parent


@cache
def _catalog(lang: str) -> dict[str, str]:
    return yaml.safe_load((_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))


def t(lang: str, key: str, /, **values: object) -> str:
    """The message `key` in `lang` (French when unknown), with escaped values."""
    catalog = _catalog(lang if lang in LANGUAGES else "fr")
    template = catalog.get(key) or _catalog("fr").get(key)
    if template is None:
        raise KeyError(f"missing message {key!r}")
    safe = {name: value if isinstance(value, Raw) else html.escape(str(value), quote=False) for name, value in values.items()}
    return template.format(**safe)


def label(lang: str, key: str, /, **values: object) -> str:
    """A button label: plain text, so values are not escaped."""
    catalog = _catalog(lang if lang in LANGUAGES else "fr")
    template = catalog.get(key) or _catalog("fr")[key]
    return template.format(**values)


class Raw(str):
    """Already-safe HTML passed into a message without escaping."""
