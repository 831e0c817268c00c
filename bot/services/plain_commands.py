"""Is a plain chat message a command for the lab? And undo what phones do to typed text.

A learner on a phone types `docker ps` without `/run`; the keyboard capitalises the first
letter ("Docker ps"), turns `--` into an em dash and straight quotes into curly ones, and
may put a non-breaking space after a word. `as_command(text)` gives the command to run, or
None when the message is not one (then the bot says what it understood).
"""

from __future__ import annotations

import re

__all__ = ["ROUTED_PROGRAMS", "as_command", "normalise_typed"]

ROUTED_PROGRAMS = frozenset({
    "docker", "docker-compose", "ls", "cat", "pwd", "cd", "echo", "mkdir", "touch", "rm", "cp", "mv", "head",
    "tail", "curl", "wget", "env", "export", "whoami", "id", "uname", "df", "du", "grep", "find", "tree",
    "printf", "wc", "ps", "date", "hostname", "which", "sleep", "ping", "apk", "apt", "apt-get", "python",
    "python3", "pip", "pip3", "sudo", "chmod", "ln", "stat", "ip", "nslookup", "tar", "git",
})
"""First words that make a message a lab command: Docker and the shell tools the course uses.

Words that are also French or English prose (`cat` aside, which a learner types to read a file) are not
listed: "Touch" alone is routed, "Salut" is not. A message of several lines is a command only when its
first line is one (a pasted Dockerfile is recognised before this)."""

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
                         "\u00a0": " ", "\u202f": " ", "\u2009": " "})
_DASH_FLAG = re.compile(r"(?<!\S)[—–](?=[A-Za-z])")
_PROSE_END = re.compile(r"[?]\s*$")


def normalise_typed(text: str) -> str:
    """The command a phone meant: straight quotes, `--` for a dash before a word, plain spaces."""
    text = text.translate(_QUOTES)
    text = _DASH_FLAG.sub("--", text)
    return text.strip()


def as_command(text: str) -> str | None:
    """The lab command in a plain message, or None when it reads as prose."""
    text = normalise_typed(text)
    if not text or _PROSE_END.search(text):
        return None  # "docker c'est quoi ?" is a question, not a command
    first_line = text.splitlines()[0]
    first, _, rest = first_line.partition(" ")
    program = first.lower()
    if program not in ROUTED_PROGRAMS:
        return None
    if program == "docker" and not rest.strip():
        return None  # "Docker" alone: a word, not a command
    return program + text[len(first):]
