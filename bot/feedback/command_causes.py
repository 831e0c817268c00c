"""The usual reasons a Docker command fails in the lab, each a regex on its output and a story told as data.

Same shape as bot/feedback/build_causes.py (a `Cause` per error, a `Story` told from the match: a cause
code and its values, worded by the view from bot/i18n/*/diagnosis.yaml), read by the same engine
(bot/feedback/command_diagnosis.py). `step` is the learner's command here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.feedback.build_causes import Cause, Story
from bot.feedback.models import Phrase, Value

__all__ = ["command_causes"]


def _port_taken(m: re.Match[str], _: str | None) -> Story:
    """`holder` and `fix` are told without the lab's state here; bot/services/lab_ports.py names the container
    holding the port and gives commands that work in the learner's lab."""
    port = int(m.group(1))
    return Story("port_taken", "port-in-use", {"port": port, "next_port": port + 1,
                                               "holder": Phrase("diag_port_holder_unknown"),
                                               "fix": Phrase("diag_port_fix_unknown", {"next_port": port + 1})})


def _name_taken(m: re.Match[str], _: str | None) -> Story:
    return Story("name_taken", "container-name", {"name": m.group(1)})


def _no_container(m: re.Match[str], _: str | None) -> Story:
    return Story("no_container", "container-name", {"name": m.group(1)})


def _no_image(m: re.Match[str], _: str | None) -> Story:
    return Story("no_image", "image-name", {"name": m.group(1)})


LabImages = Sequence[str] | Mapping[str, Sequence[str]]
"""The lab registry's images, or each image with its tags."""


def _offline(lab_images: LabImages) -> Cause:
    every: Value = Phrase("diag_offline_image_also", {"images": tuple(lab_images)}) if lab_images else ""

    def tell(m: re.Match[str], step: str | None) -> Story:
        asked = re.search(r"Unable to find image '([^']+)'", m.string)
        pulled = re.search(r"\bdocker\s+(?:image\s+)?pull\s+(?:-\S+\s+)*([^\s;&|]+)", step or "")
        found = asked.group(1) if asked else pulled.group(1) if pulled else None
        image: Value = found.removesuffix(":latest") if found else Phrase("diag_unnamed_image")
        name = found.split(":", 1)[0].rsplit("/", 1)[-1] if found else ""
        also = (Phrase("diag_offline_tag_also", {"name": name, "tags": tuple(lab_images[name])})
                if isinstance(lab_images, Mapping) and name in lab_images else every)
        return Story("offline_image", "offline-image", {"image": image, "also": also})

    return Cause(re.compile(r"registry-1\.docker\.io[^\n]*(?:no such host|i/o timeout|connection refused)"
                            r"|pull access denied for ([^\s,]+)"), tell)


def _remove_running(_: re.Match[str], __: str | None) -> Story:
    return Story("remove_running", "container-lifecycle")


def _image_in_use(m: re.Match[str], _: str | None) -> Story:
    return Story("image_in_use", "container-lifecycle", {"container": m.group(1)})


def _not_running(_: re.Match[str], __: str | None) -> Story:
    return Story("not_running", "container-lifecycle")


def _uppercase(_: re.Match[str], __: str | None) -> Story:
    return Story("uppercase_image", "image-name")


def _unknown_flag(m: re.Match[str], _: str | None) -> Story:
    return Story("unknown_flag", "container-lifecycle", {"flag": m.group(1)})


def _daemon(_: re.Match[str], __: str | None) -> Story:
    return Story("daemon_unreachable", "docker-daemon")


def command_causes(lab_images: LabImages = ()) -> tuple[Cause, ...]:
    """The command causes, in order; `lab_images` are the images the lab's registry offers (with their tags)."""
    return (
        Cause(re.compile(r"Bind for [\d.:\[\]]*?:(\d+) failed: port is already allocated"), _port_taken),
        Cause(re.compile(r'The container name "/([^"]+)" is already in use'), _name_taken),
        Cause(re.compile(r"No such container: (\S+)"), _no_container),
        Cause(re.compile(r"No such image: (\S+)"), _no_image),
        _offline(lab_images),
        Cause(re.compile(r"You cannot remove a running container"), _remove_running),
        Cause(re.compile(r"container (\w+) is using its referenced image"), _image_in_use),
        Cause(re.compile(r"Container \w+ is not running"), _not_running),
        Cause(re.compile(r"invalid reference format: repository name must be lowercase"), _uppercase),
        Cause(re.compile(r"unknown (?:shorthand )?flag: '?(-{1,2}[\w-]+)"), _unknown_flag),
        Cause(re.compile(r"Cannot connect to the Docker daemon|permission denied while trying to connect to the Docker daemon"),
              _daemon),
    )

