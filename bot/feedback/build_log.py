"""Read a failed `docker build` log (classic builder or BuildKit): which step failed, on which line.

Classic:  ``Step 3/7 : RUN apt-get install -y nginx`` … ``The command '/bin/sh -c …' returned a non-zero code: 100``
BuildKit: ``#8 [3/5] RUN apt-get install -y nginx`` … ``Dockerfile:3`` … ``ERROR: failed to solve: …``
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.feedback.dockerfile_parser import Instruction, parse_dockerfile

__all__ = ["FailedStep", "locate_instruction", "read_build_log"]

MAX_LOG_CHARS = 2_000_000  # beyond this only the end is read: the cause is at the end
_CLASSIC_STEP = re.compile(r"^Step (\d+)/\d+ : (.+)$", re.MULTILINE)
_KIT_ERROR = re.compile(r"^#(\d+) ERROR\b", re.MULTILINE)
_KIT_HEADER = r"^#{id} \[(?:[^\]]*?\s)?\d+/\d+\] (.+)$"
_KIT_BLOCK = re.compile(r"^ > \[(?:[^\]]*?\s)?\d+/\d+\] (.+):\s*$", re.MULTILINE)
_KIT_LINE = re.compile(r"^Dockerfile:(\d+)\s*$", re.MULTILINE)
_PARSE_LINE = re.compile(r"parse error (?:on )?line (\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class FailedStep:
    """What the log says about the failure: the instruction text, the step counter, a line."""

    instruction: str | None
    step_number: int | None
    line: int | None
    log: str


def read_build_log(log: str) -> FailedStep:
    """Find the failing instruction and, when the log prints it, its Dockerfile line."""
    log = log[-MAX_LOG_CHARS:].replace("\r\n", "\n")
    instruction: str | None = None
    step_number: int | None = None
    errors = _KIT_ERROR.findall(log)
    for vertex in reversed(errors):
        header = re.search(_KIT_HEADER.format(id=vertex), log, re.MULTILINE)
        if header:
            instruction = header.group(1).strip()
            break
    if instruction is None:
        blocks = _KIT_BLOCK.findall(log)
        if blocks:
            instruction = blocks[-1].strip()
    if instruction is None:
        steps = _CLASSIC_STEP.findall(log)
        if steps:
            step_number, instruction = int(steps[-1][0]), steps[-1][1].strip()
    line_match = _KIT_LINE.findall(log) or _PARSE_LINE.findall(log)
    line = int(line_match[-1]) if line_match else None
    return FailedStep(instruction=instruction, step_number=step_number, line=line, log=log)


def locate_instruction(step: FailedStep, dockerfile: str | None) -> Instruction | None:
    """The Dockerfile instruction that failed: by line, else by its text, else by step number."""
    if not dockerfile:
        return None
    instructions = parse_dockerfile(dockerfile[:MAX_LOG_CHARS])
    if step.line is not None:
        for ins in instructions:
            if ins.line <= step.line <= ins.end_line:
                return ins
    if step.instruction:
        wanted = _normalise(step.instruction)
        for ins in instructions:
            if _normalise(ins.text) == wanted:
                return ins
        for ins in instructions:
            have = _normalise(ins.text)
            if len(wanted) >= 12 and (have.startswith(wanted) or wanted.startswith(have)):
                return ins
    if step.step_number is not None and step.instruction and 0 < step.step_number <= len(instructions):
        candidate = instructions[step.step_number - 1]
        if candidate.keyword == step.instruction.split()[0].upper():
            return candidate
    return None


def _normalise(text: str) -> str:
    keyword, _, rest = text.strip().partition(" ")
    rest = rest.replace("\\\n", " ").replace("...", "")
    return f"{keyword.upper()} {' '.join(rest.split())}".strip()
