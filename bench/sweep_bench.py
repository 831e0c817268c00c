"""The daily due sweep reads only the learners who are due (a stored, indexed next-due time).

Fills a SQLite database with N learners whose daily times are spread over the day, then times
one sweep at a moment when the learners of one 20-second sweep interval are due, and the plain
"who is due?" index query alone. Run for 10,000 and 100,000 learners: the time follows the number
due, not the number of learners.

    .venv/bin/python bench/sweep_bench.py --learners 10000 100000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from bot.content import load_catalog  # noqa: E402
from bot.services.delivery import sweep_due  # noqa: E402
from bot.storage import make_engine, session_scope, upgrade_database  # noqa: E402
from bot.storage.models import DailySchedule, Learner  # noqa: E402

CONTENT = ROOT / "tests" / "fixtures" / "content"
DAY = datetime(2026, 3, 2, tzinfo=UTC)
SWEEP_EVERY = 20  # seconds, the default DELIVERY_SWEEP_SECONDS


def populate(url: str, learners: int) -> None:
    upgrade_database(url)
    engine = make_engine(url)
    created = DAY - timedelta(days=7)
    with session_scope(engine) as session:
        for start in range(0, learners, 20_000):
            count = min(20_000, learners - start)
            session.execute(insert(Learner), [{
                "telegram_id": 1_000_000 + start + i, "first_name": "L", "language": "fr", "timezone": "UTC",
                "daily_time": (datetime.min + timedelta(seconds=(start + i) * 86_400 // learners)).time(),
                "paused": False, "blocked": False, "terminal_mode": False, "active_course": "mini",
                "created_at": created, "last_seen_at": created} for i in range(count)])
        ids = session.execute(select(Learner.id, Learner.daily_time)).all()
        session.execute(insert(DailySchedule), [
            {"learner_id": learner_id, "next_due_at": datetime.combine(DAY.date(), at, tzinfo=UTC)}
            for learner_id, at in ids])
    engine.dispose()


def measure(learners: int) -> None:
    catalog = load_catalog(CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/sweep.sqlite3"
        populate(url, learners)
        engine = make_engine(url)
        noon = DAY + timedelta(hours=12)
        with session_scope(engine) as session:  # catch up to 11:59:40 so that one interval is due at noon
            while sweep_due(session=session, catalog=catalog, now=noon - timedelta(seconds=SWEEP_EVERY)).examined:
                pass
        with engine.connect() as connection:
            started = time.perf_counter()
            due = connection.execute(select(func.count()).select_from(DailySchedule)
                                     .where(DailySchedule.next_due_at <= noon)).scalar_one()
            query_ms = 1000 * (time.perf_counter() - started)
        with session_scope(engine) as session:
            started = time.perf_counter()
            result = sweep_due(session=session, catalog=catalog, now=noon)
            sweep_ms = 1000 * (time.perf_counter() - started)
        engine.dispose()
    print(f"{learners:>7} learners: {due} due in a {SWEEP_EVERY} s interval; due query {query_ms:.1f} ms, "
          f"sweep (read, plan, enqueue {len(result.keys)} bundles, reschedule) {sweep_ms:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, nargs="+", default=[10_000, 100_000])
    for count in parser.parse_args().learners:
        measure(count)
