"""What the lab's offline images are not, said when a learner meets it in a command's output.

The lab has no Internet: its `ubuntu`, `alpine` and `python` images are stand-ins (Debian, busybox, Debian's
Python 3.11). A learner who looks closely sees it; these notes explain it instead of leaving a doubt (the words
are `standin_*` in bot/i18n/*/diagnosis.yaml).
"""

from __future__ import annotations

import re

from bot.feedback.models import Phrase

__all__ = ["standin_note"]

_IMAGE = r"(?:^|[\s;&|])(?:docker\s+(?:run|create|exec)\b[^\n;&|]*?\s)?{name}(?::[\w.-]+)?(?=\s|$)"


def _uses(command: str, name: str) -> bool:
    return re.search(r"\bdocker\b", command) is not None and re.search(_IMAGE.format(name=name), command) is not None


def standin_note(command: str, output: str) -> Phrase | None:
    """The note to show when the output shows a stand-in's limit; None otherwise."""
    if _uses(command, "ubuntu") and "Debian" in output:
        return Phrase("standin_ubuntu")
    if _uses(command, "alpine") and re.search(r"busybox|stand-in", output, re.IGNORECASE):
        return Phrase("standin_alpine")
    asked = re.search(r"\bpython:(3\.(?:[0-9]|1[02-9]))\b", command)
    if asked and re.search(r"Python 3\.11", output):
        return Phrase("standin_python", {"version": asked[1]})
    return None
