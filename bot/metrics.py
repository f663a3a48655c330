"""Prometheus metrics of one bot process, served on /metrics in webhook mode.

Counted in the process: updates handled, their handling time (the answer latency: from the
moment PTB dispatches an update, its wait for its chat's turn included, to the end of its
handlers, reply sent), Bot API errors by
HTTP status code. Read from the database at each scrape, so that every replica reports the
same truth: unanswered questions (unknown / low confidence) and reminder deliveries by state.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram.error import NetworkError
from telegram.ext import ApplicationBuilder

from bot.typography import FrenchRequest
from knowledge.models import Delivery, UnansweredQuestion

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Delivery.status → the state shown: "sending" rows are claimed and not yet settled.
REMINDER_STATES = {"sent": "sent", "failed": "failed", "sending": "pending", "skipped": "skipped"}


class Metrics:
    """The registry of one Application (a registry each, so tests can run several)."""

    def __init__(self, db: Engine) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter(
            "mandat_bot_updates", "Telegram updates handled", registry=self.registry)
        self.latency = Histogram(
            "mandat_bot_answer_latency_seconds",
            "Handling time of an update, from dispatch to the end of its handlers (reply sent)",
            buckets=LATENCY_BUCKETS, registry=self.registry)
        self.api_errors = Counter(
            "mandat_bot_bot_api_errors", "Bot API calls that failed, by HTTP status code",
            ["code"], registry=self.registry)
        self.registry.register(DatabaseCollector(db))
        self.last_update_at: float | None = None  # time.time() of the last update handled

    def instrument(self, builder: ApplicationBuilder) -> ApplicationBuilder:
        """Count every Bot API error of the Application being built (its updates are timed
        by `bot.lines.ChatLines`, through `update_handled`)."""
        return builder.request(CountingRequest(self, connection_pool_size=256))

    def update_handled(self, seconds: float) -> None:
        self.updates.inc()
        self.latency.observe(seconds)
        self.last_update_at = time.time()

    def render(self) -> bytes:
        """The text exposition format (queries the database: call it off the event loop)."""
        return generate_latest(self.registry)


class CountingRequest(FrenchRequest):
    """The bot's HTTP client (French spaces: bot.typography), counting the Bot API's error
    answers by status code."""

    def __init__(self, metrics: Metrics, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.metrics = metrics

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError:
            self.metrics.api_errors.labels("network").inc()
            raise
        if code >= 400:
            self.metrics.api_errors.labels(str(code)).inc()
        return code, payload


class DatabaseCollector(Collector):
    """Figures every replica shares, read from the database at scrape time."""

    def __init__(self, db: Engine) -> None:
        self.db = db

    def collect(self) -> Iterator[Metric]:
        questions = CounterMetricFamily(
            "mandat_bot_unanswered_questions",
            "Questions asked that the bot could not answer confidently (kind: unknown, low)",
            labels=["kind"])
        reminders = GaugeMetricFamily(
            "mandat_bot_reminders", "Reminder deliveries by state (pending: claimed, not settled)",
            labels=["state"])
        with Session(self.db) as session:
            asked = dict(session.exec(
                select(UnansweredQuestion.kind, func.sum(UnansweredQuestion.count))
                .group_by(UnansweredQuestion.kind)).all())
            deliveries = dict(session.exec(
                select(Delivery.status, func.count()).group_by(Delivery.status)).all())
        for kind in ("unknown", "low"):
            questions.add_metric([kind], asked.get(kind) or 0)
        for status, state in REMINDER_STATES.items():
            reminders.add_metric([state], deliveries.get(status, 0))
        yield questions
        yield reminders
