"""An instructor's whole story through the local Bot API: a class of 30 joins by the link, the calendar
delivers the right lesson at class time across a DST change, a push and an announcement reach every
member and nobody else, statistics, chart and CSV match, and a non-instructor is refused everything."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime

import pytest
from class_school import TEACHER, bot_messages, class_sweep, join_code, said

OUTSIDER = 799
REFUSAL = "réservée aux formateurs"


@pytest.fixture
async def story(make_harness):
    # the sweeps run when the test says so, and only then (a periodic job also runs once a second after the start)
    return await make_harness(instructor_ids=frozenset({TEACHER}), periodic_jobs=False)


async def test_a_class_of_thirty_follows_its_calendar_and_its_instructor(story):
    harness = story
    api, clock = harness.api, harness.clock
    clock.set(datetime(2026, 3, 20, 8, 0, tzinfo=UTC))
    teacher = api.user(TEACHER, first_name="Prof")
    await said(api, teacher, "/start")

    created = await said(api, teacher, "/class new Docker L3 tz=Europe/Paris",
                         predicate=lambda m: "Classe" in m.text)
    assert "https://t.me/docker_tutor_bot?start=j-" in created.text, created.text
    code = join_code(created.text)
    for _ in range(100):  # the menu is set right after the reply
        if "class" in api.menu_commands(TEACHER):
            break
        await asyncio.sleep(0.02)
    assert "class" in api.menu_commands(TEACHER), "the instructor's menu has the instructor commands"

    learners = [api.user(10_000 + i, first_name=f"Élève{i}") for i in range(30)]
    for i, learner in enumerate(learners):
        if i % 3 == 0:  # the code typed after /start
            await said(api, learner, "/start", predicate=lambda m: bool(m.buttons))
            welcome = await said(api, learner, f"j-{code}")
        else:  # the link
            welcome = await said(api, learner, f"/start j-{code}")
        assert "Bienvenue dans la classe" in welcome.text, welcome.text
        assert "class" not in api.menu_commands(learner.id), "learners never see instructor commands"
    outsider = api.user(OUTSIDER, first_name="Hors")  # talks to the bot, follows no course, is in no class
    await said(api, outsider, "/start", predicate=lambda m: bool(m.buttons))

    # Paris switches to summer time on Sunday 2026-03-29: 09:00 is 08:00 UTC before, 07:00 UTC after
    plan = await said(api, teacher, "/class plan weekdays 2026-03-26 09:00 skip 2026-03-27")
    assert "3 leçon(s)" in plan.text and "2026-03-26" in plan.text and "2026-03-31" in plan.text

    marks = {learner.id: len(api.messages(learner.id)) for learner in [*learners, outsider]}
    clock.set(datetime(2026, 3, 26, 7, 59, tzinfo=UTC))
    assert await class_sweep(harness) == 0
    clock.set(datetime(2026, 3, 26, 8, 0, tzinfo=UTC))
    assert await class_sweep(harness) == 30
    for learner in learners:
        got = bot_messages(api, learner.id, marks[learner.id])
        assert any("Docker L3" in m.text for m in got if m.text)
        assert [m for m in got if m.text and "Les images" in m.text], "the first lesson of the plan"
        assert len([m for m in got if m.poll is not None]) == 1, "and a question"
    assert bot_messages(api, OUTSIDER, marks[OUTSIDER]) == [], "nobody else"

    # the next lesson is on Monday 30, after the DST change: 09:00 Paris is now 07:00 UTC
    marks = {learner.id: len(api.messages(learner.id)) for learner in learners}
    clock.set(datetime(2026, 3, 30, 6, 59, tzinfo=UTC))
    assert await class_sweep(harness) == 0
    clock.set(datetime(2026, 3, 30, 7, 0, tzinfo=UTC))
    assert await class_sweep(harness) == 30
    for learner in learners:
        got = bot_messages(api, learner.id, marks[learner.id])
        assert [m for m in got if m.text and "Les conteneurs" in m.text], "the second lesson, at 09:00 summer time"

    # the daily sweep sends class members nothing of its own: one bundle a day
    assert await harness.sweep() == 0

    # /push sends the next planned lesson now
    marks = {learner.id: len(api.messages(learner.id)) for learner in [*learners, outsider]}
    pushed = await said(api, teacher, "/push")
    assert "30 membre(s)" in pushed.text
    await harness.drain()
    for learner in learners:
        assert [m for m in bot_messages(api, learner.id, marks[learner.id]) if m.text and "Les volumes" in m.text]
    assert bot_messages(api, OUTSIDER, marks[OUTSIDER]) == []
    clock.set(datetime(2026, 3, 31, 7, 0, tzinfo=UTC))
    assert await class_sweep(harness) == 0, "the pushed lesson's calendar day does not send it again"

    # an announcement: preview, send, status message edited to the end
    marks = {learner.id: len(api.messages(learner.id)) for learner in [*learners, outsider]}
    before = api.last_message_id(TEACHER)
    await teacher.send("/announce **Rappel** : le TP a lieu jeudi, apportez vos questions !")
    control = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: bool(m.buttons))
    preview = [m for m in api.messages(TEACHER) if m.message_id > before and "Rappel" in (m.text or "")]
    assert preview and preview[0].html and "<b>Rappel</b>" in preview[0].html, "the preview is what learners get"
    await teacher.press(control, "📣 Envoyer")
    status = await api.wait_for_message(TEACHER, after=control, predicate=lambda m: "Annonce" in (m.text or ""))
    await harness.drain()
    status = await api.wait_for_edit(status, timeout=10)
    while "Terminé" not in status.text:
        status = await api.wait_for_edit(status, edits=status.edits + 1, timeout=10)
    assert "Envoyés : 30" in status.text and "Échecs : 0" in status.text, status.text
    for learner in learners:
        got = [m for m in bot_messages(api, learner.id, marks[learner.id]) if "Rappel" in (m.text or "")]
        assert len(got) == 1 and got[0].html == preview[0].html
    assert bot_messages(api, OUTSIDER, marks[OUTSIDER]) == []

    # some activity, then the statistics
    first, second = learners[0], learners[1]
    polls = {u.id: [m for m in api.messages(u.id) if m.poll is not None] for u in (first, second)}
    await first.answer_poll(polls[first.id][0], [polls[first.id][0].poll.correct_option_id])
    await second.answer_poll(polls[second.id][0], [0 if polls[second.id][0].poll.correct_option_id else 1])
    page = next(m for m in api.messages(first.id) if m.text and "Les images" in m.text)
    while True:  # Élève0 reads on, page by page, to the end of the course (3 lessons)
        labels = [label for label, _ in page.buttons if label.startswith("Suivant")]
        if not labels:  # the lesson is done: what comes next is shown
            break
        latest = api.messages(first.id)[-1]
        await first.press(page, labels[0])
        page = await api.wait_for_message(first.id, after=latest, predicate=lambda m: bool(m.text))

    before = api.last_message_id(TEACHER)
    await teacher.send("/class stats")
    document = await api.wait_for_message(TEACHER, after=before, predicate=lambda m: m.document is not None,
                                          timeout=20)
    replies = [m for m in api.messages(TEACHER) if m.message_id > before]
    text = next(m.text for m in replies if m.text and "📊" in m.text)
    assert "30 membre(s)" in text and "3 leçon(s)" in text
    assert any(m.extra.get("photo") for m in replies), "the chart comes as a photo"
    photo = next(m for m in replies if m.extra.get("photo"))
    assert api.store.files[photo.extra["photo"][0]["file_id"]].data.startswith(b"\x89PNG")
    raw = document.document.data
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with a BOM, so spreadsheets show the accents"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 30
    assert "telegram_id" not in rows[0] and sorted(int(row["member"]) for row in rows) == list(range(1, 31)), \
        "names and progress, and a member number for namesakes: no Telegram ids"
    by_name = {row["learner"]: row for row in rows}
    assert by_name["Élève0"]["first_try_accuracy_percent"] == "100.0"
    assert by_name["Élève1"]["first_try_accuracy_percent"] == "0.0"
    assert (by_name["Élève0"]["lessons_done"], by_name["Élève0"]["behind_plan"]) == ("3", "no")
    assert (by_name["Élève2"]["lessons_done"], by_name["Élève2"]["behind_plan"]) == ("0", "yes")
    assert "Élève2" in text.split("En retard")[1] and "Élève0" not in text.split("En retard")[1]
    assert "Quelle commande" in text or "Qu'est-ce" in text, "the hardest questions are listed"


@pytest.mark.parametrize("command", [
    "/class new Pirate", "/class", "/class link", "/class revoke", "/class cap 3", "/class expire 2026-04-01",
    "/class invite", "/class plan", "/class plan weekdays 2026-03-26 09:00", "/class stats", "/class delete",
    "/push", "/push m1-images", "/schedule demain 9:00 lesson m1-images", "/schedule demain 9:00 announce Hi",
    "/announce Bonjour", "/class help",
])
async def test_a_non_instructor_is_refused_every_instructor_command(story, command, caplog):
    api = story.api
    teacher = api.user(TEACHER, first_name="Prof")
    await said(api, teacher, "/class new Vraie classe", predicate=lambda m: "Classe" in m.text)
    pirate = api.user(OUTSIDER, first_name="Pirate")
    await said(api, pirate, "/start mini", predicate=lambda m: bool(m.buttons))
    answer = await said(api, pirate, command)
    assert REFUSAL in answer.text, (command, answer.text)
    assert any("refused" in r.getMessage() and str(OUTSIDER) in r.getMessage() for r in caplog.records), \
        "the attempt is logged"
    with_ref = command.split(" ", 1)
    answer = await said(api, pirate, f"{with_ref[0]} #1 {with_ref[1] if len(with_ref) > 1 else ''}".strip())
    assert REFUSAL in answer.text, "naming the instructor's class does not help"
