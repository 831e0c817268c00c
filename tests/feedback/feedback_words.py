"""A diagnosis or a review's remark as the learner reads it, without the HTML: what the tests compare."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.feedback import BuildDiagnosis, Finding
from bot.views.feedback import diagnosis_text, phrase


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


def remark(finding: Finding, lang: str = "fr") -> Words:
    """A review's remark as the learner reads it."""
    return Words(*(plain(phrase(lang, part)) for part in (finding.title, finding.why, finding.fix)))
