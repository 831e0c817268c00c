"""Keep a command's output readable and bounded: the head and the tail, no control bytes.

Where the middle was dropped the text shows `CUT_MARKER` alone on its line; how many bytes were dropped
is a number (`bytes_cut`) that the bot words for the learner.
"""

from __future__ import annotations

import re

__all__ = ["CUT_MARKER", "OutputCollector", "bytes_cut", "clean_text"]

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MAX_LINE = 2000
CUT_MARKER = "[…]"


def bytes_cut(total: int, limit: int) -> int:
    """Bytes an `OutputCollector(limit)` dropped from `total` bytes of output: it keeps `limit` at most."""
    return max(0, total - limit)


def clean_text(data: bytes) -> str:
    """Decode (invalid UTF-8 replaced), drop ANSI escapes and control bytes, fold carriage returns."""
    text = data.decode("utf-8", errors="replace")
    text = _ANSI.sub("", text)
    text = "\n".join(line.rsplit("\r", 1)[-1] if "\r" in line else line for line in text.split("\n"))
    text = _CONTROL.sub("", text)
    return "\n".join(line if len(line) <= _MAX_LINE else line[:_MAX_LINE] + " […]" for line in text.split("\n"))


class OutputCollector:
    """Stores at most `limit` bytes: the first quarter and the latest rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, chunk: bytes) -> None:
        self.total += len(chunk)
        room = self.limit // 4 - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        self.tail += chunk
        excess = len(self.tail) - (self.limit - len(self.head))
        if excess > 0:
            del self.tail[:excess]

    @property
    def truncated(self) -> bool:
        return bytes_cut(self.total, self.limit) > 0

    def text(self) -> str:
        if not self.truncated:
            return clean_text(bytes(self.head + self.tail))
        return f"{clean_text(bytes(self.head))}\n{CUT_MARKER}\n{clean_text(bytes(self.tail))}"
