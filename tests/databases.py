"""The databases a test can run on: its own SQLite file, or its own database on a real PostgreSQL server.

PostgreSQL comes from TEST_POSTGRES_URL (`.ci/start_postgres` starts one and prints it). Without it the
PostgreSQL variants are skipped here, and fail in CI (CI=true): tests that need a service run in CI.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

KINDS = ("sqlite", "postgresql")


def require_postgres() -> str:
    """The PostgreSQL server's URL; skipped locally without one, a failure in CI."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI (.ci/run)")
    pytest.skip("no TEST_POSTGRES_URL (start one with `.ci/start_postgres`; these tests always run in CI)")


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of `kind`, dropped afterwards (PostgreSQL) or left in tmp_path (SQLite)."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    server = make_url(require_postgres())
    name = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
