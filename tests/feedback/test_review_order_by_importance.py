"""The review puts first what matters most to a learner: what breaks the build, then security, then
surprises, then reproducibility, then size and style (bot/feedback/importance.py)."""

from __future__ import annotations

from feedback_build_logs import classic
from feedback_words import remark, words

from bot.feedback import explain_build_failure, review_dockerfile
from bot.feedback.hadolint_rules import HADOLINT_RULES
from bot.feedback.importance import _BY_CODE, IMPORTANCE, importance

MANY_MISTAKES = """\
FROM debian:latest
ENV DB_PASSWORD=hunter2
RUN cd /tmp && touch x
RUN apt-get update && apt-get install curl
COPY . /app
CMD python app.py
"""


def test_the_build_breaking_mistake_comes_first_and_the_latest_tag_after_security_and_surprises():
    review = review_dockerfile(MANY_MISTAKES)
    codes = [f.code for f in review.findings]
    ranks = [IMPORTANCE.index(importance(f)) for f in review.findings]
    assert ranks == sorted(ranks), codes
    assert codes[0] == "TB107", codes
    assert codes.index("TB209") < codes.index("TB203") < codes.index("TB201") < codes.index("TB102"), codes
    assert "DL3014" not in codes and "DL3064" not in codes, "hadolint's same remarks are merged into the course's"
    assert "-y" in remark(review.findings[0]).cause and "-y" in remark(review.findings[0], "en").cause


def test_every_known_rule_has_an_explicit_importance():
    missing = sorted(code for code in HADOLINT_RULES if code not in _BY_CODE)
    assert missing == []


def test_apt_install_without_y_is_diagnosed_in_french_and_english_with_the_fixed_run():
    log = classic(["FROM debian:12-slim", "RUN apt-get update && apt-get install curl"],
                  " ---> Running in 4f2a9c1d7e3b\nReading package lists...\nAfter this operation, 15.7 MB of "
                  "additional disk space will be used.\nDo you want to continue? [Y/n] Abort.\n"
                  "The command '/bin/sh -c apt-get update && apt-get install curl' returned a non-zero code: 1")
    diagnosis = explain_build_failure(log, "FROM debian:12-slim\nRUN apt-get update && apt-get install curl\n")
    assert diagnosis is not None and diagnosis.code == "apt_confirm" and diagnosis.line == 2
    fr, en = words(diagnosis), words(diagnosis, "en")
    assert "confirmation" in fr.cause and "-y" in fr.explanation
    assert "`RUN apt-get update && apt-get install -y curl`" in fr.fix
    assert "confirmation" in en.cause and "`RUN apt-get update && apt-get install -y curl`" in en.fix
