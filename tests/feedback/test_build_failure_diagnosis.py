"""A learner's `docker build` fails; the bot reads the log and says which line to change and why."""

from __future__ import annotations

import pytest
from feedback_build_logs import buildkit_error, buildkit_run, classic
from feedback_words import words

from bot.feedback import TOPICS, explain_build_failure

NGINX = """\
FROM ubuntu:22.04
# le serveur web
RUN apt-get install -y nginx
COPY index.html /var/www/html/
CMD ["nginx", "-g", "daemon off;"]
"""

PYTHON = """\
FROM python:3.11-slim
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY app.py .
CMD ["python", "app.py"]
"""

APT_OUTPUT = ["Reading package lists...", "Building dependency tree...", "Reading state information...", "E: Unable to locate package nginx"]


def test_apt_install_without_update_classic_builder():
    log = classic(
        ["FROM ubuntu:22.04", "RUN apt-get install -y nginx"],
        " ---> Running in 4f2a9c1d7e3b\n" + "\n".join(APT_OUTPUT)
        + "\nThe command '/bin/sh -c apt-get install -y nginx' returned a non-zero code: 100",
    )
    diagnosis = explain_build_failure(log, NGINX)
    assert diagnosis is not None
    assert diagnosis.line == 3, "the comment line is skipped: the RUN is on line 3"
    assert diagnosis.step == "RUN apt-get install -y nginx"
    assert diagnosis.topic == "apt-update"
    assert "nginx" in words(diagnosis).cause
    assert words(diagnosis).fix.startswith("Ligne 3 : ")
    assert "apt-get update && apt-get install -y nginx" in words(diagnosis).fix
    assert diagnosis.evidence == "E: Unable to locate package nginx"


def test_no_installation_candidate_buildkit():
    dockerfile = "FROM debian:bookworm-slim\nRUN apt-get install -y python3-pip\n"
    log = buildkit_run(dockerfile, 2, step="RUN apt-get install -y python3-pip", index="2/2",
                       output=["Reading package lists...", "Package python3-pip is not available, but is referred to by another package.",
                               "E: Package 'python3-pip' has no installation candidate"], code=100)
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "apt-update")
    assert "python3-pip" in words(diagnosis).fix


def test_a_misspelt_package_after_an_update_is_a_name_problem():
    dockerfile = "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y ngnix\n"
    log = buildkit_run(dockerfile, 2, step="RUN apt-get update && apt-get install -y ngnix", index="2/2",
                       output=["Get:1 http://archive.ubuntu.com/ubuntu jammy InRelease [270 kB]", "Fetched 25.5 MB in 3s (8409 kB/s)",
                               "Reading package lists...", "E: Unable to locate package ngnix"], code=100)
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "package-not-found")
    assert "apt-cache search ngnix" in words(diagnosis).fix


def test_copy_of_a_file_missing_from_the_context_classic_builder():
    log = classic(
        ["FROM python:3.11-slim", "WORKDIR /app", "COPY requirements.txt .",
         "RUN pip install --no-cache-dir -r requirements.txt", "COPY app.py ."],
        "COPY failed: file not found in build context or excluded by .dockerignore: stat app.py: file does not exist",
    )
    diagnosis = explain_build_failure(log, PYTHON)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (5, "build-context")
    assert "app.py" in words(diagnosis).cause and ".dockerignore" in words(diagnosis).explanation


def test_copy_of_a_file_missing_from_the_context_buildkit():
    log = buildkit_error(
        5, PYTHON, "[4/5] COPY app.py .",
        'failed to calculate checksum of ref 8c1f2e3a-77d4::q9x1v: "/app.py": not found',
        'failed to compute cache key: failed to calculate checksum of ref 8c1f2e3a-77d4::q9x1v: "/app.py": not found',
    )
    diagnosis = explain_build_failure(log, PYTHON)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic, diagnosis.step) == (5, "build-context", "COPY app.py .")
    assert "app.py" in words(diagnosis).cause


def test_copy_without_the_dockerfile_still_finds_the_line_from_the_log():
    log = buildkit_error(5, PYTHON, "[4/5] COPY app.py .", '"/app.py": not found',
                         'failed to compute cache key: "/app.py": not found')
    diagnosis = explain_build_failure(log, None)
    assert diagnosis is not None and diagnosis.line == 5


def test_misspelt_base_image_classic_builder():
    dockerfile = "FROM pyhton:3.11-slim\nWORKDIR /app\n"
    log = classic([], "Step 1/2 : FROM pyhton:3.11-slim\npull access denied for pyhton, repository does not exist or may require 'docker login': denied: requested access to the resource is denied")
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (1, "base-image")
    assert "pyhton" in words(diagnosis).cause


def test_misspelt_base_image_buildkit():
    dockerfile = "# mon app\nFROM pyhton:3.11-slim\nWORKDIR /app\n"
    ref = "docker.io/library/pyhton:3.11-slim"
    log = buildkit_error(2, dockerfile, f"[internal] load metadata for {ref}",
                         "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed",
                         f"pyhton:3.11-slim: failed to resolve source metadata for {ref}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed")
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "base-image")
    assert "pyhton:3.11-slim" in words(diagnosis).cause


def test_a_tag_that_does_not_exist_classic_and_buildkit():
    dockerfile = "FROM python:3.99-slim\nCMD [\"python\"]\n"
    old = classic([], "Step 1/2 : FROM python:3.99-slim\nmanifest for python:3.99-slim not found: manifest unknown: manifest unknown")
    ref = "docker.io/library/python:3.99-slim"
    new = buildkit_error(1, dockerfile, f"[internal] load metadata for {ref}", f"{ref}: not found",
                         f"python:3.99-slim: failed to resolve source metadata for {ref}: {ref}: not found")
    for log in (old, new):
        diagnosis = explain_build_failure(log, dockerfile)
        assert diagnosis is not None
        assert (diagnosis.line, diagnosis.topic) == (1, "base-tag")
        assert "python:3.99-slim" in words(diagnosis).cause


def test_no_network_to_reach_the_registry():
    dockerfile = "FROM python:3.11-slim\n"
    ref = "docker.io/library/python:3.11-slim"
    log = buildkit_error(1, dockerfile, f"[internal] load metadata for {ref}",
                         'failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.11-slim": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host',
                         f'failed to resolve source metadata for {ref}: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.11-slim": dial tcp: lookup registry-1.docker.io on 127.0.0.11:53: no such host')
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (1, "network")
    assert "registre" in words(diagnosis).cause


def test_apt_without_network_is_blamed_on_the_network_not_the_package_name():
    dockerfile = "FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n"
    log = classic(
        ["FROM debian:bookworm-slim", "RUN apt-get update && apt-get install -y curl"],
        " ---> Running in 0c9d8e7f6a5b\nErr:1 http://deb.debian.org/debian bookworm InRelease\n"
        "  Temporary failure resolving 'deb.debian.org'\nReading package lists...\n"
        "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\n"
        "E: Unable to locate package curl\n"
        "The command '/bin/sh -c apt-get update && apt-get install -y curl' returned a non-zero code: 100",
    )
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "network")


def test_pip_without_network_is_blamed_on_the_network():
    log = buildkit_run(PYTHON, 4, step="RUN pip install --no-cache-dir -r requirements.txt", index="4/5", code=1, output=[
        "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by "
        "'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: "
        "[Errno -3] Temporary failure in name resolution')': /simple/flask/",
        "ERROR: Could not find a version that satisfies the requirement flask==3.0.0 (from versions: none)",
        "ERROR: No matching distribution found for flask==3.0.0",
    ])
    diagnosis = explain_build_failure(log, PYTHON)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (4, "network")


def test_pip_package_that_does_not_exist():
    log = buildkit_run(PYTHON, 4, step="RUN pip install --no-cache-dir -r requirements.txt", index="4/5", code=1, output=[
        "ERROR: Could not find a version that satisfies the requirement flaskk (from versions: none)",
        "ERROR: No matching distribution found for flaskk",
    ])
    diagnosis = explain_build_failure(log, PYTHON)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (4, "package-not-found")
    assert "flaskk" in words(diagnosis).cause


def test_command_not_found_classic_builder():
    dockerfile = "FROM ubuntu:22.04\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    log = classic(["FROM ubuntu:22.04", "COPY requirements.txt ."],
                  "Step 3/3 : RUN pip install -r requirements.txt\n ---> Running in 9b8a7c6d5e4f\n/bin/sh: 1: pip: not found\n"
                  "The command '/bin/sh -c pip install -r requirements.txt' returned a non-zero code: 127")
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (3, "command-not-found")
    assert "pip" in words(diagnosis).cause and "python:3.11-slim" in words(diagnosis).fix


def test_apt_get_on_alpine_buildkit():
    dockerfile = "FROM alpine:3.19\nRUN apt-get update && \\\n    apt-get install -y curl\n"
    log = buildkit_run(dockerfile, 2, step="RUN apt-get update &&     apt-get install -y curl", index="2/2",
                       output=["/bin/sh: apt-get: not found"], code=127)
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "command-not-found")
    fix = words(diagnosis).fix
    assert "apk" in fix and "debian" in fix, "names Alpine's manager, and what works in the offline lab"


def test_multi_line_run_is_found_by_its_text_in_a_classic_log():
    dockerfile = "FROM alpine:3.19\nWORKDIR /app\nRUN echo start && \\\n    wgett http://example.com\n"
    log = classic(["FROM alpine:3.19", "WORKDIR /app"],
                  "Step 3/3 : RUN echo start &&     wgett http://example.com\n ---> Running in 1a\nstart\n/bin/sh: wgett: not found\n"
                  "The command '/bin/sh -c echo start &&     wgett http://example.com' returned a non-zero code: 127", total=3)
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert diagnosis.line == 3 and "wgett" in words(diagnosis).cause


@pytest.mark.parametrize("log", [
    pytest.param("Sending build context to Docker daemon  2.048kB\nError response from daemon: dockerfile parse error line 3: unknown instruction: RUNN", id="classic"),
    pytest.param(buildkit_error(3, "FROM alpine:3.19\nWORKDIR /app\nRUNN echo hi\n", "[internal] load build definition from Dockerfile",
                                "dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)",
                                "dockerfile parse error on line 3: unknown instruction: RUNN (did you mean RUN?)"), id="buildkit"),
])
def test_a_typo_in_an_instruction(log):
    diagnosis = explain_build_failure(log, "FROM alpine:3.19\nWORKDIR /app\nRUNN echo hi\n")
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (3, "dockerfile-basics")
    assert "RUNN" in words(diagnosis).cause


def test_another_parse_error_gives_its_line():
    log = "#1 [internal] load build definition from Dockerfile\n#1 DONE 0.0s\nERROR: failed to solve: dockerfile parse error on line 2: FROM requires either one or three arguments\n"
    diagnosis = explain_build_failure(log, "FROM alpine:3.19\nFROM\n")
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (2, "dockerfile-basics")


def test_copy_of_several_files_to_a_destination_without_slash():
    dockerfile = "FROM python:3.11-slim\nWORKDIR /app\nCOPY app.py requirements.txt /app\n"
    log = classic(["FROM python:3.11-slim", "WORKDIR /app"],
                  "Step 3/3 : COPY app.py requirements.txt /app\nWhen using COPY with more than one source file, the destination must be a directory and end with a /", total=3)
    diagnosis = explain_build_failure(log, dockerfile)
    assert diagnosis is not None
    assert (diagnosis.line, diagnosis.topic) == (3, "copy-vs-add")
    assert "/app/" in words(diagnosis).fix


@pytest.mark.parametrize("log", [
    "",
    "   \n",
    classic(["FROM alpine:3.19"], "Step 2/2 : RUN false\n ---> Running in 7\nThe command '/bin/sh -c false' returned a non-zero code: 1"),
    "\x00\x01 garbage \xff" * 1000,
])
def test_a_failure_it_cannot_explain_returns_none(log):
    assert explain_build_failure(log, "FROM alpine:3.19\nRUN false\n") is None


def test_a_huge_log_is_read_quickly_and_still_diagnosed():
    noise = "#8 12.3 Downloading something... 42%\n" * 80_000  # 3 MB: the Step header is cut off
    log = classic(["FROM ubuntu:22.04"], noise + "E: Unable to locate package nginx\nThe command '/bin/sh -c apt-get install -y nginx' returned a non-zero code: 100")
    diagnosis = explain_build_failure(log, NGINX)
    assert diagnosis is not None and diagnosis.topic == "apt-update"


def test_every_diagnosis_topic_has_a_lesson_name():
    from bot.feedback.build_causes import CAUSES

    assert len(CAUSES) >= 10
    for topic in ("apt-update", "package-not-found", "build-context", "base-image", "base-tag",
                  "network", "command-not-found", "dockerfile-basics", "copy-vs-add"):
        assert topic in TOPICS


def test_in_the_lab_a_base_tag_it_lacks_is_named_with_the_tags_it_has_not_blamed_on_the_network():
    dockerfile = "FROM python:3.99\nCMD python3\n"
    ref = "docker.io/library/python:3.99"
    log = buildkit_error(1, dockerfile, f"[internal] load metadata for {ref}",
                         'failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.99": dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: no such host',
                         f'failed to resolve source metadata for {ref}: failed to do request: Head "https://registry-1.docker.io/v2/library/python/manifests/3.99": dial tcp: lookup registry-1.docker.io on 10.0.2.3:53: no such host')
    lab = {"python": ("latest", "3.11", "3.12-slim"), "nginx": ("latest", "stable")}
    diagnosis = explain_build_failure(log, dockerfile, lab_tags=lab)
    assert diagnosis is not None and (diagnosis.line, diagnosis.code) == (1, "offline_image")
    told = words(diagnosis)
    assert "python:3.99" in told.cause and "labo" in told.cause
    assert "3.12-slim" in told.explanation and "nginx" not in told.explanation, "the tags of that image"
    # outside the lab (no lab_tags), the same log is a network failure, as on a machine without Internet
    assert explain_build_failure(log, dockerfile).topic == "network"
