"""Who is due for the daily lesson, in their own time zone, exactly once per local day."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot.services.delivery import claim_due_deliveries, finish_delivery, is_due
from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.models import Learner

SIGNED_UP = datetime(2026, 3, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def add_learner(engine, telegram_id: int, *, zone: str, at: time, paused: bool = False) -> None:
    with session_scope(engine) as session:
        session.add(Learner(telegram_id=telegram_id, first_name="L", timezone=zone, daily_time=at, paused=paused,
                            active_course="docker-fr", created_at=SIGNED_UP, last_seen_at=SIGNED_UP))


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


def test_each_learner_is_claimed_once_per_local_day_even_across_sweeps(engine):
    add_learner(engine, 1, zone="Europe/Paris", at=time(9, 0))
    add_learner(engine, 2, zone="Asia/Tokyo", at=time(9, 0))
    add_learner(engine, 3, zone="Europe/Paris", at=time(9, 0), paused=True)
    morning_in_paris = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)  # 09:00:30 Paris, 17:00 Tokyo

    with session_scope(engine) as session:
        first = claim_due_deliveries(session=session, now=morning_in_paris)
    with session_scope(engine) as session:
        for item in first:
            finish_delivery(session=session, delivery_id=item.delivery_id, status="sent", now=morning_in_paris)
    with session_scope(engine) as session:
        second = claim_due_deliveries(session=session, now=morning_in_paris.replace(minute=30))

    assert sorted(item.telegram_id for item in first) == [1, 2]
    assert second == []


def test_a_claim_left_unsent_by_a_crash_is_retried_after_the_grace_delay(engine):
    add_learner(engine, 7, zone="UTC", at=time(9, 0))
    nine = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        claimed = claim_due_deliveries(session=session, now=nine)
    assert [c.telegram_id for c in claimed] == [7]
    # the bot died before sending: nothing was marked sent
    with session_scope(engine) as session:
        assert claim_due_deliveries(session=session, now=nine.replace(minute=1)) == []
    with session_scope(engine) as session:
        retried = claim_due_deliveries(session=session, now=nine.replace(minute=5))
    assert [c.telegram_id for c in retried] == [7]
    assert retried[0].delivery_id == claimed[0].delivery_id
