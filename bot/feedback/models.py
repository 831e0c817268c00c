"""The values the feedback engine hands back: frozen, typed, free of any Telegram concern."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "SEVERITY_RANK",
    "BuildDiagnosis",
    "DockerfileReview",
    "Finding",
    "HadolintStatus",
    "Severity",
]

Severity = Literal["error", "warning", "info"]
HadolintStatus = Literal["ok", "unavailable", "failed", "skipped"]

# Lower rank = more important; used to sort findings.
SEVERITY_RANK: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Finding:
    """One remark on a Dockerfile, already in French and tied to a lesson topic.

    `code` is a course rule (``TB…``) or a hadolint code (``DL…``/``SC…``); `line` is the
    first line of the instruction (None for whole-file remarks); `end_line` is set when a
    remark spans several instructions (consecutive RUNs).
    """

    code: str
    severity: Severity
    line: int | None
    title_fr: str
    why_fr: str
    fix_fr: str
    topic: str
    end_line: int | None = None

    @property
    def source(self) -> Literal["course", "hadolint"]:
        return "course" if self.code.startswith("TB") else "hadolint"

    def sort_key(self) -> tuple[int, int, str]:
        return (SEVERITY_RANK[self.severity], self.line or 0, self.code)


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
    """Why a `docker build` failed, in plain French, with the Dockerfile line to change.

    `step` is the failing instruction as the builder printed it (e.g. ``RUN apt-get install -y
    nginx``); `evidence` is the log line that gave the cause away.
    """

    step: str | None
    line: int | None
    cause_fr: str
    explanation_fr: str
    fix_fr: str
    topic: str
    evidence: str | None = None
