"""All configuration, from environment variables and an optional `.env` file."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from knowledge.documents import Limits
from knowledge.store import DEFAULT_DATABASE_URL
from knowledge.text import fold

ANSWER_ENGINES = ("rules", "learned")  # knowledge.selector.ENGINES, without importing it

_DAY, _HOUR, _MINUTE = 86_400, 3_600, 60
_UNITS = (  # (pattern, seconds), longest spelling first: "min" is not "m" then "in"
    (r"semaines?|sem", 7 * _DAY), (r"mois", 30 * _DAY), (r"jours?|j|d", _DAY),
    (r"heures?|h", _HOUR), (r"minutes?|min|mn|m", _MINUTE), (r"secondes?|sec|s", 1))
_NUMBER_WORDS = {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
                 "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "quinze": 15, "trente": 30}
_UNIT_GROUPS = "|".join(f"(?P<u{i}>{unit})" for i, (unit, _) in enumerate(_UNITS))
_OFFSET_TOKEN = re.compile(
    rf"(?P<n>\d+|{'|'.join(_NUMBER_WORDS)})?\s*(?:{_UNIT_GROUPS})(?![a-z])"
    r"|(?P<eve>(?:l')?avant-?veille|(?:la )?veille)(?![a-z])"
    r"|(?:avant|et|puis|ou|le|la|les)(?![a-z])|[\s,;+]+")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


def split_listen(text: str) -> tuple[str, int]:
    """'127.0.0.1:8080' → ('127.0.0.1', 8080); '[::1]:8080' → ('::1', 8080)."""
    host, sep, port = text.strip().rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65_535:
        raise ValueError(f"adresse d'écoute invalide : {text!r} (exemple : 127.0.0.1:8080)")
    return host.strip("[]"), int(port)


def parse_offsets(text: str) -> list[int]:
    """Reminder delays in seconds, largest first: '7j 1j 2h', or natural French such as
    '1 semaine et la veille', '2 jours', '3 heures avant', 'l'avant-veille'.

    Raises ValueError with a French message naming the words not understood.
    """
    folded = fold(text).replace("\u2019", "'")
    seconds: set[int] = set()
    position = 0
    while position < len(folded):
        match = _OFFSET_TOKEN.match(folded, position)
        if match is None or match.end() == position:
            raise _not_understood(folded[position:])
        value = _offset_seconds(match)
        if value == 0:
            raise ValueError(f"délai nul : « {match.group().strip()} »")
        if value is not None:
            seconds.add(value)
        position = match.end()
    if not seconds:
        raise ValueError("aucun délai donné (exemples : 7j 1j 2h, 1 semaine, la veille)")
    if max(seconds) > 366 * _DAY:
        raise ValueError("délai trop long (un an au plus)")
    return sorted(seconds, reverse=True)


def _not_understood(text: str) -> ValueError:
    shown = " ".join(text.split())[:30]
    return ValueError(f"délai non compris : « {shown} » (exemples : 7j 1j 2h, 1 semaine, "
                      "la veille, 3 heures avant)")


def _offset_seconds(match: re.Match[str]) -> int | None:
    """The seconds one token of `parse_offsets` stands for; None for a filler word."""
    if match.group("eve"):
        return 2 * _DAY if "avant" in match.group("eve") else _DAY
    for index, (_, size) in enumerate(_UNITS):
        if unit := match.group(f"u{index}"):
            if match.group("n") is None and len(unit) < 4:
                raise _not_understood(match.group())  # "h" alone: a typo, not "1 h"
            number = match.group("n") or "1"
            count = int(number) if number.isdigit() else _NUMBER_WORDS[number]
            return count * size
    return None


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
    document_max_pages: int = Field(default=500, ge=1, le=5000)  # a loaded document's pages

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
    def document_limits(self) -> Limits:
        return Limits(max_pages=self.document_max_pages)

    @property
    def lease_seconds(self) -> int:
        return parse_offsets(self.replica_lease)[0]
