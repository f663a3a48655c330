"""Alembic owns the schema: the models and the migrations agree, old databases upgrade
without losing a row, and the bot refuses a database behind the code."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.cli import main
from knowledge import admin_store, migrate
from knowledge.engine import AnswerEngine, AnswerKind
from knowledge.models import Subscription
from knowledge.seed import parse_document, read_seed_text, write_document
from knowledge.store import log_unanswered, make_engine, transaction
from scheduler import reminders

ADMIN = 4242


def rows_of(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (alembic's own table aside), in primary-key order."""
    metadata = MetaData()
    metadata.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))]
            for name, table in metadata.tables.items() if name != "alembic_version"
        }


def kept(after: dict[str, list[dict[str, Any]]],
         before: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """`after` told with the tables and columns `before` had (later revisions add some)."""
    return {name: [{column: row[column] for column in (rows[0] if rows else {})}
                   for row in after[name]] for name, rows in before.items()}


def fill_through_the_product(engine: Engine, tz: ZoneInfo) -> None:
    """What a bot that ran for a while leaves: seed, admin edits, subscriptions, reminders
    claimed and sent, unanswered questions, a promoted admin (on a database at head: the
    test brings it back to an old schema with the migrations' downgrades)."""
    with transaction(engine) as session:
        write_document(session, parse_document(read_seed_text()), tz)
    spec = admin_store.ENTITIES["jalon"]
    raw = admin_store.parse_assignments(spec, admin_store.split_words(
        'titre="Approbation du PCAET" projet=PCAET date=15/03/2030 heure=10h'))
    with transaction(engine) as session:
        admin_store.create_entry(session, spec, raw, ADMIN, tz)
        admin_store.add_admin(session, [ADMIN], 5555, ADMIN)
        reminders.subscribe(session, 1001, "Élue", None)
        reminders.subscribe(session, 1002, "Élu", "pcaet")
        reminders.set_offsets(session, 1002, [86_400])
        reminders.set_digest(session, 1001, True)
        log_unanswered(session, "la piscine ouvre quand", "piscine ouvre quand", 0.2)
    now = datetime(2030, 3, 14, 10, 0, tzinfo=UTC)  # one day before: the 1-day offset is due
    with transaction(engine) as session:
        claims = reminders.claim(session, reminders.due_reminders(
            session, now, [86_400], 6 * 3_600, tz))
        assert claims, "the milestone added above must be due for someone"
        for claim in claims:
            reminders.record(session, claim.delivery_id, "sent", now + timedelta(seconds=1))


def test_models_and_migrations_agree(new_database_url: str) -> None:
    engine = make_engine(new_database_url)
    try:
        migrate.upgrade(engine)
        assert migrate.current(engine) == migrate.head()
        assert migrate.differences(engine) == [], (
            "knowledge/models.py and knowledge/migrations disagree: write a migration "
            "(see README, « Mise en production »)")
    finally:
        engine.dispose()


def test_the_comparison_sees_a_length_limit_the_database_lacks(new_database_url: str) -> None:
    """Revision 0002 only adds length limits: at BASELINE, the comparison must see them."""
    engine = make_engine(new_database_url)
    try:
        migrate.upgrade(engine, migrate.BASELINE)
        changed = {diff[0][3] for diff in migrate.differences(engine)
                   if diff[0][0] == "modify_type"}
        assert {"title", "name", "description"} <= changed
    finally:
        engine.dispose()


def test_a_database_made_before_alembic_keeps_every_row(new_database_url: str,
                                                         tz: ZoneInfo) -> None:
    engine = make_engine(new_database_url)
    try:
        # Filled by today's product, then brought back to the schema create_all made before
        # Alembic: revision BASELINE, without its table.
        migrate.upgrade(engine)
        fill_through_the_product(engine, tz)
        migrate.downgrade(engine, migrate.BASELINE)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE alembic_version"))
        before = rows_of(engine)
        assert all(before[name] for name in ("delivery", "auditentry", "adminuser",
                                              "subscription", "unansweredquestion", "axis"))

        assert migrate.head() != migrate.BASELINE  # there is something to upgrade through
        assert migrate.upgrade(engine) == (migrate.BASELINE, migrate.head())

        assert kept(rows_of(engine), before) == before
        assert "alembic_version" in inspect(engine).get_table_names()
        assert migrate.differences(engine) == []
        answer = AnswerEngine(engine, tz).ask("qui s'occupe du logement ?")
        assert answer.kind is AnswerKind.ANSWER
    finally:
        engine.dispose()


def test_two_processes_migrating_at_once_take_turns(new_database_url: str) -> None:
    """Two replicas started together with `run --migrate`: both upgrade the same empty
    database at the same instant; one builds the schema, the other waits for it, then finds
    nothing to do. Neither fails, and the schema is the models'."""
    engines = [make_engine(new_database_url) for _ in range(2)]
    together = threading.Barrier(len(engines), timeout=30)

    def upgrade(engine: Engine) -> tuple[str | None, str]:
        together.wait()
        return migrate.upgrade(engine)

    pool = ThreadPoolExecutor(len(engines))
    try:
        futures = [pool.submit(upgrade, engine) for engine in engines]
        results = [future.result(timeout=30) for future in futures]  # either one's error too
        assert set(results) == {(None, migrate.head()), (migrate.head(), migrate.head())}
        assert migrate.current(engines[0]) == migrate.head()
        assert migrate.differences(engines[0]) == []
    finally:
        pool.shutdown(wait=False)  # an upgrade stuck on a lock must not hang the suite
        for engine in engines:
            engine.dispose()


def test_upgrade_downgrade_upgrade(new_database_url: str) -> None:
    engine = make_engine(new_database_url)
    try:
        migrate.upgrade(engine)
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert migrate.current(engine) is None
        migrate.upgrade(engine)
        assert migrate.differences(engine) == []
    finally:
        engine.dispose()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path, new_database_url: str) -> str:
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    monkeypatch.setenv("DATABASE_URL", new_database_url)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:not-a-real-token")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:9/bot")  # never reached
    return new_database_url


def test_run_refuses_a_database_behind_the_code_until_migrated(
        cli_env: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "mandat-bot migrate" in out[0], out
    assert "n'est pas à jour" in out[0]

    assert main(["migrate"]) == 0
    assert migrate.head() in capsys.readouterr().out
    engine = make_engine(cli_env)
    try:
        assert migrate.current(engine) == migrate.head()
        migrate.check(engine)  # no longer raises
    finally:
        engine.dispose()
    assert main(["migrate"]) == 0
    assert "déjà à jour" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["run"], ["migrate"], ["export", "backup.yaml"]])
def test_an_unreachable_database_is_one_french_line(
        command: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:not-a-real-token")
    try:
        code = main(command)
    except SystemExit as exc:
        code, message = 2, str(exc.code)
    else:
        message = capsys.readouterr().out.strip()
    assert code == 2
    assert message.startswith("Erreur : base de données injoignable (") and "\n" not in message


def test_foreign_keys_are_still_enforced_after_a_migration(new_database_url: str) -> None:
    """SQLite migrates with foreign keys off (a batch copy drops referenced tables): the
    connection goes back to the pool with them on again."""
    engine = make_engine(new_database_url)
    try:
        migrate.upgrade(engine)
        with pytest.raises(IntegrityError), transaction(engine) as session:
            session.add(Subscription(subscriber_id=424242, topic=None))
    finally:
        engine.dispose()
