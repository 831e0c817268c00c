"""What the lab gives back: plain frozen values."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BuildProgress", "BuildResult", "CommandResult"]


@dataclass(frozen=True)
class CommandResult:
    """One command's outcome, as values the bot words for the learner (the lab adds no text of its own).

    `output` is clean text: when `truncated`, its head and its tail around a `[…]` line, and `cut_bytes`
    says how many bytes were dropped there (at least: a command that printed more than the stream limit
    was stopped); `output_bytes` counts what the command printed. `timed_out`: cut at the time limit;
    `oom_killed`: the kernel killed it for memory; `disk_full`: the workspace's disk is full (or the
    command was stopped for going over the limit): the learner frees space or starts over; `cancelled`: the
    learner stopped it (`SandboxService.cancel`)."""

    exit_code: int
    output: str
    truncated: bool
    duration_s: float
    timed_out: bool = False
    oom_killed: bool = False
    output_bytes: int = 0
    disk_full: bool = False
    cut_bytes: int = 0
    cancelled: bool = False


@dataclass(frozen=True)
class BuildProgress:
    """A build step began (`step` of `total`, and its instruction), or printed `output` (its latest line)."""

    step: int
    total: int | None
    line: str
    output: str = ""


@dataclass(frozen=True)
class BuildResult:
    """A build's outcome; on failure `failed_step` is the instruction that failed and `error` the log's last
    lines; `timed_out`: the build was stopped at the time limit."""

    ok: bool
    image_id: str | None
    image_size: int | None
    duration_s: float
    failed_step: str | None
    error: str | None
    log: str
    steps_total: int | None
    tag: str | None
    timed_out: bool = False
