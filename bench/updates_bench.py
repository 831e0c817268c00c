"""Drive N simulated learners through /start, a lesson, /quiz and a quiz answer against the local Bot API.

The bot runs as its own process (`python -m bot run`, as in production) and talks HTTP to the
local Bot API server held by this script, which also plays the learners. Prints updates handled
per second, reply latency p50/p99, the bot process's CPU time per update and its memory.
Telegram's flood limits and the bot's client-side rate limiter are off: this measures the bot,
not Telegram's 30 messages/s cap.

    .venv/bin/python bench/updates_bench.py --learners 1000 --concurrency 10 --ceiling
    .venv/bin/python bench/updates_bench.py --learners 500 --concurrency 50 --profile
    .venv/bin/python bench/updates_bench.py --learners 500 --concurrency 10 --ceiling --rounds 5
    .venv/bin/python bench/updates_bench.py --learners 500 --concurrency 10 --against /tmp/old --rounds 4

--ceiling also runs a bare python-telegram-bot bot (bench/echo_bot.py, its own process, a fresh
local API, the same load) and prints the bot's figures as a share of it; --rounds N does that N times,
alternating which runs first, and prints the median share (the machine's other work drifts).
--ceiling-transport aiohttp gives the bare bot the tutor bot's own transport (bot/telegram_http.py) instead of
PTB's default httpx: both sides then pay the same HTTP client, and the gap is the bot's own work.
--against DIR compares with the bot of another checkout the same way (before/after a change). --profile runs the bot
once more under cProfile (every thread: bench/profiled_bot.py) and prints where its time goes, then
the bare PTB bot under cProfile too, and the bot's own time per update beside it (event loop and
database thread apart): where the cost beyond bare PTB goes.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_load import Figures, run_load  # noqa: E402
from bench.bench_profile import print_profile, print_versus  # noqa: E402

CONTENT = ROOT / "tests" / "fixtures" / "content"
ECHO_BOT = ROOT / "bench" / "echo_bot.py"
PROFILED_BOT = ROOT / "bench" / "profiled_bot.py"


def bot_env(database_url: str | None, tmp: str) -> dict[str, str]:
    return {"CONTENT_DIR": str(CONTENT), "DATABASE_URL": database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "LOG_LEVEL": "WARNING", "RATE_LIMIT": "false", "LAB_ENABLED": "false"}


def report(figures: Figures) -> None:
    print(f"{figures.label}: {figures.throughput:.0f} updates/s, latency p50 {figures.p50 * 1000:.0f} ms, "
          f"p99 {figures.p99 * 1000:.0f} ms, CPU {figures.cpu_ms_per_update:.2f} ms/update "
          f"({figures.loop_cpu_ms_per_update:.2f} on the event loop), "
          f"RSS {figures.rss_before:.0f} -> {figures.rss_after:.0f} MiB")
    per_update = ", ".join(f"{method} {count / figures.updates:.2f}" for method, count in figures.calls)
    print(f"  Bot API calls per update: {per_update}; the bench itself (local API, learners): "
          f"{figures.driver_cpu_ms_per_update:.2f} ms CPU/update")


def compare(bot: Figures, bare: Figures) -> tuple[float, float, float]:
    """The bot as a share of the ceiling: throughput, p99 and CPU per update ratios."""
    return bot.throughput / bare.throughput, bot.p99 / bare.p99, bot.cpu_ms_per_update / bare.cpu_ms_per_update


async def run_bot(args: argparse.Namespace) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        return await run_load("tutor bot", [sys.executable, "-m", "bot", "run"], bot_env(args.database_url, tmp),
                              cwd=tmp, learners=args.learners, concurrency=args.concurrency)


def bare_env(args: argparse.Namespace) -> dict[str, str]:
    return {"ECHO_POOL_SIZE": str(args.ceiling_pool), "ECHO_TRANSPORT": args.ceiling_transport}


async def run_bare(args: argparse.Namespace) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        return await run_load(f"bare PTB ({args.ceiling_transport}, pool {args.ceiling_pool})",
                              [sys.executable, str(ECHO_BOT)], bare_env(args),
                              cwd=tmp, learners=args.learners, concurrency=args.concurrency)


async def run_against(args: argparse.Namespace) -> Figures:
    """The bot of another checkout (its `bot/` package first on the path), under the same load."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**bot_env(args.database_url, tmp), "PYTHONPATH": str(Path(args.against).resolve())}
        return await run_load(f"tutor bot at {args.against}", [sys.executable, "-m", "bot", "run"], env,
                              cwd=tmp, learners=args.learners, concurrency=args.concurrency)


def _start_profiling(pid: int) -> None:
    """bench/profiled_bot.py profiles its main thread from SIGUSR1 on: start-up stays out of the profile."""
    os.kill(pid, signal.SIGUSR1)


async def main(args: argparse.Namespace) -> None:
    print(f"learners: {args.learners}, concurrency: {args.concurrency}, updates: {4 * args.learners}")
    if not args.ceiling and not args.against:
        report(await run_bot(args))
        if not args.profile:
            print("(targets: >= 200 updates/s, p99 < 250 ms)")
    other, name = (run_against, f"the bot at {args.against}") if args.against else (run_bare, "the bare-PTB ceiling")
    ratios = []
    for round_ in range(args.rounds if args.ceiling or args.against else 0):
        # Other work on the machine drifts: alternate which one runs first, and compare within a round.
        if round_ % 2 == 0:
            bot, base = await run_bot(args), await other(args)
        else:
            base, bot = await other(args), await run_bot(args)
        if args.rounds > 1:
            print(f"round {round_ + 1} of {args.rounds}")
        report(bot)
        report(base)
        ratios.append(compare(bot, base))
        throughput, p99, cpu = ratios[-1]
        print(f"of {name}: {throughput:.0%} throughput, p99 {p99:.1f}x, CPU per update {cpu:.1f}x")
    if len(ratios) > 1:
        throughput, p99, cpu = (statistics.median(r[i] for r in ratios) for i in range(3))
        target = "" if args.against else " (target: >= 80%, p99 <= 1.5x)"
        print(f"median of {len(ratios)} rounds, of {name}: {throughput:.0%} throughput, "
              f"p99 {p99:.1f}x, CPU per update {cpu:.1f}x{target}")
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            stats = os.path.join(tmp, "bot.pstats")
            command = [sys.executable, str(PROFILED_BOT), stats]
            profiled = await run_load("tutor bot under cProfile", command, bot_env(args.database_url, tmp),
                                      cwd=tmp, learners=args.learners, concurrency=args.concurrency,
                                      measuring=_start_profiling)
            report(profiled)
            print_profile(stats, top=args.top)
            bare_stats = os.path.join(tmp, "bare.pstats")
            bare = await run_load("bare PTB under cProfile", [sys.executable, str(PROFILED_BOT), bare_stats,
                                                             str(ECHO_BOT)], bare_env(args), cwd=tmp, learners=args.learners,
                                  concurrency=args.concurrency, measuring=_start_profiling)
            report(bare)
            print_versus(stats, profiled.updates, bare_stats, bare.updates, top=args.top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=10, help="learners in flight at once")
    parser.add_argument("--ceiling", action="store_true", help="also run a bare PTB bot and compare")
    parser.add_argument("--rounds", type=int, default=1,
                        help="with --ceiling or --against: both this many times, alternating, and the median share")
    parser.add_argument("--against", metavar="DIR",
                        help="compare with the bot of another checkout (e.g. `git worktree add /tmp/old <commit>`) "
                             "instead of the bare-PTB ceiling")
    parser.add_argument("--ceiling-pool", type=int, default=8,
                        help="HTTP connections of the bare bot (8 as the bot; PTB's default is 256)")
    parser.add_argument("--ceiling-transport", choices=("httpx", "aiohttp"), default="httpx",
                        help="the bare bot's HTTP transport: PTB's default (httpx), or the bot's own (aiohttp, "
                             "bot/telegram_http.py): the floor PTB itself allows on the bot's transport")
    parser.add_argument("--profile", action="store_true", help="also run the bot under cProfile and print it")
    parser.add_argument("--top", type=int, default=20, help="entries of the profile to print")
    parser.add_argument("--database-url", help="the bot's DATABASE_URL (default: a fresh SQLite file)")
    asyncio.run(main(parser.parse_args()))
