"""The `tutorbot` command as an operator meets it: clear one-line errors, checks with file and line."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"


def tutorbot(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    merged = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DEFAULT_TIMEZONE")}
    merged.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, env=merged,
                          cwd=cwd, timeout=60)


def test_a_wrong_setting_is_reported_in_one_line_naming_the_variable(tmp_path):
    result = tutorbot("db", "upgrade", env={"DEFAULT_TIMEZONE": "Mars/Olympus"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "configuration error: DEFAULT_TIMEZONE: unknown time zone 'Mars/Olympus' (try Europe/Paris)"
    ]


def test_a_malformed_token_is_refused_before_anything_starts(tmp_path):
    result = tutorbot("run", env={"BOT_TOKEN": "not-a-token"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr and "Traceback" not in result.stderr


def test_a_webhook_without_a_secret_is_refused_before_anything_starts(tmp_path):
    result = tutorbot("run", env={"TELEGRAM_WEBHOOK_URL": "https://bot.example.org/telegram"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("configuration error: TELEGRAM_WEBHOOK_SECRET is required"), result.stderr


def test_db_upgrade_creates_the_sqlite_file(tmp_path):
    result = tutorbot("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x' / 'bot.sqlite3'}"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x" / "bot.sqlite3").exists()


def test_with_migrations_left_to_the_operator_the_bot_refuses_an_old_schema_and_changes_nothing(tmp_path):
    from bot.storage import require_current_schema

    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    env = {"DATABASE_URL": url, "MIGRATE_ON_START": "false", "LAB_ENABLED": "false", "CONTENT_DIR": str(FIXTURE_CONTENT)}
    refused = tutorbot("run", env=env, cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "tutorbot db upgrade" in refused.stderr and "Traceback" not in refused.stderr
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone() == (0,)
    upgraded = tutorbot("db", "upgrade", env={"DATABASE_URL": url})
    assert upgraded.returncode == 0, upgraded.stderr
    require_current_schema(url)  # what `run` checks now passes: the bot would start


def test_content_check_accepts_a_valid_course():
    result = tutorbot("content", "check", str(FIXTURE_CONTENT))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_content_check_names_the_file_and_line_of_each_problem(tmp_path):
    course = tmp_path / "content" / "broken"
    (course / "lessons").mkdir(parents=True)
    (course / "course.yaml").write_text(
        "id: broken\ntitle: Cassé\nlanguage: fr\ndescription: x\nmodules:\n"
        "  - id: m1\n    title: M\n    summary: s\n    lessons: [absente]\n",
        encoding="utf-8",
    )
    result = tutorbot("content", "check", str(tmp_path / "content"))
    assert result.returncode == 1
    assert "course.yaml:9" in result.stderr and "absente" in result.stderr
