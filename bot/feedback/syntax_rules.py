"""Is this a Dockerfile at all? Binary data, empty files, prose, unknown instructions, no FROM."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from bot.feedback.dockerfile_parser import KNOWN_INSTRUCTIONS, Instruction
from bot.feedback.models import Finding, Phrase

__all__ = [
    "is_mostly_prose",
    "looks_binary",
    "not_a_dockerfile",
    "syntax_findings",
]

_SHELL_WORDS = {"apt-get", "apt", "apk", "pip", "pip3", "npm", "yarn", "cd", "echo", "mkdir", "rm", "cp",
                "mv", "curl", "wget", "chmod", "chown", "python", "python3", "&&", "ln", "touch", "tar"}


def looks_binary(text: str) -> bool:
    """NUL characters or many control characters: an image, an archive, not text."""
    sample = text[:8192]
    if "\x00" in sample or "\ufffd" * 4 in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    return controls > len(sample) // 50


def not_a_dockerfile(why: str, title: str = "review_not_dockerfile_title") -> Finding:
    """The single finding a review holds when the text cannot be a Dockerfile (`why`, `title`: message keys)."""
    return Finding("TB001", "error", None, Phrase(title), Phrase(why), Phrase("review_not_dockerfile_fix"),
                   "dockerfile-basics")


def is_mostly_prose(instructions: list[Instruction]) -> bool:
    known = sum(1 for ins in instructions if ins.known)
    return known == 0 or (len(instructions) - known > max(2, known))


def syntax_findings(instructions: list[Instruction]) -> Iterator[Finding]:
    """Unknown instructions (typos, a forgotten RUN) and a missing FROM."""
    for ins in instructions:
        if ins.known:
            continue
        word = ins.keyword[:40]
        if word.lower() in _SHELL_WORDS:
            fix = Phrase("review_unknown_instruction_fix_run")
        else:
            close = difflib.get_close_matches(word.upper(), sorted(KNOWN_INSTRUCTIONS), n=1, cutoff=0.6)
            fix = Phrase("review_unknown_instruction_fix_close", {"word": close[0]}) if close \
                else Phrase("review_unknown_instruction_fix_spelling")
        yield Finding("TB002", "error", ins.line, Phrase("review_unknown_instruction_title", {"word": word}),
                      Phrase("review_unknown_instruction_why"), fix, "dockerfile-basics")
    if not any(ins.keyword == "FROM" for ins in instructions):
        yield not_a_dockerfile("review_no_from_why", "review_no_from_title")
