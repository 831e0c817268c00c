"""Figures for issue 10's features, printed, never asserted.

- quiz quality of the shipped course (the same figures as `tutorbot content stats`);
- one certificate PNG: render time and size (it runs off the event loop, in a thread);
- the spaced-review queries on a real SQLite file: recording an answer, and /progress's
  review_stats for a learner who has answered every question of the course.

    .venv/bin/python bench/course_bench.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from bot.content import load_catalog  # noqa: E402
from bot.content.quiz_checks import quiz_figures  # noqa: E402
from bot.services import review  # noqa: E402
from bot.storage import make_engine, upgrade_database  # noqa: E402
from bot.storage.models import Learner  # noqa: E402
from bot.views.certificate import certificate_png  # noqa: E402


def timed(work, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    course = load_catalog(ROOT / "content").courses["docker-fr"]
    print("quizzes (docker-fr):")
    for line in quiz_figures(course.questions_in_order()).lines():
        print(f"  {line}")

    issued = datetime(2026, 6, 1, tzinfo=UTC)
    png = b""

    def render() -> None:
        nonlocal png
        png = certificate_png(lang="fr", name="Léa Dupont", course=course.title, score=18, total=20,
                              issued=issued, code="ABCDEFGH23")

    times = timed(render, 10)
    print(f"certificate PNG: {statistics.median(times):.0f} ms median over 10, {len(png) / 1024:.0f} KiB")

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        upgrade_database(url)
        engine = make_engine(url)
        with Session(engine) as session:
            learner = Learner(telegram_id=1, first_name="Bench", created_at=datetime(2026, 3, 1, tzinfo=UTC),
                              last_seen_at=datetime(2026, 3, 1, tzinfo=UTC))
            session.add(learner)
            session.commit()
            session.refresh(learner)
            questions = course.questions_in_order()
            now = datetime(2026, 3, 2, tzinfo=UTC)

            def answer_all() -> None:
                for i, question in enumerate(questions):
                    review.record_review(session=session, learner_id=learner.id, course_id=course.id,
                                         question_id=question.id, correct=i % 3 != 0, now=now)
                session.commit()

            per_answer = [t / len(questions) for t in timed(answer_all, 3)]
            stats_times = timed(lambda: review.review_stats(session=session, course=course, learner=learner,
                                                            now=now + timedelta(days=3)), 20)
            stats = review.review_stats(session=session, course=course, learner=learner, now=now + timedelta(days=3))
        engine.dispose()
    print(f"review: {statistics.median(per_answer):.2f} ms per recorded answer (median of 3 passes over "
          f"{len(questions)} questions)")
    print(f"review_stats over {stats.cards} cards: {statistics.median(stats_times):.1f} ms median over 20; "
          f"{stats.due} due 3 days later (each card answered 3 times the same day), "
          f"estimated retention {stats.retention:.0%}")


if __name__ == "__main__":
    main()
