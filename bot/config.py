"""One settings class, read from the environment (and an optional `.env`).

Defaults work on a laptop: a SQLite file under ./data, the course in ./content, and
local mode (the project's own Bot API server) when no token is set.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["Settings", "SettingsError", "load_settings"]

TELEGRAM_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")
_WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")  # Telegram allows 1-256 of these; we want 16+


class SettingsError(Exception):
    """A configuration value is wrong; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    bot_token: str | None = None
    telegram_api_url: str = TELEGRAM_API_URL
    database_url: str = "sqlite:///data/tutorbot.sqlite3"
    content_dir: Path = Path("content")
    default_timezone: str = "Europe/Paris"
    default_daily_time: time = time(9, 0)
    default_language: str = "fr"
    log_level: str = "INFO"
    local_api_port: int = Field(default=0, ge=0, le=65535)
    delivery_sweep_seconds: float = Field(default=20.0, gt=0)
    group_lobby_seconds: int = Field(default=45, ge=1, le=60)  # how long a group game's lobby stays open
    error_chat_id: int | None = None  # a chat (an operator's, a private group) told about unexpected errors
    fair_budgets: bool = True  # per-person and per-chat budgets of answers (bot/services/budgets.py)
    chat_queue: int = Field(default=20, ge=1, le=1000)  # updates one sender may have waiting in a chat; beyond, dropped
    outbox_concurrency: int = Field(default=16, ge=1, le=64)  # sends in flight at once (the crash duplicates bound)
    rate_limit: bool = True  # respect Telegram's limits client-side; off only for benchmarks
    lab_enabled: bool = True  # the Docker lab; off for a bot that only teaches
    # Telegram user ids of the first instructors (comma-separated): they may create classes
    instructor_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    class_sweep_seconds: float = Field(default=20.0, gt=0)  # how often class calendars are checked
    # learners not seen for this many days are forgotten (docs/PRIVACY.md); 0 keeps everyone
    data_retention_days: int = Field(default=365, ge=0, le=36500)
    # the periodic jobs (daily delivery, group and class sweeps, lab pre-warming) run by themselves; off, they
    # run only when called (tests run a sweep when they say so)
    periodic_jobs: bool = True
    # the bot migrates its database when it starts (one process); with several processes, set it to false and run
    # `tutorbot db upgrade` once before starting them: each then only checks the schema is current
    migrate_on_start: bool = True
    # webhook mode (unset: long polling): Telegram POSTs updates to this public URL, which reaches
    # PTB's own web server on listen:port (the URL's path is the path it serves)
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    # the Mini App (bot/webapp): the public https URL Telegram opens, and where the bot serves it (a reverse
    # proxy sends that URL here). Unset URL: served in local mode only, at a local URL (`tutorbot chat` prints it)
    webapp_url: str | None = None
    webapp_listen: str = "127.0.0.1"
    webapp_port: int | None = Field(default=None, ge=0, le=65535)  # default: 8081 with WEBAPP_URL, else a free port

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _TOKEN.match(value):
            raise ValueError("expected the token BotFather gave you, like 123456:ABC-DEF...")
        return value

    @field_validator("instructor_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                return frozenset(int(part) for part in value.replace(" ", "").split(",") if part)
            except ValueError:
                raise ValueError("expected Telegram user ids separated by commas, like 12345,67890") from None
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("telegram_webhook_url")
    @classmethod
    def _webhook_url_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (Telegram accepts only https; http for a local Bot API)")
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with https:// (Telegram opens only https pages; http for a local Bot API)")
        return value if value.endswith("/") else value + "/"

    @field_validator("telegram_webhook_secret")
    @classmethod
    def _webhook_secret_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _WEBHOOK_SECRET.match(value):
            raise ValueError("must be 16 to 256 characters among A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL: without it anyone "
                             "who finds the URL can send the bot forged updates")
        return self

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (try Europe/Paris)") from None
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("fr", "en"):
            raise ValueError("must be fr or en")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def webhook_mode(self) -> bool:
        """Updates arrive by webhook (TELEGRAM_WEBHOOK_URL set), not by long polling."""
        return self.telegram_webhook_url is not None

    @property
    def webapp_served(self) -> bool:
        """The bot serves the Mini App: a public URL is set, or it runs against its own local Bot API."""
        return self.webapp_url is not None or self.local_mode

    @property
    def webapp_bind_port(self) -> int:
        if self.webapp_port is not None:
            return self.webapp_port
        return 8081 if self.webapp_url is not None else 0

    @property
    def local_mode(self) -> bool:
        """No token: run against the project's own Bot API server."""
        return self.bot_token is None


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if not first["loc"]:  # a rule over several variables: its message names them
            raise SettingsError(message) from None
        raise SettingsError(f"{str(first['loc'][0]).upper()}: {message}") from None
