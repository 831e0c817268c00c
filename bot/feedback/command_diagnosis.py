"""explain_command_failure: why a Docker or shell command failed in the lab, as a cause code and its values.

The same engine as builds (bot/feedback/build_diagnosis.py): a list of causes, each a regex and a story,
the first that matches wins. The command's own causes come first, then those a build meets too (the lab's
offline images, a command that does not exist, the network).
"""

from __future__ import annotations

import re

from bot.feedback.build_causes import CAUSES, STANDIN_CAUSES, Cause
from bot.feedback.command_causes import LabImages, command_causes
from bot.feedback.models import BuildDiagnosis

__all__ = ["explain_command_failure"]

_SHELL_NOT_FOUND = re.compile(r"^(?:/bin/)?sh: (?:\d+: )?([^:\s]+): not found", re.MULTILINE)


def explain_command_failure(output: str, command: str, *, lab_images: LabImages = ()) -> BuildDiagnosis | None:
    """Diagnose a failed command from its output; None when no known cause matches (the raw output stays)."""
    if not output.strip():
        return None
    text = _SHELL_NOT_FOUND.sub(r"/bin/sh: \1: not found", output)  # the lab's dash says "sh: 1: x: not found"
    causes: tuple[Cause, ...] = (*STANDIN_CAUSES, *command_causes(lab_images), *CAUSES)
    for cause in causes:
        match = cause.pattern.search(text)
        if match is None:
            continue
        story = cause.tell(match, command)
        return BuildDiagnosis(step=command, line=None, code=story.code, topic=story.topic, values=story.values,
                              evidence=_evidence_line(text, match.start()))
    return None


def _evidence_line(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start : end if end != -1 else len(text)].strip()[:300]
