"""Lines that reach the terminal chat together (a paste, or a pipe read at start-up): which go as one message.

A pasted Dockerfile, a heredoc or a `/build` with its Dockerfile is one message, as a phone sends a paste;
but commands on separate lines stay separate messages: a line that starts with `/`, a lab command
(`docker ps`), or a choice number begins a new message, and a bot command that takes no text on the
following lines (`/start`) is a message on its own.
"""

from __future__ import annotations

import re

from bot.services.plain_commands import ROUTED_PROGRAMS

__all__ = ["BODY_COMMANDS", "split_messages"]

BODY_COMMANDS = frozenset({"/build", "/run", "/announce"})
"""Bot commands whose message goes on over the following lines (a Dockerfile, a script, an announcement)."""

_HEREDOC = re.compile(r"<<-?\s*(['\"]?)([A-Za-z_][A-Za-z0-9_]*)\1")


def split_messages(lines: list[str]) -> list[str]:
    """The messages these lines make, in order (empty lines inside a message are kept)."""
    messages: list[list[str]] = []
    heredoc_end: str | None = None
    continued = False
    for line in lines:
        if heredoc_end is not None:  # a heredoc's text, up to its end word
            messages[-1].append(line)
            if line.strip() == heredoc_end:
                heredoc_end = None
            continue
        if not continued and (not messages or _begins_a_message(line) or _stands_alone(messages[-1])):
            messages.append([])
        messages[-1].append(line)
        if opened := _HEREDOC.search(line):
            heredoc_end = opened.group(2)
        continued = line.endswith("\\")
    return ["\n".join(message).strip("\n") for message in messages if "".join(message).strip()]


def _begins_a_message(line: str) -> bool:
    stripped = line.strip()
    if line.startswith("/") or stripped.isdigit():
        return True
    first = line.split(" ", 1)[0]
    return first in ROUTED_PROGRAMS  # as typed: a Dockerfile's `ENV` is not the `env` command


def _stands_alone(message: list[str]) -> bool:
    """A message made of one bot command that takes nothing on the following lines (`/start`, `/lessons`)."""
    head = message[0]
    return head.startswith("/") and head.split(maxsplit=1)[0].split("@")[0] not in BODY_COMMANDS
