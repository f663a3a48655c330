"""Start-up checks of `mandat-bot run`: one clear line, never the token."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from pathlib import Path

import pytest

from bot.app import (
    EXIT_TOKEN_REJECTED,
    RedactingFormatter,
    check_token,
    redact_uncaught_exceptions,
)
from bot.settings import Settings
from botapi_standin import LocalBotApi

SECRET = "987654:VERY-SECRET-TOKEN"


def test_redacting_formatter_hides_the_token_in_messages_and_tracebacks() -> None:
    formatter = RedactingFormatter(logging.Formatter("%(message)s"), SECRET)
    try:
        raise ValueError(f"The token `{SECRET}` was rejected by the server.")
    except ValueError as exc:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1,
                                   "POST https://api.telegram.org/bot%s/getMe", (SECRET,),
                                   (type(exc), exc, exc.__traceback__))
    text = formatter.format(record)
    assert SECRET not in text
    assert "<TOKEN>" in text and "rejected" in text


def test_redacting_formatter_hides_the_webhook_secret_too() -> None:
    formatter = RedactingFormatter(logging.Formatter("%(message)s"), SECRET, "hook_S3cret")
    record = logging.LogRecord("t", logging.DEBUG, __file__, 1, "setWebhook with %s",
                               ({"secret_token": "hook_S3cret"},), None)
    assert formatter.format(record) == "setWebhook with {'secret_token': '<WEBHOOK_SECRET>'}"


async def test_a_rejected_token_is_one_french_line_without_the_token() -> None:
    async with LocalBotApi() as api:
        settings = Settings(telegram_api_base_url=api.base_url,
                            telegram_file_base_url=api.base_file_url, _env_file=None)
        problem = await check_token(settings, SECRET)
        assert await check_token(settings, api.token) is None
    assert problem is not None and "refusé" in problem and SECRET not in problem
    assert "\n" not in problem


async def test_an_unreachable_api_is_one_french_line_without_the_token() -> None:
    settings = Settings(telegram_api_base_url="http://127.0.0.1:9/bot", _env_file=None)
    problem = await check_token(settings, SECRET)
    assert problem is not None and "injoignable" in problem and SECRET not in problem


async def test_a_token_rejected_while_polling_exits_non_zero_with_one_french_line(
        tmp_path: Path) -> None:
    """getMe passes, then getUpdates gets 401: the process must stop (not run on, deaf), say
    so in French, and never print the token, even at DEBUG level."""
    async with LocalBotApi() as api:
        api.fail_next("getUpdates", error_code=401, description="Unauthorized")
        env = os.environ | {
            "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_FILE_BASE_URL": api.base_file_url, "LOG_LEVEL": "DEBUG",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "run", "--migrate", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    output = (out + err).decode()
    assert process.returncode == EXIT_TOKEN_REJECTED, output
    assert "jeton TELEGRAM_BOT_TOKEN a été refusé" in output
    assert api.token not in output
    assert api.token.split(":")[1] not in output


def test_uncaught_tracebacks_are_printed_without_the_token(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    redact_uncaught_exceptions(SECRET)
    error = RuntimeError(f"The token `{SECRET}` was rejected by the server.")
    sys.excepthook(RuntimeError, error, None)
    thread = threading.Thread(target=lambda: (_ for _ in ()).throw(error))
    thread.start()
    thread.join()
    err = capsys.readouterr().err
    assert SECRET not in err
    assert err.count("<TOKEN>") == 2
