"""Leaderboards that last: the week's board rolls over on Monday (injected clock), the month's and all-time
boards keep counting, seasons end on the admins' schedule with their winners, and a member who left drops
off the boards while staying in history. Scheduled games are announced and started at the group's local time."""

from __future__ import annotations

from datetime import UTC, datetime

from bot_harness import REPO_CONTENT
from group_play import final_board, make_group, next_poll, time_is_up
from sqlalchemy import text

from bot.jobs.group_sweep import run_group_sweep
from bot.services.competition_schedules import next_run


async def _play_one(bot, group, admin, winner):  # noqa: ANN001, ANN202
    api = bot.api
    sent = await admin.send("/quiz now 1 5s", chat=group)
    poll = await next_poll(api, group.id, sent.message_id, timeout=5)
    await group.answer_at(poll, [(winner, poll.poll.correct_option_id, 0.2)])
    await time_is_up(bot, poll)
    await final_board(api, group.id, poll.message_id)


async def _ask(api, group, user, command: str) -> str:  # noqa: ANN001
    sent = await user.send(command, chat=group)
    return (await api.wait_for_message(group.id, after=sent.message_id, timeout=5)).text


async def test_the_weekly_board_rolls_over_on_monday_and_the_others_keep_counting(make_harness, local_api, clock):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -7001, 2)
    await _play_one(bot, group, admin, ana)  # Monday 2 March 2026
    week = await _ask(local_api, group, bob, "/top")
    assert "semaine" in week and "🥇 P000 · 1000 pts · 1 partie(s)" in week
    assert "Tu n'as pas encore de points" in week
    assert "Toi : 1ᵉ avec 1000 pts" in await _ask(local_api, group, ana, "/top")
    clock.set(datetime(2026, 3, 8, 22, 59, tzinfo=UTC))  # Sunday 23:59 in Paris: still the same week
    assert "P000" in await _ask(local_api, group, bob, "/top")
    clock.set(datetime(2026, 3, 8, 23, 0, tzinfo=UTC))  # Monday 00:00 in Paris
    assert "Personne n'a encore marqué" in await _ask(local_api, group, bob, "/top")
    assert "P000 · 1000 pts" in await _ask(local_api, group, bob, "/top month")
    assert "P000 · 1000 pts" in await _ask(local_api, group, bob, "/top all")
    await group.leave(ana)
    assert "Personne n'a encore marqué" in await _ask(local_api, group, bob, "/top all")
    with bot.engine.connect() as connection:  # history keeps her result
        assert connection.execute(text("SELECT points FROM quiz_game_result WHERE telegram_id = :p"),
                                  {"p": ana.id}).scalar_one() == 1000
    assert "/top month" in await _ask(local_api, group, bob, "/top hier")


async def test_a_season_ends_on_the_admins_schedule_and_its_winners_are_announced(make_harness, local_api, clock):
    bot = await make_harness(content=REPO_CONTENT)
    group, admin, (ana, bob) = make_group(local_api, -7002, 2)
    assert "Seuls les admins" in await _ask(local_api, group, bob, "/season 1")
    assert "saison 1 commence" in await _ask(local_api, group, admin, "/season 1")
    await _play_one(bot, group, admin, ana)
    clock.advance(days=6)
    assert await run_group_sweep(bot.context()) == 0
    clock.advance(days=1, seconds=1)
    last = local_api.messages(group.id)[-1].message_id
    assert await run_group_sweep(bot.context()) == 1
    announce = await local_api.wait_for_message(group.id, after=last, timeout=5)
    assert "Fin de la saison 1" in announce.text and "🥇 P000 · 1000 pts" in announce.text
    assert "saison 2 commence" in announce.text
    assert await run_group_sweep(bot.context()) == 0  # announced once
    await _play_one(bot, group, admin, bob)
    clock.advance(days=7, seconds=1)
    await run_group_sweep(bot.context())
    second = local_api.messages(group.id)[-1]
    assert "Fin de la saison 2" in second.text and "🥇 P001" in second.text and "P000" not in second.text


def test_a_weekly_game_stays_at_its_local_time_across_the_dst_change():
    before = next_run(weekday=4, at=datetime(2026, 1, 1, 18, 0).time(), timezone="Europe/Paris",
                      after=datetime(2026, 3, 23, 12, 0, tzinfo=UTC))
    assert before == datetime(2026, 3, 27, 17, 0, tzinfo=UTC)  # 18:00 CET
    after = next_run(weekday=4, at=datetime(2026, 1, 1, 18, 0).time(), timezone="Europe/Paris", after=before)
    assert after == datetime(2026, 4, 3, 16, 0, tzinfo=UTC)  # 18:00 CEST, after the change on 29 March
    autumn = next_run(weekday=6, at=datetime(2026, 1, 1, 2, 30).time(), timezone="Europe/Paris",
                      after=datetime(2026, 10, 24, 12, 0, tzinfo=UTC))
    assert autumn == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 of the repeated hour (CEST)


async def test_a_scheduled_game_is_announced_then_starts_at_the_groups_local_time(make_harness, local_api, clock):
    bot = await make_harness(content=REPO_CONTENT, group_lobby_seconds=2)
    group, admin, (ana,) = make_group(local_api, -7003, 1)
    reply = await _ask(local_api, group, admin, "/quiz every fri 18:00 m02 3")
    assert "chaque vendredi à 18:00 (Europe/Paris)" in reply and "06/03 18:00" in reply
    assert "Seuls les admins" in await _ask(local_api, group, ana, "/quiz every sat 10:00")
    await bot.restart()  # the schedule is stored: a restart keeps it
    clock.set(datetime(2026, 3, 6, 16, 49, 59, tzinfo=UTC))
    assert await run_group_sweep(bot.context()) == 0
    clock.set(datetime(2026, 3, 6, 16, 50, tzinfo=UTC))  # 17:50 in Paris
    last = local_api.messages(group.id)[-1].message_id
    assert await run_group_sweep(bot.context()) == 1
    notice = await local_api.wait_for_message(group.id, after=last, timeout=5)
    assert "Quiz dans 10 minutes (18:00)" in notice.text and "module m02" in notice.text
    assert await run_group_sweep(bot.context()) == 0  # announced once
    clock.set(datetime(2026, 3, 6, 17, 0, tzinfo=UTC))
    assert await run_group_sweep(bot.context()) == 1
    lobby = await local_api.wait_for_message(group.id, after=notice.message_id, timeout=5,
                                             predicate=lambda m: bool(m.buttons))
    assert "3 questions du module m02" in lobby.text
    await local_api.wait_for_callback_answer(await ana.press(lobby, lobby.buttons[0][0]))
    await time_is_up(bot)  # the lobby's time
    poll = await next_poll(local_api, group.id, lobby.message_id)
    assert poll.poll.open_period == 20
    assert "Parties programmées supprimées : 1" in await _ask(local_api, group, admin, "/quiz every off")


async def test_admins_set_the_groups_time_zone_and_language(make_harness, local_api, clock):
    await make_harness(content=REPO_CONTENT)
    group, admin, (ana,) = make_group(local_api, -7004, 1)
    assert "Seuls les admins" in await _ask(local_api, group, ana, "/quiz tz America/New_York")
    assert "Je ne connais pas le fuseau « Mars/Olympus »" in await _ask(local_api, group, admin, "/quiz tz Mars/Olympus")
    assert "Fuseau du groupe : America/New_York" in await _ask(local_api, group, admin, "/quiz tz America/New_York")
    reply = await _ask(local_api, group, admin, "/quiz every fri 18:00")
    assert "(America/New_York)" in reply and "06/03 18:00" in reply
    assert "now plays in English" in await _ask(local_api, group, admin, "/quiz lang en")
    assert "This week's leaderboard" in await _ask(local_api, group, ana, "/top")
    await _ask(local_api, group, admin, "/quiz open")
    assert "Only the group's admins" in await _ask(local_api, group, ana, "/quiz lang fr")
