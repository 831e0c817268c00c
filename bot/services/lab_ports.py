"""Ports in the learner's lab: which container holds which published port, and commands that publish a free one.

The bot suggests `docker run -p 8080:…` after a build and explains "port is already allocated": both look at
the learner's own lab first, so the suggested command works there (a learner's exercise container may already
hold 8080), and a taken port is explained with the container that holds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.feedback import BuildDiagnosis, Phrase
from bot.feedback.models import Value
from sandbox.errors import SandboxError

if TYPE_CHECKING:
    from sandbox.service import SandboxService

__all__ = ["FIRST_PORT", "free_port", "port_taken_advice", "published_ports", "republished"]

FIRST_PORT = 8080
_PUBLISHED = re.compile(r":(\d+)->")
_SINGLE_RUN = re.compile(r"^\s*docker\s+(?:container\s+)?run\s[^;&|<>`$()]*$")
_CREATED_ID = re.compile(r"^([0-9a-f]{64})$", re.MULTILINE)
_NAME = re.compile(r"(?:^|\s)--name(?:\s+|=)([a-zA-Z0-9][a-zA-Z0-9_.-]*)(?=\s|$)")


async def published_ports(*, sandbox: SandboxService | None, learner_id: int) -> dict[int, str] | None:
    """Host port -> name of the running container publishing it, in the learner's lab; None when it cannot say."""
    if sandbox is None:
        return None
    try:
        result = await sandbox.run_internal(learner_id=learner_id,
                                            command="docker ps --format '{{.Names}}\t{{.Ports}}'")
    except SandboxError:
        return None
    if result.exit_code != 0:
        return None
    ports: dict[int, str] = {}
    for line in result.output.splitlines():
        name, _, published = line.partition("\t")
        for port in _PUBLISHED.findall(published):
            ports.setdefault(int(port), name.strip())
    return ports


def free_port(used: Mapping[int, str], *, start: int = FIRST_PORT, keep: str | None = None) -> int:
    """The first port from `start` no container publishes (ports of `keep`, about to be replaced, count as free)."""
    port = start
    while port in used and used[port] != keep:
        port += 1
    return port


def republished(command: str, port: int, new_port: int) -> str | None:
    """A single `docker run` publishing host port `port`, publishing `new_port` instead; None otherwise."""
    if not _SINGLE_RUN.match(command):
        return None
    pattern = re.compile(rf"((?:^|\s)(?:-p|--publish)(?:\s+|=)(?:\d{{1,3}}(?:\.\d{{1,3}}){{3}}:)?){port}(?=:\d)")
    changed, count = pattern.subn(rf"\g<1>{new_port}", command, count=1)
    return changed.strip() if count else None


def port_taken_advice(diagnosis: BuildDiagnosis, command: str, output: str,
                      used: Mapping[int, str] | None) -> BuildDiagnosis:
    """A `port_taken` diagnosis with the container holding the port, and commands that work in the lab: stop
    that container and start the one just created (Docker created it before failing to publish), or remove the
    created one and publish a free port."""
    port = diagnosis.values.get("port")
    if used is None or not isinstance(port, int):
        return diagnosis
    holder = used.get(port)
    free = free_port(used, start=port + 1)
    named = _NAME.search(command)
    created = _CREATED_ID.search(output)
    mine = named.group(1) if named else created.group(1)[:12] if created else None
    retry = republished(command, port, free)
    values: dict[str, Value] = {**diagnosis.values, "next_port": free}
    if holder:
        values["holder"] = Phrase("diag_port_holder", {"name": holder})
    stop = f"docker stop {holder} && docker start {mine}" if holder and mine else None
    other = (f"docker rm {mine} && {retry}" if mine else retry) if retry else None
    if stop and other:
        values["fix"] = Phrase("diag_port_fix_either", {"name": holder or "", "stop": stop, "port": free,
                                                         "other": other})
    elif stop:
        values["fix"] = Phrase("diag_port_fix_stop", {"name": holder or "", "command": stop})
    elif other:
        values["fix"] = Phrase("diag_port_fix_other", {"port": free, "command": other})
    return replace(diagnosis, values=values)
