"""The `mandat-bot` command's exit codes: 0 answered, 3 unknown, 2 bad usage or no token."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, create_engine, select

from bot.cli import EXIT_UNKNOWN, main
from bot.terminal_chat import LOCAL_USER
from knowledge.models import Subscriber

if TYPE_CHECKING:
    from tests.conftest import Databases

UNKNOWN = "xyzzy plugh"
KNOWN = "qui est le président ?"


@pytest.fixture
def database(databases: Databases, seeded_template: str, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A seeded copy as DATABASE_URL, run from an empty directory (no stray .env read)."""
    url = databases.copy(seeded_template)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    yield url
    databases.drop(url)


def test_a_known_question_exits_0(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", *KNOWN.split()]) == 0
    assert "LEPRÊTRE, président" in capsys.readouterr().out


def test_an_unknown_question_exits_3(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", *UNKNOWN.split()]) == EXIT_UNKNOWN == 3
    assert "pas trouvé" in capsys.readouterr().out


def test_json_output_carries_the_kind(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", *UNKNOWN.split()]) == 3
    assert json.loads(capsys.readouterr().out)["kind"] == "unknown"


def test_questions_from_stdin_exit_3_if_any_is_unknown(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{KNOWN}\n\n{UNKNOWN}\n"))
    assert main(["ask"]) == 3
    out = capsys.readouterr().out
    assert "LEPRÊTRE, président" in out and "pas trouvé" in out
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{KNOWN}\n"))
    assert main(["ask"]) == 0


def test_json_on_stdin_prints_one_object_per_line_telling_which_was_unknown(
    database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{KNOWN}\n{UNKNOWN}\n"))
    assert main(["ask", "--json"]) == 3
    lines = capsys.readouterr().out.splitlines()
    assert [(json.loads(line)["question"], json.loads(line)["kind"]) for line in lines] == [
        (KNOWN, "answer"), (UNKNOWN, "unknown")]


def test_ask_help_tells_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ask", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"{EXIT_UNKNOWN} si au moins une question est inconnue" in help_text
    assert "JSON Lines" in help_text


def test_init_exits_0_and_says_whether_it_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    assert main(["init"]) == 0
    assert "Base initialisée depuis le séminaire." in capsys.readouterr().out
    assert main(["init"]) == 0
    assert "déjà initialisée" in capsys.readouterr().out
    assert main(["init", "--reset"]) == 0
    assert "Base initialisée depuis le séminaire." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv", [[], ["inconnue"], ["ask", "--bogus"], ["init", "--force"], ["run", "extra"]]
)
def test_bad_arguments_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    assert "usage: mandat-bot" in capsys.readouterr().err


def test_an_invalid_setting_stops_with_a_french_message(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIMEZONE", "Mars/Olympus")
    with pytest.raises(SystemExit) as exc:
        main(["ask", *KNOWN.split()])
    assert str(exc.value.code).startswith("Configuration invalide — TIMEZONE")


def test_run_without_a_token_exits_2(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN n'est pas défini" in capsys.readouterr().out


def test_chat_starts_the_local_stand_in_and_leaves_at_end_of_input(database: str) -> None:
    """`make run` without a token: the real bot against the stand-in, until Ctrl-D."""
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Mode local" in done.stdout and done.stdout.rstrip().endswith("Au revoir.")


def test_chat_subscribes_the_local_user_named_after_their_login(database: str) -> None:
    """Issue #18: /abonner in the terminal chat, whose user has no first name, is answered; the
    subscriber is named after the login (as a Telegram username: letters, digits, "_")."""
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["LOGNAME"] = "claire.dupont"  # what getpass.getuser() reads first
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input="/abonner\n/quit\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "🔔 C'est noté" in done.stdout and "Désolé" not in done.stdout, done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    engine = create_engine(database)
    try:
        with Session(engine) as session:
            [name] = session.exec(select(Subscriber.name).where(Subscriber.chat_id == LOCAL_USER))
    finally:
        engine.dispose()
    assert name == "@claire_dupont"


def test_chat_without_the_chat_extra_says_how_to_install_it(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in sys.modules if n.split(".")[0] == "botapi_standin"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "bot.terminal_chat", raising=False)
    monkeypatch.setitem(sys.modules, "aiohttp", None)  # as if not installed
    with pytest.raises(SystemExit) as exc:
        main(["chat"])
    assert "pip install 'mandat-bot[chat]'" in str(exc.value.code)
