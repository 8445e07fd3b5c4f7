"""Installation settings, read from the environment (prefix ``PAINFELLOW_``).

Built by ``create_app`` and the CLI, never at import time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PAINFELLOW_", extra="ignore")

    environment: Literal["development", "production", "test"] = "development"
    database_url: str = f"sqlite:///{DEFAULT_DATA_DIR / 'painfellow.sqlite3'}"
    secret_key: str = Field(default="development-only-secret-change-me", min_length=16)
    upload_dir: Path = DEFAULT_DATA_DIR / "uploads"
    session_hours: int = 12
    api_token_hours: int = 24
    password_reset_minutes: int = 60
    login_max_failures_per_account: int = 5
    login_lockout_minutes: int = 15
    login_max_failures_per_address: int = 30
    login_address_window_minutes: int = 15
    smtp_host: str | None = None
    smtp_port: int = 25
    mail_from: str = "painfellow@localhost"
    base_url: str = "http://127.0.0.1:8000"
    # Wall-clock zone for "now" in duty-hour views (shift times are local wall-clock times).
    local_timezone: str = "America/New_York"
    # FastAPI's built-in OpenTelemetry (traces, metrics, logs of every request). Off unless
    # asked for: with no exporter configured it records nothing, yet checks on every request.
    opentelemetry: bool = False
    # Worker threads per server process for the routes that do all their database work in
    # one call (the booking API). One process runs Python on one core at a time; threads
    # beyond what covers the database round trips only queue for the interpreter lock.
    # interview_rush on 2 cores: p99 329-365 ms with 2, 411-435 ms with 10. Raise it for a
    # database with slow round trips (another host).
    db_call_threads: int = Field(default=2, ge=1, le=64)

    @property
    def cookies_secure(self) -> bool:
        """Secure cookies whenever the site is served over HTTPS (set ``base_url``)."""
        return self.base_url.startswith("https://")
