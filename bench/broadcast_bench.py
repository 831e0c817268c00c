"""An announcement to a class of N learners through the local Bot API with Telegram's limits on.

The bot runs as its own process (`python -m bot run`, client-side pacing on) against the local
Bot API held by this script (flood control on: 30 messages/s overall, ~1/s per chat, 429 with
retry_after beyond). The instructor sends /announce and presses Send, as in the chat; meanwhile a
few learners keep talking to the bot (/progress) and the script times their replies.

Prints: the broadcast's duration against its floor (N / 30 s), and against the floor left by the
replies sent meanwhile (they share Telegram's 30/s), 429 answers (all must be handled: 0 rows failed),
and the talking learners' reply latency p50/p99.

    .venv/bin/python bench/broadcast_bench.py --learners 3000 --talkers 5 --every 3
    .venv/bin/python bench/broadcast_bench.py --learners 10000          # the issue's full size (~6 min)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bot.content import load_catalog  # noqa: E402
from bot.local_api import LocalBotApi  # noqa: E402
from bot.services import classes  # noqa: E402
from bot.storage import make_engine, session_scope, upgrade_database  # noqa: E402
from bot.storage.models import ClassMember, DailySchedule, Learner, OutboxMessage  # noqa: E402

CONTENT = ROOT / "tests" / "fixtures" / "content"
TOKEN = "123456789:TEST-token-for-the-local-bot-api-000"
TEACHER = 42
FIRST_LEARNER = 100_000
TEXT = "Rappel : le TP de jeudi commence à 9 h, apportez vos questions !"


def populate(database_url: str, learners: int) -> None:
    """N learners in one class owned by TEACHER (written straight to the database: joining is not measured)."""
    upgrade_database(database_url)
    engine = make_engine(database_url)
    now = datetime.now(UTC)
    catalog = load_catalog(CONTENT)
    with session_scope(engine) as session:
        rows = [{"telegram_id": FIRST_LEARNER + i, "first_name": f"L{i}", "language": "fr", "timezone": "Europe/Paris",
                 "daily_time": datetime(2026, 1, 1, 9).time(), "paused": True, "blocked": False,
                 "terminal_mode": False, "active_course": "mini", "created_at": now, "last_seen_at": now}
                for i in range(learners)]
        session.execute(insert(Learner), rows)
        info = classes.create_class(session=session, catalog=catalog, name="Bench", creator=TEACHER,
                                    first_instructors={TEACHER}, now=now)
        ids = session.execute(select(Learner.id)).scalars().all()
        session.execute(insert(ClassMember), [{"class_id": info.id, "learner_id": i, "joined_at": now} for i in ids])
        session.execute(insert(DailySchedule), [{"learner_id": i, "next_due_at": datetime(2099, 1, 1, tzinfo=UTC)}
                                                for i in ids])
    engine.dispose()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        populate(url, args.learners)
        api = LocalBotApi(TOKEN, flood_control=True)
        await api.start()
        for i in range(args.learners):
            api.user(FIRST_LEARNER + i, first_name=f"L{i}")
        env = {**os.environ, "BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": api.url, "DATABASE_URL": url,
               "CONTENT_DIR": str(CONTENT), "LOG_LEVEL": "WARNING", "RATE_LIMIT": "true", "LAB_ENABLED": "false",
               "INSTRUCTOR_IDS": str(TEACHER), "DELIVERY_SWEEP_SECONDS": "3600", "CLASS_SWEEP_SECONDS": "3600"}
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", env=env, cwd=tmp)
        try:
            await run(api, args, url)
        finally:
            bot.terminate()
            await bot.wait()
            await api.stop()


async def run(api: LocalBotApi, args: argparse.Namespace, url: str) -> None:
    teacher = api.user(TEACHER, first_name="Prof")
    sent = await teacher.send("/help")
    await api.wait_for_message(TEACHER, after=sent, timeout=60)  # the bot is up
    sent = await teacher.send(f"/announce {TEXT}")
    control = await api.wait_for_message(TEACHER, after=sent, predicate=lambda m: bool(m.buttons), timeout=30)
    log_start = len(api.requests_log)
    started = time.perf_counter()
    await teacher.press(control, "📣 Envoyer")

    done = asyncio.Event()
    latencies: list[float] = []

    async def talker(user_id: int) -> None:
        user = api.user(user_id)
        while not done.is_set():
            t0 = time.perf_counter()
            sent = await user.send("/progress")
            await api.wait_for_message(user_id, after=sent, predicate=lambda m: "progression" in (m.text or ""),
                                       timeout=60)
            latencies.append(time.perf_counter() - t0)
            await asyncio.sleep(args.every)

    talkers = [asyncio.create_task(talker(FIRST_LEARNER + i)) for i in range(args.talkers)]
    reached: set[int] = set()
    seen = log_start
    while len(reached) < args.learners:  # read the Bot API's request log as it grows (cheap)
        log = api.requests_log
        for method, params, error in log[seen:]:
            if method == "sendMessage" and error is None and TEXT in str(params.get("text", "")):
                reached.add(int(params["chat_id"]))
        seen = len(log)
        await asyncio.sleep(0.2)
    elapsed = time.perf_counter() - started
    done.set()
    await asyncio.gather(*talkers, return_exceptions=True)

    flooded = [params for _, params, error in api.requests_log[log_start:] if error and error.startswith("Too Many")]
    too_many = len(flooded)
    to_talkers = sum(1 for params in flooded if TEXT not in str(params.get("text", "")))
    replies = sum(1 for method, params, error in api.requests_log[log_start:]
                  if method == "sendMessage" and error is None and TEXT not in str(params.get("text", "")))
    engine = make_engine(url)
    with engine.connect() as connection:
        failed = connection.execute(select(OutboxMessage.id).where(OutboxMessage.status != "sent")).all()
    engine.dispose()
    floor = args.learners / 30
    lat = sorted(latencies)
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("nan")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"broadcast to {args.learners} learners: {elapsed:.1f} s; floor at 30 messages/s {floor:.1f} s "
          f"({100 * (elapsed / floor - 1):+.1f} %)")
    share = replies / elapsed
    print(f"  the bot's other messages meanwhile (the replies): {replies}, {share:.1f}/s of the 30/s; floor of the "
          f"broadcast in what they leave {args.learners / (30 - share):.1f} s ({100 * (elapsed * (30 - share) / args.learners - 1):+.1f} %)")
    print(f"  429 answers: {too_many} ({to_talkers} on replies); rows not sent: {len(failed)} "
          f"(a 429 not handled would leave a row unsent or a reply missing)")
    print(f"  {args.talkers} learners talking every {args.every} s: {len(lat)} replies, "
          f"p50 {1000 * statistics.median(lat):.0f} ms, p99 {1000 * p99:.0f} ms" if lat else "  no replies timed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=3000)
    parser.add_argument("--talkers", type=int, default=5)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between a talker's messages")
    asyncio.run(main(parser.parse_args()))
