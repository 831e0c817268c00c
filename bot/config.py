"""One settings class, read from the environment (and an optional `.env`).

Defaults work on a laptop: a SQLite file under ./data, the course in ./content, and
local mode (the project's own Bot API server) when no token is set.
"""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "SettingsError", "load_settings"]

TELEGRAM_API_URL = "https://api.telegram.org"
_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,}$")


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
    rate_limit: bool = True  # respect Telegram's limits client-side; off only for benchmarks
    lab_enabled: bool = True  # the Docker lab; off for a bot that only teaches

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not _TOKEN.match(value):
            raise ValueError("expected the token BotFather gave you, like 123456:ABC-DEF...")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

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
    def local_mode(self) -> bool:
        """No token: run against the project's own Bot API server."""
        return self.bot_token is None


def load_settings(**overrides: object) -> Settings:
    """Read settings, turning a validation error into one line naming the variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        variable = str(first["loc"][0]).upper() if first["loc"] else "configuration"
        message = first["msg"].removeprefix("Value error, ")
        raise SettingsError(f"{variable}: {message}") from None
