"""One person floods the bot while others use it: do the others, and a group game, still get their turn?

The bot runs as its own process (`python -m bot run`, its client-side pacing on, as in production) against
the local Bot API held by this script, which plays everyone:

- an attacker sends `--private` commands (`/verify <a guess>`) in their private chat, as fast as they can;
- another sends `--group` commands (`/top`) in a group where a game is running (`/quiz now N Ts`);
- meanwhile `--learners` learners, one every `--arrival` seconds, each do /start, /lesson, /quiz and answer
  (bench/bench_load.py).

Prints the learners' reply latency p50/p95 (target: p95 <= 1 s) and the game's gaps between questions
against its plan (the timer plus the close's grace; target: within 1 s).

    .venv/bin/python bench/flood_bench.py
    .venv/bin/python bench/flood_bench.py --against /tmp/old   # the same load on another checkout's bot

--against DIR runs the bot of another checkout (`git archive <commit> | tar -x -C DIR`) under the same load,
after this one: before/after a change in one run. A learner's reply that never comes counts as --patience.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_load import TOKEN, one_learner  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402

CONTENT = ROOT / "tests" / "fixtures" / "content"
CLOSE_GRACE = 0.4  # bot/services/competitions.py: a question closes this long after its timer


@dataclass(frozen=True)
class Run:
    label: str
    latencies: list[float]
    late: int  # learners' replies that never came within --patience
    gaps: list[float]
    plan: float


def bot_env(tmp: str, python_path: str | None) -> dict[str, str]:
    env = {"CONTENT_DIR": str(CONTENT), "DATABASE_URL": f"sqlite:///{tmp}/flood.sqlite3", "LOG_LEVEL": "WARNING",
           "RATE_LIMIT": "true", "LAB_ENABLED": "false", "GROUP_LOBBY_SECONDS": "1"}
    if python_path:
        env["PYTHONPATH"] = python_path
    return env


async def learner(api: LocalBotApi, user_id: int, latencies: list[float], patience: float) -> int:
    try:
        return await asyncio.wait_for(one_learner(api, user_id, latencies), patience * 4)
    except TimeoutError:
        return 0


async def run(label: str, args: argparse.Namespace, python_path: str | None) -> Run:
    api = LocalBotApi(TOKEN, flood_control=False)
    await api.start()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, **bot_env(tmp, python_path), "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url}
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=tmp)
        try:
            probe = api.user(1, first_name="Probe")
            sent = await probe.send("/help")
            await api.wait_for_message(probe.id, after=sent, timeout=60)  # the bot is up
            group = api.group(-500, "Docker club")
            admin = group.add(api.user(501, first_name="Admin"), status="creator")
            spammer = group.add(api.user(502, first_name="Spam"))
            attacker = api.user(503, first_name="Flood")
            start = await admin.send(f"/quiz now {args.questions} {args.timer}s", chat=group)
            first = await api.wait_for_message(group.id, after=start, timeout=60, predicate=lambda m: m.poll is not None)
            polls = [(time.perf_counter(), first.message_id)]

            async def watch_game() -> None:
                last = first.message_id
                for _ in range(args.questions - 1):
                    try:
                        poll = await api.wait_for_message(group.id, after=last, predicate=lambda m: m.poll is not None,
                                                          timeout=args.timer * 20)
                    except TimeoutError:
                        return
                    polls.append((time.perf_counter(), poll.message_id))
                    last = poll.message_id

            async def flood_private() -> None:
                for i in range(args.private):
                    await attacker.send(f"/verify TDK-{i:04d}-GUESS")

            async def flood_group() -> None:
                for _ in range(args.group):
                    await spammer.send("/top", chat=group)

            latencies: list[float] = []
            game = asyncio.create_task(watch_game())
            await asyncio.gather(flood_private(), flood_group())

            async def arriving(i: int) -> int:
                await asyncio.sleep(i * args.arrival)
                return await learner(api, 10_000 + i, latencies, args.patience)

            answered = await asyncio.gather(*(arriving(i) for i in range(args.learners)))
            await game
        finally:
            bot.terminate()
            await bot.wait()
            await api.stop()
    late = sum(1 for a in answered if a < 4)
    latencies += [args.patience] * (4 * args.learners - len(latencies))
    gaps = [b[0] - a[0] for a, b in zip(polls, polls[1:], strict=False)]
    return Run(label, sorted(latencies), late, gaps, args.timer + CLOSE_GRACE)


def report(result: Run, args: argparse.Namespace) -> None:
    lat = result.latencies
    p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
    print(f"{result.label}: {args.learners} learners' replies p50 {statistics.median(lat) * 1000:.0f} ms, "
          f"p95 {p95 * 1000:.0f} ms (target <= 1000 ms); learners cut short: {result.late}")
    if len(result.gaps) < args.questions - 1:
        print(f"  game: only {len(result.gaps) + 1} of {args.questions} questions came")
    deviation = max((abs(g - result.plan) for g in result.gaps), default=float("nan"))
    print(f"  game: question gaps {', '.join(f'{g:.1f}' for g in result.gaps)} s, plan {result.plan:.1f} s, "
          f"worst deviation {deviation:.1f} s (target <= 1 s)")


async def main(args: argparse.Namespace) -> None:
    print(f"attackers: {args.private} commands in a private chat, {args.group} in a group during a "
          f"{args.questions}-question game of {args.timer} s; {args.learners} learners meanwhile, one every "
          f"{args.arrival} s")
    report(await run("this checkout", args, None), args)
    if args.against:
        report(await run(f"the bot at {args.against}", args, str(Path(args.against).resolve())), args)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--private", type=int, default=400, help="commands the private attacker sends")
    parser.add_argument("--group", type=int, default=300, help="commands the group attacker sends")
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--timer", type=int, default=5, help="seconds per question")
    parser.add_argument("--arrival", type=float, default=0.3,
                        help="seconds between two learners' arrivals (all at once would measure Telegram's 30/s)")
    parser.add_argument("--patience", type=float, default=30.0, help="seconds a learner waits for a reply")
    parser.add_argument("--against", metavar="DIR", help="also run the bot of another checkout under the same load")
    asyncio.run(main(parser.parse_args()))
