"""The values the feedback engine hands back: frozen, typed, free of any Telegram concern."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, Union

__all__ = [
    "SEVERITY_RANK",
    "BuildDiagnosis",
    "DockerfileReview",
    "Finding",
    "HadolintStatus",
    "Phrase",
    "Severity",
    "Value",
]

Severity = Literal["error", "warning", "info"]
HadolintStatus = Literal["ok", "unavailable", "failed", "skipped"]

# Lower rank = more important; sorts findings of the same importance (bot/feedback/importance.py).
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


Value = Union[str, int, tuple[str, ...], "Phrase"]
"""A value a message is formatted with: text, a number, names (each shown as code) or another message."""


@dataclass(frozen=True)
class Phrase:
    """A message of the interface catalogs (bot/i18n) by key, with its values: the words are the view's job."""

    key: str
    values: Mapping[str, Value] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    """One remark on a Dockerfile, tied to a lesson topic; its words are messages of the catalogs.

    `code` is a course rule (``TB…``) or a hadolint code (``DL…``/``SC…``); `title`, `why` and `fix` are
    `Phrase`s of bot/i18n/*/dockerfile_review.yaml; `line` is the first line of the instruction (None for
    whole-file remarks); `end_line` is set when a remark spans several instructions (consecutive RUNs).
    """

    code: str
    severity: Severity
    line: int | None
    title: Phrase
    why: Phrase
    fix: Phrase
    topic: str
    end_line: int | None = None

    @property
    def source(self) -> Literal["course", "hadolint"]:
        return "course" if self.code.startswith("TB") else "hadolint"


@dataclass(frozen=True)
class DockerfileReview:
    """Every remark on one Dockerfile, most important first.

    `hadolint_status` says whether hadolint's rules were part of the review ("unavailable":
    no binary; "failed": it crashed or timed out; "skipped": the text was not a Dockerfile).
    `analysed_lines` is how many lines were read (long files are cut).
    """

    findings: tuple[Finding, ...]
    hadolint_status: HadolintStatus
    analysed_lines: int
    truncated: bool = False

    @property
    def is_clean(self) -> bool:
        return not self.findings

    @property
    def topics(self) -> tuple[str, ...]:
        """Topics in order of first appearance (most important first), without repeats."""
        return tuple(dict.fromkeys(f.topic for f in self.findings))


@dataclass(frozen=True)
class BuildDiagnosis:
    """Why a `docker build` (or a lab command) failed, as data: the view words it in the learner's language.

    `code` names the cause; its messages are `diag_<code>_cause`, `diag_<code>_why` and `diag_<code>_fix` in
    bot/i18n/*/diagnosis.yaml, formatted with `values`. `step` is the failing instruction as the builder
    printed it (e.g. ``RUN apt-get install -y nginx``) or the learner's command; `line` is the Dockerfile line
    to change; `evidence` is the log line that gave the cause away.
    """

    step: str | None
    line: int | None
    code: str
    topic: str
    values: Mapping[str, Value] = field(default_factory=dict)
    evidence: str | None = None
