"""Reading one course file into a validated model, turning every failure into located problems."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bot.content.problems import Problem
from bot.content.yaml_lines import LineMap, YamlSyntaxError, load_yaml

__all__ = ["Parsed", "split_front_matter", "validate", "yaml_file"]

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Parsed:
    """A file's YAML data and where each value sits in it."""

    path: Path
    data: Any
    lines: LineMap

    def line(self, *loc: str | int) -> int | None:
        return self.lines.line_of(loc)

    def problem(self, loc: tuple[str | int, ...], message: str, *, warning: bool = False) -> Problem:
        return Problem(self.path, self.lines.line_of(loc), message, warning)


def yaml_file(path: Path, text: str, problems: list[Problem], *, first_line: int = 1) -> Parsed | None:
    """Parse YAML text from `path`; on a syntax error, record it and return None."""
    try:
        data, lines = load_yaml(text, first_line=first_line)
    except YamlSyntaxError as exc:
        problems.append(Problem(path, exc.line, exc.message))
        return None
    for line, key in lines.duplicate_keys:
        problems.append(Problem(path, line, f"duplicate key {key!r}"))
    return Parsed(path, data, lines)


def validate(model: type[M], parsed: Parsed, problems: list[Problem], **extra: Any) -> M | None:
    """`model` built from the parsed data (plus `extra` fields), or None with every error recorded."""
    if not isinstance(parsed.data, dict):
        problems.append(Problem(parsed.path, parsed.line(), "expected a mapping of fields (key: value)"))
        return None
    try:
        return model.model_validate({**parsed.data, **extra})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            loc = tuple(error["loc"])
            if error["type"] == "too_short" and any(_inside(other["loc"], loc) for other in errors):
                continue  # "at least 1 item ... not 0" only because every item had its own error
            problems.append(parsed.problem(loc, f"{_dotted(loc, parsed.lines)}: {_message(error)}"))
        return None


def _inside(loc: tuple, parent: tuple) -> bool:
    return len(loc) > len(parent) and tuple(loc[: len(parent)]) == parent


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "string_pattern_mismatch" and "a-z0-9-" in str(error.get("ctx", {}).get("pattern", "")):
        return "ids are lowercase letters, digits and '-', at most 32 characters"
    return str(error["msg"]).removeprefix("Value error, ")


def _dotted(loc: tuple[str | int, ...], lines: LineMap) -> str:
    """`questions[2].options` from a pydantic loc, leaving out union tags that are not fields."""
    path: tuple[str | int, ...] = ()
    text = ""
    for index, step in enumerate(loc):
        is_last = index == len(loc) - 1
        if path + (step,) not in lines.lines and not is_last:
            continue
        path = path + (step,)
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "file"


def split_front_matter(path: Path, text: str, problems: list[Problem]) -> tuple[Parsed | None, str, int]:
    """(front matter, body, line of the body's first line) for a lesson file."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(path, 1, "a lesson starts with front matter between '---' lines"))
        return None, text, 1
    closing = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if closing is None:
        problems.append(Problem(path, 1, "the front matter is not closed by a '---' line"))
        return None, "", len(lines) + 1
    front = yaml_file(path, "\n".join(lines[1:closing]), problems, first_line=2)
    return front, "\n".join(lines[closing + 1:]), closing + 2
