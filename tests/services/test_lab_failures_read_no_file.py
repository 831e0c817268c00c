"""Explaining a failed lab command or build reads the lab's tags once, at start-up: no file I/O per failure
on the event loop (an audit hook sees every `open`)."""

from __future__ import annotations

import sys

from bot.services import lab_work
from bot.services.lab_work import LabWork, lab_tags
from sandbox.results import CommandResult

_OPENED: list[str] = []
_WATCHING: list[bool] = []


def _audit(event: str, args: tuple) -> None:
    if _WATCHING and event == "open" and str(args[0]).endswith("tags.txt"):
        _OPENED.append(str(args[0]))


sys.addaudithook(_audit)


def test_a_failed_command_and_build_are_explained_without_reading_tags_txt_again():
    lab_tags()  # what the bot's start-up does (bot/app.py, in a worker thread)
    work = LabWork(sandbox=None, db=None, clock=None)  # type: ignore[arg-type] - diagnose uses neither
    failed = CommandResult(exit_code=1, output="Error response from daemon: pull access denied for postgres, "
                           "repository does not exist", truncated=False, duration_s=0.1)
    _WATCHING.append(True)
    try:
        diagnoses = [work.diagnose("docker pull postgres", failed) for _ in range(3)]
        built = [lab_work.explain_build_failure("Step 1/1 : FROM nginx:9\nmanifest for nginx:9 not found",
                                                "FROM nginx:9\n", lab_tags=lab_tags()) for _ in range(2)]
    finally:
        _WATCHING.clear()
    assert _OPENED == [], f"tags.txt read again on each failure: {_OPENED}"
    assert all(d is not None and d.code == "offline_image" for d in diagnoses)
    assert built[0] is not None and "1.25" in str(built[0].values["also"])
