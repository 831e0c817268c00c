"""Who is due for the daily lesson, in their own time zone, exactly once per local day, read in O(due)."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from bot_harness import FIXTURE_CONTENT
from sqlmodel import select

from bot.content import load_catalog
from bot.services.delivery import is_due, next_due_at, sweep_due
from bot.services.learners import LearnerDefaults, touch_learner, update_learner
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.models import DailySchedule, Learner, OutboxMessage

SIGNED_UP = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)
DEFAULTS = LearnerDefaults(language="fr", timezone="Europe/Paris", daily_time=time(9, 0))


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(FIXTURE_CONTENT)


def add_learner(engine, telegram_id: int, *, zone: str, at: time, paused: bool = False) -> None:
    with session_scope(engine) as session:
        learner, _ = touch_learner(session=session, telegram_id=telegram_id, first_name="L", language_code="fr",
                                   defaults=DEFAULTS, now=SIGNED_UP)
        update_learner(session=session, learner=learner, timezone=zone, daily_time=at, paused=paused)
        learner.active_course = "mini"
        session.add(learner)


def sweep(engine, catalog, now):
    with session_scope(engine) as session:
        return sweep_due(session=session, catalog=catalog, now=now)


def test_a_learner_in_montreal_is_due_at_their_own_morning_not_paris_morning():
    learner = Learner(telegram_id=1, timezone="America/Montreal", daily_time=time(8, 0),
                      created_at=SIGNED_UP, last_seen_at=SIGNED_UP)
    assert is_due(learner, datetime(2026, 3, 2, 7, 30, tzinfo=UTC)) is None  # 02:30 in Montreal
    assert is_due(learner, datetime(2026, 3, 2, 13, 5, tzinfo=UTC)).isoformat() == "2026-03-02"  # 08:05


def test_a_learner_who_signed_up_after_their_daily_time_starts_tomorrow():
    learner = Learner(telegram_id=1, timezone="Europe/Paris", daily_time=time(9, 0),
                      created_at=datetime(2026, 3, 2, 15, 0, tzinfo=UTC), last_seen_at=SIGNED_UP)
    assert is_due(learner, datetime(2026, 3, 2, 16, 0, tzinfo=UTC)) is None
    assert is_due(learner, datetime(2026, 3, 3, 8, 1, tzinfo=UTC)) is not None  # 09:01 Paris


def test_the_next_due_time_follows_the_learners_zone_across_a_dst_change():
    learner = Learner(telegram_id=1, timezone="Europe/Paris", daily_time=time(9, 0),
                      created_at=SIGNED_UP, last_seen_at=SIGNED_UP)
    # Paris moves to summer time on 2026-03-29: 09:00 is 08:00 UTC before, 07:00 UTC after
    assert next_due_at(learner, datetime(2026, 3, 28, 8, 30, tzinfo=UTC)) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    assert next_due_at(learner, datetime(2026, 3, 27, 9, 0, tzinfo=UTC)) == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)


def test_each_learner_is_queued_once_per_local_day_even_across_sweeps(engine, catalog):
    add_learner(engine, 1, zone="Europe/Paris", at=time(9, 0))
    add_learner(engine, 2, zone="Asia/Tokyo", at=time(9, 0))
    add_learner(engine, 3, zone="Europe/Paris", at=time(9, 0), paused=True)
    morning_in_paris = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)  # 09:00:30 Paris, 17:00 Tokyo

    first = sweep(engine, catalog, morning_in_paris)
    second = sweep(engine, catalog, morning_in_paris.replace(minute=30))

    with session_scope(engine) as session:
        chats = sorted(row.chat_id for row in session.exec(select(OutboxMessage)))
    assert len(first.keys) == 2 and chats == [1, 2]
    assert second.keys == [] and second.examined == 0, "nobody is due again the same day: nothing is even read"


def test_a_sweep_reads_only_the_learners_who_are_due(engine, catalog):
    for telegram_id in range(10, 30):
        add_learner(engine, telegram_id, zone="UTC", at=time(9 + telegram_id % 5, 0))
    first = sweep(engine, catalog, datetime(2026, 3, 1, 8, 0, tzinfo=UTC))  # computes everyone's first time
    assert first.keys == [] and first.examined == 20
    nine = sweep(engine, catalog, datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    assert nine.examined == 4 and len(nine.keys) == 4, "only the four learners due at 09:00 are read"
    with session_scope(engine) as session:
        upcoming = session.exec(select(DailySchedule)).all()
    assert all(row.next_due_at > datetime(2026, 3, 1, 9, 0, tzinfo=UTC) for row in upcoming)


def test_changing_the_daily_time_moves_the_next_delivery(engine, catalog):
    add_learner(engine, 7, zone="UTC", at=time(9, 0))
    sweep(engine, catalog, datetime(2026, 3, 1, 23, 0, tzinfo=UTC))
    with session_scope(engine) as session:
        learner = session.exec(select(Learner).where(Learner.telegram_id == 7)).one()
        update_learner(session=session, learner=learner, daily_time=time(7, 0))
    assert sweep(engine, catalog, datetime(2026, 3, 2, 7, 1, tzinfo=UTC)).keys == ["bundle:1:2026-03-02"]
