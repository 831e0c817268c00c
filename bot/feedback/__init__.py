"""Feedback on Dockerfiles: a review (hadolint + course rules) and diagnoses of failed builds and lab commands,
as data (message keys and values): bot/views/feedback.py words them in the learner's language.

A pure service layer: text in, frozen values out.
`review_dockerfile` runs a subprocess (hadolint); from async code call `review_dockerfile_async`.
"""

from bot.feedback.build_diagnosis import explain_build_failure
from bot.feedback.command_diagnosis import explain_command_failure
from bot.feedback.models import BuildDiagnosis, DockerfileReview, Finding, Phrase, Severity
from bot.feedback.review import review_dockerfile, review_dockerfile_async
from bot.feedback.standin_notes import standin_note
from bot.feedback.topics import TOPICS

__all__ = [
    "TOPICS",
    "BuildDiagnosis",
    "DockerfileReview",
    "Finding",
    "Phrase",
    "Severity",
    "explain_build_failure",
    "explain_command_failure",
    "review_dockerfile",
    "review_dockerfile_async",
    "standin_note",
]
