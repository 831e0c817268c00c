"""review_dockerfile: hadolint + the course's rules (words in bot/i18n), deduplicated, most important first."""

from __future__ import annotations

import asyncio
import re

from bot.feedback.base_family import fits_base
from bot.feedback.course_rules_instructions import instruction_findings
from bot.feedback.course_rules_packages import package_findings
from bot.feedback.dockerfile_parser import parse_dockerfile
from bot.feedback.errors import HadolintFailed, HadolintUnavailable
from bot.feedback.hadolint_rules import translate
from bot.feedback.hadolint_runner import DEFAULT_TIMEOUT_S, run_hadolint
from bot.feedback.importance import importance_key
from bot.feedback.models import DockerfileReview, Finding, HadolintStatus, Phrase
from bot.feedback.syntax_rules import (
    is_mostly_prose,
    looks_binary,
    not_a_dockerfile,
    syntax_findings,
)

__all__ = ["MAX_CHARS", "MAX_FINDINGS", "MAX_LINES", "review_dockerfile", "review_dockerfile_async"]

MAX_LINES = 300  # hadolint needs ~2 s for 400 lines; course Dockerfiles are under 50
MAX_CHARS = 30_000
MAX_FINDINGS = 100
# hadolint rules the course deliberately does not show: it teaches `USER app` (DL3066 asks for
# a numeric UID), and a beginner should not be told off for following the lesson.
SILENCED_HADOLINT = frozenset({"DL3066"})
_HEREDOC = re.compile(r"^\s*(RUN|COPY|ADD)\b.*<<-?\s*[\"']?[A-Za-z_]", re.IGNORECASE | re.MULTILINE)
# Course rule -> hadolint codes that say the same thing (the course wording wins).
COVERS: dict[str, frozenset[str]] = {
    "TB001": frozenset({"DL3061"}), "TB002": frozenset({"DL1000"}), "TB102": frozenset({"DL3009"}),
    "TB103": frozenset({"DL3042"}), "TB107": frozenset({"DL3014"}), "TB105": frozenset({"DL3059"}), "TB106": frozenset({"DL3004"}),
    "TB201": frozenset({"DL3006", "DL3007"}), "TB202": frozenset({"DL3020"}), "TB203": frozenset({"DL3003", "SC2164"}),
    "TB204": frozenset({"DL3025"}), "TB205": frozenset({"DL4003"}), "TB206": frozenset({"DL4004"}),
    "TB207": frozenset({"DL3002"}), "TB209": frozenset({"DL3064"}), "TB210": frozenset({"DL4000"}),
}


def review_dockerfile(
    text: str | bytes, *, hadolint_binary: str | None = None, timeout: float = DEFAULT_TIMEOUT_S
) -> DockerfileReview:
    """Review a learner's Dockerfile. Never raises: garbage gets a finding, not an exception.

    Blocking (runs a subprocess): from async code use `review_dockerfile_async`.
    `hadolint_binary` overrides where hadolint is looked for (default: next to the interpreter).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    if looks_binary(text):
        return DockerfileReview((not_a_dockerfile("review_binary_why"),), "skipped", 0)
    text, truncated, lines = _cap(text)
    instructions = parse_dockerfile(text)
    if not text.strip():
        return DockerfileReview((not_a_dockerfile("review_empty_why"),), "skipped", lines)
    if is_mostly_prose(instructions):
        return DockerfileReview((not_a_dockerfile("review_prose_why"),), "skipped", lines, truncated)
    course = [*syntax_findings(instructions), *package_findings(instructions), *instruction_findings(instructions)]
    status: HadolintStatus = "ok"
    try:
        results = run_hadolint(text, binary=hadolint_binary, timeout=timeout)
        if any(r.code == "DL1000" for r in results) and _HEREDOC.search(text):
            raise HadolintFailed("hadolint cannot parse heredocs (RUN <<EOF), which Docker accepts")
        linted = [translate(r) for r in results if r.code not in SILENCED_HADOLINT]
    except HadolintUnavailable:
        status, linted = "unavailable", []
    except HadolintFailed:
        status, linted = "failed", []
    if truncated:
        course.append(Finding("TB003", "info", None, Phrase("review_too_long_title", {"lines": lines}),
                              Phrase("review_too_long_why"), Phrase("review_too_long_fix"), "dockerfile-basics"))
    findings = fits_base(merge_findings(course, linted), instructions)[:MAX_FINDINGS]
    return DockerfileReview(tuple(findings), status, lines, truncated)


async def review_dockerfile_async(
    text: str | bytes, *, hadolint_binary: str | None = None, timeout: float = DEFAULT_TIMEOUT_S
) -> DockerfileReview:
    """`review_dockerfile` in a worker thread, so the event loop keeps serving other learners."""
    return await asyncio.to_thread(
        review_dockerfile, text, hadolint_binary=hadolint_binary, timeout=timeout
    )


def merge_findings(course: list[Finding], linted: list[Finding]) -> list[Finding]:
    """Drop hadolint findings a course finding already makes; most important first (bot/feedback/importance.py)."""
    kept = list(course)
    seen = {(f.code, f.line) for f in course}
    for finding in linted:
        if (finding.code, finding.line) in seen or any(_same_problem(c, finding) for c in course):
            continue
        seen.add((finding.code, finding.line))
        kept.append(finding)
    return sorted(kept, key=importance_key)


def _same_problem(course: Finding, linted: Finding) -> bool:
    if course.line is None or linted.line is None:
        on_line = course.line is None
    else:
        on_line = course.line <= linted.line <= (course.end_line or course.line)
    if linted.code in COVERS.get(course.code, frozenset()):
        return on_line
    return course.topic == linted.topic and course.line is not None and course.line == linted.line


def _cap(text: str) -> tuple[str, bool, int]:
    """At most MAX_LINES lines and MAX_CHARS characters, cut at a line boundary."""
    lines = text[: MAX_CHARS + 1].splitlines()
    truncated = len(text) > MAX_CHARS or len(lines) > MAX_LINES
    if len(text) > MAX_CHARS and len(lines) > 1:
        lines = lines[:-1]  # the last line was cut in the middle
    lines = lines[:MAX_LINES]
    return "\n".join(lines) + "\n", truncated, len(lines)
