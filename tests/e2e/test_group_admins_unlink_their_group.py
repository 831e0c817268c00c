"""A group linked to a class belongs to its admins too: a Telegram admin of the group, or an anonymous admin
writing as the group, may unlink it; a plain member may not and is told who can. Only instructors link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class

BOT = "@docker_tutor_bot"


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    api = school.api
    school.group = api.group(-6201, "TP Docker")
    school.admin = school.group.add(api.user(6999, first_name="Chef"), status="administrator")
    school.member = school.group.add(api.user(6998, first_name="Curieux"))
    return school


async def in_group(school, text: str, user=None):
    group = school.group
    sent = await (user.send(text, chat=group) if user is not None else group.send_as_group(text))
    return await school.api.wait_for_message(group.id, after=sent, predicate=lambda m: m.from_bot)


async def linked(school) -> None:
    school.group.add(school.teacher, status="administrator")  # only a group admin links it
    answer = await in_group(school, f"/class{BOT} linkgroup", school.teacher)
    school.group.add(school.teacher)  # then a plain member, who teaches the class
    assert "lié à la classe" in answer.text, answer.text


async def test_a_telegram_admin_of_the_group_unlinks_it(school):
    await linked(school)
    answer = await in_group(school, f"/class{BOT} unlinkgroup", school.admin)
    assert "n'est plus lié" in answer.text, answer.text
    assert "aucune classe" in (await in_group(school, f"/class{BOT}", school.admin)).text


async def test_an_anonymous_admin_unlinks_it(school):
    await linked(school)
    answer = await in_group(school, f"/class{BOT} unlinkgroup")
    assert "n'est plus lié" in answer.text, answer.text


async def test_a_plain_member_is_refused_with_the_reason_and_nothing_changes(school, caplog):
    await linked(school)
    answer = await in_group(school, f"/class{BOT} unlinkgroup", school.member)
    assert "formateur" in answer.text and "admin" in answer.text, answer.text
    assert any("refused" in r.getMessage() and "6998" in r.getMessage() for r in caplog.records)
    assert "est lié à la classe" in (await in_group(school, f"/class{BOT}", school.member)).text


async def test_an_admin_who_teaches_nothing_still_cannot_link(school):
    answer = await in_group(school, f"/class{BOT} linkgroup", school.admin)
    assert "Seul·e un·e formateur·rice" in answer.text, answer.text
