"""This database's token (`Installation`), made the first time it is asked for."""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from bot.storage.models import Installation

__all__ = ["installation_token"]


def installation_token(*, session: Session) -> str:
    """The token of this database: lowercase hex, the same for as long as the database lives."""
    token = session.exec(select(Installation.token).order_by(col(Installation.id)).limit(1)).first()
    if token is None:
        token = secrets.token_hex(6)
        session.add(Installation(token=token))
        session.flush()
    return token
