"""Small facts about parsed instructions that several rules need, and a remark's words by message key."""

from __future__ import annotations

import re

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Phrase, Value

__all__ = ["image_reference", "remark_words", "runs_command", "split_stages", "stage_aliases"]


def remark_words(prefix: str, **values: Value) -> tuple[Phrase, Phrase, Phrase]:
    """A remark's title, why and fix: `<prefix>_title`, `_why`, `_fix` in bot/i18n/*/dockerfile_review.yaml."""
    return (Phrase(f"{prefix}_title", values), Phrase(f"{prefix}_why", values), Phrase(f"{prefix}_fix", values))


def split_stages(instructions: list[Instruction]) -> list[list[Instruction]]:
    """Instructions grouped by build stage; each stage starts with its FROM (ARGs before the
    first FROM are left out: they belong to no stage)."""
    stages: list[list[Instruction]] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            stages.append([ins])
        elif stages:
            stages[-1].append(ins)
    return stages


def stage_aliases(instructions: list[Instruction]) -> set[str]:
    """Names given with `FROM image AS name`, lower-cased."""
    names: set[str] = set()
    for ins in instructions:
        if ins.keyword == "FROM":
            _, words = ins.flags_and_words()
            if len(words) >= 3 and words[1].lower() == "as":
                names.add(words[2].lower())
    return names


def image_reference(ins: Instruction) -> str | None:
    """The image named by a FROM instruction, as written (None if the FROM is empty)."""
    _, words = ins.flags_and_words()
    return words[0] if words else None


def runs_command(ins: Instruction, pattern: str) -> bool:
    """Whether a RUN (shell or exec form) contains `pattern` as a command-line regex."""
    if ins.keyword != "RUN":
        return False
    exec_form = ins.exec_form()
    command = " ".join(exec_form) if exec_form is not None else ins.args
    return re.search(pattern, command) is not None
