"""`mandat-bot webhook`: Telegram pushes updates to us, behind an HTTPS reverse proxy.

PTB's documented custom-webhook pattern (examples/customwebhookbot/starlettebot.py): the
Application runs without polling, a small Starlette app served by uvicorn puts each update
Telegram POSTs into `application.update_queue`. The same server answers:

- POST <path of WEBHOOK_URL>: only with Telegram's `X-Telegram-Bot-Api-Secret-Token` header
  equal to WEBHOOK_SECRET (registered with setWebhook); anything else is 403, logged, dropped.
  A body is read as it streams in: past MAX_UPDATE_BYTES, 413 at once (the rest is never
  read: the connection is closed); anything but a JSON update object is 400. Either is one
  log line, and the next request is served as usual;
- GET /healthz: database reachable, reminder scheduler running, updates not stuck in the
  queue; 200 or 503, with a JSON body saying which;
- GET /metrics: Prometheus text format (bot/metrics.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from telegram import Bot, Update
from telegram.ext import Application

from bot.context import Services
from bot.metrics import Metrics
from bot.settings import Settings, split_listen

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE_BYTES = 1_000_000  # Telegram's updates are a few KB; refuse anything absurd
DATABASE_TIMEOUT = 5.0  # /healthz: a database slower than this is unhealthy
STUCK_AFTER = 60.0  # /healthz: updates waiting while none was handled for this long
RESERVED_PATHS = ("/healthz", "/metrics")


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def create_app(application: Application, services: Services, metrics: Metrics,
               *, path: str, secret: str) -> Starlette:
    """The ASGI app: the webhook route plus /healthz and /metrics."""

    async def telegram(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            client = request.client.host if request.client else "?"
            log.warning("webhook: request from %s refused (%s secret token)", client,
                        "wrong" if given else "no")
            return Response(status_code=403)
        body = await read_body(request, MAX_UPDATE_BYTES)
        if body is None:  # the rest is left unread: close rather than drain it
            log.warning("webhook: update over %d bytes refused", MAX_UPDATE_BYTES)
            return Response(status_code=413, headers={"Connection": "close"})
        try:
            update = parse_update(body, application.bot)
        except ValueError as exc:
            log.warning("webhook: malformed update refused (%s)", exc)
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    async def healthz(request: Request) -> JSONResponse:
        report = await health(application, services, metrics)
        return JSONResponse(report, status_code=200 if report["ok"] else 503)

    async def metrics_page(request: Request) -> Response:
        body = await asyncio.to_thread(metrics.render)  # reads the database
        return Response(body, media_type=CONTENT_TYPE_LATEST)

    return Starlette(routes=[
        Route(path, telegram, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ])


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request's body, or None as soon as it exceeds `limit` bytes (read as it streams
    in: no more than the limit is ever held)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def parse_update(body: bytes, bot: Bot) -> Update:
    """The update `body` holds; ValueError saying why for anything else. Telegram sends JSON
    objects with an integer update_id; on other data PTB's de_json raises whatever that data
    makes it raise (AttributeError, TypeError, OverflowError for a date of 1e308...)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # RecursionError: absurdly deep nesting
        raise ValueError(f"not JSON: {type(exc).__name__}") from None
    if not isinstance(data, dict) or type(data.get("update_id")) is not int:
        raise ValueError("not an update object")
    try:
        return Update.de_json(data, bot)
    except Exception as exc:  # noqa: BLE001 - see above: any failure means a malformed update
        raise ValueError(f"not an update: {type(exc).__name__}") from None


async def health(application: Application, services: Services,
                 metrics: Metrics) -> dict[str, Any]:
    database = await _database_reachable(services)
    scheduler = services.reminders is not None and services.reminders.running
    queued = application.update_queue.qsize()
    last = metrics.last_update_at
    idle = None if last is None else round(time.time() - last, 1)
    stuck = queued > 0 and (idle is None or idle > STUCK_AFTER)
    return {
        "ok": database and scheduler and not stuck,
        "database": database,
        "scheduler": scheduler,
        "updates": {"queued": queued, "last_handled_seconds_ago": idle, "stuck": stuck},
    }


async def _database_reachable(services: Services) -> bool:
    def ping() -> None:
        with services.db.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.wait_for(asyncio.to_thread(ping), DATABASE_TIMEOUT)
    except Exception:  # noqa: BLE001 - any failure means unreachable; say why in the log
        log.warning("healthz: database unreachable", exc_info=True)
        return False
    return True


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling (it re-raises SIGTERM once stopped, which
    would kill the process before the Application stops): the caller decides when to stop."""

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@dataclass
class RunningServer:
    server: uvicorn.Server
    task: asyncio.Task[None]

    @property
    def port(self) -> int:
        """The port listened on (useful with WEBHOOK_LISTEN=…:0)."""
        return self.server.servers[0].sockets[0].getsockname()[1]


@asynccontextmanager
async def webhook_running(application: Application, services: Services, metrics: Metrics,
                          settings: Settings) -> AsyncIterator[RunningServer]:
    """Register the webhook, start the Application and the HTTP server; stop both on exit.

    The webhook stays registered on exit: during a deploy, the next process serves it.
    """
    assert settings.webhook_url and settings.webhook_secret
    secret = settings.webhook_secret.get_secret_value()
    host, port = split_listen(settings.webhook_listen)
    app = create_app(application, services, metrics,
                     path=webhook_path(settings.webhook_url), secret=secret)
    server = _Server(uvicorn.Config(
        app, host=host, port=port, lifespan="off", access_log=False, log_level="warning",
        server_header=False))
    async with application:
        await application.post_init(application)  # menus and reminders, as in polling
        await application.bot.set_webhook(
            settings.webhook_url, secret_token=secret, allowed_updates=Update.ALL_TYPES)
        await application.start()
        running = RunningServer(server, asyncio.create_task(_serve(server, settings)))
        try:
            while not server.started:  # wait for the bind, or its failure
                if running.task.done():
                    running.task.result()
                await asyncio.sleep(0.01)
            log.info("webhook: serving %s on %s:%d", webhook_path(settings.webhook_url),
                     host, running.port)  # the port bound, also with WEBHOOK_LISTEN=…:0
            yield running
        finally:
            server.should_exit = True
            with contextlib.suppress(OSError):  # already raised above
                await running.task
            await application.stop()
            await application.post_shutdown(application)


async def _serve(server: uvicorn.Server, settings: Settings) -> None:
    """uvicorn exits the process (SystemExit) when it cannot bind: one French error instead."""
    try:
        await server.serve()
    except SystemExit:
        raise OSError(f"impossible d'écouter sur {settings.webhook_listen} "
                      "(adresse déjà utilisée ?)") from None


def check_webhook_settings(settings: Settings) -> str | None:
    """One French line saying what is missing for webhook mode, or None."""
    if not settings.webhook_url or not settings.webhook_url.startswith("https://"):
        return ("WEBHOOK_URL doit être l'adresse HTTPS publique du bot "
                "(exemple : https://bot.example.org/telegram).")
    if settings.webhook_secret is None:
        return ("WEBHOOK_SECRET est obligatoire (1 à 256 caractères A-Z, a-z, 0-9, _ et -) : "
                "Telegram le renvoie à chaque requête, le reste est refusé.")
    if webhook_path(settings.webhook_url) in RESERVED_PATHS:
        return "le chemin de WEBHOOK_URL ne peut pas être /healthz ni /metrics."
    return None
