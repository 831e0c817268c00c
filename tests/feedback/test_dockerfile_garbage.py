"""Whatever a learner sends instead of a Dockerfile, the review comes back clean and quick."""

from __future__ import annotations

import os
import time

import pytest
from feedback_words import remark

from bot.feedback import review_dockerfile
from bot.feedback.review import MAX_LINES

PYTHON_SCRIPT = """\
import os
from flask import Flask

app = Flask(__name__)

@app.route("/")
def hello():
    return "Bonjour"
"""


@pytest.mark.parametrize(
    "sent",
    [
        pytest.param("", id="empty file"),
        pytest.param("   \n\n\t\n", id="only blank lines"),
        pytest.param(os.urandom(4096).decode("latin-1"), id="binary bytes decoded as text"),
        pytest.param("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", id="a PNG header"),
        pytest.param("Bonjour, voici mon devoir.\nJ'ai fini l'exercice 3.\n", id="a chat message"),
        pytest.param(PYTHON_SCRIPT, id="a Python script with a 'from' line"),
        pytest.param("lorem ipsum dolor sit amet " * 40_000, id="1 MB on one line"),
        pytest.param("ceci n'est pas un dockerfile\n" * 10_000, id="10,000 lines of prose"),
    ],
)
def test_something_that_is_not_a_dockerfile_gets_one_clear_finding(sent):
    review = review_dockerfile(sent)
    (finding,) = [f for f in review.findings if f.code == "TB001"]
    assert remark(finding).cause == "Ce fichier ne ressemble pas à un Dockerfile : il n'y a pas d'instruction FROM"
    assert remark(finding, "en").cause == "This file does not look like a Dockerfile: there is no FROM instruction"
    assert finding.severity == "error" and "FROM" in remark(finding).fix
    assert review.hadolint_status == "skipped"


def test_raw_bytes_are_accepted_too():
    review = review_dockerfile(b"\x00\x01\x02\xff\xfe" * 100)
    assert review.findings[0].code == "TB001"


def test_a_ten_thousand_line_dockerfile_is_cut_and_reviewed_in_reasonable_time():
    text = "FROM alpine:3.19\n" + "".join(f"RUN echo step {i}\n" for i in range(10_000))
    started = time.monotonic()
    review = review_dockerfile(text)
    assert time.monotonic() - started < 30, "a runaway input must not hang the bot"
    assert review.truncated and review.analysed_lines == MAX_LINES
    assert any(f.code == "TB003" for f in review.findings), "the learner is told the file was cut"
    merge = [f for f in review.findings if f.topic == "run-merge"]
    assert len(merge) == 1, "one remark for the whole run of RUNs, not one per line"
    assert review.hadolint_status == "ok"


def test_instructions_without_from_get_the_missing_from_remark():
    review = review_dockerfile("WORKDIR /app\nCOPY . .\nCMD [\"python\", \"app.py\"]\n")
    assert review.findings[0].code == "TB001"
    assert "FROM" in remark(review.findings[0]).cause


def test_a_typo_in_an_instruction_names_the_instruction_it_meant():
    review = review_dockerfile("FROM alpine:3.19\nRUNN echo hello\nCMD [\"sh\"]\n")
    (typo,) = [f for f in review.findings if f.line == 2]
    assert typo.code == "TB002" and "RUNN" in remark(typo).cause and "`RUN`" in remark(typo).fix


def test_a_shell_command_without_run_is_told_to_add_run():
    review = review_dockerfile("FROM alpine:3.19\napk add --no-cache curl\n")
    (finding,) = [f for f in review.findings if f.line == 2]
    assert "apk" in remark(finding).cause and "RUN" in remark(finding).fix


def test_a_hadolint_that_hangs_is_cut_off_by_the_timeout(tmp_path):
    slow = tmp_path / "hadolint"
    slow.write_text("#!/bin/sh\nsleep 30\necho '[]'\n")  # the shell waits on a child
    slow.chmod(0o755)
    started = time.monotonic()
    review = review_dockerfile("FROM alpine\n", hadolint_binary=str(slow), timeout=0.5)
    assert time.monotonic() - started < 10
    assert review.hadolint_status == "failed"
    assert "base-tag" in review.topics, "course rules still ran"


def test_a_hadolint_that_prints_nonsense_is_reported_as_failed(tmp_path):
    broken = tmp_path / "hadolint"
    broken.write_text("#!/bin/sh\necho 'segmentation fault'\nexit 139\n")
    broken.chmod(0o755)
    review = review_dockerfile("FROM alpine:3.19\n", hadolint_binary=str(broken))
    assert review.hadolint_status == "failed"
