"""The instructor's class in the Mini App: an instructor reaches only the classes they teach, and each tap does
what the chat command does (the same services), with errors the page can show in the instructor's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, open_class, said
from mini_app import call, init_data_for

pytestmark = pytest.mark.both_databases

OTHER_TEACHER = 701


@pytest.fixture
async def school(make_harness):
    """Monday 2026-03-02 08:00 UTC (09:00 in Paris); a class of two with a weekday calendar from Tuesday."""
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER_TEACHER}), class_sweep_seconds=3600)
    school = await open_class(harness, at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), name="Docker L3",
                              options="tz=Europe/Paris", learners=2)
    planned = await said(school.api, school.teacher, "/class plan weekdays 2026-03-03")
    assert "2026-03-03" in planned.text, planned.text
    status, me = await call(harness, "api/me", init_data_for(TEACHER))
    school.class_id = me["teaches"][0]["id"]
    return school


def teacher():
    return init_data_for(TEACHER, first_name="Prof")


async def test_another_instructor_gets_404_for_this_class_as_for_no_class_and_its_teacher_200(school):
    path = f"api/class/{school.class_id}/today"
    status, body = await call(school.harness, path, init_data_for(OTHER_TEACHER, language="en"))
    assert status == 404 and "not one of yours" in body["message"]  # in their Telegram's language (not met yet)

    other = await make_other_class(school)

    status, body = await call(school.harness, path, init_data_for(OTHER_TEACHER))
    assert status == 404 and "pas une des tiennes" in body["message"]
    assert (await call(school.harness, "api/class/99999/today", init_data_for(OTHER_TEACHER)))[0] == 404
    assert (await call(school.harness, f"api/class/{other}/today", init_data_for(OTHER_TEACHER)))[0] == 200
    assert (await call(school.harness, path, teacher()))[0] == 200  # positive control: its own teacher


async def make_other_class(school) -> int:
    other = school.api.user(OTHER_TEACHER, first_name="Autre")
    await said(school.api, other, "/class new Autre classe", predicate=lambda m: "Classe" in m.text)
    status, me = await call(school.harness, "api/me", init_data_for(OTHER_TEACHER))
    return me["teaches"][0]["id"]


async def test_a_learner_gets_403_on_every_class_route_and_the_teacher_200(school):
    learner = init_data_for(school.learners[0].id)
    before = len(bot_messages(school.api, school.learners[0].id))
    for method, path in [("GET", "today"), ("GET", "learners"), ("GET", "learners.csv"), ("GET", "charts"),
                         ("POST", "announce/preview"), ("POST", "announce"), ("POST", "push"),
                         ("POST", "calendar/skip")]:
        body = {"text": "Salut", "date": "2026-03-03"} if method == "POST" else None
        status, answer = await call(school.harness, f"api/class/{school.class_id}/{path}", learner,
                                    method=method, json=body)
        assert status == 403, (path, status, answer)
        assert "réservée aux formateurs" in answer["message"]
    status, today = await call(school.harness, f"api/class/{school.class_id}/today", teacher())
    assert status == 200  # positive control
    assert today["calendar"][0]["date"] == "2026-03-03" and not any(line["sent"] for line in today["calendar"])

    status, _ = await call(school.harness, f"api/class/{school.class_id}/announce", teacher(), method="POST",
                           json={"text": "Barrière"})
    assert status == 200
    await school.drain()  # the barrier: the teacher's announcement arrived, the learner's never will
    texts = [m.text or "" for m in bot_messages(school.api, school.learners[0].id, before)]
    assert any("Barrière" in text for text in texts) and not any("Salut" in text for text in texts), texts


async def test_today_shows_the_calendar_and_moving_a_lesson_is_what_class_plan_set_does(school):
    status, today = await call(school.harness, f"api/class/{school.class_id}/today", teacher())
    assert status == 200 and today["today"] == "2026-03-02" and today["class"]["timezone"] == "Europe/Paris"
    first, second = today["calendar"][0], today["calendar"][1]
    assert (first["date"], second["date"]) == ("2026-03-03", "2026-03-04") and not first["sent"]

    status, moved = await call(school.harness, f"api/class/{school.class_id}/calendar/move", teacher(),
                               method="POST", json={"lesson_id": first["lesson_id"], "date": "2026-03-04"})

    assert status == 200, moved
    assert first["title"] in moved["message"] and second["title"] in moved["message"]  # the lesson it replaced
    by_date = {line["date"]: line["lesson_id"] for line in moved["today"]["calendar"]}
    assert by_date["2026-03-04"] == first["lesson_id"] and "2026-03-03" not in by_date
    shown = await said(school.api, school.teacher, "/class plan")
    assert shown.text.index("2026-03-04") < shown.text.index(first["title"]), shown.text


async def test_moving_to_another_time_plans_the_lesson_then_and_the_learners_get_it_then(school):
    today = (await call(school.harness, f"api/class/{school.class_id}/today", teacher()))[1]
    lesson = today["calendar"][0]
    status, moved = await call(school.harness, f"api/class/{school.class_id}/calendar/move", teacher(),
                               method="POST", json={"lesson_id": lesson["lesson_id"], "date": "2026-03-02",
                                                    "time": "14:30"})
    assert status == 200, moved
    assert [(p["date"], p["at"], p["lesson_id"]) for p in moved["today"]["posts"]] == [
        ("2026-03-02", "14:30", lesson["lesson_id"])]
    assert lesson["lesson_id"] not in [line["lesson_id"] for line in moved["today"]["calendar"]]

    learner = school.learners[0]
    before = len(bot_messages(school.api, learner.id))
    school.clock.set(datetime(2026, 3, 2, 13, 31, tzinfo=UTC))
    await class_sweep(school.harness)
    assert any(lesson["title"] in (m.text or "") for m in bot_messages(school.api, learner.id, before))


async def test_a_day_in_the_past_is_refused_with_the_first_possible_day(school):
    status, body = await call(school.harness, f"api/class/{school.class_id}/calendar/move", teacher(),
                              method="POST", json={"lesson_id": "nope", "date": "2026-03-01"})
    assert status == 422 and "nope" in body["message"]
    today = (await call(school.harness, f"api/class/{school.class_id}/today", teacher()))[1]
    status, body = await call(school.harness, f"api/class/{school.class_id}/calendar/move", teacher(),
                              method="POST", json={"lesson_id": today["calendar"][0]["lesson_id"],
                                                   "date": "2026-03-01"})
    assert status == 409 and "2026-03-01" in body["message"] and "2026-03-03" in body["message"]


async def test_skip_frees_the_day_and_push_sends_the_next_lesson_now(school):
    today = (await call(school.harness, f"api/class/{school.class_id}/today", teacher()))[1]
    first, second = today["calendar"][0], today["calendar"][1]
    status, skipped = await call(school.harness, f"api/class/{school.class_id}/calendar/skip", teacher(),
                                 method="POST", json={"date": first["date"]})
    assert status == 200 and first["title"] in skipped["message"]

    learner = school.learners[1]
    before = len(bot_messages(school.api, learner.id))
    status, pushed = await call(school.harness, f"api/class/{school.class_id}/push", teacher(), method="POST",
                                json={})
    assert status == 200 and second["title"] in pushed["message"] and "2 membre" in pushed["message"]
    await school.drain()
    assert any(second["title"] in (m.text or "") for m in bot_messages(school.api, learner.id, before))
    sent = {line["lesson_id"]: line["sent"] for line in pushed["today"]["calendar"]}
    assert sent[second["lesson_id"]] is True


async def test_learners_lists_who_is_behind_first_without_telegram_ids_and_exports_csv(school):
    await call(school.harness, f"api/class/{school.class_id}/push", teacher(), method="POST", json={})
    await school.drain()
    status, body = await call(school.harness, f"api/class/{school.class_id}/learners", teacher())
    assert status == 200 and body["planned_so_far"] == 1
    rows = body["learners"]
    assert sorted(row["name"] for row in rows) == ["M0", "M1"]
    assert [(row["behind_by"], row["lessons_total"] >= 3) for row in rows] == [(1, True), (1, True)], rows
    assert all(row["last_activity"] is not None for row in rows), "joining the class is using the bot"
    assert str(school.learners[0].id) not in str(body)

    status, table = await call(school.harness, f"api/class/{school.class_id}/learners.csv", teacher())
    assert status == 200 and table.splitlines()[0].lstrip("\ufeff").startswith("learner,member,lessons_done")

    before = school.api.last_message_id(TEACHER)
    status, body = await call(school.harness, f"api/class/{school.class_id}/learners/csv-to-chat", teacher(),
                              method="POST", json={})
    assert status == 200 and "conversation" in body["message"]
    sent = await school.api.wait_for_message(TEACHER, after=before, predicate=lambda m: m.document is not None)
    assert sent.document.filename == f"class-{school.class_id}.csv" and b"learner,member" in sent.document.data


async def test_an_announcement_is_checked_as_in_the_chat_previewed_escaped_and_sent_to_the_learners(school):
    path = f"api/class/{school.class_id}/announce"
    status, body = await call(school.harness, path + "/preview", teacher(), method="POST",
                              json={"text": "Salle **B12 demain"})
    assert status == 422 and body["problems"][0]["line"] == 1 and "gras" in body["problems"][0]["text"]

    status, body = await call(school.harness, path + "/preview", teacher(), method="POST",
                              json={"text": "Salle **B12** demain, `a < b`"})
    assert status == 200 and body["members"] == 2
    assert "<b>B12</b>" in body["parts_html"][0] and "a &lt; b" in body["parts_html"][0]
    assert "Docker L3" in body["parts_html"][0]  # the header members get

    learner = school.learners[0]
    before = len(bot_messages(school.api, learner.id))
    status, sent = await call(school.harness, path, teacher(), method="POST", json={"text": "Salle **B12** demain"})
    assert status == 200 and "2 membre" in sent["message"]
    await school.drain()
    assert any("B12" in (m.text or "") for m in bot_messages(school.api, learner.id, before))


async def test_a_scheduled_announcement_waits_for_its_time_in_the_class_zone(school):
    path = f"api/class/{school.class_id}/announce"
    status, body = await call(school.harness, path, teacher(), method="POST",
                              json={"text": "Pas de cours vendredi", "date": "2026-03-02", "time": "18:00"})
    assert status == 200 and "18:00" in body["message"] and "Europe/Paris" in body["message"]
    today = (await call(school.harness, f"api/class/{school.class_id}/today", teacher()))[1]
    assert [(p["kind"], p["at"], p["title"]) for p in today["posts"]] == [
        ("announcement", "18:00", "Pas de cours vendredi")]

    learner = school.learners[0]
    before = len(bot_messages(school.api, learner.id))
    school.clock.set(datetime(2026, 3, 2, 16, 59, tzinfo=UTC))
    await class_sweep(school.harness)
    assert not any("vendredi" in (m.text or "") for m in bot_messages(school.api, learner.id, before))
    school.clock.set(datetime(2026, 3, 2, 17, 0, tzinfo=UTC))
    await class_sweep(school.harness)
    assert any("vendredi" in (m.text or "") for m in bot_messages(school.api, learner.id, before))


async def test_charts_hold_the_data_of_class_stats(school):
    await call(school.harness, f"api/class/{school.class_id}/push", teacher(), method="POST", json={})
    status, body = await call(school.harness, f"api/class/{school.class_id}/charts", teacher())
    assert status == 200 and body["members"] == 2 and body["planned_so_far"] == 1
    assert body["planned_by_day"] == [["2026-03-02", 1]]
    assert body["lessons_done_spread"] == [[0, 2]]


def test_the_preview_keeps_telegrams_formatting_and_nothing_a_browser_would_run():
    from bot.webapp.preview_html import page_html

    evil = ('<b>ok</b> <script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'
            '<i onclick="alert(4)">i</i><a href="https://example.org/?a=1&amp;b=2">y</a>')
    shown = page_html(evil)

    assert "<script" in evil and "onerror" in evil  # positive control: the raw text would run in a page
    assert "<script" not in shown and "<img" not in shown and "javascript:" not in shown and "onclick" not in shown
    assert "<b>ok</b>" in shown and "<i>i</i>" in shown and 'href="https://example.org/?a=1&amp;b=2"' in shown


async def test_the_learners_table_is_never_older_than_the_class(school):
    path = f"api/class/{school.class_id}/learners"
    before = (await call(school.harness, path, teacher()))[1]
    assert before["planned_so_far"] == 0 and all(row["behind_by"] == 0 for row in before["learners"])
    assert (await call(school.harness, path, teacher()))[1] == before  # the same state: the same table

    await call(school.harness, f"api/class/{school.class_id}/push", teacher(), method="POST", json={})
    after = (await call(school.harness, path, teacher()))[1]

    assert after["planned_so_far"] == 1 and all(row["behind_by"] == 1 for row in after["learners"])
