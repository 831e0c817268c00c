"""`/class link` meant two things: the learners' join link (in private) and linking a group to the class (in the
group). Each has its own command now, `/class joinlink` and `/class linkgroup` (`/class unlinkgroup` undoes it);
the old spelling still works and says which command it became. /help and `/class` show the new names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, join_code, open_class, said

BOT = "@docker_tutor_bot"


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), learners=1)
    school.group = school.api.group(-6101, "TP Docker")
    school.group.add(school.api.user(6999, first_name="Chef"), status="creator")
    school.group.add(school.teacher, status="administrator")  # only a group admin links it to a class
    return school


async def in_group(school, user, text: str):
    sent = await user.send(text, chat=school.group)
    return await school.api.wait_for_message(school.group.id, after=sent, predicate=lambda m: m.from_bot)


async def test_joinlink_shows_the_learners_link_and_the_old_spelling_points_to_it(school):
    api, teacher = school.api, school.teacher
    shown = await said(api, teacher, "/class joinlink")
    assert join_code(shown.text) == school.code and "1 membre(s)" in shown.text
    assert "/class link" not in shown.text, "no hint for the new spelling"
    old = await said(api, teacher, "/class link")
    assert join_code(old.text) == school.code, "the old spelling still shows the link"
    assert "/class joinlink" in old.text and "/class linkgroup" in old.text, old.text


async def test_linkgroup_links_the_group_unlinkgroup_detaches_it_and_the_old_spellings_still_work(school):
    teacher = school.teacher
    linked = await in_group(school, teacher, f"/class{BOT} linkgroup")
    assert "maintenant lié" in linked.text and "Docker L3" in linked.text
    assert "s'écrit" not in linked.text, "no hint for the new spelling"
    unlinked = await in_group(school, teacher, f"/class{BOT} unlinkgroup")
    assert "n'est plus lié" in unlinked.text
    old = await in_group(school, teacher, f"/class{BOT} link")
    assert "maintenant lié" in old.text and "/class linkgroup" in old.text, old.text
    old = await in_group(school, teacher, f"/class{BOT} unlink")
    assert "n'est plus lié" in old.text and "/class unlinkgroup" in old.text, old.text
    status = await in_group(school, teacher, f"/class{BOT}")
    assert "/class linkgroup" in status.text
    elsewhere = await in_group(school, teacher, f"/class{BOT} joinlink")
    assert "privé" in elsewhere.text and school.code not in elsewhere.text, "the join link is not shown in a group"


async def test_linkgroup_in_private_explains_how_to_link_a_group(school):
    howto = await said(school.api, school.teacher, "/class linkgroup")
    assert "startgroup=link-" in howto.text and "/class linkgroup" in howto.text, howto.text


async def test_help_and_the_class_usage_name_the_two_commands(school):
    api, teacher = school.api, school.teacher
    usage = await said(api, teacher, "/class help")
    assert "/class joinlink" in usage.text and "/class linkgroup" in usage.text, usage.text
    assert "/class link ·" not in usage.text
    helped = await said(api, teacher, "/help")
    assert "/class joinlink" in helped.text and "/class linkgroup" in helped.text, helped.text
    no_members = await said(api, teacher, "/class new Vide", predicate=lambda m: "Vide" in m.text)
    assert no_members
    assert "/class joinlink" in (await said(api, teacher, "/push")).text
