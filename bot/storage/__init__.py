"""Storage: SQLModel tables, the SQLite engine, migrations and small queries."""

from bot.storage.db import make_engine, session_scope
from bot.storage.migrate import upgrade_database

__all__ = ["make_engine", "session_scope", "upgrade_database"]
