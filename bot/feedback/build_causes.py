"""The usual reasons a `docker build` fails, each a regex on the log and a story told as data.

A story is a cause `code` and the values its messages need (`diag_<code>_cause`, `_why`, `_fix` in
bot/i18n/*/diagnosis.yaml): the view words it in the learner's language.

Order matters: a network outage also produces "Unable to locate package" and "No matching
distribution", so network trouble is recognised before the package-name causes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from bot.feedback.dockerfile_parser import Instruction
from bot.feedback.models import Phrase, Value

__all__ = ["CAUSES", "STANDIN_CAUSES", "Cause", "Story"]


@dataclass(frozen=True)
class Story:
    """What a cause tells; `target` helps find the line when the log does not give it."""

    code: str
    topic: str
    values: Mapping[str, Value] = field(default_factory=dict)
    target: Callable[[Instruction], bool] | None = None


@dataclass(frozen=True)
class Cause:
    pattern: re.Pattern[str]
    tell: Callable[[re.Match[str], str | None], Story]  # (match, failing instruction text)


def _mentions(keyword: str, word: str) -> Callable[[Instruction], bool]:
    return lambda ins: ins.keyword == keyword and word.lower() in ins.args.lower()


def _unknown_instruction(m: re.Match[str], _: str | None) -> Story:
    word = m.group(1).upper()
    return Story("unknown_instruction", "dockerfile-basics", {"word": word}, lambda ins: ins.keyword.upper() == word)


def _copy_destination(_: re.Match[str], __: str | None) -> Story:
    return Story("copy_destination", "copy-vs-add", {},
                 lambda ins: ins.keyword in {"COPY", "ADD"} and len(ins.args.split()) > 2 and not ins.args.rstrip().endswith("/"))


def _parse_error(m: re.Match[str], _: str | None) -> Story:
    return Story("parse_error", "dockerfile-basics")


def _pull_denied(m: re.Match[str], _: str | None) -> Story:
    named = re.search(r"source metadata for (\S+?):? ", m.string)
    found = m.group(1) or (named.group(1) if named else None)
    image: Value = found.removeprefix("docker.io/library/") if found else Phrase("diag_unnamed_image")
    return Story("pull_denied", "base-image", {"image": image}, lambda ins: ins.keyword == "FROM")


def _manifest_missing(m: re.Match[str], _: str | None) -> Story:
    found = m.group(1) or m.group(2)
    image: Value = found.removeprefix("docker.io/library/") if found else Phrase("diag_this_image")
    return Story("manifest_missing", "base-tag", {"image": image}, lambda ins: ins.keyword == "FROM")


def _network(m: re.Match[str], step: str | None) -> Story:
    if step is None or step.upper().startswith("FROM") or "source metadata" in m.string:
        return Story("network_pull", "network", {}, lambda ins: ins.keyword == "FROM")
    return Story("network_run", "network")


def _copy_missing(m: re.Match[str], _: str | None) -> Story:
    found = next((g for g in m.groups() if g), None)
    name = found.lstrip("/") if found else None
    return Story("copy_missing", "build-context", {"name": name or Phrase("diag_the_file")},
                 lambda ins: ins.keyword in {"COPY", "ADD"} and name is not None and name.rsplit("/", 1)[-1] in ins.args)


def _apt_missing(m: re.Match[str], step: str | None) -> Story:
    package = m.group(1) or m.group(2)
    no_update = m.group(2) is not None or (step is not None and not re.search(r"apt(?:-get)?\s+update", step))
    return Story("apt_no_update" if no_update else "apt_unknown_package",
                 "apt-update" if no_update else "package-not-found", {"package": package}, _mentions("RUN", package))


_APT_INSTALL = re.compile(r"\b(apt(?:-get)?)(\s+(?:-\S+\s+)*)install\b")


def _apt_confirm(_: re.Match[str], step: str | None) -> Story:
    """apt asked "Do you want to continue? [Y/n]": nobody answers in a build (or a lab command), so it aborts."""
    command = step or ""
    fixed = _APT_INSTALL.sub(r"\1\2install -y", command) if _APT_INSTALL.search(command) else ""
    fix: Value = Phrase("diag_apt_confirm_fix_with", {"fixed": fixed}) if fixed else Phrase("diag_apt_confirm_fix_plain")
    return Story("apt_confirm", "package-install", {"fix": fix},
                 lambda ins: ins.keyword == "RUN" and _APT_INSTALL.search(ins.args) is not None)


def _pip_missing(m: re.Match[str], _: str | None) -> Story:
    package = m.group(1)
    return Story("pip_missing", "package-not-found", {"package": package},
                 _mentions("RUN", package.split("=")[0].split("<")[0].split(">")[0]))


_INSTALL_HINTS = {  # command -> its hint, diag_hint_<name>
    "pip": "python_image", "pip3": "python_image", "python": "python", "apt-get": "alpine", "apt": "alpine",
    "apk": "debian", "npm": "node", "node": "node", "sudo": "sudo",
}


def _command_missing(m: re.Match[str], _: str | None) -> Story:
    command = next(g for g in m.groups() if g)
    hint = Phrase(f"diag_hint_{_INSTALL_HINTS.get(command, 'install')}", {"command": command})
    return Story("command_missing", "command-not-found", {"command": command, "hint": hint},
                 lambda ins: ins.keyword == "RUN" and re.search(rf"(?:^|[\s;&|]){re.escape(command)}\b", ins.args) is not None)


def _standin_apk(_: re.Match[str], __: str | None) -> Story:
    return Story("standin_apk", "lab-images", {}, lambda ins: ins.keyword == "RUN" and "apk" in ins.args)


_NET = r"no such host|Temporary failure (?:resolving|in name resolution)|Could not resolve host|Network is unreachable|Failed to establish a new connection|i/o timeout|TLS handshake timeout|Could not connect to"
STANDIN_CAUSES: tuple[Cause, ...] = (
    Cause(re.compile(r"this 'alpine' is an offline stand-in"), _standin_apk),
)
"""Limits of the lab's offline images, met by commands and builds alike."""

CAUSES: tuple[Cause, ...] = (
    *STANDIN_CAUSES,
    Cause(re.compile(r"unknown instruction: ?([^\s(]+)", re.IGNORECASE), _unknown_instruction),
    Cause(re.compile(r"When using COPY with more than one source file, the destination must be a directory and end with a /"), _copy_destination),
    Cause(re.compile(r"dockerfile parse error", re.IGNORECASE), _parse_error),
    Cause(re.compile(r"pull access denied for ([^\s,]+)|pull access denied, repository does not exist()"), _pull_denied),
    Cause(re.compile(r"manifest for (\S+) not found|failed to resolve source metadata for (\S+?): (?:\S+: )?not found"), _manifest_missing),
    Cause(re.compile(_NET, re.IGNORECASE), _network),
    Cause(re.compile(r"COPY failed: file not found in build context[^\n]*?stat ([^:\s]+): file does not exist|COPY failed: stat [^\n]*?/([^/\s:]+): no such file|\"(/[^\"]+)\": not found"), _copy_missing),
    Cause(re.compile(r"E: Unable to locate package (\S+)|E: Package '([^']+)' has no installation candidate"), _apt_missing),
    Cause(re.compile(r"Do you want to continue\? \[Y/n\] Abort"), _apt_confirm),
    Cause(re.compile(r"No matching distribution found for (\S+)"), _pip_missing),
    Cause(re.compile(r"/bin/sh: (?:\d+: )?([^:\s]+): not found|(?:^|\s)([^:\s]+): command not found|exec: \"([^\"]+)\": executable file not found"), _command_missing),
)
