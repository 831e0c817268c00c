"""Telegram HTML for a phone: a review or a build diagnosis, escaped, under a length limit.

Only <b>, <i>, <code> and <pre> are produced. Everything from the learner or a tool is escaped;
text between backticks in our French strings becomes <code>.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from bot.feedback.models import BuildDiagnosis, DockerfileReview, Finding

__all__ = ["render_diagnosis_html", "render_review_html"]

LessonLink = Callable[[str], str | None]
_ICONS = {"error": "⛔", "warning": "⚠️", "info": "💡"}
_BACKTICKS = re.compile(r"`([^`\n]+)`")
_FIELD_MAX = 400


def _no_lesson(_: str) -> str | None:
    return None


def _rich(text: str) -> str:
    """Escape, then turn `code` spans into <code> (backticks are never escaped by html.escape)."""
    return _BACKTICKS.sub(r"<code>\1</code>", html.escape(_clip(text), quote=False))


def _clip(text: str, limit: int = _FIELD_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _lesson(topic: str, lesson_link: LessonLink) -> str:
    title = lesson_link(topic)
    return f"\n📖 Leçon : <i>{html.escape(_clip(title, 120), quote=False)}</i>" if title else ""


def _where(finding: Finding) -> str:
    if finding.line is None:
        return ""
    if finding.end_line and finding.end_line != finding.line:
        return f"L{finding.line}–{finding.end_line} · "
    return f"L{finding.line} · "


def _finding_block(finding: Finding, lesson_link: LessonLink) -> str:
    return (
        f"{_ICONS[finding.severity]} <b>{_where(finding)}{_rich(finding.title_fr)}</b>\n"
        f"{_rich(finding.why_fr)}\n→ {_rich(finding.fix_fr)}{_lesson(finding.topic, lesson_link)}"
    )


def render_review_html(review: DockerfileReview, *, lesson_link: LessonLink = _no_lesson, limit: int = 3500) -> str:
    """The review as one Telegram message: headline, then findings until `limit` characters."""
    count = len(review.findings)
    if count == 0:
        headline = "✅ <b>Rien à redire</b> : ce Dockerfile suit les bonnes pratiques du cours."
    elif count == 1:
        headline = "<b>1 remarque</b>"
    else:
        headline = f"<b>{count} remarques, la plus importante d'abord</b>"
    notes = []
    if review.hadolint_status in {"unavailable", "failed"}:
        notes.append("<i>hadolint n'a pas pu tourner : seules les règles du cours ont été appliquées.</i>")
    parts = [headline, *notes]
    used = sum(len(p) + 2 for p in parts)
    for index, finding in enumerate(review.findings):
        block = _finding_block(finding, lesson_link)
        remaining = count - index
        tail = f"… et {remaining - 1} autres remarques" if remaining > 1 else ""
        if used + len(block) + 2 + len(tail) + 2 > limit:
            parts.append(f"… et {remaining} autre{'s' if remaining > 1 else ''} remarque{'s' if remaining > 1 else ''}")
            break
        parts.append(block)
        used += len(block) + 2
    return "\n\n".join(parts)


def render_diagnosis_html(diagnosis: BuildDiagnosis, *, lesson_link: LessonLink = _no_lesson, limit: int = 3500,
                          command: bool = False) -> str:
    """Why the build (or, with `command`, the command) failed, which line to change and how, as one message."""
    where = f" ligne {diagnosis.line}" if diagnosis.line is not None else ""
    parts = ["🩺 <b>Ce qui s'est passé</b>" if command else f"🧱 <b>La construction a échoué{where}</b>"]
    if diagnosis.step and not command:
        parts.append(f"<code>{html.escape(_clip(diagnosis.step, 300), quote=False)}</code>")
    parts.append(f"<b>{_rich(diagnosis.cause_fr)}</b>\n{_rich(diagnosis.explanation_fr)}\n→ {_rich(diagnosis.fix_fr)}"
                 + _lesson(diagnosis.topic, lesson_link))
    if diagnosis.evidence and not command:  # a command's output is shown just above
        parts.append(f"Message de Docker :\n<pre>{html.escape(_clip(diagnosis.evidence, 300), quote=False)}</pre>")
    text = "\n\n".join(parts)
    while len(text) > limit and len(parts) > 1:
        parts.pop()
        text = "\n\n".join(parts)
    return text
