"""The database schema: every migration goes up and down, and the models match the result."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

from bot.storage import make_engine, session_scope, upgrade_database
from bot.storage.migrate import alembic_config, downgrade_database
from bot.storage.models import Learner


def _revisions(database_url: str) -> list[str]:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_every_revision_upgrades_downgrades_and_upgrades_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'stairway.sqlite3'}"
    revisions = _revisions(url)
    assert revisions, "there must be at least one migration"
    for index, revision in enumerate(revisions):
        upgrade_database(url, revision)
        downgrade_database(url, revisions[index - 1] if index else "base")
        upgrade_database(url, revision)


def test_models_match_the_migrated_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'head.sqlite3'}"
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


def test_an_existing_database_keeps_its_learners_when_migrated_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade_database(url)
    engine = make_engine(url)
    now = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
    with session_scope(engine) as session:
        session.add(Learner(telegram_id=42, first_name="Zoé", created_at=now, last_seen_at=now))
    engine.dispose()

    upgrade_database(url)  # a restart applies migrations again: nothing is lost

    rows = sqlite3.connect(tmp_path / "old.sqlite3").execute("SELECT telegram_id, first_name FROM learner").fetchall()
    assert rows == [(42, "Zoé")]


def test_naive_datetimes_are_refused_rather_than_stored_ambiguously(tmp_path):
    url = f"sqlite:///{tmp_path / 'naive.sqlite3'}"
    upgrade_database(url)
    engine = make_engine(url)
    with pytest.raises(Exception), session_scope(engine) as session:  # noqa: B017 - any DB error
        session.add(Learner(telegram_id=1, created_at=datetime(2026, 1, 1), last_seen_at=datetime(2026, 1, 1)))
    engine.dispose()
