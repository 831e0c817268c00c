"""Where a learner's data lives: every table, read from the models (a new table is covered without a change here).

A row is about a learner when a column that refers to `learner.id` holds their id, or a Telegram-id column
(BigInteger: user ids, private chat ids) holds their Telegram id. Group chat ids are negative, user ids
positive: a group's own rows never match. `/mydata` exports these rows; `/forget` erases them
(bot/services/erasure.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import BigInteger, ColumnElement, Table, false, or_
from sqlmodel import SQLModel

__all__ = ["learner_columns", "tables_about", "telegram_id_columns"]


def learner_columns(table: Table) -> list[str]:
    """Columns of `table` that refer to a learner's id (foreign keys to learner.id)."""
    return [column.name for column in table.columns
            if any(key.column.table.name == "learner" for key in column.foreign_keys)]


def telegram_id_columns(table: Table) -> list[str]:
    """Columns of `table` that hold Telegram ids (users, their private chats, groups)."""
    return [column.name for column in table.columns if isinstance(column.type, BigInteger)]


def tables_about(*, learner_id: int, telegram_id: int) -> Iterator[tuple[Table, ColumnElement[bool]]]:
    """Each table with a condition selecting its rows about the learner (tables in dependency order)."""
    for table in SQLModel.metadata.sorted_tables:
        conditions = [table.c[name] == learner_id for name in learner_columns(table)]
        conditions += [table.c[name] == telegram_id for name in telegram_id_columns(table)]
        if table.name == "learner":
            conditions.append(table.c.id == learner_id)
        yield table, (or_(*conditions) if conditions else false())
