"""The Dockerfile review's advice "pin a version, e.g. nginx:1.25" names a tag the lab really has."""

from __future__ import annotations

from bot.feedback.course_rules_instructions import _example_tag
from sandbox.recipes import standin_tags


def test_every_pinned_tag_the_review_suggests_for_a_lab_image_is_in_the_lab():
    missing = []
    for key, refs in standin_tags().items():
        tag = _example_tag(key)
        if tag != "<version>" and f"{key}:{tag}" not in refs:
            missing.append(f"{key}:{tag}")
    assert missing == [], f"the review suggests tags the lab lacks: {missing}"
