"""A diagnosis as the learner reads it, without the HTML: what the tests compare."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.feedback import BuildDiagnosis
from bot.views.feedback import diagnosis_text


@dataclass(frozen=True)
class Words:
    cause: str
    explanation: str
    fix: str


def plain(text: str) -> str:
    """Telegram HTML as the learner reads it: tags dropped (`<code>` kept as backticks), entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"</?code>", "`", text)))


def words(diagnosis: BuildDiagnosis, lang: str = "fr") -> Words:
    text = diagnosis_text(lang, diagnosis)
    return Words(plain(text.cause), plain(text.explanation), plain(text.fix))
