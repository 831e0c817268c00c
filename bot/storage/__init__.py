"""Storage: SQLModel tables, the SQLite engine, migrations and small queries."""

from bot.storage.db import make_engine, session_scope
from bot.storage.migrate import SchemaNotCurrent, require_current_schema, upgrade_database

__all__ = ["SchemaNotCurrent", "make_engine", "require_current_schema", "session_scope", "upgrade_database"]
