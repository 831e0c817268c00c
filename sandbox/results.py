"""What the lab gives back: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BuildProgress", "BuildResult", "CommandResult"]


@dataclass(frozen=True)
class CommandResult:
    """One command's outcome. `output` is clean text (head and tail when `truncated`); `output_bytes`
    counts everything the command printed. `timed_out`: cut at the time limit; `oom_killed`: the
    kernel killed it for memory; `disk_full`: stopped because the workspace went over its disk limit."""

    exit_code: int
    output: str
    truncated: bool
    duration_s: float
    timed_out: bool = False
    oom_killed: bool = False
    output_bytes: int = 0
    disk_full: bool = False


@dataclass(frozen=True)
class BuildProgress:
    """A build step began: `step` of `total`, and its instruction."""

    step: int
    total: int | None
    line: str


@dataclass(frozen=True)
class BuildResult:
    """A build's outcome; on failure `failed_step` is the instruction that failed and `error` its last lines."""

    ok: bool
    image_id: str | None
    image_size: int | None
    duration_s: float
    failed_step: str | None
    error: str | None
    log: str
    steps_total: int | None
    tag: str | None
