"""Button payloads of instructors' features (see bot/callbacks.py for the format)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.callbacks import Payload

__all__ = ["AnnounceCancel", "AnnounceSchedule", "AnnounceSend", "BroadcastStop", "ClassDelete"]


@dataclass(frozen=True)
class AnnounceSend(Payload):
    action: ClassVar[str] = "as"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceSchedule(Payload):
    action: ClassVar[str] = "ah"
    announcement_id: int


@dataclass(frozen=True)
class AnnounceCancel(Payload):
    action: ClassVar[str] = "ac"
    announcement_id: int


@dataclass(frozen=True)
class BroadcastStop(Payload):
    action: ClassVar[str] = "bs"
    announcement_id: int


@dataclass(frozen=True)
class ClassDelete(Payload):
    action: ClassVar[str] = "cd"
    class_id: int
    confirm: bool = False
