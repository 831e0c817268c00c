"""What the lab gives back: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BuildProgress", "BuildResult", "CommandResult"]


@dataclass(frozen=True)
class CommandResult:
    exit_code: int
    output: str
    truncated: bool
    duration_s: float
    timed_out: bool = False
    oom_killed: bool = False
    output_bytes: int = 0


@dataclass(frozen=True)
class BuildProgress:
    step: int
    total: int | None
    line: str


@dataclass(frozen=True)
class BuildResult:
    ok: bool
    image_id: str | None
    image_size: int | None
    duration_s: float
    failed_step: str | None
    error: str | None
    log: str
    steps_total: int | None
    tag: str | None
