"""The declarative checks of an exercise, one model per `type` (see docs/CONTENT_FORMAT.md)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

__all__ = [
    "Check", "CommandCheck", "ContainerCheck", "DockerfileCheck", "HistoryCheck", "HttpCheck",
    "Id", "ImageCheck", "MountCheck", "NetworkCheck", "ServiceCheck", "VolumeCheck",
]

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]{1,32}$")]
Text = Annotated[str, StringConstraints(min_length=1)]


def _compiles(pattern: str) -> str:
    """A regex that does not compile would make its check silently fail for every learner."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {pattern!r}: {exc}") from exc
    return pattern


Regex = Annotated[str, AfterValidator(_compiles)]


class _Check(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Id
    description: Text
    hint: str | None = None
    """What to do when this check fails; without it, the exercise's first hint is given."""


class ContainerCheck(_Check):
    type: Literal["container"]
    image: str | None = None
    name: str | None = None
    running: bool | None = True
    port: int | None = Field(default=None, ge=1, le=65535)
    exited_ok: bool | None = None


class ImageCheck(_Check):
    type: Literal["image"]
    name: Text
    base: str | None = None


class HttpCheck(_Check):
    type: Literal["http"]
    url: Annotated[str, StringConstraints(pattern=r"^https?://")]
    contains: str | None = None
    status: int = Field(default=200, ge=100, le=599)
    container: str | None = None
    """The container that must be publishing the URL's port: another one answering there fails the check."""
    upstreams: tuple[str, ...] | None = None
    """With `container`, the containers it proxies to: when the request fails and one of them (re)started after
    it, the learner is told the proxy still holds their old addresses (a proxy resolves them at start-up)."""


class DockerfileCheck(_Check):
    type: Literal["dockerfile"]
    instruction: Annotated[str, StringConstraints(pattern=r"^[A-Za-z]+$")]
    matches: Regex | None = None


class VolumeCheck(_Check):
    type: Literal["volume"]
    name: str | None = None
    driver: str | None = None


class MountCheck(_Check):
    type: Literal["mount"]
    kind: Literal["bind", "volume"]
    destination: Annotated[str, StringConstraints(pattern=r"^/")]
    source: str | None = None
    image: str | None = None


class NetworkCheck(_Check):
    type: Literal["network"]
    name: str | None = None
    driver: str | None = None
    subnet: str | None = None
    gateway: str | None = None
    options: dict[str, str | int | bool] | None = None


class ServiceCheck(_Check):
    type: Literal["service"]
    name: str | None = None
    image: str | None = None
    replicas: int | None = Field(default=None, ge=0)


class CommandCheck(_Check):
    type: Literal["command"]
    run: Text
    matches: Regex | None = None
    exit_code: int = 0


class HistoryCheck(_Check):
    type: Literal["history"]
    matches: Regex


Check = Annotated[
    ContainerCheck | ImageCheck | HttpCheck | DockerfileCheck | VolumeCheck | MountCheck
    | NetworkCheck | ServiceCheck | CommandCheck | HistoryCheck,
    Field(discriminator="type"),
]
