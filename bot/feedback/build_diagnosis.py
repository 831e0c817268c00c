"""explain_build_failure: the cause of a failed build, as a code and its values, with the line to change."""

from __future__ import annotations

from bot.feedback.build_causes import CAUSES
from bot.feedback.build_log import locate_instruction, read_build_log
from bot.feedback.dockerfile_parser import parse_dockerfile
from bot.feedback.models import BuildDiagnosis

__all__ = ["explain_build_failure"]


def explain_build_failure(log: str, dockerfile: str | None = None) -> BuildDiagnosis | None:
    """Diagnose a failed `docker build` from its log (and the Dockerfile, to find the line).

    Returns None when no known cause matches: the caller then shows the raw error.
    """
    if not log or not log.strip():
        return None
    step = read_build_log(log)
    for cause in CAUSES:
        match = cause.pattern.search(step.log)
        if match is None:
            continue
        failing = locate_instruction(step, dockerfile)
        story = cause.tell(match, step.instruction or (failing.text if failing else None))
        if failing is None and dockerfile and story.target is not None:
            failing = next((ins for ins in parse_dockerfile(dockerfile[:200_000]) if story.target(ins)), None)
            if failing is not None and step.instruction is None:
                story = cause.tell(match, failing.text)  # now we know the command that failed
        return BuildDiagnosis(
            step=step.instruction or (failing.text if failing else None),
            line=failing.line if failing is not None else step.line,
            code=story.code,
            topic=story.topic,
            values=story.values,
            evidence=_evidence_line(step.log, match.start()),
        )
    return None


def _evidence_line(log: str, position: int) -> str:
    """The log line holding the match, without BuildKit's `#8 0.321` prefix."""
    start = log.rfind("\n", 0, position) + 1
    end = log.find("\n", position)
    line = log[start : end if end != -1 else len(log)].strip()
    if line.startswith("#"):
        parts = line.split(" ", 2)
        line = parts[2] if len(parts) == 3 and parts[1].replace(".", "").isdigit() else line
    return line[:300]
