"""Search every table of the models for what refers to one learner: the services and end-to-end stories of
`/forget` and of the retention purge check that nothing is left (a table added later is searched too)."""

from __future__ import annotations

from sqlalchemy import BigInteger, select
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from bot.services.learner_rows import learner_columns

__all__ = ["traces"]


def traces(engine: Engine, *, learner_id: int, telegram_id: int, markers: tuple[str, ...]) -> dict[str, int]:
    """How many rows of each table refer to the learner: their learner id (in a column that refers to learners),
    their Telegram id (in any BigInteger column), or one of `markers` (their name, texts only they wrote) in any
    text. Tables with no such row are left out."""
    found: dict[str, int] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            by_id = set(learner_columns(table)) | ({"id"} if table.name == "learner" else set())
            telegram = {column.name for column in table.columns if isinstance(column.type, BigInteger)}
            count = 0
            for row in connection.execute(select(table)).mappings():
                count += any(row[name] == learner_id for name in by_id) \
                    or any(row[name] == telegram_id for name in telegram) \
                    or any(isinstance(value, str) and marker in value for value in row.values() for marker in markers)
            if count:
                found[table.name] = count
    return found
