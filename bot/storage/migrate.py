"""Apply Alembic migrations from code: at start-up and for `tutorbot db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

__all__ = ["SchemaNotCurrent", "alembic_config", "downgrade_database", "require_current_schema", "upgrade_database"]

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at this project's migrations and the given database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    config.attributes["database_url"] = database_url
    return config


def upgrade_database(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`; an older file is migrated, never recreated."""
    command.upgrade(alembic_config(database_url), revision)


class SchemaNotCurrent(Exception):
    """The database is not at the migrations' head (MIGRATE_ON_START=false: `tutorbot db upgrade` first)."""

    def __init__(self, current: str | None, head: str | None) -> None:
        super().__init__(f"the database is at revision {current or 'none (empty)'}, the code needs {head}: "
                         "run `tutorbot db upgrade` once, then start the bot")
        self.current, self.head = current, head


def require_current_schema(database_url: str) -> None:
    """Check, without changing anything, that the database is at the head revision; SchemaNotCurrent otherwise."""
    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    if current != head:
        raise SchemaNotCurrent(current, head)


def downgrade_database(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
