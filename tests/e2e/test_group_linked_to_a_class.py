"""A group linked to a class: its instructor links it from the group (as one of its admins), then, a plain member
again, runs a game on the week's lessons as the class's instructor, and the results show in the class statistics and
in each player's /progress.
Bad input: a member who is no instructor, a private chat, a group already linked to another class."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime

import pytest
from group_play import final_board, next_poll, time_is_up
from sqlmodel import Session, select

from bot.storage.models import ClassGroup

TEACHER, OTHER_TEACHER, OUTSIDER = 700, 701, 799
BOT = "@docker_tutor_bot"


async def said(api, user, text: str, predicate=None, chat=None):
    sent = await user.send(text, chat=chat)
    return await api.wait_for_message(chat.id if chat else user.id, after=sent, predicate=predicate)


async def link_as_admin(api, group, teacher, text: str = f"/class{BOT} link"):
    """Only a group admin links it: the instructor is made admin for the link, and is a plain member again after."""
    group.add(teacher, status="administrator")
    answer = await said(api, teacher, text, chat=group)
    group.add(teacher)
    return answer


async def class_stats(api, teacher):
    """The statistics' text and CSV document, as the instructor gets them."""
    sent = await teacher.send("/class stats")
    text = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: "📊" in (m.text or ""))
    document = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: m.document is not None, timeout=20)
    return document, text.text


@pytest.fixture
async def school(make_harness):
    harness = await make_harness(instructor_ids=frozenset({TEACHER, OTHER_TEACHER}), class_sweep_seconds=3600)
    harness.clock.set(datetime(2026, 3, 25, 8, 0, tzinfo=UTC))  # a Wednesday
    api = harness.api
    harness.teacher = api.user(TEACHER, first_name="Prof")
    created = await said(api, harness.teacher, "/class new Docker L3", predicate=lambda m: "Classe" in m.text)
    harness.code = re.search(r"start=j-([A-Za-z0-9_-]{22})", created.text).group(1)
    harness.learners = [api.user(5000 + i, first_name=f"Élève{i}") for i in range(3)]
    for learner in harness.learners:
        assert "Bienvenue" in (await said(api, learner, f"/start j-{harness.code}")).text
    harness.group = api.group(-6001, "TP Docker")
    harness.group.add(api.user(6999, first_name="Chef"), status="creator")  # the group's only Telegram admin
    for user in (harness.teacher, *harness.learners):
        harness.group.add(user)
    harness.outsider = harness.group.add(api.user(OUTSIDER, first_name="Curieux"))
    return harness


async def test_an_instructor_links_the_group_runs_a_game_on_the_week_and_results_reach_stats_and_progress(school):
    api, group, teacher, learners = school.api, school.group, school.teacher, school.learners
    pushed = await said(api, teacher, "/push m1-images")  # the lesson the class sees this week
    assert "3 membre(s)" in pushed.text
    await school.drain()

    status = await said(api, teacher, f"/class{BOT}", chat=group)
    assert "n'est lié à aucune classe" in status.text
    assert "Seuls les admins" in (await said(api, teacher, f"/quiz{BOT} now", chat=group)).text, \
        "before the link, the instructor is no game admin of the group"
    linked = await link_as_admin(api, group, teacher)
    assert "lié à la classe <b>Docker L3</b>" in linked.html or "lié à la classe Docker L3" in linked.text, linked.text
    again = await link_as_admin(api, group, teacher)
    assert "déjà lié à la classe" in again.text and "Docker L3" in again.text
    seasons = await said(api, teacher, f"/season{BOT} 4", chat=group)
    assert "Saisons de 4 semaine(s)" in seasons.text, "the class's instructor is a game admin of the group"
    refused = await said(api, school.outsider, f"/season{BOT} off", chat=group)
    assert "Seuls les admins" in refused.text

    # the instructor is no Telegram admin of the group, yet runs its games as the class's instructor
    start = await teacher.send(f"/quiz{BOT} now 3 5s", chat=group)
    scope = await api.wait_for_message(group.id, after=start, predicate=lambda m: "Partie de la classe" in (m.text or ""))
    assert "leçons de cette semaine" in scope.text and "Les images" in scope.text, scope.text
    poll = await next_poll(api, group.id, start.message_id)
    assert poll.poll.question.endswith("Qu'est-ce qu'une image Docker ?"), "only a question on the week's lesson"
    assert poll.poll.question.startswith("[1/1] ")
    right = poll.poll.correct_option_id
    wrong = (right + 1) % len(poll.poll.options)
    outcomes = await group.answer_at(poll, [(learners[0], right, 0.3), (learners[1], right, 1.5),
                                            (learners[2], wrong, 0.6)])
    assert outcomes == ["ok"] * 3
    await time_is_up(school, poll)
    final = await final_board(api, group.id, poll.message_id)
    assert "Élève0" in final.text

    # the class statistics show the members' game results, in the text and in the CSV
    document, text = await class_stats(api, teacher)
    assert "🎮 1 partie(s)" in text and "meilleur rang 1" in text, text
    rows = {row["learner"]: row for row in csv.DictReader(io.StringIO(document.document.data.decode("utf-8-sig")))}
    assert rows["Élève0"]["group_games"] == "1" and rows["Élève0"]["group_best_rank"] == "1"
    assert int(rows["Élève0"]["group_points"]) > int(rows["Élève1"]["group_points"]) > 0
    assert (rows["Élève2"]["group_games"], rows["Élève2"]["group_points"]) == ("1", "0")

    # each player's /progress shows their group games
    progress = await said(api, learners[1], "/progress", predicate=lambda m: "progression" in (m.text or ""))
    assert "Quiz en groupe : 1 partie(s)" in progress.text and "meilleur rang 2" in progress.text, progress.text
    assert f"· {rows['Élève1']['group_points']} points" in progress.text

    # unlinking: an instructor of the class or an admin of the group; then the instructor is no game admin there
    refused = await said(api, school.outsider, f"/class{BOT} unlink", chat=group)
    assert "formateur·rice de la classe liée ou un·e admin du groupe" in refused.text
    unlinked = await said(api, teacher, f"/class{BOT} unlink", chat=group)
    assert "n'est plus lié" in unlinked.text
    after = await said(api, teacher, f"/quiz{BOT} now", chat=group)
    assert "Seuls les admins" in after.text
    assert "Seuls les admins" in (await said(api, teacher, f"/season{BOT} off", chat=group)).text
    # and the games played while it was linked stay in the class's statistics
    _document, text = await class_stats(api, teacher)
    assert "🎮 1 partie(s)" in text


async def test_a_member_who_is_no_instructor_cannot_link_the_group(school, caplog):
    api, group = school.api, school.group
    for who in (school.outsider, school.learners[0]):
        answer = await said(api, who, f"/class{BOT} link", chat=group)
        assert "Seul·e un·e formateur·rice de la classe peut lier ce groupe" in answer.text
    anonymous = await group.send_as_group(f"/class{BOT} link")
    answer = await api.wait_for_message(group.id, after=anonymous, predicate=lambda m: m.from_bot)
    assert "pas en admin anonyme" in answer.text, "an anonymous admin cannot prove they teach the class"
    assert any("refused" in r.getMessage() and str(OUTSIDER) in r.getMessage() for r in caplog.records)
    status = await said(api, school.teacher, f"/class{BOT}", chat=group)
    assert "n'est lié à aucune classe" in status.text, "nothing was linked"
    # another instructor, of no class of theirs named here, cannot link someone else's class either
    other = api.user(OTHER_TEACHER, first_name="Autre")
    group.add(other)
    answer = await said(api, other, f"/class{BOT} link #1", chat=group)
    assert "Seul·e un·e formateur·rice" in answer.text


async def test_a_private_chat_cannot_be_linked_and_gets_the_way_to_link_a_group(school):
    api = school.api
    howto = await said(api, school.teacher, "/class group")
    assert "Seul un groupe peut être lié" in howto.text
    link = re.search(r"https://t\.me/docker_tutor_bot\?startgroup=link-(\d+)", howto.text)
    assert link, howto.text
    # the "add to a group" link makes Telegram send /start link-<id> in the chosen group
    linked = await link_as_admin(api, school.group, school.teacher, f"/start{BOT} link-{link.group(1)}")
    assert "maintenant lié à la classe" in linked.text
    refused = await said(api, school.learners[0], "/class group")
    assert "réservée aux formateurs" in refused.text


async def test_a_group_linked_to_a_class_is_refused_to_another_class(school):
    api, group, teacher = school.api, school.group, school.teacher
    await said(api, teacher, "/class new Bootcamp", predicate=lambda m: "Classe" in m.text)
    assert "maintenant lié" in (await link_as_admin(api, group, teacher, f"/class{BOT} link #1")).text
    taken = await link_as_admin(api, group, teacher, f"/class{BOT} link #2")
    assert "déjà lié à la classe <b>Docker L3</b>" in (taken.html or "") or "déjà lié à la classe Docker L3" in taken.text
    assert "/class unlink" in taken.text
    status = await said(api, teacher, f"/class{BOT}", chat=group)
    assert "Docker L3" in status.text and "Bootcamp" not in status.text, "the first link stands"
    listed = await said(api, teacher, "/class list")
    lines = {line.split(" · ")[1]: line for line in listed.text.splitlines() if line.startswith("#")}
    assert "👥 TP Docker" in lines["Docker L3"] and "👥" not in lines["Bootcamp"], listed.text


async def test_a_linked_group_with_no_lesson_this_week_plays_the_lessons_already_seen(school):
    api, group, teacher, clock = school.api, school.group, school.teacher, school.clock
    await said(api, teacher, "/push m1-images")
    await school.drain()
    await link_as_admin(api, group, teacher)
    clock.set(datetime(2026, 3, 30, 8, 0, tzinfo=UTC))  # the next Monday: nothing sent this week yet
    start = await teacher.send(f"/quiz{BOT} now 2 5s", chat=group)
    scope = await api.wait_for_message(group.id, after=start, predicate=lambda m: "Partie de la classe" in (m.text or ""))
    assert "leçons déjà vues" in scope.text and "Les images" in scope.text, scope.text
    poll = await next_poll(api, group.id, start.message_id)
    assert poll.poll.question.endswith("Qu'est-ce qu'une image Docker ?")


async def test_a_linked_group_that_becomes_a_supergroup_stays_linked(school):
    api, group, teacher = school.api, school.group, school.teacher
    await link_as_admin(api, group, teacher)
    supergroup = await group.migrate(by=teacher)
    for _ in range(100):  # the bot reads the service messages in the background
        with Session(school.engine) as session:
            if session.exec(select(ClassGroup.chat_id)).all() == [supergroup.id]:
                break
        await asyncio.sleep(0.05)
    status = await said(api, teacher, f"/class{BOT}", chat=supergroup)
    assert "lié à la classe" in status.text and "Docker L3" in status.text, status.text


async def test_the_lobby_of_a_linked_group_says_the_game_is_on_the_class_lessons(school):
    api, group, teacher = school.api, school.group, school.teacher
    await said(api, teacher, "/push m1-images")
    await link_as_admin(api, group, teacher)
    start = await teacher.send(f"/quiz{BOT} 5 10s", chat=group)
    lobby = await api.wait_for_message(group.id, after=start, predicate=lambda m: "Rejoindre" in (m.text or ""))
    assert "sur les leçons de la classe" in lobby.text and "tout le cours" not in lobby.text, lobby.text
    stopped = await teacher.send(f"/quiz{BOT} stop", chat=group)
    await api.wait_for_message(group.id, after=stopped, predicate=lambda m: m.from_bot)
    module = await teacher.send(f"/quiz{BOT} m2 1 10s", chat=group)
    lobby = await api.wait_for_message(group.id, after=module, predicate=lambda m: "Rejoindre" in (m.text or ""))
    assert "du module m2" in lobby.text, "a module named is still that module"
