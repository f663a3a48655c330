"""Webhook mode over real HTTP on loopback: the real Application behind the Starlette app,
the loopback Bot API stand-in playing Telegram (it records setWebhook; the tests POST the
updates Telegram would push, with or without the secret)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import os
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from sqlalchemy import create_engine
from telegram.ext import Application

from bot.app import build_application, open_services
from bot.context import Services
from bot.metrics import Metrics
from bot.settings import Settings
from bot.webhook import SECRET_HEADER, webhook_running
from botapi_standin import LocalBotApi

USER = 1001
ADMIN = 4242  # bot_settings' admin
SECRET = "s3cret_Token-42"
PATH = "/telegram/hook"
OVERSIZED = 100_000_000  # a body streamed to the webhook, 100 times MAX_UPDATE_BYTES


@dataclass
class WebhookEnv:
    api: LocalBotApi
    http: httpx.AsyncClient
    application: Application
    services: Services
    metrics: Metrics
    update_ids: itertools.count

    async def post_update(self, update: dict[str, Any], secret: str | None) -> int:
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        response = await self.http.post(PATH, json=update, headers=headers)
        return response.status_code

    async def user_message(self, text: str) -> dict[str, Any]:
        """What Telegram would push when the user sends `text` (stored in the stand-in, so
        the bot's reply lands in the same chat)."""
        message = await self.api.user_sends(text, user_id=USER)
        return {"update_id": next(self.update_ids), "message": message}

    def services_queue_empty(self) -> bool:
        return self.application.update_queue.empty()

    def bot_messages(self) -> list[dict[str, Any]]:
        return self.api.messages(USER)

    async def scrape(self) -> dict[str, float]:
        response = await self.http.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        return {
            sample.name + _labels(sample.labels): sample.value
            for family in text_string_to_metric_families(response.text)
            for sample in family.samples
        }


def _labels(labels: dict[str, str]) -> str:
    return "{" + ",".join(f"{k}={v}" for k, v in sorted(labels.items())) + "}" if labels else ""


@pytest_asyncio.fixture
async def webhook_env(bot_settings: Settings) -> AsyncIterator[WebhookEnv]:
    settings = bot_settings.model_copy(update={
        "webhook_url": f"https://bot.example.org{PATH}",
        "webhook_secret": SecretStr(SECRET),
        "webhook_listen": "127.0.0.1:0",
    })
    async with LocalBotApi(bot_username="mandat_bot") as api:
        api.add_chat(ADMIN)  # the admin has opened the bot: their menu can be set
        services = open_services(settings)
        metrics = Metrics(services.db)
        application = build_application(services, api.token, base_url=api.base_url,
                                        base_file_url=api.base_file_url, metrics=metrics)
        try:
            async with webhook_running(application, services, metrics, settings) as running:
                base = f"http://127.0.0.1:{running.port}"
                async with httpx.AsyncClient(base_url=base, timeout=10) as http:
                    yield WebhookEnv(api, http, application, services, metrics,
                                     itertools.count(1))
        finally:
            services.db.dispose()


async def test_the_webhook_is_registered_with_the_secret(webhook_env: WebhookEnv) -> None:
    assert webhook_env.api.webhook["url"] == f"https://bot.example.org{PATH}"
    assert webhook_env.api.webhook["secret_token"] == SECRET


async def test_only_requests_with_the_secret_are_processed(
        webhook_env: WebhookEnv, caplog: pytest.LogCaptureFixture) -> None:
    env = webhook_env
    without = await env.user_message("qui s'occupe du logement ?")
    wrong = await env.user_message("qui s'occupe du logement ?")
    assert await env.post_update(without, secret=None) == 403
    assert await env.post_update(wrong, secret=SECRET + "x") == 403
    assert [r for r in caplog.records if "refused" in r.getMessage()], "403 must be logged"

    right = await env.user_message("qui s'occupe du logement ?")
    assert await env.post_update(right, secret=SECRET) == 200
    [reply] = await env.api.wait_for_messages(USER, 1)
    assert "logement" in reply["text"].lower()
    # The refused updates, posted first, never reached the Application: one update handled
    # (the queue is FIFO: had they been queued, they would have been handled first), one reply.
    handled = await _scrape_when(env, lambda m: m["mandat_bot_updates_total"] >= 1)
    assert handled["mandat_bot_updates_total"] == 1
    assert env.services_queue_empty()
    assert len(env.bot_messages()) == 1


async def test_a_malformed_update_with_the_secret_is_refused(webhook_env: WebhookEnv) -> None:
    response = await webhook_env.http.post(
        PATH, content=b"{not json", headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    assert webhook_env.services_queue_empty()
    assert (await webhook_env.scrape())["mandat_bot_updates_total"] == 0


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("body", [
    b"[]", b"null", b'"update"', b"5", b"{}", b'{"update_id": "x"}', b'{"update_id": true}',
    b'{"update_id": "x", "message": 5}', b'{"update_id": 7, "message": 5}',
    b'{"update_id": 7, "callback_query": []}', b'{"update_id": 7, "message": {"chat": 5}}',
    _nested(100_000), b'{"update_id": 7, "message": ' + _nested(100_000) + b"}",
    b"\xff\xfe",
], ids=lambda body: body[:40].decode(errors="replace"))
async def test_json_that_is_no_update_is_refused_and_the_next_update_is_processed(
        webhook_env: WebhookEnv, caplog: pytest.LogCaptureFixture, body: bytes) -> None:
    await _refused_then_next_processed(webhook_env, caplog, body)


async def test_a_date_of_1e308_is_refused_and_the_next_update_is_processed(
        webhook_env: WebhookEnv, caplog: pytest.LogCaptureFixture) -> None:
    update = await webhook_env.user_message("qui s'occupe du logement ?")
    update["message"]["date"] = 1e308
    await _refused_then_next_processed(webhook_env, caplog, json.dumps(update).encode())


async def _refused_then_next_processed(env: WebhookEnv, caplog: pytest.LogCaptureFixture,
                                       body: bytes) -> None:
    """`body` gets 400 and one log line (no traceback, no secret); a good update after it is
    answered, and it is the only one the Application saw."""
    response = await env.http.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400
    refusals = [r for r in caplog.records if r.name == "bot.webhook"]
    assert [r.levelname for r in refusals] == ["WARNING"]
    assert "malformed update refused" in refusals[0].getMessage()
    assert refusals[0].exc_info is None and SECRET not in caplog.text
    assert await env.post_update(await env.user_message("/aide"), SECRET) == 200
    [reply] = await env.api.wait_for_messages(USER, 1)
    assert "/abonner" in reply["text"]
    handled = await _scrape_when(env, lambda m: m["mandat_bot_updates_total"] >= 1)
    assert handled["mandat_bot_updates_total"] == 1
    assert [r.levelname for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_an_oversized_body_is_refused_without_being_read_whole(
        webhook_env: WebhookEnv, caplog: pytest.LogCaptureFixture) -> None:
    """100 MB streamed: the server stops reading a little past MAX_UPDATE_BYTES (about 5 MB
    sent in all: the rest is what the sockets' buffers hold), answers 413 and closes.

    The client still sending when the server closes, the server's kernel may reset the
    connection (unread data), and a reset can discard the 413 before the client reads it:
    any HTTP client streaming a big body sees one or the other. Either way the server's one
    log line says it refused the update at the limit."""
    caplog.set_level(logging.WARNING, logger="bot.webhook")
    reader, writer = await asyncio.open_connection("127.0.0.1", webhook_env.http.base_url.port)
    writer.write(f"POST {PATH} HTTP/1.1\r\nHost: bot\r\n{SECRET_HEADER}: {SECRET}\r\n"
                 "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                 .encode())
    status = asyncio.ensure_future(reader.readline())
    chunk, sent = b"[" * 65_536, 0
    try:
        while not status.done() and sent < OVERSIZED:
            writer.write(b"%x\r\n%b\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            await writer.drain()  # blocks while the server does not read
    except ConnectionError:  # the server closed the connection after answering
        pass
    try:
        answer = await asyncio.wait_for(status, 10)
    except ConnectionResetError:
        answer = None  # the reset overtook the 413 (see the docstring)
    finally:
        writer.close()
    assert answer is None or answer.startswith(b"HTTP/1.1 413 "), answer
    assert sent < OVERSIZED // 4, f"{sent} bytes sent before the answer"
    assert any("update over 1000000 bytes refused" in r.getMessage() for r in caplog.records)
    assert webhook_env.services_queue_empty()


async def test_the_secret_and_the_token_stay_out_of_the_logs_at_debug(tmp_path: Path) -> None:
    """`mandat-bot webhook` at LOG_LEVEL=DEBUG, started until it serves, then stopped: PTB logs
    setWebhook's parameters (secret_token among them); neither secret shows."""
    async with LocalBotApi(bot_username="mandat_bot") as api:
        env = os.environ | {
            "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_FILE_BASE_URL": api.base_file_url, "LOG_LEVEL": "DEBUG",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
            "WEBHOOK_URL": f"https://bot.example.org{PATH}", "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1:0"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "webhook", "--migrate", env=env, cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            logged = await asyncio.wait_for(_lines_until(process.stderr, "webhook: serving"), 60)
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            out, err = await asyncio.wait_for(process.communicate(), 60)
    output = logged + (out + err).decode()
    assert process.returncode == 0, output
    assert api.webhook["secret_token"] == SECRET  # registered with the real secret
    assert "setWebhook" in output and "<WEBHOOK_SECRET>" in output, output
    assert SECRET not in output and api.token not in output


async def _lines_until(stream: asyncio.StreamReader, wanted: str) -> str:
    """What `stream` says up to the first line containing `wanted` (all of it if none)."""
    lines: list[str] = []
    async for raw in stream:
        lines.append(raw.decode(errors="replace"))
        if wanted in lines[-1]:
            break
    return "".join(lines)


async def test_healthz_is_200_when_database_and_scheduler_are_up(
        webhook_env: WebhookEnv) -> None:
    response = await webhook_env.http.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and body["database"] is True and body["scheduler"] is True
    assert body["updates"]["queued"] == 0 and body["updates"]["stuck"] is False


async def test_healthz_is_503_when_the_scheduler_stopped(webhook_env: WebhookEnv) -> None:
    assert webhook_env.services.reminders is not None
    webhook_env.services.reminders.shutdown()
    response = await webhook_env.http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["scheduler"] is False and response.json()["database"] is True


async def test_healthz_is_503_when_the_database_is_unreachable(
        webhook_env: WebhookEnv) -> None:
    services = webhook_env.services
    reachable = services.db
    services.db = create_engine("postgresql+psycopg://nobody@127.0.0.1:9/none")
    try:
        response = await webhook_env.http.get("/healthz")
    finally:
        services.db.dispose()
        services.db = reachable
    assert response.status_code == 503
    assert response.json()["database"] is False


async def test_metrics_count_updates_latency_questions_reminders_and_api_errors(
        webhook_env: WebhookEnv) -> None:
    env = webhook_env
    before = await env.scrape()
    assert before["mandat_bot_updates_total"] == 0
    for state in ("sent", "failed", "pending", "skipped"):
        assert before[f"mandat_bot_reminders{{state={state}}}"] == 0

    assert await env.post_update(await env.user_message("qui s'occupe du logement ?"),
                                 SECRET) == 200
    await env.api.wait_for_messages(USER, 1)
    unknown = "quel est le menu de la cantine du zorglub"
    assert await env.post_update(await env.user_message(unknown), SECRET) == 200
    await env.api.wait_for_messages(USER, 2)
    env.api.fail_next("sendMessage", error_code=400, description="Bad Request: test")
    assert await env.post_update(await env.user_message("/aide"), SECRET) == 200
    after = await _scrape_when(env, lambda m: m.get("mandat_bot_updates_total") == 3)

    assert after["mandat_bot_answer_latency_seconds_count"] == 3
    assert after["mandat_bot_answer_latency_seconds_sum"] > 0
    assert after["mandat_bot_unanswered_questions_total{kind=unknown}"] == (
        before["mandat_bot_unanswered_questions_total{kind=unknown}"] + 1)
    assert after["mandat_bot_bot_api_errors_total{code=400}"] == 1


async def _scrape_when(env: WebhookEnv, ready: Any, timeout: float = 5.0) -> dict[str, float]:
    """Scrape until `ready(metrics)` (an update counts once its handlers have finished, which
    nothing else signals): each scrape is a request that yields to the bot, so no pause is
    needed between them; the deadline bounds the wait."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not ready(found := await env.scrape()):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"metrics never became ready: {found}")
    return found


async def test_a_busy_address_is_one_french_error_and_the_bot_stops(
        bot_settings: Settings) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        settings = bot_settings.model_copy(update={
            "webhook_url": f"https://bot.example.org{PATH}",
            "webhook_secret": SecretStr(SECRET), "webhook_listen": f"127.0.0.1:{port}"})
        async with LocalBotApi(bot_username="mandat_bot") as api:
            services = open_services(settings)
            metrics = Metrics(services.db)
            application = build_application(services, api.token, base_url=api.base_url,
                                            base_file_url=api.base_file_url, metrics=metrics)
            try:
                with pytest.raises(OSError, match="impossible d'écouter sur 127.0.0.1"):
                    async with webhook_running(application, services, metrics, settings):
                        pytest.fail("served on a busy address")
                assert not application.running
            finally:
                services.db.dispose()
