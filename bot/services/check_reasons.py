"""Why a check failed, when the workspace says more than the check's own hint.

An evaluator raises `CheckFailed` with a `FailureReason` (a code and its values); the report shows it,
worded in the learner's language (bot/i18n, `check_reason_<code>`), before the hint. Each reason comes
with a command that fixes it, in the learner's lab.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

__all__ = ["CheckFailed", "FailureReason", "check_port_owner", "port_publishers", "why_it_stopped"]

Exec = Callable[[str], Awaitable[tuple[int, str]]]
_UPSTREAM_NOT_FOUND = re.compile(r'host not found in upstream "([A-Za-z0-9_.-]+)')


@dataclass(frozen=True)
class FailureReason:
    """`next_step`: the reason says what to do instead of the check's own hint (which would not fix it)."""

    code: str
    values: dict[str, str | int] = field(default_factory=dict)
    next_step: bool = False


class CheckFailed(Exception):
    """The check fails, for a reason the learner is told."""

    def __init__(self, reason: FailureReason) -> None:
        super().__init__(reason.code)
        self.reason = reason


async def port_publishers(run: Exec, port: int) -> list[str]:
    """The names of the running containers that publish host port `port`."""
    code, output = await run(f"docker ps --filter publish={port} --format '{{{{.Names}}}}'")
    return output.split() if code == 0 else []


async def check_port_owner(run: Exec, port: int, wanted: str) -> bool:
    """True when `wanted` publishes `port`; fails with `port_taken` when another container does."""
    owners = await port_publishers(run, port)
    if wanted in owners:
        return True
    if owners:
        raise CheckFailed(FailureReason("port_taken", {"port": port, "owner": owners[0], "wanted": wanted}))
    return False


async def why_it_stopped(run: Exec, name: str) -> FailureReason | None:
    """What the last lines of a stopped container's log tell, when it is a known start-up failure."""
    code, output = await run(f"docker logs --tail 20 {shlex.quote(name)} 2>&1")
    found = _UPSTREAM_NOT_FOUND.search(output) if code == 0 else None
    if found is None:
        return None
    return FailureReason("upstream_not_found", {"container": name, "host": found.group(1)}, next_step=True)
