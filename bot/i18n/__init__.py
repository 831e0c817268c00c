"""Interface text in French and English, kept in YAML files a translator can edit.

Each language has `<lang>.yaml` and a folder `<lang>/` with one file per feature (groups, classes...).

`t(lang, key, **values)` formats a message; values are HTML-escaped because every
message is sent in HTML parse mode and may contain what a learner wrote. `size(lang, n)` words a
number of bytes (binary units, as the lab's limits are set).
"""

from __future__ import annotations

import html
from functools import cache
from pathlib import Path

import yaml

__all__ = ["LANGUAGES", "Raw", "has_message", "label", "size", "t"]

LANGUAGES = ("fr", "en")
_DIR = Path(__file__).parent


@cache
def _catalog(lang: str) -> dict[str, str]:
    """`<lang>.yaml` plus every `<lang>/*.yaml` (one file per feature); a key defined twice is an error."""
    catalog: dict[str, str] = {}
    for path in (_DIR / f"{lang}.yaml", *sorted((_DIR / lang).glob("*.yaml"))):
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        twice = sorted(set(part) & set(catalog))
        if twice:
            raise ValueError(f"{path.name}: message(s) already defined: {', '.join(twice)}")
        catalog.update(part)
    return catalog


def t(lang: str, key: str, /, **values: object) -> str:
    """The message `key` in `lang` (French when unknown), with escaped values."""
    catalog = _catalog(lang if lang in LANGUAGES else "fr")
    template = catalog.get(key) or _catalog("fr").get(key)
    if template is None:
        raise KeyError(f"missing message {key!r}")
    safe = {name: value if isinstance(value, Raw) else html.escape(str(value), quote=False) for name, value in values.items()}
    return template.format(**safe)


def has_message(key: str, /) -> bool:
    """Whether `key` is a message (in French, the reference language)."""
    return key in _catalog("fr")


def label(lang: str, key: str, /, **values: object) -> str:
    """A button label: plain text, so values are not escaped."""
    catalog = _catalog(lang if lang in LANGUAGES else "fr")
    template = catalog.get(key) or _catalog("fr")[key]
    return template.format(**values)


_SIZE_UNITS = (("size_gib", 1024**3), ("size_mib", 1024**2), ("size_kib", 1024))


def size(lang: str, n: int) -> str:
    """`n` bytes in the largest binary unit it fills, one decimal at most: "5,1 Gio", "256 KiB", "12 bytes"."""
    key, value = next(((key, n / unit) for key, unit in _SIZE_UNITS if n >= unit), ("size_bytes", float(n)))
    number = f"{value:.1f}".removesuffix(".0").replace(".", t(lang, "decimal_point"))
    return t(lang, key, value=number)


class Raw(str):
    """Already-safe HTML passed into a message without escaping."""
