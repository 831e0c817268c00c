"""The learner's lab seen from the bot: run, build, and record every attempt.

Every command and build is recorded, including those the lab could not run, so nothing a
learner sends is silently dropped. The sandbox itself lives in `sandbox/`.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Final, Literal

from sqlmodel import Session

from bot.services import docker_cli
from bot.storage.models import ExerciseAttempt
from sandbox.errors import Detail, ErrorCode, InvalidBuildContext, SandboxError

if TYPE_CHECKING:
    from sandbox.build_context import BuildContext
    from sandbox.results import BuildProgress, BuildResult, CommandResult
    from sandbox.service import SandboxService

__all__ = ["NEEDS_TTY", "SWITCHED_OFF", "LabRefusal", "RefusalCode", "needs_tty", "record_attempt", "run_build",
           "run_command", "tty_free_alternative"]

EXCERPT_CHARS = 4000
_TTY_FLAGS = re.compile(r"(?<!\S)(?:-[a-zA-Z]*[it][a-zA-Z]*|--tty|--interactive)(?!\S)")
_RUN_OR_EXEC = re.compile(r"\bdocker\s+(?:container\s+)?(?:run|exec|create)\b")
_ATTACH = re.compile(r"\bdocker\s+(?:container\s+)?attach\b")
_SHORT_FLAG = re.compile(r"(?<!\S)-([a-zA-Z]+)(?!\S)")
_SHELL_PUNCTUATION = re.compile(r"[;&|<>()]")


NEEDS_TTY: Final = "needs_tty"
RefusalCode = ErrorCode | Literal["needs_tty"]
_UNAVAILABLE = frozenset({ErrorCode.LAB_UNAVAILABLE, ErrorCode.LAB_NOT_PREPARED, ErrorCode.LAB_FULL,
                          ErrorCode.HOST_DISK_FULL})


@dataclass(frozen=True)
class LabRefusal:
    """The lab did not run the learner's input, as values: views word it from bot/i18n.

    `code` says why: a sandbox `ErrorCode`, or `needs_tty` (the bot's own refusal of `docker run -it`);
    `details` are the values its message shows (sizes in `*_bytes`, counts, a file name; for `needs_tty`, the
    advice of bot/services/tty_advice.py: `kind`, `alternative`, `several`); `log` says it in English, for the
    log and the recorded attempt.
    """

    code: RefusalCode
    details: Mapping[str, Detail] = field(default_factory=dict)
    log: str = ""

    @classmethod
    def of(cls, error: SandboxError) -> LabRefusal:
        """The refusal a lab error means (every lab error has a code: one way to turn them into refusals)."""
        return cls(error.code, error.details, str(error))

    @property
    def kind(self) -> Literal["unavailable", "blocked", "bad_context", "rejected"]:
        """`unavailable`: the lab could not take the input (not the learner's doing); `blocked`: files could not
        be written in the learner's lab (something of theirs is in the way); `bad_context`: the upload cannot be
        built; `rejected`: the input itself was refused."""
        if self.code in _UNAVAILABLE:
            return "unavailable"
        if self.code == ErrorCode.FILES_NOT_WRITTEN:
            return "blocked"
        return "bad_context" if self.code in InvalidBuildContext.codes else "rejected"


SWITCHED_OFF = LabRefusal(ErrorCode.LAB_UNAVAILABLE, log="the lab is switched off")


def needs_tty(command: str) -> bool:
    """`docker run -it ...` and `docker attach` wait for a keyboard that a chat cannot give.

    Read with Docker's own grammar (bot/services/docker_cli.py): only flags before the image or container
    name are Docker's, so `docker run alpine ls -t` and `sort -t,` are no TTY; a detached container with a
    TTY is fine too (nobody waits for it)."""
    if _ATTACH.search(command):
        return True
    return any(call.has_flag("-t", "--tty") and not call.has_flag("-d", "--detach")
               for call in docker_cli.invocations(command))


def tty_free_alternative(command: str) -> str:
    """The same command without Docker's -i/-t (the other letters of a cluster such as -dit are kept)."""
    calls = docker_cli.invocations(command)
    target = calls[0].target if len(calls) == 1 else None
    if target is not None and not _SHELL_PUNCTUATION.search(command):
        call = calls[0]
        kept = [word for flag in call.flags if (word := _without_tty_letters(flag))]
        return shlex.join(["docker", call.verb, *kept, target, *call.command])

    def strip(match: re.Match[str]) -> str:
        rest = match.group(1).replace("i", "").replace("t", "")
        return f"-{rest}" if rest else ""

    match = _RUN_OR_EXEC.search(command)
    if match is None:
        return command
    head, flags = command[: match.end()], command[match.end():]
    flags = _SHORT_FLAG.sub(strip, flags).replace("--tty", "").replace("--interactive", "")
    return re.sub(r"\s{2,}", " ", head + flags).strip()


def _without_tty_letters(flag: str) -> str:
    """`-it` -> "", `-dit` -> "-d", `--tty` -> "" (a value such as `-p8080:80` or `--name` is kept)."""
    if flag in {"--tty", "--interactive"} or flag.split("=", 1)[0] in {"--tty", "--interactive"}:
        return ""
    if flag.startswith("--") or not flag.startswith("-") or not flag[1:].isalpha():
        return flag
    rest = flag[1:].replace("i", "").replace("t", "")
    return f"-{rest}" if rest else ""


def record_attempt(
    *, session: Session, learner_id: int, kind: str, text: str, status: str, now: datetime,
    exit_code: int | None = None, duration_s: float | None = None, output: str = "",
    course_id: str | None = None, exercise_id: str | None = None,
) -> None:
    session.add(
        ExerciseAttempt(
            learner_id=learner_id, course_id=course_id, exercise_id=exercise_id, kind=kind,
            input=text[:20000], status=status, exit_code=exit_code,
            duration_ms=None if duration_s is None else int(duration_s * 1000),
            output_excerpt=output[-EXCERPT_CHARS:], created_at=now,
        )
    )


def command_status(result: CommandResult) -> str:
    if result.timed_out:
        return "timeout"
    if result.oom_killed:
        return "oom"
    return "ok" if result.exit_code == 0 else "failed"


async def run_command(
    *, sandbox: SandboxService | None, learner_id: int, command: str,
    on_queued: Callable[[int, str], Awaitable[None]] | None,
) -> CommandResult | LabRefusal:
    """Run a learner command, turning every lab failure into a refusal the handler can explain."""
    if sandbox is None:
        return SWITCHED_OFF
    try:
        return await sandbox.run_command(learner_id=learner_id, command=command, on_queued=on_queued)
    except SandboxError as exc:
        return LabRefusal.of(exc)


async def run_build(
    *, sandbox: SandboxService | None, learner_id: int, context: BuildContext, tag: str | None,
    on_progress: Callable[[BuildProgress], Awaitable[None]] | None,
    on_queued: Callable[[int, str], Awaitable[None]] | None,
) -> BuildResult | LabRefusal:
    """Build in the learner's workspace, turning every lab failure into a refusal the handler can explain."""
    if sandbox is None:
        return SWITCHED_OFF
    try:
        return await sandbox.build(
            learner_id=learner_id, context=context, tag=tag, on_progress=on_progress, on_queued=on_queued
        )
    except SandboxError as exc:
        return LabRefusal.of(exc)


async def reset_lab(*, sandbox: SandboxService | None, learner_id: int) -> LabRefusal | None:
    """Erase the learner's workspace (containers, images, volumes, files); None when done."""
    if sandbox is None:
        return SWITCHED_OFF
    try:
        await sandbox.reset(learner_id=learner_id)
    except SandboxError as exc:
        return LabRefusal.of(exc)
    return None


async def cancel_command(*, sandbox: SandboxService | None, learner_id: int) -> bool:
    """Stop the learner's running command (and its foreground containers); False when none runs."""
    if sandbox is None:
        return False
    try:
        return await sandbox.cancel(learner_id=learner_id)
    except SandboxError:
        return False


async def running_containers(*, sandbox: SandboxService | None, learner_id: int) -> tuple[str, ...] | None:
    """`name (image)` of each container still running in the learner's lab; None when the lab cannot say."""
    if sandbox is None:
        return None
    try:
        result = await sandbox.run_internal(learner_id=learner_id,
                                            command="docker ps --format '{{.Names}} ({{.Image}})'")
    except SandboxError:
        return None
    if result.exit_code != 0:
        return None
    return tuple(line.strip() for line in result.output.splitlines() if line.strip())


_FOREGROUND_RUN = re.compile(r"^\s*docker\s+(?:container\s+)?run\b")


def detached_alternative(command: str) -> str | None:
    """`docker run -d ...` for a foreground `docker run ...` (a server never ends by itself); None otherwise."""
    match = _FOREGROUND_RUN.match(command)
    if match is None or ";" in command or "&&" in command or "|" in command:
        return None
    flags = command[match.end():]
    if any("d" in cluster for cluster in _SHORT_FLAG.findall(flags)) or "--detach" in flags:
        return None
    return command[: match.end()] + " -d" + flags


_VALUE_FLAGS = frozenset({"-p", "--publish", "--name", "-v", "--volume", "-e", "--env", "-w", "--workdir",
                          "--network", "--net", "--mount", "-u", "--user", "--entrypoint", "-l", "--label",
                          "--env-file", "-h", "--hostname", "--restart", "-m", "--memory", "--cpus", "--platform"})
SERVER_IMAGES = frozenset({"nginx", "httpd", "caddy", "registry", "redis", "postgres", "mysql", "mariadb", "mongo"})


def _image_and_arguments(command: str) -> tuple[str, list[str]] | None:
    """The image a `docker run` command starts (without registry path or tag) and the command given after it."""
    match = _FOREGROUND_RUN.match(command)
    if match is None:
        return None
    tokens = command[match.end():].split()
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not token.startswith("-"):
            return token.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0], tokens[index + 1:]
        index += 2 if token in _VALUE_FLAGS else 1
    return None


def run_image(command: str) -> str | None:
    """The image a `docker run` command starts (without registry path or tag), None when it is not one."""
    found = _image_and_arguments(command)
    return found[0] if found else None


def starts_a_server_in_the_foreground(command: str) -> bool:
    """A foreground `docker run` of a server image with its own command (the server): it will never end by
    itself (say so before it runs). `docker run --rm nginx nginx -v` runs another command, which ends."""
    found = _image_and_arguments(command)
    return detached_alternative(command) is not None and found is not None and found[0] in SERVER_IMAGES \
        and not found[1]


_SERVER_BASE = re.compile(r"^\s*FROM\s+(?:\S+/)?(?:nginx|httpd|caddy)\b", re.IGNORECASE | re.MULTILINE)
_EXPOSE = re.compile(r"^\s*EXPOSE\s+(\d+)", re.IGNORECASE | re.MULTILINE)


def publishes_a_port(dockerfile: str | None) -> bool:
    """Whether the image built from this Dockerfile is a server, run with a published port."""
    return _EXPOSE.search(dockerfile or "") is not None or _SERVER_BASE.search(dockerfile or "") is not None


def container_name_for(tag: str) -> str:
    """A container name for an image tag (`mon-site:v2` -> `mon-site-v2`): the build's suggestion replaces only
    the container it started itself, never a learner's own `web`."""
    return re.sub(r"[^a-zA-Z0-9_.-]", "-", tag).strip("-.") or "essai"


def run_suggestion(tag: str, dockerfile: str | None, host_port: int = 8080) -> tuple[str, ...]:
    """How to run a freshly built image: a server in the background with its port published on `host_port`
    (a port free in the learner's lab: bot/services/lab_ports.py), anything else once with --rm."""
    if not publishes_a_port(dockerfile):
        return (f"docker run --rm {tag}",)
    exposed = _EXPOSE.search(dockerfile or "")
    port = exposed.group(1) if exposed else "80"
    name = container_name_for(tag)
    return (f"docker rm -f {name} 2>/dev/null; docker run -d -p {host_port}:{port} --name {name} {tag}",
            f"curl -s localhost:{host_port}")


_FIRST_INSTRUCTION = re.compile(r"^\s*(FROM|ARG)\s+\S", re.IGNORECASE)
_FROM_LINE = re.compile(r"^\s*FROM\s+\S", re.IGNORECASE | re.MULTILINE)


def looks_like_dockerfile(text: str) -> bool:
    """A message whose first instruction is FROM (or ARG before a FROM) is a Dockerfile."""
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        return bool(_FIRST_INSTRUCTION.match(stripped)) and bool(_FROM_LINE.search(text))
    return False


__all__ += ["cancel_command", "command_status", "container_name_for", "detached_alternative", "looks_like_dockerfile",
            "publishes_a_port", "reset_lab", "run_image", "run_suggestion", "running_containers",
            "starts_a_server_in_the_foreground"]
