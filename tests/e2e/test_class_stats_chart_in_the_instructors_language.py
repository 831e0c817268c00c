"""The class's progress chart speaks the instructor's language (its title, legend and axis; the PNG carries them as
its description), and a class with nothing to draw yet gets a clear sentence instead of an empty chart, with no
warning in the logs."""

from __future__ import annotations

import io
import logging
from datetime import UTC, datetime

import pytest
from class_school import TEACHER, class_sweep, open_class, said
from PIL import Image

ENGLISH_TEACHER = 702


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, ENGLISH_TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 7, 0, tzinfo=UTC), learners=2)


async def stats_replies(school, teacher) -> list:
    api = school.api
    before = api.last_message_id(teacher.id)
    await teacher.send("/class stats")
    await api.wait_for_message(teacher.id, after=before, predicate=lambda m: m.document is not None, timeout=20)
    return [m for m in api.messages(teacher.id) if m.message_id > before]


def chart_description(school, replies) -> str:
    photo = next(m for m in replies if m.extra.get("photo"))
    image = Image.open(io.BytesIO(school.api.store.files[photo.extra["photo"][-1]["file_id"]].data))
    return f"{image.info.get('Title', '')}\n{image.info.get('Description', '')}"


async def test_a_class_with_nothing_to_draw_gets_a_sentence_and_no_warning(school, caplog):
    caplog.set_level(logging.WARNING)
    replies = await stats_replies(school, school.teacher)
    assert not any(m.extra.get("photo") for m in replies), "no empty chart"
    assert any("courbe" in (m.text or "") and "calendrier" in (m.text or "") for m in replies), \
        [m.text for m in replies]
    assert any(m.document is not None for m in replies), "the CSV still comes"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_the_chart_of_a_french_class_is_in_french_and_of_an_english_one_in_english(school, caplog):
    caplog.set_level(logging.WARNING)
    api = school.api
    await said(api, school.teacher, "/class plan weekdays 2026-03-02 09:00")
    school.clock.set(datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    assert await class_sweep(school.harness) == 2
    described = chart_description(school, await stats_replies(school, school.teacher))
    assert "Docker L3" in described and "leçons" in described and "calendrier" in described, described
    assert "lessons" not in described and "calendar" not in described, described

    amy = api.user(ENGLISH_TEACHER, first_name="Amy", language_code="en")
    created = await said(api, amy, "/class new Bootcamp", predicate=lambda m: "Bootcamp" in m.text)
    code = created.text.split("start=j-")[1][:22]
    await said(api, api.user(4000, first_name="Zoe", language_code="en"), f"/start j-{code}")
    await said(api, amy, "/class plan daily 2026-03-03 09:00")
    school.clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    await class_sweep(school.harness)
    described = chart_description(school, await stats_replies(school, amy))
    assert "Bootcamp" in described and "lessons" in described and "calendar" in described, described
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
