"""The `mandat-bot` command: ask, init, run (Telegram), chat (local, no account needed)."""

from __future__ import annotations

import argparse
import json
import logging
import sys

from pydantic import ValidationError

from bot.settings import Settings

EXIT_UNKNOWN = 3
EXIT_CONFIG = 2


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SystemExit(f"Configuration invalide — {problems}") from None


def _engine(settings: Settings):  # noqa: ANN202 - returns (db engine, answer engine)
    from knowledge.engine import AnswerEngine
    from knowledge.seed import ensure_seeded
    from knowledge.store import make_engine

    db = make_engine(settings.database_url)
    ensure_seeded(db, settings.tz)
    return db, AnswerEngine(db, settings.tz)


def cmd_ask(args: argparse.Namespace) -> int:
    from knowledge.engine import AnswerKind

    _, engine = _engine(_settings())
    questions = [" ".join(args.question)] if args.question else _stdin_questions()
    code = 0
    for question in questions:
        answer = engine.ask(question)
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(answer.text())
            if not args.question:
                print()
        if answer.kind is AnswerKind.UNKNOWN:
            code = EXIT_UNKNOWN
    return code


def _stdin_questions():  # noqa: ANN202 - a generator of lines
    interactive = sys.stdin.isatty()
    while True:
        if interactive:
            print("Question (Ctrl-D pour quitter) > ", end="", flush=True)
        line = sys.stdin.readline()
        if not line:
            return
        if line.strip():
            yield line.strip()


def cmd_init(args: argparse.Namespace) -> int:
    from knowledge.seed import ensure_seeded
    from knowledge.store import make_engine

    settings = _settings()
    loaded = ensure_seeded(make_engine(settings.database_url), settings.tz, reset=args.reset)
    print("Base initialisée depuis le séminaire." if loaded else "Base déjà initialisée "
          "(utilisez --reset pour la reconstruire).")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import run_polling

    return run_polling(_settings())


def cmd_chat(args: argparse.Namespace) -> int:
    try:
        from bot.terminal_chat import run_local_chat
    except ModuleNotFoundError as exc:  # the stand-in's server is an optional extra
        if exc.name != "aiohttp":
            raise
        raise SystemExit("Le mode local a besoin d'aiohttp : pip install 'mandat-bot[chat]' "
                         "(make install l'installe).") from None
    return run_local_chat(_settings(), args.prenom)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mandat-bot", description="L'assistant des élus de Grand-Orly Seine Bièvre."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="poser une question (sans argument : une par ligne)")
    ask.add_argument("question", nargs="*", help="la question, en français")
    ask.add_argument("--json", action="store_true", help="afficher la réponse complète en JSON")
    ask.set_defaults(func=cmd_ask)
    init = sub.add_parser("init", help="créer la base depuis le séminaire")
    init.add_argument("--reset", action="store_true", help="reconstruire les connaissances")
    init.set_defaults(func=cmd_init)
    sub.add_parser("run", help="démarrer le bot Telegram").set_defaults(func=cmd_run)
    chat = sub.add_parser("chat", help="discuter avec le bot dans le terminal, sans Telegram")
    chat.add_argument("--prenom", default="", help="votre prénom, pour l'accueil du bot")
    chat.set_defaults(func=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return args.func(args)
    except BrokenPipeError:  # piped into `head`: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
