"""Inline-button payloads: short, self-describing, and valid after a restart.

Every payload carries what it needs (no server-side state), so a button from a message
sent before a restart still works, or is recognised as stale and answered politely.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Callback", "encode", "parse"]

MAX_BYTES = 64


@dataclass(frozen=True)
class Callback:
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def encode(action: str, *args: object) -> str:
    data = ":".join([action, *(str(a) for a in args)])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def parse(data: str | None) -> Callback:
    action, *args = (data or "").split(":")
    return Callback(action=action, args=tuple(args))
