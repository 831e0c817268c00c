"""/class stats for a class of 300 learners with 100 days of history: table, chart and CSV.

With `--games N` (default 100) the class also has a linked group where every member played N quiz games
(300 x 100 = 30,000 results), which the statistics add up per member.

Fills a SQLite database (the repository's course, a 100-day calendar, each learner's lessons,
quiz answers and exercises spread over those days), then times what `/class stats` computes:
the statistics, the matplotlib chart (Agg) and the CSV.

    .venv/bin/python bench/stats_bench.py --learners 300 --days 100 --games 100
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from bot.content import load_catalog  # noqa: E402
from bot.services import class_stats, classes  # noqa: E402
from bot.storage import make_engine, session_scope, upgrade_database  # noqa: E402
from bot.storage.competition_models import GameResult, QuizGame  # noqa: E402
from bot.storage.models import (  # noqa: E402
    ClassGroup,
    ClassMember,
    Classroom,
    ExerciseCompletion,
    Learner,
    LessonCompletion,
    PlanEntry,
    QuizAnswer,
)
from bot.views.classes import chart_labels  # noqa: E402

CONTENT = ROOT / "content"


def populate(url: str, learners: int, days: int, games: int) -> tuple[int, datetime]:
    upgrade_database(url)
    engine = make_engine(url)
    catalog = load_catalog(CONTENT)
    course = next(iter(catalog.courses.values()))
    lessons = course.lessons_in_order()
    questions = course.questions_in_order()
    exercises = [e for module in course.modules for e in module.exercises]
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    now = start + timedelta(days=days)
    rng = random.Random(7)
    with session_scope(engine) as session:
        info = classes.create_class(session=session, catalog=catalog, name="Bootcamp", creator=1,
                                    first_instructors={1}, now=start, course_id=course.id)
        session.execute(insert(Learner), [{
            "telegram_id": 500_000 + i, "first_name": f"Élève {i}", "language": "fr", "timezone": "Europe/Paris",
            "daily_time": start.time(), "paused": False, "blocked": False, "terminal_mode": False,
            "active_course": course.id, "created_at": start, "last_seen_at": now} for i in range(learners)])
        ids = session.execute(select(Learner.id)).scalars().all()
        session.execute(insert(ClassMember), [{"class_id": info.id, "learner_id": i, "joined_at": start} for i in ids])
        session.execute(insert(PlanEntry), [{
            "class_id": info.id, "on_date": (start + timedelta(days=d)).date(), "lesson_id": lessons[d % len(lessons)].id,
            "due_at": start + timedelta(days=d), "sent_at": start + timedelta(days=d)} for d in range(days)])
        done, answers, exercised = [], [], []
        for learner_id in ids:
            pace = rng.uniform(0.5, 1.0)
            for index, lesson in enumerate(lessons[: int(len(lessons) * pace)]):
                done.append({"learner_id": learner_id, "course_id": course.id, "lesson_id": lesson.id,
                             "completed_at": start + timedelta(days=index * days / len(lessons), hours=2)})
            for day in range(days):
                for _ in range(2):
                    question = rng.choice(questions)
                    choice = rng.randrange(len(question.options))
                    answers.append({"learner_id": learner_id, "course_id": course.id, "question_id": question.id,
                                    "choice": choice, "correct": choice == question.answer,
                                    "answered_at": start + timedelta(days=day, hours=rng.uniform(1, 12))})
            for exercise in exercises[: int(len(exercises) * pace)]:
                exercised.append({"learner_id": learner_id, "course_id": course.id, "exercise_id": exercise,
                                  "completed_at": start + timedelta(days=rng.uniform(0, days))})
        session.execute(insert(LessonCompletion), done)
        session.execute(insert(QuizAnswer), answers)
        session.execute(insert(ExerciseCompletion), exercised)
        session.add(ClassGroup(class_id=info.id, chat_id=-1001, title="Bootcamp", linked_by=1, linked_at=start))
        results = []
        for game in range(games):
            at = start + timedelta(days=game * days / max(games, 1), hours=6)
            row = QuizGame(chat_id=-1001, status="finished", course_id=course.id, question_count=10, timer_seconds=20,
                           started_by=1, created_at=at, finished_at=at)
            session.add(row)
            session.flush()
            order = rng.sample(range(learners), learners)
            results += [{"chat_id": -1001, "game_id": row.id, "telegram_id": 500_000 + i, "first_name": f"Élève {i}",
                         "points": 5000 - rank * 10, "correct": 5, "rank": rank + 1, "season_number": 1,
                         "finished_at": at} for rank, i in enumerate(order)]
        if results:
            session.execute(insert(GameResult), results)
    engine.dispose()
    print(f"{learners} learners, {days} days: {len(done)} lessons done, {len(answers)} quiz answers, "
          f"{len(exercised)} exercises, {games} group games ({len(results)} results)")
    return info.id, now


def main(args: argparse.Namespace) -> None:
    catalog = load_catalog(CONTENT)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/stats.sqlite3"
        class_id, now = populate(url, args.learners, args.days, args.games)
        engine = make_engine(url)
        class_stats.render_chart  # noqa: B018 - imported; matplotlib itself is imported on first use, timed below
        for run in ("first", "second"):
            started = time.perf_counter()
            with session_scope(engine) as session:
                klass = session.get(Classroom, class_id)
                stats = class_stats.class_stats(session=session, catalog=catalog, klass=klass, now=now)
            computed = time.perf_counter()
            chart = class_stats.render_chart(stats, chart_labels("fr"))
            drawn = time.perf_counter()
            table = class_stats.render_csv(stats)
            ended = time.perf_counter()
            print(f"{run} run: total {1000 * (ended - started):.0f} ms (statistics {1000 * (computed - started):.0f} ms, "
                  f"chart {1000 * (drawn - computed):.0f} ms, {len(chart) // 1024} KiB PNG; "
                  f"CSV {1000 * (ended - drawn):.0f} ms, {len(table) // 1024} KiB)")
        engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=300)
    parser.add_argument("--days", type=int, default=100)
    parser.add_argument("--games", type=int, default=100)
    main(parser.parse_args())
