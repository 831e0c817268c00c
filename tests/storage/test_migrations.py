"""The database schema: every migration goes up and down, and the models match the result."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel, select

from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.migrate import alembic_config, downgrade_database
from bot.storage.models import Learner


def _revisions(database_url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_every_revision_upgrades_downgrades_and_upgrades_again(database_url):
    url = database_url
    revisions = _revisions(url)
    assert revisions, "there must be at least one migration"
    for index, revision in enumerate(revisions):
        upgrade_database(url, revision)
        downgrade_database(url, revisions[index - 1] if index else "base")
        upgrade_database(url, revision)


def test_every_revision_leaves_nothing_behind_when_downgraded_to_base(database_url):
    upgrade_database(database_url)
    downgrade_database(database_url, "base")
    engine = make_engine(database_url)
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
    engine.dispose()
    assert tables <= {"alembic_version"}


def test_models_match_the_migrated_schema(database_url):
    url = database_url
    upgrade_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []


def test_the_database_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    url = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    upgrade_database(url)
    engine = make_engine(url)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
    engine.dispose()


def test_an_existing_database_keeps_its_learners_when_migrated_again(database_url):
    url = database_url
    upgrade_database(url)
    engine = make_engine(url)
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(Learner(telegram_id=42, first_name="Zoé", created_at=now, last_seen_at=now))
    engine.dispose()

    upgrade_database(url)  # a restart applies migrations again: nothing is lost

    engine = make_engine(url)
    with session_scope(engine) as session:
        rows = session.exec(select(Learner.telegram_id, Learner.first_name, Learner.created_at)).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [(42, "Zoé", now)]


def test_a_telegram_id_beyond_32_bits_fits(database_url):
    upgrade_database(database_url)
    engine = make_engine(database_url)
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(Learner(telegram_id=7_000_000_000, created_at=now, last_seen_at=now))
    with session_scope(engine) as session:
        assert session.exec(select(Learner.telegram_id)).one() == 7_000_000_000
    engine.dispose()


def test_naive_datetimes_are_refused_rather_than_stored_ambiguously(database_url):
    url = database_url
    upgrade_database(url)
    engine = make_engine(url)
    with pytest.raises(Exception), session_scope(engine) as session:  # noqa: B017 - any DB error
        session.add(Learner(telegram_id=1, created_at=datetime(2026, 1, 1), last_seen_at=datetime(2026, 1, 1)))
    engine.dispose()
