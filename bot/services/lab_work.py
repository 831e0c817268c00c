"""A learner's lab work from start to record: the orchestration behind /run, builds and uploads.

The handler talks to the chat; this module decides what runs, runs it through
bot/services/lab.py, and records every attempt (refusals included), with no transaction
open while the lab works. Values come back for bot/views/lab.py to render.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from sqlmodel import Session, select

from bot.feedback import BuildDiagnosis, explain_build_failure, explain_command_failure
from bot.services import lab
from bot.services.clock import Clock
from bot.services.lab import LabRefusal
from bot.services.lab_ports import FIRST_PORT, free_port, port_taken_advice, published_ports
from bot.services.own_image_names import next_own_number
from bot.services.tty_advice import tty_advice
from bot.storage.models import ExerciseAttempt, stored_id
from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from bot.services.unit_of_work import Database
    from sandbox.build_context import BuildContext
    from sandbox.results import BuildProgress, BuildResult, CommandResult
    from sandbox.service import SandboxService

__all__ = ["BuildOutcome", "LabWork", "Worker", "archive_label", "from_archive", "from_dockerfile", "lab_tags",
           "requested_tag"]

DEFAULT_TAG = "mon-image"
Queued = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True)
class Worker:
    """The learner behind a lab action, and the course and exercise it counts for."""

    learner_id: int
    course_id: str | None
    exercise_id: str | None


@dataclass(frozen=True)
class BuildOutcome:
    result: BuildResult
    dockerfile: str | None
    diagnosis: BuildDiagnosis | None
    host_port: int = FIRST_PORT  # a port free in the learner's lab, for the run suggestion of a server


def archive_label(name: str, size: int) -> str:
    """What an uploaded archive is recorded as (the attempt keeps text, not bytes)."""
    return f"[archive {name}, {size} bytes]"


_TAG_OPTION = re.compile(r"(?:^|\s)(?:-t|--tag)(?:\s+|=)(\S+)")


def requested_tag(first_line: str) -> str | None:
    """The image name in `/build -t NAME` (or `--tag NAME`), None when the learner chose none."""
    match = _TAG_OPTION.search(first_line)
    return match.group(1) if match else None


def from_dockerfile(text: str) -> Callable[[], Awaitable[BuildContext]]:
    """A build context made of one Dockerfile (made when the build is prepared)."""
    from sandbox.build_context import BuildContext

    async def make() -> BuildContext:
        return BuildContext.from_dockerfile(text)

    return make


def from_archive(name: str, data: bytes) -> Callable[[], Awaitable[BuildContext]]:
    """A build context unpacked from an uploaded .zip/.tar(.gz) (checked when the build is prepared, off the
    event loop: sandbox/build_context.py `read_upload`)."""
    from sandbox.build_context import read_upload

    return lambda: read_upload(name, data)


class LabWork:
    """Runs and records lab work for the bot; built once per update from the application's services."""

    def __init__(self, *, sandbox: SandboxService | None, db: Database, clock: Clock) -> None:
        self.sandbox, self.db, self.clock = sandbox, db, clock

    async def worker(self, learner_id: int) -> Worker:
        """The learner's course and open exercise now (a command may complete it)."""
        return await self.db.as_learner(
            learner_id, lambda _session, row: Worker(stored_id(row), row.active_course, row.active_exercise))

    def diagnose(self, command: str, result: CommandResult) -> BuildDiagnosis | None:
        """Why a command failed, as data the view words, when its output tells (the engine builds use too)."""
        if result.exit_code == 0 or result.cancelled or result.timed_out:
            return None
        return explain_command_failure(result.output, command, lab_images=lab_tags())

    async def explain(self, worker: Worker, command: str, result: CommandResult) -> BuildDiagnosis | None:
        """`diagnose`, with what only the learner's lab tells: the container holding a taken port, a free one."""
        diagnosis = self.diagnose(command, result)
        if diagnosis is None or diagnosis.code != "port_taken":
            return diagnosis
        used = await published_ports(sandbox=self.sandbox, learner_id=worker.learner_id)
        return port_taken_advice(diagnosis, command, result.output, used)

    async def command(self, worker: Worker, command: str, *, on_queued: Queued | None,
                      shell: str | None = None) -> CommandResult | LabRefusal:
        """Run a learner's command (as the shell text `shell` when given: terminal mode wraps it); `needs_tty`
        refusals carry what works instead (bot/services/tty_advice.py) as details. The command itself is what
        is recorded."""
        if lab.needs_tty(command):
            await self._record(worker, kind="command", text=command, status="rejected")
            advice = tty_advice(command)
            return LabRefusal(lab.NEEDS_TTY, {"kind": advice.kind, "alternative": advice.alternative,
                                              "several": advice.several, "not_sh": advice.not_sh},
                              log="needs a TTY (docker run -it or attach)")
        outcome = await lab.run_command(sandbox=self.sandbox, learner_id=worker.learner_id, command=shell or command,
                                        on_queued=on_queued)
        if isinstance(outcome, LabRefusal):
            await self._refused(worker, "command", command, outcome)
            return outcome
        await self._record(worker, kind="command", text=command, status=lab.command_status(outcome),
                     exit_code=outcome.exit_code, duration_s=outcome.duration_s, output=outcome.output)
        return outcome

    async def build_context(self, worker: Worker, label: str,
                            make: Callable[[], Awaitable[BuildContext]]) -> BuildContext | LabRefusal:
        """The build context of an upload, or the reason it cannot be built (recorded)."""
        try:
            return await make()
        except SandboxError as exc:
            refusal = LabRefusal.of(exc)
            await self._refused(worker, "build", label, refusal)
            return refusal

    async def image_tag(self, worker: Worker, *, requested: str | None, exercise_image: str | None,
                        own_stem: str = "essai") -> tuple[str, Literal["chosen", "exercise", "own"]]:
        """The name a build gets, and why: the learner's `/build -t NAME`, the image the open exercise checks,
        or a name of its own (`<own_stem>-N`: `essai-1`, or `test-1` in English, N one more than the highest in
        the learner's lab: bot/services/own_image_names.py), so a build never silently replaces another image."""
        if requested:
            return requested, "chosen"
        if exercise_image:
            return exercise_image, "exercise"

        number = await next_own_number(sandbox=self.sandbox, learner_id=worker.learner_id, stem=own_stem)
        if number is not None:
            return f"{own_stem}-{number}", "own"

        def count(session: Session) -> int:  # the lab cannot say: one more than the learner's good builds
            return len(session.exec(select(ExerciseAttempt.id).where(
                ExerciseAttempt.learner_id == worker.learner_id, ExerciseAttempt.kind == "build",
                ExerciseAttempt.status == "ok")).all())

        return f"{own_stem}-{await self.db.run(count) + 1}", "own"

    async def build(self, worker: Worker, label: str, context: BuildContext, *, tag: str = DEFAULT_TAG,
                    on_progress: Callable[[BuildProgress], Awaitable[None]] | None,
                    on_queued: Queued | None) -> BuildOutcome | LabRefusal:
        """Build the image as `tag`, record the attempt, and explain a failure when the log allows."""
        outcome = await lab.run_build(sandbox=self.sandbox, learner_id=worker.learner_id, context=context,
                                      tag=tag, on_progress=on_progress, on_queued=on_queued)
        if isinstance(outcome, LabRefusal):
            await self._refused(worker, "build", label, outcome)
            return outcome
        await self._record(worker, kind="build", text=label, status="ok" if outcome.ok else "failed",
                     duration_s=outcome.duration_s, output=outcome.log)
        dockerfile = getattr(context, "dockerfile", None)
        diagnosis = None if outcome.ok else explain_build_failure(outcome.log, dockerfile, lab_tags=lab_tags())
        host_port = FIRST_PORT
        if outcome.ok and lab.publishes_a_port(dockerfile):
            used = await published_ports(sandbox=self.sandbox, learner_id=worker.learner_id)
            host_port = free_port(used or {}, keep=lab.container_name_for(outcome.tag or tag))
        return BuildOutcome(result=outcome, dockerfile=dockerfile, diagnosis=diagnosis, host_port=host_port)

    async def _refused(self, worker: Worker, kind: str, text: str, refusal: LabRefusal) -> None:
        status = "unavailable" if refusal.kind == "unavailable" else "rejected"
        await self._record(worker, kind=kind, text=text, status=status, output=refusal.log)

    async def _record(self, worker: Worker, *, kind: str, text: str, status: str, exit_code: int | None = None,
                      duration_s: float | None = None, output: str = "") -> None:
        now = self.clock.now()
        await self.db.run(lambda session: lab.record_attempt(
            session=session, learner_id=worker.learner_id, course_id=worker.course_id,
            exercise_id=worker.exercise_id, now=now, kind=kind, text=text, status=status, exit_code=exit_code,
            duration_s=duration_s, output=output))


@functools.cache
def lab_tags() -> Mapping[str, tuple[str, ...]]:
    """The lab's images and the tags its registry has for each (`nginx` -> `latest, stable, 1.25`...).

    Read from sandbox/images/tags.txt once: the bot's start-up calls it in a worker thread, so explaining a
    failure on the event loop never reads the file."""
    from sandbox.recipes import standin_tags

    return MappingProxyType({key: tuple(ref.split(":", 1)[1] for ref in refs) for key, refs in standin_tags().items()})
