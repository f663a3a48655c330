"""All configuration, from environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.store import DEFAULT_DATABASE_URL

ANSWER_ENGINES = ("rules", "learned")  # knowledge.selector.ENGINES, without importing it

_OFFSET = re.compile(r"^(\d+)\s*(j|d|h|m|s)$")
_UNIT_SECONDS = {"j": 86_400, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def split_listen(text: str) -> tuple[str, int]:
    """'127.0.0.1:8080' → ('127.0.0.1', 8080); '[::1]:8080' → ('::1', 8080)."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65_535:
        raise ValueError(f"adresse d'écoute invalide : {text!r} (exemple : 127.0.0.1:8080)")
    return host.strip("[]"), int(port)


def parse_offsets(text: str) -> list[int]:
    """'7j 1j 2h' → [604800, 86400, 7200] (seconds, largest first). Units: j/d, h, m, s."""
    seconds = set()
    for part in re.split(r"[\s,;]+", text.strip().lower()):
        if not part:
            continue
        match = _OFFSET.match(part)
        if not match or int(match.group(1)) == 0:
            raise ValueError(f"délai invalide : {part!r} (exemples : 7j, 1j, 2h, 30m, 30s)")
        seconds.add(int(match.group(1)) * _UNIT_SECONDS[match.group(2)])
    if not seconds:
        raise ValueError("aucun délai donné (exemples : 7j 1j 2h)")
    if max(seconds) > 366 * 86_400:
        raise ValueError("délai trop long (un an au plus)")
    return sorted(seconds, reverse=True)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    telegram_file_base_url: str = "https://api.telegram.org/file/bot"
    database_url: str = DEFAULT_DATABASE_URL
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    timezone: str = "Europe/Paris"
    reminder_offsets: str = "7j 1j 2h"
    reminder_grace: str = "6h"
    log_level: str = "INFO"
    webhook_url: str | None = None  # public HTTPS URL; its path is the path served
    webhook_listen: str = "127.0.0.1:8080"
    webhook_secret: SecretStr | None = None
    replica_lease: str = "30s"  # a replica silent this long is dead: its sends are taken over
    answer_engine: str = "rules"  # "learned": candidates chosen by the fitted model (issue 16)

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [int(part) for part in re.split(r"[\s,;]+", value.strip()) if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("answer_engine")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if value not in ANSWER_ENGINES:
            raise ValueError(f"moteur de réponses inconnu : {value} (choix : "
                             f"{', '.join(ANSWER_ENGINES)})")
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"fuseau horaire inconnu : {value}") from exc
        return value

    @field_validator("reminder_offsets", "reminder_grace", "replica_lease")
    @classmethod
    def _valid_offsets(cls, value: str) -> str:
        parse_offsets(value)
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _telegram_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("1 à 256 caractères parmi A-Z, a-z, 0-9, _ et - (règle de Telegram)")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        split_listen(value)
        return value

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def offsets_seconds(self) -> list[int]:
        return parse_offsets(self.reminder_offsets)

    @property
    def grace_seconds(self) -> int:
        return parse_offsets(self.reminder_grace)[0]

    @property
    def lease_seconds(self) -> int:
        return parse_offsets(self.replica_lease)[0]
