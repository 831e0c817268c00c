"""What an instructor's review found: a deleted class keeps nobody (nor their class data) and its old link says so; `/push` without a
calendar says which lessons to push, with commands that work; `/class stats` counts pushed lessons; an empty class's
stats point to its join link."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from class_school import TEACHER, open_class, said
from sqlmodel import Session, select

from bot.storage.models import ClassMember


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    return await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3 2026", learners=2)


async def test_a_deleted_class_has_no_members_left_and_its_link_says_it_was_deleted(school):
    api = school.api
    question = await said(api, school.teacher, "/class delete")
    await school.teacher.press(question, "🗑 Oui, supprimer")
    await api.wait_for_message(TEACHER, after=question, predicate=lambda m: "supprimée" in m.text)
    await school.drain()
    with Session(school.engine) as session:
        rows = session.exec(select(ClassMember)).all()
        assert rows == [], "the members' class data went with the class"

    member = school.learners[0]
    left = await said(api, member, "/leave")
    assert "Docker L3 2026" not in left.text and "aucune classe" in left.text, left.text
    newcomer = api.user(3900, first_name="Neo")
    refused = await said(api, newcomer, f"/start j-{school.code}")
    assert "supprimée" in refused.text and "n'existe pas" not in refused.text, refused.text
    again = await said(api, member, f"/start j-{school.code}")
    assert "supprimée" in again.text, again.text


async def test_push_without_a_calendar_offers_the_next_lessons_and_each_command_works(school):
    api = school.api
    answer = await said(api, school.teacher, "/push")
    assert "pas encore de calendrier" in answer.text and "Il n'y a plus de leçon" not in answer.text, answer.text
    commands = re.findall(r"/push [\w-]+", answer.text)
    assert commands[0] == "/push m1-images" and 2 <= len(commands) <= 3, answer.text
    assert "/lessons" in answer.text and "/class plan" in answer.text, answer.text

    pushed = await said(api, school.teacher, commands[0])
    assert "part vers 2 membre(s)" in pushed.text, pushed.text
    await school.drain()
    after = await said(api, school.teacher, "/push")
    offered = re.findall(r"/push [\w-]+", after.text)
    assert "/push m1-images" not in offered and offered[0] == commands[1], after.text
    assert "part vers" in (await said(api, school.teacher, offered[0])).text
    toc = await said(api, school.teacher, "/lessons")
    assert "Je ne connais pas" not in toc.text and toc.text, toc.text
    plan = await said(api, school.teacher, "/class plan")
    assert "/class plan weekdays" in plan.text, plan.text


async def test_stats_count_pushed_lessons_and_draw_the_chart(school):
    api = school.api
    await said(api, school.teacher, "/push m1-images")
    await school.drain()
    stats = await said(api, school.teacher, "/class stats", predicate=lambda m: "📊" in (m.text or ""))
    assert "1 leçon(s) envoyée(s)" in stats.text, stats.text
    chart = await api.wait_for_message(TEACHER, after=stats, predicate=lambda m: "photo" in m.extra
                                       or "Pas encore de courbe" in (m.text or ""))
    assert "photo" in chart.extra, "a pushed lesson is on the chart, not 'no lesson sent yet'"


async def test_stats_of_an_empty_class_point_to_its_join_link(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    stats = await said(school.api, school.teacher, "/class stats")
    link = re.search(r"/class joinlink #\d+", stats.text)
    assert "aucun membre" in stats.text and link, stats.text
    shown = await said(school.api, school.teacher, link.group(0))
    assert f"j-{school.code}" in shown.text, shown.text


async def test_the_owner_is_told_when_a_co_instructor_stops_teaching(school):
    api = school.api
    invite = await said(api, school.teacher, "/class invite")
    code = re.search(r"start=i-([A-Za-z0-9_-]{22})", invite.text).group(1)
    co = api.user(701, first_name="Camille")
    assert "co-formateur" in (await said(api, co, f"/start i-{code}")).text
    mark = api.last_message_id(TEACHER)
    question = await said(api, co, "/leave", predicate=lambda m: bool(m.buttons))
    await co.press(question, "👋 Ne plus enseigner")
    await api.wait_for_message(701, after=question, predicate=lambda m: "n'enseignes plus" in m.text)
    await school.drain()
    told = await api.wait_for_message(TEACHER, after=mark, predicate=lambda m: "Camille" in (m.text or ""))
    assert "Docker L3 2026" in told.text and "/class invite #" in told.text, told.text
    suggested = re.search(r"/class invite #\d+", told.text).group(0)
    assert "start=i-" in (await said(api, school.teacher, suggested)).text, "the suggested command works"
