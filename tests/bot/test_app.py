"""Start-up checks of `mandat-bot run`: one clear line, never the token."""

from __future__ import annotations

import logging

from bot.app import RedactingFormatter, check_token
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
