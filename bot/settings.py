"""Configuration from the environment (and an optional .env file); see .env.example."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DCCS_", env_file=".env", extra="ignore")

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, description="Defaults to an SQLite file under data_dir."
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=1, le=65535)
    # How often a process checks whether the knowledge base changed (seconds; 0 = every message).
    kb_refresh_seconds: float = Field(default=2.0, ge=0)
    max_message_chars: int = Field(default=2000, ge=100)
    # Seconds between two clock ticks (pushes delivered, abandoned updates replayed).
    tick_seconds: float = Field(default=2.0, gt=0)
    # The commune or ward this deployment serves, named in the greeting.
    unit_name: str | None = None
    # Send the session cookie only over HTTPS (set behind a TLS-terminating proxy).
    cookie_secure: bool = False
    log_level: str = "INFO"
    # "text" for people, "json" for a log collector; personal data is masked either way.
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # Days after which handled updates, delivered pushes and idle web sessions are deleted
    # (they may hold what citizens wrote). Petition case files follow their own rules.
    retention_days: int = Field(default=90, ge=1)

    def database(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'dccs.sqlite3').resolve()}"
