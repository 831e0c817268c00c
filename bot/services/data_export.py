"""/mydata: everything stored about a learner, as one JSON document (the right of access, GDPR art. 15).

Every table is read (bot/services/learner_rows.py), so the export cannot miss a table added later.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select as select_rows
from sqlmodel import Session, select

from bot.services.learner_rows import tables_about
from bot.storage.models import Learner

__all__ = ["export_learner"]


def export_learner(*, session: Session, telegram_id: int, now: datetime) -> bytes:
    """The learner's rows, table by table, as indented UTF-8 JSON (b"" when nothing is stored about them)."""
    learner = session.exec(select(Learner).where(Learner.telegram_id == telegram_id)).first()
    if learner is None or learner.id is None:
        return b""
    tables: dict[str, list[dict[str, Any]]] = {}
    for table, about in tables_about(learner_id=learner.id, telegram_id=telegram_id):
        rows = session.connection().execute(select_rows(table).where(about)).mappings().all()
        if rows:
            tables[table.name] = [{key: _plain(value) for key, value in row.items()} for row in rows]
    document = {"exported_at": now.isoformat(), "telegram_id": telegram_id, "tables": tables}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _plain(value: object) -> object:
    """A column's value as JSON (datetimes as ISO 8601; the outbox's JSON payloads stay text)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
