"""Evaluate an exercise's declarative checks against the learner's own workspace.

Each check type becomes one or two read-only commands run in the workspace through its
Docker daemon (`docker ps`, `docker inspect`, `curl`...); the host never reads a file the
learner controls. Results come back as plain values the handlers render.

Output the workspace gives that cannot be read (not JSON, not a number) fails the check: the
learner's daemon decides what it prints. Any other exception is a bug in a checker and is
raised, with the check named, rather than passed off as the learner's mistake.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from bot.content.checks import (
    Check,
    CommandCheck,
    ContainerCheck,
    DockerfileCheck,
    HistoryCheck,
    HttpCheck,
    ImageCheck,
    MountCheck,
    NetworkCheck,
    ServiceCheck,
    VolumeCheck,
)
from bot.services.check_reasons import CheckFailed, FailureReason, check_port_owner, why_it_stopped
from bot.services.check_traffic import CHECK_MARK

__all__ = ["CheckOutcome", "Evidence", "FailureReason", "UnreadableOutput", "evaluate_checks"]

CHECK_TIMEOUT = 20


@dataclass(frozen=True)
class Evidence:
    """What a check may look at besides the workspace: the learner's own history."""

    commands: Sequence[str] = ()
    last_dockerfile: str | None = None


@dataclass(frozen=True)
class CheckOutcome:
    check_id: str
    description: str
    hint: str | None
    passed: bool
    reason: FailureReason | None = None
    """Why it failed, when the workspace tells more than the hint (shown before it)."""


Exec = Callable[[str], Awaitable[tuple[int, str]]]
Json = Any  # what `docker ... --format '{{json .}}'` and `docker inspect` print: the learner's daemon decides
# Each evaluator takes its own check type; the registry is keyed by that type's `type` literal.
Evaluator = Callable[[Any, Exec, Evidence], Awaitable[bool]]


class UnreadableOutput(ValueError):
    """The workspace printed something a check cannot read: the check fails."""


async def evaluate_checks(checks: Sequence[Check], *, run: Exec, evidence: Evidence) -> list[CheckOutcome]:
    """Run every check in order; unreadable output fails a check, a checker bug is raised."""
    outcomes: list[CheckOutcome] = []
    for check in checks:
        evaluator = _EVALUATORS[check.type]
        reason = None
        try:
            passed = await evaluator(check, run, evidence)
        except UnreadableOutput:
            passed = False
        except CheckFailed as failed:
            passed, reason = False, failed.reason
        except Exception as exc:
            exc.add_note(f"while evaluating check {check.id!r} of type {check.type!r}")
            raise
        outcomes.append(CheckOutcome(check.id, check.description, check.hint, bool(passed), reason))
    return outcomes


async def _json_lines(run: Exec, command: str) -> list[dict[str, Json]]:
    code, output = await run(command)
    if code != 0:
        return []
    return [_json(line) for line in output.splitlines() if line.strip().startswith("{")]


def _json(text: str) -> Json:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableOutput(f"not JSON: {text[:80]!r}") from exc


async def _inspect(run: Exec, kind: str, ids: list[str]) -> list[dict[str, Json]]:
    if not ids:
        return []
    code, output = await run(f"docker {kind} inspect {' '.join(shlex.quote(i) for i in ids)}")
    found: list[dict[str, Json]] = _json(output) if code == 0 and output.strip().startswith("[") else []
    return found


def _image_matches(actual: str, wanted: str | None) -> bool:
    if wanted is None:
        return True
    def norm(name: str) -> str:
        name = name.removeprefix("docker.io/").removeprefix("library/")
        return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"
    return norm(actual) == norm(wanted)


async def _container(check: ContainerCheck, run: Exec, _evidence: Evidence) -> bool:
    rows = await _json_lines(run, "docker ps -a --no-trunc --format '{{json .}}'")
    for row in rows:
        names = row.get("Names", "").split(",")
        if not _image_matches(row.get("Image", ""), check.image):
            continue
        if check.name and check.name not in names:
            continue
        running = row.get("State") == "running"
        if check.running is not None and running != check.running:
            continue
        if check.port and f":{check.port}->" not in row.get("Ports", ""):
            continue
        if check.exited_ok and not row.get("Status", "").startswith("Exited (0)"):
            continue
        return True
    if check.name:
        await _why_not(check, check.name, run, rows)
    return False


async def _why_not(check: ContainerCheck, name: str, run: Exec, rows: list[dict[str, Json]]) -> None:
    """Fail with the reason the workspace tells: the container stopped at start-up, or its port is another's."""
    named = next((row for row in rows if name in row.get("Names", "").split(",")), None)
    if named is not None and check.running and named.get("State") != "running":
        reason = await why_it_stopped(run, name)
        if reason is not None:
            raise CheckFailed(reason)
    if check.port:
        await check_port_owner(run, check.port, name)


async def _restarted_since(run: Exec, container: str, others: Sequence[str]) -> list[str]:
    """Those of `others` that (re)started after `container` did (none when one of them is missing)."""
    found = await _inspect(run, "container", [container, *others])
    if len(found) != 1 + len(others):
        return []
    mine, *theirs = (_started_at(c) for c in found)
    return [name for name, started in zip(others, theirs, strict=True) if started > mine]


def _started_at(container: dict[str, Json]) -> datetime:
    try:
        return datetime.fromisoformat(container["State"]["StartedAt"])
    except (KeyError, TypeError, ValueError) as exc:
        raise UnreadableOutput(f"no start time: {str(container)[:80]!r}") from exc


async def _image(check: ImageCheck, run: Exec, _evidence: Evidence) -> bool:
    found = await _inspect(run, "image", [check.name])
    if not found:
        return False
    if not check.base:
        return True
    base = await _inspect(run, "image", [check.base])
    if not base:
        return False
    layers, base_layers = found[0]["RootFS"]["Layers"], base[0]["RootFS"]["Layers"]
    return bool(layers[: len(base_layers)] == base_layers)


async def _http(check: HttpCheck, run: Exec, _evidence: Evidence) -> bool:
    """The request goes through the URL's published port, marked as the bot's (bot/services/check_traffic.py);
    with `container`, that port must be the container's: another one answering there fails the check."""
    if check.container and not await check_port_owner(run, _port(check.url), check.container):
        return False
    code, output = await run(
        f"curl -s -m 5 -A {CHECK_MARK} -e {CHECK_MARK} -o - -w '\\n__STATUS__%{{http_code}}' {shlex.quote(check.url)}"
    )
    body, _, status = output.rpartition("\n__STATUS__")
    answered = status.strip().isdigit() and int(status) == (check.status or 200)
    if answered and (check.contains is None or check.contains in body):
        return True
    if check.container and check.upstreams:
        restarted = await _restarted_since(run, check.container, check.upstreams)
        if restarted:
            raise CheckFailed(FailureReason("stale_upstreams", {"container": check.container,
                                                                "services": ", ".join(restarted)}, next_step=True))
    return False


def _port(url: str) -> int:
    parts = urlsplit(url)
    return parts.port or (443 if parts.scheme == "https" else 80)


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\s*\n", " ", text)
    result = []
    for line in joined.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        keyword, _, rest = stripped.partition(" ")
        result.append((keyword.upper(), rest.strip()))
    return result


async def _dockerfile(check: DockerfileCheck, _run: Exec, evidence: Evidence) -> bool:
    if not evidence.last_dockerfile:
        return False
    for keyword, arguments in dockerfile_instructions(evidence.last_dockerfile):
        if keyword == check.instruction.upper() and (not check.matches or re.search(check.matches, arguments)):
            return True
    return False


async def _volume(check: VolumeCheck, run: Exec, _evidence: Evidence) -> bool:
    for row in await _json_lines(run, "docker volume ls --format '{{json .}}'"):
        if (not check.name or row.get("Name") == check.name) and (not check.driver or row.get("Driver") == check.driver):
            return True
    return False


async def _mount(check: MountCheck, run: Exec, _evidence: Evidence) -> bool:
    code, output = await run("docker ps -q --no-trunc")
    containers = await _inspect(run, "container", output.split()) if code == 0 else []
    for container in containers:
        if check.image and not _image_matches(container["Config"]["Image"], check.image):
            continue
        for mount in container.get("Mounts", []):
            if mount.get("Type") != check.kind or mount.get("Destination") != check.destination:
                continue
            if check.source and check.source not in (mount.get("Source", ""), mount.get("Name", "")):
                continue
            return True
    return False


async def _network(check: NetworkCheck, run: Exec, _evidence: Evidence) -> bool:
    code, output = await run("docker network ls -q --no-trunc")
    for network in await _inspect(run, "network", output.split()) if code == 0 else []:
        if check.name and network.get("Name") != check.name:
            continue
        if check.driver and network.get("Driver") != check.driver:
            continue
        configs = (network.get("IPAM") or {}).get("Config") or []
        if check.subnet and not any(c.get("Subnet") == check.subnet for c in configs):
            continue
        if check.gateway and not any(c.get("Gateway") == check.gateway for c in configs):
            continue
        options = network.get("Options") or {}
        if any(options.get(key) != str(value) for key, value in (check.options or {}).items()):
            continue
        return True
    return False


async def _service(check: ServiceCheck, run: Exec, _evidence: Evidence) -> bool:
    for row in await _json_lines(run, "docker service ls --format '{{json .}}'"):
        if check.name and row.get("Name") != check.name:
            continue
        if check.image and not _image_matches(row.get("Image", "").split("@")[0], check.image):
            continue
        running, _, _wanted = row.get("Replicas", "0/0").partition("/")
        if check.replicas is not None and _count(running) != check.replicas:
            continue
        return True
    return False


def _count(text: str) -> int:
    try:
        return int(text.split()[0])
    except (ValueError, IndexError) as exc:
        raise UnreadableOutput(f"not a count: {text[:40]!r}") from exc


async def _command(check: CommandCheck, run: Exec, _evidence: Evidence) -> bool:
    code, output = await run(check.run)
    if code != (check.exit_code if check.exit_code is not None else 0):
        return False
    return not check.matches or re.search(check.matches, output, re.MULTILINE) is not None


async def _history(check: HistoryCheck, _run: Exec, evidence: Evidence) -> bool:
    return any(re.search(check.matches, command) for command in evidence.commands)


_EVALUATORS: dict[str, Evaluator] = {
    "container": _container, "image": _image, "http": _http, "dockerfile": _dockerfile,
    "volume": _volume, "mount": _mount, "network": _network, "service": _service,
    "command": _command, "history": _history,
}
