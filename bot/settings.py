"""Configuration from the environment (and an optional .env file); see .env.example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import AliasChoices, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.guard import GuardSettings
from handlers.clock import Clock, StartedClock, SystemClock, suite_start


def _env(name: str, default: Any = None) -> Any:
    """A setting read from its documented name, or with the DCCS_ prefix."""
    return Field(default=default, validation_alias=AliasChoices(name, f"DCCS_{name}"))


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
    # Send the session cookies only over HTTPS (set behind a TLS-terminating proxy).
    cookie_secure: bool = False
    # The address people reach this server at, e.g. https://troly.xaminhhoa.gov.vn (the bind
    # address is not one): staff desk login links are built from it.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s\"'<>]+$")
    # Reverse proxies (comma-separated addresses) whose X-Forwarded-For is believed.
    trusted_proxies: str = ""
    # Web chat API requests per minute, per browser session and per client address, and new
    # sessions per address; seconds a request body may take to arrive.
    web_session_per_minute: int = Field(default=60, ge=1)
    web_address_per_minute: int = Field(default=600, ge=1)
    web_new_sessions_per_minute: int = Field(default=60, ge=1)
    web_body_seconds: float = Field(default=10.0, gt=0)
    # Web chat turns are answered in group transactions; on PostgreSQL this many groups may
    # be written at once by one process (SQLite: always one).
    web_parallel_groups: int = Field(default=2, ge=1, le=16)
    # Open connections one process keeps; more are closed at once.
    web_max_connections: int = Field(default=500, ge=1)
    # /metrics answers a request with "Authorization: Bearer <token>"; unset, only a direct
    # loopback client (no proxy in between) may read it.
    metrics_token: SecretStr | None = None
    # Seals the Zalo OA tokens stored in the database (any passphrase; keep it out of backups).
    token_key: SecretStr | None = None
    # Telegram (started only when a token is set; the web chat works either way).
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "DCCS_TELEGRAM_BOT_TOKEN")
    )
    telegram_api_base: str = Field(
        default="https://api.telegram.org",
        validation_alias=AliasChoices("TELEGRAM_API_BASE", "DCCS_TELEGRAM_API_BASE"),
    )
    telegram_mode: str = Field(
        default="polling",
        pattern="^(polling|webhook)$",
        validation_alias=AliasChoices("TELEGRAM_MODE", "DCCS_TELEGRAM_MODE"),
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_URL", "DCCS_TELEGRAM_WEBHOOK_URL"),
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_WEBHOOK_SECRET", "DCCS_TELEGRAM_WEBHOOK_SECRET"),
    )
    # Flood limits: messages per second overall, seconds between messages to one private chat
    # and to one group (Telegram: about 30/s, 1/s per chat, 20/min per group).
    telegram_rate_per_second: float = Field(default=25.0, gt=0)
    telegram_chat_gap_seconds: float = Field(default=1.0, ge=0)
    telegram_group_gap_seconds: float = Field(default=3.0, ge=0)
    # Zalo Official Account (citizens). Started when the app id, OA secret key and a token
    # pair are set; the pair is stored in the database after the first refresh.
    zalo_oa_app_id: str | None = _env("ZALO_OA_APP_ID")
    zalo_oa_secret_key: SecretStr | None = _env("ZALO_OA_SECRET_KEY")
    zalo_app_secret: SecretStr | None = _env("ZALO_APP_SECRET")
    zalo_oa_access_token: SecretStr | None = _env("ZALO_OA_ACCESS_TOKEN")
    zalo_oa_refresh_token: SecretStr | None = _env("ZALO_OA_REFRESH_TOKEN")
    zalo_oa_api_base: str = _env("ZALO_OA_API_BASE", "https://openapi.zalo.me")
    zalo_oauth_base: str = _env("ZALO_OAUTH_BASE", "https://oauth.zaloapp.com")
    # Zalo Bot (officials, pilots): polling or webhook like Telegram.
    zalo_bot_token: SecretStr | None = _env("ZALO_BOT_TOKEN")
    zalo_bot_api_base: str = _env("ZALO_BOT_API_BASE", "https://bot-api.zaloplatforms.com")
    zalo_bot_mode: str = Field(
        default="polling",
        pattern="^(polling|webhook)$",
        validation_alias=AliasChoices("ZALO_BOT_MODE", "DCCS_ZALO_BOT_MODE"),
    )
    zalo_bot_webhook_url: str | None = _env("ZALO_BOT_WEBHOOK_URL")
    zalo_bot_webhook_secret: SecretStr | None = _env("ZALO_BOT_WEBHOOK_SECRET")
    # Zalo publishes no per-chat limit; this keeps a burst polite (the OA API allows 4 000/min).
    zalo_rate_per_second: float = Field(default=20.0, gt=0)
    # WARNING by default: a person running `dccs` sees answers, not migration or tick lines.
    log_level: str = Field(default="WARNING", pattern=r"^(?i:debug|info|warning|error|critical)$")
    # "text" for people, "json" for a log collector; personal data is masked either way.
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # Seconds a process may hold a claimed push before another may send it (a process killed
    # mid-send is covered after this; what it sent but did not record goes out again).
    outbox_lease_seconds: float = Field(default=60.0, gt=0)
    # Days after which handled updates, delivered pushes and idle web sessions are deleted
    # (they may hold what citizens wrote). Petition case files follow their own rules.
    retention_days: int = Field(default=90, ge=1)
    # Days after which the answers of a form nobody finished (a tố cáo stopped before
    # consent) are dropped from the conversation.
    form_idle_days: int = Field(default=7, ge=1)
    # Offices cut their report figures on a fixed day of the closing month (e.g. 15); unset:
    # calendar month ends.
    report_cutoff_day: int | None = Field(default=None, ge=1, le=28)
    # For the test suite only: every clock of the process starts at 09:00 on this day
    # ("DD/MM/YYYY") and runs on from there (tests/conftest.py follows the same variable).
    test_today: str | None = Field(default=None, pattern=r"^\d{2}/\d{2}/\d{4}$")

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.telegram_bot_token and self.telegram_mode == "webhook":
            if not self.telegram_webhook_url or not self.telegram_webhook_secret:
                raise ValueError(
                    "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET"
                )
        if self.zalo_bot_token and self.zalo_bot_mode == "webhook":
            secret = self.zalo_bot_webhook_secret
            if not self.zalo_bot_webhook_url or not secret:
                raise ValueError(
                    "ZALO_BOT_MODE=webhook needs ZALO_BOT_WEBHOOK_URL and ZALO_BOT_WEBHOOK_SECRET"
                )
            if not 8 <= len(secret.get_secret_value()) <= 256:
                raise ValueError("ZALO_BOT_WEBHOOK_SECRET must be 8 to 256 characters")
        return self

    @property
    def zalo_oa_enabled(self) -> bool:
        return bool(
            self.zalo_oa_app_id
            and self.zalo_oa_secret_key
            and self.zalo_app_secret
            and self.zalo_oa_access_token
            and self.zalo_oa_refresh_token
        )

    def guard(self) -> GuardSettings:
        return GuardSettings(
            trusted_proxies=frozenset(
                p.strip() for p in self.trusted_proxies.split(",") if p.strip()
            ),
            per_session_per_minute=self.web_session_per_minute,
            per_address_per_minute=self.web_address_per_minute,
            new_sessions_per_minute=self.web_new_sessions_per_minute,
            body_seconds=self.web_body_seconds,
        )

    def clock(self) -> Clock:
        start = suite_start(self.test_today)
        return StartedClock(start) if start is not None else SystemClock()

    def database(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'dccs.sqlite3').resolve()}"
