"""Docker's own command-line grammar, for the commands a learner types: which words are Docker's flags (and
which flags take a value), and where the image or container name starts. Everything after that name is the
container's own command, whose `-t` (`ls -t`, `sort -t,`) is not Docker's TTY flag.

The flag lists follow `docker run --help` and `docker exec --help` (Docker 20.10 to 28).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

__all__ = ["DockerInvocation", "VALUE_FLAGS", "invocations"]

VALUE_FLAGS = frozenset({
    "-a", "--attach", "--add-host", "--annotation", "--blkio-weight", "--blkio-weight-device", "--cap-add", "--cap-drop",
    "--cgroup-parent", "--cgroupns", "--cidfile", "-c", "--cpu-shares", "--cpu-period", "--cpu-quota",
    "--cpu-rt-period", "--cpu-rt-runtime", "--cpus", "--cpuset-cpus", "--cpuset-mems", "--detach-keys", "--device",
    "--device-cgroup-rule", "--device-read-bps", "--device-read-iops", "--device-write-bps", "--device-write-iops",
    "--dns", "--dns-opt", "--dns-option", "--dns-search", "--domainname", "--entrypoint", "-e", "--env", "--env-file",
    "--expose", "--gpus", "--group-add", "--health-cmd", "--health-interval", "--health-retries",
    "--health-start-interval", "--health-start-period", "--health-timeout", "-h", "--hostname", "--ip", "--ip6",
    "--ipc", "--isolation", "--kernel-memory", "-l", "--label", "--label-file", "--link", "--link-local-ip",
    "--log-driver", "--log-opt", "--mac-address", "-m", "--memory", "--memory-reservation", "--memory-swap",
    "--memory-swappiness", "--mount", "--name", "--network", "--net", "--network-alias", "--net-alias",
    "--oom-score-adj", "--pid", "--pids-limit", "--platform", "-p", "--publish", "--pull", "--restart", "--runtime",
    "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs",
    "--ulimit", "-u", "--user", "--userns", "--uts", "-v", "--volume", "--volume-driver", "--volumes-from", "-w",
    "--workdir",
})
"""Flags of `docker run`/`create`/`exec` that take a value (`--name web`, `-p 8080:80`, `-e A=1`)."""
_SHORT_VALUES = frozenset(flag[1] for flag in VALUE_FLAGS if len(flag) == 2)
_SEPARATORS = frozenset({";", "&&", "||", "|", "&", "(", ")"})


@dataclass(frozen=True)
class DockerInvocation:
    """One `docker [container] run|create|exec …` in a line: Docker's flags, the image or container, its command."""

    verb: str
    flags: tuple[str, ...]  # Docker's own words, as typed (values included)
    target: str | None  # the image (run, create) or container (exec); None when the line stops before it
    command: tuple[str, ...]  # the container's own command and its arguments

    def has_flag(self, *names: str) -> bool:
        """Whether a boolean flag is on: `-t`, a cluster `-it`/`-dit`, `--tty`, `--tty=true`."""
        short = {name[1] for name in names if len(name) == 2}
        long = {name for name in names if name.startswith("--")}
        for word in self._boolean_words():
            if word.startswith("--"):
                name, _, value = word.partition("=")
                if name in long and value.lower() not in {"false", "0"}:
                    return True
            elif short & set(word[1:]):
                return True
        return False

    def _boolean_words(self) -> list[str]:
        """Docker's flags that are not values: `-it`, `--rm` (a cluster stops where a value flag starts)."""
        words: list[str] = []
        index = 0
        while index < len(self.flags):
            word = self.flags[index]
            index += 1
            if word in VALUE_FLAGS:
                index += 1  # its value is the next word
                continue
            if word.startswith("--"):
                if "=" not in word or word.split("=", 1)[0] not in VALUE_FLAGS:
                    words.append(word)
                continue
            letters = ""
            for position, letter in enumerate(word[1:]):
                if letter in _SHORT_VALUES:
                    if position == len(word) - 2:
                        index += 1  # `-dp 80:80`: the value is the next word
                    break  # `-p8080:80`: the rest is its value
                letters += letter
            if letters:
                words.append("-" + letters)
        return words


def invocations(line: str) -> list[DockerInvocation]:
    """Every `docker run`, `docker create` and `docker exec` of a shell line (`a && b; c | d`), parsed by Docker's
    grammar; a line that does not split as a shell would (an open quote) has none."""
    try:
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
    except ValueError:
        return []
    found: list[DockerInvocation] = []
    segment: list[str] = []
    for token in [*tokens, ";"]:
        if token in _SEPARATORS:
            parsed = _parse(segment)
            if parsed is not None:
                found.append(parsed)
            segment = []
        else:
            segment.append(token)
    return found


def _parse(words: list[str]) -> DockerInvocation | None:
    if words[:1] != ["docker"]:
        return None
    start = 2 if words[1:2] == ["container"] else 1
    if len(words) <= start or words[start] not in {"run", "create", "exec"}:
        return None
    verb = words[start]
    index = start + 1
    while index < len(words) and words[index].startswith("-") and words[index] != "-":
        word = words[index]
        index += 1
        if word == "--":
            break
        if word in VALUE_FLAGS:
            index += 1
        elif not word.startswith("--") and len(word) > 2 and word[-1] in _SHORT_VALUES:
            index += 1  # a cluster ending in a value flag: `-dp 80:80`
    flags = tuple(words[start + 1:min(index, len(words))])
    if index >= len(words):
        return DockerInvocation(verb, flags, None, ())
    return DockerInvocation(verb, flags, words[index], tuple(words[index + 1:]))
