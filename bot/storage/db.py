"""The engine: SQLite in WAL mode with a busy timeout, so concurrent handlers wait, not fail; or PostgreSQL.

`sqlite:///data/tutorbot.sqlite3` (the default) or `postgresql+psycopg://user:pass@host/db`: the same
models and the same Alembic migrations serve both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlmodel import Session, create_engine

__all__ = ["make_engine", "session_scope"]

BUSY_TIMEOUT_MS = 5000


def make_engine(database_url: str) -> Engine:
    """Create the engine, the SQLite file's folder, and the per-connection pragmas."""
    url = make_url(database_url)
    is_sqlite = url.get_backend_name() == "sqlite"
    if is_sqlite and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    if not is_sqlite:
        # a server may restart or drop idle connections: check a pooled one before handing it out
        return create_engine(database_url, pool_pre_ping=True)
    engine = create_engine(
        database_url, connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: DBAPIConnection, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
