"""The stand-in's HTTP side: routing, tokens, loopback only, flood control, faults."""

from __future__ import annotations

import httpx
import pytest
from telegram import (
    Bot,
)
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter

from botapi_standin import LocalBotApi

USER = 1001


# ----------------------------------------------------------------------------- basics


@pytest.mark.asyncio
async def test_get_me_and_urls(api: LocalBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "mandat_bot", True)
    assert api.base_url.startswith("http://127.0.0.1:") and api.base_url.endswith("/bot")


@pytest.mark.asyncio
async def test_wrong_token_is_rejected(api: LocalBotApi) -> None:
    intruder = Bot("999999:WRONG-TOKEN", base_url=api.base_url)
    with pytest.raises(InvalidToken):
        await intruder.initialize()


@pytest.mark.asyncio
async def test_raw_http_shapes(api: LocalBotApi) -> None:
    root = api.base_url + api.token
    async with httpx.AsyncClient() as client:
        wrong = await client.post(api.base_url + "1:bad/getMe")
        assert (wrong.status_code, wrong.json()) == (
            401,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
        )
        missing = await client.get(root + "/noSuchMethod")
        assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        me = await client.get(root + "/GETME")  # method names are case-insensitive
        assert me.json()["ok"] is True and me.json()["result"]["username"] == "mandat_bot"
        api.add_chat(7)
        sent = await client.post(root + "/sendMessage", json={"chat_id": 7, "text": "salut"})
        assert sent.json()["result"]["chat"] == {"id": 7, "type": "private", "first_name": "Alice"}
        form = await client.post(
            root + "/sendMessage", data={"chat_id": "7", "text": "<x>", "parse_mode": "HTML"}
        )
        assert form.status_code == 400 and form.json()["description"].startswith(
            "Bad Request: can't parse entities: Unsupported start tag"
        )


def test_only_loopback_hosts() -> None:
    with pytest.raises(ValueError):
        LocalBotApi(host="0.0.0.0")


# ----------------------------------------------------------------------------- flood, faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.asyncio
async def test_flood_control_per_chat_and_global() -> None:
    async with LocalBotApi(per_chat_rate=1, global_rate=3) as api:
        async with Bot(api.token, base_url=api.base_url) as bot:
            for chat in (1, 2, 3, 4):
                api.add_chat(chat)
            await bot.send_message(1, "un")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "deux")
            await bot.send_message(2, "deux")
            await bot.send_message(3, "trois")
            with pytest.raises(RetryAfter):
                await bot.send_message(4, "quatre")  # 4th message in the same second
            assert api.rate_limited_count == 2
            assert [m["text"] for m in api.messages(1)] == ["un"]  # not delivered
            assert api.messages(4) == []
            error = api.calls("sendMessage", ok=False)[0]
            assert (error.error_code, error.retry_after) == (429, 1)
            assert error.description == "Too Many Requests: retry after 1"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.asyncio
async def test_fault_injection(api: LocalBotApi, bot: Bot, known_user: int) -> None:
    api.fail_next("sendMessage", chat_id=USER, error_code=400, description="Bad Request: boom")
    with pytest.raises(BadRequest, match="(?i)boom"):
        await bot.send_message(USER, "1")
    api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "2")
    api.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "3")
    api.drop_next("sendMessage", deliver=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "4")
    await bot.send_message(USER, "5")
    assert [m["text"] for m in api.messages(USER)] == ["4", "5"]
    assert api.rate_limited_count == 1


