"""Helpers for group games in tests: a group with members, waiting for the bot's next quiz poll, reading results."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text

from bot.local_api import LocalBotApi, SentMessage, SimGroup, SimUser
from bot.local_api.polls import PollRefused
from bot.views.group_game import group_games


def make_group(api: LocalBotApi, chat_id: int, players: int, *, first_id: int = 1000,
               title: str = "Docker club") -> tuple[SimGroup, SimUser, list[SimUser]]:
    """A group whose creator is an admin, and `players` members."""
    group = api.group(chat_id, title)
    admin = group.add(api.user(first_id - 1, first_name="Admin"), status="creator")
    members = [group.add(api.user(first_id + i, first_name=f"P{i:03d}")) for i in range(players)]
    return group, admin, members


async def next_poll(api: LocalBotApi, chat_id: int, after: int, timeout: float = 90.0) -> SentMessage:
    return await api.wait_for_message(chat_id, after=after, predicate=lambda m: m.poll is not None, timeout=timeout)


async def time_is_up(bot, poll: SentMessage | None = None, *, game_id: int | None = None) -> None:  # noqa: ANN001
    """The game (`game_id`, by default the newest) moves on now, as when its time is up, without waiting for it.

    Telegram closes the question's `poll` as it does when its open_period ends (no vote after this); every
    update given so far reaches the bot (a barrier); then the game's own pending job runs, as at its time
    (PTB's `Job.run`): the lobby ends, or the question closes with every answer received, the scoreboard is
    edited and the next question is asked (or the final board posted). All of it done when this returns."""
    if poll is not None:
        await bot.api.close_poll_now(poll)
    await bot.api.wait_delivered()
    game_id = last_game_id(bot.engine) if game_id is None else game_id
    games = group_games(bot.application)
    # a question's timer is armed once the bot has stored the poll it sent (just after the poll shows here)
    job = await bot.api.wait_for(lambda: games.pending_job(game_id), recheck=0.01,
                                 what=f"no timer armed for game {game_id}")
    job.schedule_removal()  # it runs now, not again at its time
    await job.run(bot.application)


async def answer_in_game_time(bot, poll: SentMessage, plan: list[tuple[SimUser, int, float]]) -> list[str]:  # noqa: ANN001
    """Members answer `poll` at scripted times on the game's clock (`bot.game_clock`, a ManualClock the test
    moves), without waiting for them: in the order of those times, the clock moves to the question's sending plus
    the answer's seconds, the answer is given, and it reaches the bot (which stamps it with that time) before the
    clock moves on. The question was sent at the clock's time when this is called (the test has not moved it
    since). Returns what happened to each answer, in plan order, as `SimGroup.answer_at` does."""
    clock = bot.game_clock
    asked = clock.now()
    outcomes: dict[int, str] = {}
    at_times: dict[float, list[int]] = {}  # answers given at the same time reach the bot together
    for index, (_user, _option, seconds) in enumerate(plan):
        at_times.setdefault(seconds, []).append(index)
    for seconds in sorted(at_times):
        clock.set(asked + timedelta(seconds=seconds))
        for index in at_times[seconds]:
            user, option, _seconds = plan[index]
            try:
                await user.answer_poll(poll, [option])
                outcomes[index] = "ok"
            except PollRefused as exc:
                outcomes[index] = "closed" if "closed" in str(exc) else "refused"
        await bot.api.wait_delivered()
    return [outcomes[index] for index in range(len(plan))]


async def final_board(api: LocalBotApi, chat_id: int, after: int, timeout: float = 90.0) -> SentMessage:
    return await api.wait_for_message(chat_id, after=after, timeout=timeout,
                                      predicate=lambda m: bool(m.text) and m.text.startswith("🏁"))


def stored_answers(engine, game_id: int) -> dict[tuple[int, int], tuple[int, int]]:  # noqa: ANN001
    """(position, player) -> (option, elapsed_ms), as the bot stored them."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT position, telegram_id, option, elapsed_ms FROM quiz_game_answer "
                                       "WHERE game_id = :g"), {"g": game_id}).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def stored_results(engine, game_id: int) -> list[tuple[int, int, int, int]]:  # noqa: ANN001
    """(rank, player, points, correct), best first."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT rank, telegram_id, points, correct FROM quiz_game_result "
                                       "WHERE game_id = :g ORDER BY rank"), {"g": game_id}).all()
    return [tuple(r) for r in rows]


def last_game_id(engine) -> int:  # noqa: ANN001
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT max(id) FROM quiz_game")).scalar_one())


async def settle(seconds: float = 0.3) -> None:
    await asyncio.sleep(seconds)


def kahoot(elapsed: float, timer: float) -> int:
    """The rule, written again here on purpose (the test checks the bot against it, not against itself)."""
    if elapsed > timer:
        return 0
    if elapsed < 0.5:
        return 1000
    value = 1000 * (1 - elapsed / (2 * timer))
    return int(value) + (1 if value - int(value) >= 0.5 else 0)


def expected_scores(questions: list[tuple[int, dict[int, tuple[int, float]]]], timer: float) -> dict[int, int]:
    """questions: [(correct option, {player: (option, elapsed)})] -> points per player, streaks included."""
    points: dict[int, int] = {}
    streak: dict[int, int] = {}
    for correct, answers in questions:
        for player in set(points) | set(answers):
            points.setdefault(player, 0)
            option, elapsed = answers.get(player, (-1, 0.0))
            if option == correct and elapsed <= timer:
                streak[player] = streak.get(player, 0) + 1
                points[player] += kahoot(elapsed, timer) + min(100 * (streak[player] - 1), 500)
            else:
                streak[player] = 0
    return points


async def wait_for_answers(engine, count: int, timeout: float = 5.0) -> None:  # noqa: ANN001
    """Until the bot has stored `count` answers in all."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        with engine.connect() as connection:
            if connection.execute(text("SELECT count(*) FROM quiz_game_answer")).scalar_one() >= count:
                return
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"the bot did not store {count} answers")
        await asyncio.sleep(0.05)
