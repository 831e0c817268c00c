"""A Dockerfile build inside the learner's own daemon, with its progress read from the output stream.

The context reaches the workspace as a tar the bot built, unpacked there by the learner's own uid
(sandbox/learner_writes.py), and the image stays in the workspace so the learner can `docker run` it next.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from sandbox.results import BuildProgress, BuildResult, CommandResult

__all__ = ["BuildSteps", "build_command", "build_result", "failed_build_cleanup", "inspect_command", "valid_tag"]

_CLASSIC_STEP = re.compile(r"^Step (\d+)/(\d+) : (.*)")  # DOCKER_BUILDKIT=0
_BUILDKIT_STEP = re.compile(r"^#\d+ \[(?:[^\]\s]+ )?(\d+)/(\d+)\] (.*)")  # --progress=plain
_TAG = re.compile(r"^[a-z0-9][a-z0-9._/-]{0,100}(:[A-Za-z0-9._-]{1,64})?$")
ERROR_LINES = 15
OUTPUT_EVERY = 1.0
_BUILDER_NOISE = re.compile(r"^(?:---> |Removing intermediate container|Successfully (?:built|tagged)|Sending build context"
                            r"|#\d+ (?:DONE|CACHED|ERROR)\b)")


def valid_tag(tag: str) -> bool:
    return bool(_TAG.match(tag))


def build_command(tag: str, context_dir: str) -> str:
    """The shell command run in the workspace (the tag is validated: nothing to quote). `--force-rm`: the
    container of a failed step goes too (the classic builder keeps it otherwise, stopped, in `docker ps -a`)."""
    return f"DOCKER_BUILDKIT=0 docker build --force-rm -t {tag} {context_dir}"


_STEP_IMAGE = re.compile(r"^ ---> ([0-9a-f]{12})\s*$")  # the image a classic step ended with
_FROM_STEP = re.compile(r"^Step \d+/\d+ : FROM\s", re.IGNORECASE)  # its image is pulled or the learner's, never committed


def failed_build_cleanup(log: str) -> str | None:
    """The command removing the `<none>` images a failed build committed (the classic builder keeps each step's
    image), newest first and one by one (`--no-prune`). Only a step's own commit counts: the image of a FROM
    (even one the build just pulled), one taken from the cache, the learner's own (tagged, or left untagged by
    their own rebuild) stay, and an image that has a tag by the time of the clean-up is skipped too.
    None: nothing to remove.

    The retry then rebuilds these steps instead of taking them from the cache: the lab's builds are short,
    and the learner's `docker images` does not fill with a `<none>` per failed attempt."""
    committed: list[str] = []
    from_step = cached = False
    for line in log.splitlines():
        if _CLASSIC_STEP.match(line):
            from_step, cached = bool(_FROM_STEP.match(line)), False
        elif line.strip() == "---> Using cache":
            cached = True
        elif (match := _STEP_IMAGE.match(line)) and not from_step and not cached:
            committed.append(match.group(1))
    if not committed:
        return None
    untagged = "[ -z \"$(docker image inspect -f '{{join .RepoTags \"\"}}' \"$i\" 2>/dev/null)\" ]"
    return (f"for i in {' '.join(reversed(committed))}; do {untagged} && docker rmi --no-prune \"$i\";"
            " done >/dev/null 2>&1; true")


def inspect_command(tag: str) -> str:
    return f"docker image inspect {tag} --format '{{{{.Id}}}} {{{{.Size}}}}'"


class BuildSteps:
    """Collects "Step N/M" lines from the build stream (a reader thread) and reports them in order."""

    def __init__(self, on_progress: Callable[[BuildProgress], Awaitable[None]] | None) -> None:
        self.steps: list[BuildProgress] = []
        self._last_output = 0.0
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[BuildProgress | None] = asyncio.Queue()
        self._reporter = self._loop.create_task(self._report(on_progress)) if on_progress else None

    def on_line(self, line: str) -> None:
        """Called from the reader thread for every output line."""
        line = line.strip()
        match = _CLASSIC_STEP.match(line) or _BUILDKIT_STEP.match(line)
        if not match:
            self._output(line)
            return
        progress = BuildProgress(int(match[1]), int(match[2]), match[3][:300])
        if self.steps and self.steps[-1] == progress:
            return
        self.steps.append(progress)
        self._last_output = 0.0
        if self._reporter is not None:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, progress)

    def _output(self, line: str) -> None:
        """A line a step printed: reported with its step, at most once a second (a RUN may print thousands)."""
        if not line or not self.steps or _BUILDER_NOISE.match(line) or self._reporter is None:
            return
        now = time.monotonic()
        if now - self._last_output < OUTPUT_EVERY:
            return
        self._last_output = now
        progress = replace(self.steps[-1], output=line[:300])
        self._loop.call_soon_threadsafe(self._queue.put_nowait, progress)

    async def finish(self) -> None:
        """Wait until every step was reported (a failing callback does not fail the build)."""
        if self._reporter is not None:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, None)
            await self._reporter

    async def _report(self, on_progress: Callable[[BuildProgress], Awaitable[None]]) -> None:
        while (progress := await self._queue.get()) is not None:
            try:
                await on_progress(progress)
            except Exception:  # noqa: BLE001 - progress is cosmetic, the build goes on
                pass

    @property
    def total(self) -> int | None:
        return self.steps[-1].total if self.steps else None


def build_result(run: CommandResult, steps: BuildSteps, tag: str, inspected: CommandResult | None) -> BuildResult:
    if run.exit_code != 0 or inspected is None:
        failed = steps.steps[-1].line if steps.steps else None
        error = "\n".join(run.output.strip().splitlines()[-ERROR_LINES:])
        return BuildResult(ok=False, image_id=None, image_size=None, duration_s=run.duration_s, failed_step=failed,
                           error=error, log=run.output, steps_total=steps.total, tag=tag, timed_out=run.timed_out)
    image_id, _, size = inspected.output.strip().partition(" ")
    return BuildResult(ok=True, image_id=image_id or None, image_size=int(size) if size.isdigit() else None,
                       duration_s=run.duration_s, failed_step=None, error=None, log=run.output,
                       steps_total=steps.total, tag=tag)
