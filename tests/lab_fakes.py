"""A lab without Docker: it records what the bot asked and answers from a script.

A fake at the I/O boundary (the SandboxService's public methods), for the bot-side stories
that do not depend on what Docker prints: confirmations, errors, refusals.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sandbox.results import BuildProgress, BuildResult, CommandResult


def result(output: str = "", exit_code: int = 0) -> CommandResult:
    return CommandResult(exit_code=exit_code, output=output, truncated=False, duration_s=0.1)


@dataclass
class FakeLab:
    """`answers` maps a command to its output, its whole result, or an exception to raise; `gate` holds commands."""

    answers: dict[str, str | CommandResult | BaseException] = field(default_factory=dict)
    gate: asyncio.Event | None = None
    commands: list[tuple[int, str]] = field(default_factory=list)
    internal: list[tuple[int, str]] = field(default_factory=list)
    resets: list[int] = field(default_factory=list)
    builds: list[tuple[int, object]] = field(default_factory=list)
    build_result: BuildResult | None = None

    async def start(self, *, owner: str = "") -> None:
        self.owner = owner

    async def close(self) -> None:
        return None

    async def run_command(self, *, learner_id: int, command: str, on_queued: object = None) -> CommandResult:
        self.commands.append((learner_id, command))
        if self.gate is not None:
            await self.gate.wait()
        return self._answer(command)

    async def run_internal(self, *, learner_id: int, command: str, timeout: float = 20) -> CommandResult:
        self.internal.append((learner_id, command))
        return self._answer(command)

    async def build(self, *, learner_id: int, context: object, tag: str | None = None, on_progress: object = None,
                    on_queued: object = None) -> BuildResult:
        self.builds.append((learner_id, context))
        if on_progress is not None:
            await on_progress(BuildProgress(step=1, total=2, line="FROM alpine:3.20"))
        return self.build_result or BuildResult(ok=True, image_id="sha256:" + "ab" * 32, image_size=7_800_000,
                                                duration_s=1.5, failed_step=None, error=None,
                                                log="#1 [1/2] FROM alpine:3.20\n#2 DONE\n", steps_total=2, tag=tag)

    async def write_files(self, *, learner_id: int, files: dict[str, bytes]) -> None:
        return None

    async def cancel(self, *, learner_id: int) -> bool:
        return False

    async def reset(self, *, learner_id: int) -> None:
        self.resets.append(learner_id)

    async def workspace_status(self, *, learner_id: int) -> str:
        return "none"

    def _answer(self, command: str) -> CommandResult:
        answer = self.answers.get(command, "")
        if isinstance(answer, BaseException):
            raise answer
        return answer if isinstance(answer, CommandResult) else result(answer)
