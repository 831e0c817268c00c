"""What the learner reads on the phone: short, escaped Telegram HTML, the worst remark first."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from bot.feedback import (
    TOPICS,
    BuildDiagnosis,
    DockerfileReview,
    Finding,
    Phrase,
    explain_build_failure,
    review_dockerfile,
    review_dockerfile_async,
)
from bot.views.feedback import render_diagnosis_html, render_review_html

ALLOWED_TAGS = {"b", "i", "code", "pre"}


class TagChecker(HTMLParser):
    """Records every tag and fails on unbalanced ones, like Telegram's entity parser would."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.text = ""

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.tags.add(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"

    def handle_data(self, data):
        self.text += data


def parse(html_text: str) -> TagChecker:
    checker = TagChecker()
    checker.feed(html_text)
    checker.close()
    assert not checker.stack, f"unclosed tags {checker.stack}"
    assert checker.tags <= ALLOWED_TAGS, checker.tags
    return checker


def lesson_titles(topic: str) -> str | None:
    return {"apt-update": "Module 3 · apt dans un Dockerfile", "base-tag": "Module 3 · Les tags"}.get(topic)


def test_a_clean_dockerfile_gets_a_single_reassuring_line():
    review = review_dockerfile(
        "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\n"
        "RUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\nUSER 1000\n"
        'EXPOSE 5000\nCMD ["python", "app.py"]\n'
    )
    assert review.is_clean, review.findings
    assert render_review_html("fr", review).startswith("✅ <b>Rien à redire</b>")


def test_remarks_show_line_title_why_fix_and_the_lesson():
    review = review_dockerfile("FROM ubuntu\nRUN apt-get install -y nginx && rm -rf /var/lib/apt/lists/*\nCMD [\"nginx\"]\n")
    text = render_review_html("fr", review, lesson_link=lesson_titles)
    parse(text)
    assert text.startswith(f"<b>{len(review.findings)} remarques, la plus importante d'abord</b>")
    first = text.split("\n\n")[1]
    assert "<b>L2 · <code>apt-get install</code> sans <code>apt-get update</code> dans le même RUN</b>" in first
    assert "\n→ " in first and "📖 Leçon : <i>Module 3 · apt dans un Dockerfile</i>" in first
    assert "📖 Leçon : <i>Module 3 · Les tags</i>" in text
    assert text.count("📖") == 2, "no lesson line when the course has no lesson for the topic"


def test_a_long_review_is_cut_under_the_limit_with_a_count_of_what_is_left():
    findings = tuple(
        Finding("TB105", "info", n, Phrase("review_merge_runs_title", {"count": n}), Phrase("review_merge_runs_why"),
                Phrase("review_merge_runs_fix"), "run-merge")
        for n in range(1, 61)
    )
    text = render_review_html("fr", DockerfileReview(findings, "ok", 60), limit=1500)
    assert len(text) <= 1500
    parse(text)
    shown = len(re.findall(r"<b>L\d+ · ", text))
    assert 1 <= shown < 60
    assert text.endswith(f"… et {60 - shown} autres remarques")
    english = render_review_html("en", DockerfileReview(findings, "ok", 60), limit=1500)
    assert english.startswith("<b>60 remarks, the most important first</b>") and english.endswith(" more remarks")
    assert "RUNs in a row" in english and "RUN d'affilée" not in english


def test_whatever_the_learner_wrote_is_escaped():
    review = review_dockerfile("FROM alpine:3.19\n<script>alert(1)</script> & co\nRUNN <b>x</b>\n")
    text = render_review_html("fr", review)
    checker = parse(text)
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<script>" in checker.text, "the learner still sees what they typed"


def test_the_review_says_when_hadolint_could_not_run(tmp_path):
    review = review_dockerfile("FROM ubuntu\n", hadolint_binary=str(tmp_path / "missing"))
    text = render_review_html("fr", review)
    assert "hadolint n'a pas pu tourner" in text
    parse(text)


def test_a_build_failure_is_rendered_with_line_step_cause_fix_and_docker_message():
    log = ("Step 2/3 : RUN apt-get install -y nginx\n ---> Running in 4f\nE: Unable to locate package nginx\n"
           "The command '/bin/sh -c apt-get install -y nginx' returned a non-zero code: 100\n")
    diagnosis = explain_build_failure(log, "FROM ubuntu:22.04\nRUN apt-get install -y nginx\n")
    assert diagnosis is not None
    text = render_diagnosis_html("fr", diagnosis, lesson_link=lesson_titles)
    parse(text)
    assert text.startswith("🧱 <b>La construction a échoué ligne 2</b>")
    assert "<code>RUN apt-get install -y nginx</code>" in text
    assert "→ Ligne 2 : écris <code>RUN apt-get update &amp;&amp; apt-get install -y nginx</code>" in text
    assert "<pre>E: Unable to locate package nginx</pre>" in text
    assert "📖 Leçon : <i>Module 3 · apt dans un Dockerfile</i>" in text


def test_a_diagnosis_with_hostile_text_stays_valid_html_and_under_the_limit():
    diagnosis = BuildDiagnosis(step="RUN echo '<b>' && " + "x" * 5000, line=None, code="name_taken",
                               values={"name": "<i>a & `<pre>`" + "y" * 5000}, topic="shell", evidence="</pre>" * 200)
    text = render_diagnosis_html("fr", diagnosis, limit=1200)
    assert len(text) <= 1200
    parse(text)
    assert text.startswith("🧱 <b>La construction a échoué</b>")


async def test_the_bot_can_review_without_blocking_its_event_loop():
    review = await review_dockerfile_async("FROM ubuntu\nRUN apt-get update\nRUN apt-get install -y nginx\n")
    assert review.hadolint_status == "ok"
    assert {"base-tag", "run-merge", "apt-cleanup"} <= set(review.topics)
    assert all(topic in TOPICS for topic in review.topics)
