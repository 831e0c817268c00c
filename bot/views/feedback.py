"""Feedback in the learner's language: a build or command diagnosis, a Dockerfile review, a note on the lab's images.

bot/feedback hands back data (a diagnosis's cause `code` and values, a remark's `Phrase`s); the words are in
bot/i18n/*/diagnosis.yaml and dockerfile_review.yaml. Telegram HTML for a phone, under a length limit: everything from the learner or a
tool is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bot.feedback import BuildDiagnosis, DockerfileReview, Finding, Phrase
from bot.feedback.importance import shown_severities
from bot.feedback.models import Severity, Value
from bot.i18n import Raw, t

__all__ = ["DiagnosisText", "LessonLink", "diagnosis_text", "phrase", "render_diagnosis_html", "render_review_html"]

LessonLink = Callable[[str], str | None]
_ICONS = {"error": "⛔", "warning": "⚠️", "info": "💡"}
_FIELD_MAX = 400
_VALUE_MAX = 300


def _no_lesson(_: str) -> str | None:
    return None


def _clip(text: str, limit: int = _FIELD_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(lang: str, value: Value) -> object:
    if isinstance(value, Phrase):
        return phrase(lang, value)
    if isinstance(value, tuple):
        return Raw(", ".join(f"<code>{html.escape(_clip(name, _VALUE_MAX), quote=False)}</code>" for name in value))
    return _clip(value, _VALUE_MAX) if isinstance(value, str) else value


def _values(lang: str, values: Mapping[str, Value]) -> dict[str, object]:
    return {name: _value(lang, value) for name, value in values.items()}


def phrase(lang: str, message: Phrase) -> Raw:
    """A message of the catalogs with its values (themselves messages, names or text), as safe HTML."""
    return Raw(t(lang, message.key, **_values(lang, message.values)))


@dataclass(frozen=True)
class DiagnosisText:
    """A diagnosis worded in one language: cause, explanation and fix, each safe HTML."""

    cause: str
    explanation: str
    fix: str


def diagnosis_text(lang: str, diagnosis: BuildDiagnosis) -> DiagnosisText:
    """The diagnosis's cause, explanation and fix in `lang` (the fix names the line to change, when known)."""
    values = _values(lang, diagnosis.values)
    fix = t(lang, f"diag_{diagnosis.code}_fix", **values)
    if diagnosis.line is not None:
        fix = t(lang, "diag_fix_at_line", line=diagnosis.line, fix=Raw(fix[:1].lower() + fix[1:]))
    return DiagnosisText(cause=t(lang, f"diag_{diagnosis.code}_cause", **values),
                         explanation=t(lang, f"diag_{diagnosis.code}_why", **values), fix=fix)


def _lesson(lang: str, topic: str, lesson_link: LessonLink) -> str:
    title = lesson_link(topic)
    return "\n" + t(lang, "feedback_lesson", title=_clip(title, 120)) if title else ""


def render_diagnosis_html(lang: str, diagnosis: BuildDiagnosis, *, lesson_link: LessonLink = _no_lesson,
                          limit: int = 3500, command: bool = False) -> str:
    """Why the build (or, with `command`, the command) failed, which line to change and how, as one message."""
    if command:
        title = t(lang, "diag_title_command")
    elif diagnosis.line is not None:
        title = t(lang, "diag_title_build_at_line", line=diagnosis.line)
    else:
        title = t(lang, "diag_title_build")
    parts = [title]
    if diagnosis.step and not command:
        parts.append(f"<code>{html.escape(_clip(diagnosis.step, 300), quote=False)}</code>")
    words = diagnosis_text(lang, diagnosis)
    parts.append(f"<b>{words.cause}</b>\n{words.explanation}\n→ {words.fix}"
                 + _lesson(lang, diagnosis.topic, lesson_link))
    if diagnosis.evidence and not command:  # a command's output is shown just above
        parts.append(t(lang, "diag_docker_said")
                     + f"\n<pre>{html.escape(_clip(diagnosis.evidence, 300), quote=False)}</pre>")
    text = "\n\n".join(parts)
    while len(text) > limit and len(parts) > 1:
        parts.pop()
        text = "\n\n".join(parts)
    return text


def _where(finding: Finding) -> str:
    if finding.line is None:
        return ""
    if finding.end_line and finding.end_line != finding.line:
        return f"L{finding.line}–{finding.end_line} · "
    return f"L{finding.line} · "


def _finding_block(lang: str, finding: Finding, lesson_link: LessonLink, shown: Severity) -> str:
    return (
        f"{_ICONS[shown]} <b>{_where(finding)}{phrase(lang, finding.title)}</b>\n"
        f"{phrase(lang, finding.why)}\n→ {phrase(lang, finding.fix)}{_lesson(lang, finding.topic, lesson_link)}"
    )


def _more(lang: str, count: int) -> str:
    return t(lang, "review_more_one") if count == 1 else t(lang, "review_more_many", count=count)


def render_review_html(lang: str, review: DockerfileReview, *, lesson_link: LessonLink = _no_lesson,
                       limit: int = 3500) -> str:
    """The review as one Telegram message: headline, then findings until `limit` characters."""
    count = len(review.findings)
    if count == 0:
        headline = t(lang, "review_clean")
    elif count == 1:
        headline = t(lang, "review_one")
    else:
        headline = t(lang, "review_many", count=count)
    notes = [t(lang, "review_no_hadolint")] if review.hadolint_status in {"unavailable", "failed"} else []
    parts = [headline, *notes]
    used = sum(len(p) + 2 for p in parts)
    shown = shown_severities(review.findings)
    for index, finding in enumerate(review.findings):
        block = _finding_block(lang, finding, lesson_link, shown[index])
        remaining = count - index
        tail = _more(lang, remaining - 1) if remaining > 1 else ""
        if used + len(block) + 2 + len(tail) + 2 > limit:
            parts.append(_more(lang, remaining))
            break
        parts.append(block)
        used += len(block) + 2
    return "\n\n".join(parts)
