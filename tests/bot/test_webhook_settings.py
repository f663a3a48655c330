"""Webhook mode's settings: each missing piece is one French line, before anything starts."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from bot.settings import Settings, split_listen
from bot.webhook import check_webhook_settings


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


def test_listen_addresses() -> None:
    assert split_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert split_listen("[::1]:9000") == ("::1", 9000)
    for wrong in ("8080", "localhost:", ":80", "127.0.0.1:99999", "host:http"):
        with pytest.raises(ValueError, match="adresse d'écoute invalide"):
            split_listen(wrong)
    assert settings().webhook_listen == "127.0.0.1:8080"


def test_the_secret_follows_telegrams_rule() -> None:
    assert settings(webhook_secret="Az09_-").webhook_secret == SecretStr("Az09_-")
    for wrong in ("", "with space", "é", "x" * 257):
        with pytest.raises(ValidationError, match="1 à 256 caractères"):
            settings(webhook_secret=wrong)


@pytest.mark.parametrize(("values", "problem"), [
    ({}, "WEBHOOK_URL doit être l'adresse HTTPS"),
    ({"webhook_url": "http://bot.example.org/tg", "webhook_secret": "s"}, "HTTPS"),
    ({"webhook_url": "https://bot.example.org/tg"}, "WEBHOOK_SECRET est obligatoire"),
    ({"webhook_url": "https://bot.example.org/metrics", "webhook_secret": "s"}, "/metrics"),
])
def test_what_is_missing_is_one_french_line(values: dict[str, str], problem: str) -> None:
    found = check_webhook_settings(settings(**values))
    assert found is not None and problem in found and "\n" not in found


def test_complete_settings_pass() -> None:
    assert check_webhook_settings(settings(
        webhook_url="https://bot.example.org/tg", webhook_secret="s")) is None
