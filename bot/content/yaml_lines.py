"""YAML loading that remembers where every value came from, so errors can say `file:line`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["LineMap", "YamlSyntaxError", "load_yaml"]

Path_ = tuple[str | int, ...]


class YamlSyntaxError(Exception):
    """The text is not valid YAML; `line` is 1-based."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class LineMap:
    """1-based line of each value, keyed by its path (`("questions", 0, "options")`)."""

    lines: dict[Path_, int]
    duplicate_keys: tuple[tuple[int, str], ...] = field(default=())
    offset: int = 0

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The line of `loc`, or of its nearest recorded ancestor.

        Steps that name no recorded value (a union tag such as `http`, or a missing field)
        are skipped, so a pydantic error `loc` maps to the closest line that exists.
        """
        path: Path_ = ()
        for step in loc:
            if path + (step,) in self.lines:
                path = path + (step,)
        line = self.lines.get(path)
        return None if line is None else line + self.offset


# libyaml's parser when PyYAML was built with it (its nodes carry the same start marks), else pure Python.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineRecordingLoader(_SafeLoader):  # type: ignore[valid-type,misc]
    """A SafeLoader that also walks the composed node tree and records start marks per path."""

    def load_with_lines(self) -> tuple[Any, dict[Path_, int], list[tuple[int, str]]]:
        node = self.get_single_node()
        if node is None:
            return None, {(): 1}, []
        lines: dict[Path_, int] = {}
        duplicates: list[tuple[int, str]] = []
        _record(node, (), node.start_mark.line + 1, lines, duplicates)
        return self.construct_document(node), lines, duplicates


def _record(node: yaml.Node, path: Path_, line: int, lines: dict, duplicates: list) -> None:
    lines[path] = line
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark)
            if name in seen:
                duplicates.append((key.start_mark.line + 1, name))
            seen.add(name)
            _record(value, path + (name,), key.start_mark.line + 1, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, path + (index,), item.start_mark.line + 1, lines, duplicates)


def load_yaml(text: str, *, first_line: int = 1) -> tuple[Any, LineMap]:
    """Parse `text`, whose first line is line `first_line` of its file."""
    loader = _LineRecordingLoader(text)
    try:
        data, lines, duplicates = loader.load_with_lines()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark is not None else None
        raise YamlSyntaxError(f"invalid YAML: {exc.problem or exc.context}", line) from exc
    except yaml.YAMLError as exc:
        raise YamlSyntaxError(f"invalid YAML: {exc}", None) from exc
    finally:
        loader.dispose()
    shifted = tuple((line + first_line - 1, key) for line, key in duplicates)
    return data, LineMap(lines, shifted, offset=first_line - 1)
