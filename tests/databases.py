"""The databases a test can run on: its own SQLite file, or its own database on a real PostgreSQL server.

PostgreSQL comes from TEST_POSTGRES_URL (`.ci/start_postgres` starts one and prints it). Without it the
PostgreSQL variants are skipped here, and fail in CI (CI=true): tests that need a service run in CI.

A test's database is migrated already: each test process runs the Alembic chain once per kind, into a
template (a SQLite file, a PostgreSQL `CREATE DATABASE … TEMPLATE`), and copies it. The migration tests
themselves ask for an empty database (`fresh_database(..., migrated=False)`).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.storage import upgrade_database

KINDS = ("sqlite", "postgresql")


def require_postgres() -> str:
    """The PostgreSQL server's URL; skipped locally without one, a failure in CI."""
    url = os.environ.get("TEST_POSTGRES_URL", "")
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but TEST_POSTGRES_URL is not set: the PostgreSQL tests must run in CI (.ci/run)")
    pytest.skip("no TEST_POSTGRES_URL (start one with `.ci/start_postgres`; these tests always run in CI)")


class Templates:
    """This process's migrated templates, made on first use and removed by `close()`."""

    def __init__(self) -> None:
        self._sqlite: Path | None = None
        self._postgres: str | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None

    def sqlite(self) -> Path:
        if self._sqlite is None:
            self._folder = tempfile.TemporaryDirectory(prefix="tutorbot-template-")
            path = Path(self._folder.name) / "template.sqlite3"
            upgrade_database(f"sqlite:///{path}")
            with sqlite3.connect(path) as connection:  # everything in the main file, nothing left in the WAL
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._sqlite = path
        return self._sqlite

    def postgres(self, server: str) -> str:
        if self._postgres is None:
            name = f"tpl_{uuid.uuid4().hex[:16]}"
            _admin(server, f'CREATE DATABASE "{name}"')
            upgrade_database(make_url(server).set(database=name).render_as_string(hide_password=False))
            self._postgres = name
        return self._postgres

    def close(self) -> None:
        if self._postgres is not None:
            _admin(require_postgres(), f'DROP DATABASE IF EXISTS "{self._postgres}" WITH (FORCE)')
            self._postgres = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder, self._sqlite = None, None


TEMPLATES = Templates()


def _admin(server: str, statement: str) -> None:
    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(statement))
    finally:
        admin.dispose()


@contextmanager
def fresh_database(kind: str, tmp_path: Path, *, migrated: bool = False) -> Iterator[str]:
    """The URL of a database of `kind` of this test's own, dropped afterwards (PostgreSQL) or left in
    tmp_path (SQLite): empty, or `migrated` to the head revision (a copy of this process's template)."""
    if kind == "sqlite":
        path = tmp_path / "bot.sqlite3"
        if migrated:
            shutil.copyfile(TEMPLATES.sqlite(), path)
        yield f"sqlite:///{path}"
        return
    server = require_postgres()
    name = f"t_{uuid.uuid4().hex[:16]}"
    template = f' TEMPLATE "{TEMPLATES.postgres(server)}"' if migrated else ""
    _admin(server, f'CREATE DATABASE "{name}"{template}')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
