"""Each database has its own token, made once: the lab names learners' workspaces after it."""

from __future__ import annotations

from bot.services.installation import installation_token
from bot.storage import make_engine, session_scope, upgrade_database


def token_of(url: str) -> str:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return installation_token(session=session)
    finally:
        engine.dispose()


def test_a_database_keeps_its_token_and_another_database_has_another(database_url, tmp_path):
    upgrade_database(database_url)
    first = token_of(database_url)
    assert token_of(database_url) == first and first.isalnum() and first == first.lower()
    other = f"sqlite:///{tmp_path / 'other.sqlite3'}"
    upgrade_database(other)
    assert token_of(other) != first
