"""What to do instead of a command that needs a keyboard (`docker exec -it … bash`, `docker run -it`, `attach`).

A chat has no terminal: each message runs one command and comes back. Dropping `-it` from an interactive
shell is no advice (bash then reads nothing and exits at once, silently), so a shell becomes one command
(`ls /`), and several go through `sh -c '…'` (sh: slim and busybox images have no bash). `attach` becomes
`docker logs`. Any other command simply loses its `-i`/`-t`.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Literal

from bot.services.docker_cli import VALUE_FLAGS
from bot.services.lab import tty_free_alternative

__all__ = ["TtyAdvice", "tty_advice"]

_SHELLS = frozenset({"bash", "sh", "ash", "dash", "zsh"})
_HEAVY_SHELLS = frozenset({"bash", "zsh"})  # not in slim, alpine or busybox images
_SHELL_IMAGES = frozenset({"ubuntu", "debian", "alpine", "busybox", "fedora", "centos"})  # their default command: a shell
_REPL_IMAGES = {"python": ["python", "-c", "print(6 * 7)"]}  # their default command waits for typed input
_VALUE_FLAGS = VALUE_FLAGS
Kind = Literal["shell", "attach", "plain"]


@dataclass(frozen=True)
class TtyAdvice:
    """`alternative` runs in a chat; `several` (for a shell) shows how to chain commands with `sh -c`;
    `not_sh`: the learner's shell was bash (or zsh), which light images lack, so the advice says why sh."""

    kind: Kind
    alternative: str
    several: str = ""
    not_sh: bool = False


def tty_advice(command: str) -> TtyAdvice:
    """The advice for a command `bot.services.lab.needs_tty` refuses."""
    stripped = tty_free_alternative(command)  # for what this cannot read (a shell line with ; or &&...)
    try:
        words = shlex.split(command)
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        chained = any(set(token) <= set(";&|<>()") for token in lexer)
    except ValueError:
        return TtyAdvice("plain", stripped)
    start = 2 if words[1:2] == ["container"] else 1
    if words[:1] != ["docker"] or len(words) <= start or chained:
        return TtyAdvice("plain", stripped)
    verb = words[start]
    if verb == "attach" and len(words) > start + 1:
        return TtyAdvice("attach", shlex.join(["docker", "logs", "--tail", "20", words[-1]]))
    if verb not in {"run", "exec"}:
        return TtyAdvice("plain", stripped)
    index = start + 1
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in _VALUE_FLAGS else 1
    if index >= len(words):
        return TtyAdvice("plain", stripped)
    head, target, rest = _without_tty(words[start + 1:index]), words[index], words[index + 1:]
    image = target.rsplit("/", 1)[-1].split(":", 1)[0].split("@", 1)[0]
    interactive_shell = (bool(rest) and rest[0].rsplit("/", 1)[-1] in _SHELLS and "-c" not in rest[1:]) or \
        (verb == "run" and not rest and image in _SHELL_IMAGES)
    if verb == "run" and not rest and image in _REPL_IMAGES:
        return TtyAdvice("shell", _join(verb, head, target, _REPL_IMAGES[image]),
                         _join(verb, head, target, ["sh", "-c", "python --version && which python"]))
    if not interactive_shell:
        return TtyAdvice("plain", shlex.join(["docker", verb, *head, target, *rest]))
    return TtyAdvice("shell", _join(verb, head, target, ["ls", "/"]),
                     _join(verb, head, target, ["sh", "-c", "cd /etc && ls | head"]),
                     not_sh=bool(rest) and rest[0].rsplit("/", 1)[-1] in _HEAVY_SHELLS)


def _without_tty(flags: list[str]) -> list[str]:
    """Docker's own flags without -i, -t, --interactive, --tty (`-dit` keeps `-d`; values are kept as they are)."""
    kept: list[str] = []
    index = 0
    while index < len(flags):
        flag = flags[index]
        if flag in _VALUE_FLAGS:
            kept += flags[index:index + 2]
            index += 2
            continue
        index += 1
        if flag in {"--tty", "--interactive"}:
            continue
        if flag.startswith("-") and not flag.startswith("--"):
            flag = "-" + flag[1:].replace("i", "").replace("t", "")
            if flag == "-":
                continue
        kept.append(flag)
    return kept


def _join(verb: str, head: list[str], target: str, rest: list[str]) -> str:
    """The command again, with `rest` as the container's command (a `docker run` gets --rm: it leaves nothing)."""
    flags = list(head)
    if verb == "run" and "--rm" not in flags and "--name" not in flags:
        flags.insert(0, "--rm")
    return shlex.join(["docker", verb, *flags, target, *rest])
