"""Feedback on Dockerfiles: a French review (hadolint + course rules) and build-failure diagnoses.

A pure service layer: text in, frozen values out, Telegram HTML rendering on the side.
`review_dockerfile` runs a subprocess (hadolint); from async code call `review_dockerfile_async`.
"""

from bot.feedback.build_diagnosis import explain_build_failure
from bot.feedback.command_diagnosis import explain_command_failure
from bot.feedback.models import BuildDiagnosis, DockerfileReview, Finding, Severity
from bot.feedback.render import render_diagnosis_html, render_review_html
from bot.feedback.review import review_dockerfile, review_dockerfile_async
from bot.feedback.standin_notes import standin_note
from bot.feedback.topics import TOPICS

__all__ = [
    "TOPICS",
    "BuildDiagnosis",
    "DockerfileReview",
    "Finding",
    "Severity",
    "explain_build_failure",
    "explain_command_failure",
    "render_diagnosis_html",
    "render_review_html",
    "review_dockerfile",
    "review_dockerfile_async",
    "standin_note",
]
