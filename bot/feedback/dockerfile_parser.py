"""A small, forgiving Dockerfile reader: instructions with their line numbers, nothing more.

It never raises: the course rules need to look at half-broken files from beginners, and
hadolint's own parser stops at the first syntax error.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

__all__ = ["KNOWN_INSTRUCTIONS", "Instruction", "parse_dockerfile"]

KNOWN_INSTRUCTIONS = frozenset(
    "ADD ARG CMD COPY ENTRYPOINT ENV EXPOSE FROM HEALTHCHECK LABEL MAINTAINER ONBUILD RUN "
    "SHELL STOPSIGNAL USER VOLUME WORKDIR".split()
)
_DIRECTIVE = re.compile(r"^#\s*escape\s*=\s*(\S)\s*$", re.IGNORECASE)
_HEREDOC = re.compile(r"<<-?\s*[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")


@dataclass(frozen=True)
class Instruction:
    """One instruction: `keyword` upper-cased when known (as written otherwise, for messages),
    `args` with continuations joined by a space."""

    keyword: str
    args: str
    line: int
    end_line: int

    @property
    def known(self) -> bool:
        return self.keyword in KNOWN_INSTRUCTIONS

    @property
    def text(self) -> str:
        return f"{self.keyword} {self.args}".strip()

    def exec_form(self) -> list[str] | None:
        """The JSON array of CMD/ENTRYPOINT/RUN when written in exec form, else None."""
        if not self.args.startswith("["):
            return None
        try:
            value = json.loads(self.args)
        except ValueError:
            return None
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        return None

    def flags_and_words(self) -> tuple[dict[str, str], list[str]]:
        """Split `--flag=value` options from the other words (for FROM, COPY, ADD)."""
        flags: dict[str, str] = {}
        words: list[str] = []
        for word in self.args.split():
            if word.startswith("--") and not words:
                name, _, value = word[2:].partition("=")
                flags[name.lower()] = value
            else:
                words.append(word)
        return flags, words


def parse_dockerfile(text: str) -> list[Instruction]:
    """Read `text` into instructions; comments and blank lines are dropped, lines are 1-based."""
    lines = text.splitlines()
    escape = "\\"
    for raw in lines[:5]:  # parser directives live at the very top
        match = _DIRECTIVE.match(raw.strip())
        if match:
            escape = match.group(1)
            break
        if raw.strip() and not raw.lstrip().startswith("#"):
            break
    instructions: list[Instruction] = []
    index = 0
    while index < len(lines):
        stripped = lines[index].strip()
        if not stripped or stripped.startswith("#"):
            index += 1
            continue
        start = index
        parts: list[str] = []
        while True:
            current = lines[index].rstrip()
            if current.endswith(escape) and index + 1 < len(lines):
                parts.append(current[: -len(escape)].strip())
                index += 1
                while index < len(lines) and lines[index].strip().startswith("#"):
                    index += 1  # comment lines inside a continuation are ignored by Docker
                if index >= len(lines):
                    break
                continue
            parts.append(current.strip())
            break
        joined = " ".join(p for p in parts if p)
        heredoc = _HEREDOC.search(joined)
        if heredoc and joined.split(None, 1)[0].upper() in {"RUN", "COPY", "ADD"}:
            terminator = heredoc.group(1)
            body: list[str] = []
            index += 1
            while index < len(lines) and lines[index].strip() != terminator:
                body.append(lines[index].strip())
                index += 1
            joined = " ".join([joined, *body])
        instructions.append(_instruction(joined, start + 1, min(index, len(lines) - 1) + 1))
        index += 1
    return instructions


def _instruction(joined: str, line: int, end_line: int) -> Instruction:
    words = joined.split(None, 1)
    written = words[0] if words else ""
    keyword = written.upper() if written.upper() in KNOWN_INSTRUCTIONS else written
    args = words[1].strip() if len(words) > 1 else ""
    return Instruction(keyword=keyword, args=args, line=line, end_line=end_line)
