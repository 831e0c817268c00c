"""An instructor's commands do what they say: the class named is the class used, a co-instructor teaches and does
not own, a cap or an expiry keeps the shared link, a bad class number is refused, a learner's name cannot run as a
spreadsheet formula."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from sqlmodel import Session, select

from bot.storage.models import Announcement, ClassMember, Classroom, ScheduledPost

TEACHER, COTEACHER, OTHER = 700, 701, 702
LINK = re.compile(r"start=j-([A-Za-z0-9_-]{22})")


async def said(api, user, text: str, predicate=None):
    before = api.last_message_id(user.id)
    await user.send(text)
    return await api.wait_for_message(user.id, after=before, predicate=predicate or (lambda m: bool(m.text)))


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER}), class_sweep_seconds=3600)
    harness.clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    teacher = harness.api.user(TEACHER, first_name="Prof")
    created = await said(harness.api, teacher, "/class new Docker L3", predicate=lambda m: "créée" in m.text)
    harness.code = LINK.search(created.text).group(1)
    harness.teacher = teacher
    return harness


async def test_a_learner_name_that_looks_like_a_formula_stays_text_in_the_csv(school):
    api = school.api
    for user_id, name in ((2001, "=HYPERLINK(\"http://evil\",\"x\")"), (2002, "+1+2"), (2003, "@SUM(A1)"),
                          (2004, "-3"), (2005, "Élise")):
        await said(api, api.user(user_id, first_name=name), f"/start j-{school.code}",
                   predicate=lambda m: "Bienvenue" in m.text)
    before = api.last_message_id(TEACHER)
    await school.teacher.send("/class stats")
    document = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: m.document is not None,
                                          timeout=20)
    rows = list(csv.DictReader(io.StringIO(document.document.data.decode("utf-8-sig"))))
    names = sorted(row["learner"] for row in rows)
    assert names == sorted(["'=HYPERLINK(\"http://evil\",\"x\")", "'+1+2", "'@SUM(A1)", "'-3", "Élise"]), names
