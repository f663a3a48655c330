"""The `mandat-bot` command: ask, init, migrate, export, import, run (polling), webhook,
chat (local)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.settings import Settings

EXIT_UNKNOWN = 3
EXIT_CONFIG = 2
ASK_EPILOG = f"""\
Sans argument, les questions sont lues sur l'entrée standard, une par ligne.
Code de sortie : 0 si chaque question a une réponse, {EXIT_UNKNOWN} si au moins une question
est inconnue (pour un lot lu sur l'entrée standard : si une seule l'est).
Avec --json et l'entrée standard : un objet JSON par ligne (JSON Lines), dont « question »
et « kind » (answer, ambiguous ou unknown) disent quelles questions sont restées sans
réponse, par exemple : mandat-bot ask --json < questions.txt | jq -c 'select(.kind == "unknown")'
"""


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SystemExit(f"Configuration invalide — {problems}") from None


def _engine(settings: Settings):  # noqa: ANN202 - returns (db engine, answer engine)
    from knowledge.seed import ensure_seeded
    from knowledge.selector import ENGINES
    from knowledge.store import make_engine

    db = make_engine(settings.database_url)
    ensure_seeded(db, settings.tz)
    return db, ENGINES[settings.answer_engine](db, settings.tz)


def cmd_ask(args: argparse.Namespace) -> int:
    from knowledge import links
    from knowledge.engine import AnswerKind

    _, engine = _engine(_settings())
    questions = [" ".join(args.question)] if args.question else _stdin_questions()
    code = 0
    for question in questions:
        answer = links.ask(engine, question)
        if args.json:  # one question: indented; a batch: JSON Lines
            indent = 2 if args.question else None
            print(json.dumps(answer.to_dict(), ensure_ascii=False, indent=indent), flush=True)
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
    from knowledge.seed import ensure_empty, ensure_seeded
    from knowledge.store import make_engine

    settings = _settings()
    if args.empty:
        ensure_empty(make_engine(settings.database_url))
        print("Base créée sans le séminaire : chargez vos documents (mandat-bot ingest, ou "
              "envoyez-les au bot).")
        return 0
    loaded = ensure_seeded(make_engine(settings.database_url), settings.tz, reset=args.reset)
    print("Base initialisée depuis le séminaire." if loaded else "Base déjà initialisée "
          "(utilisez --reset pour la reconstruire).")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from knowledge import migrate
    from knowledge.store import make_engine

    engine = make_engine(_settings().database_url)
    try:
        before, after = migrate.upgrade(engine)
    except migrate.DatabaseProblem as exc:
        print(f"Erreur : {exc}")
        return EXIT_CONFIG
    finally:
        engine.dispose()
    if before == after:
        print(f"Base déjà à jour (révision {after}).")
    else:
        print(f"Base migrée : {before or 'vide'} → révision {after}.")
    return 0


OPERATOR_ID = 0  # the audit trail's author of a command-line import, and its name:
OPERATOR_NAME = "ligne de commande (mandat-bot import)"


def cmd_export(args: argparse.Namespace) -> int:
    """The whole base as YAML, exactly what /export sends (a backup `import` restores)."""
    from sqlmodel import Session

    from knowledge.admin_store import export_document
    from knowledge.store import private_file
    from knowledge.text import french_number

    settings = _settings()
    db = _checked_engine(settings)
    with Session(db) as session:
        text = export_document(session, settings.tz)
    if args.file == "-":
        sys.stdout.write(text)
    else:  # like the database, readable by its owner only (0600)
        private_file(Path(args.file))
        Path(args.file).write_text(text, encoding="utf-8")
        size = french_number(len(text.encode()))
        print(f"Base exportée dans {args.file} ({size} octets).")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate, show what changes, then apply all or nothing (as /import, with --yes or o)."""
    from sqlmodel import Session

    from knowledge import admin_store
    from knowledge.admin_store import AdminError
    from knowledge.seed import MAX_CLI_BACKUP_BYTES, SeedError
    from knowledge.store import transaction

    settings = _settings()
    data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    if len(data) > MAX_CLI_BACKUP_BYTES:
        print(f"Import refusé : fichier trop volumineux ({len(data)} octets, "
              f"{MAX_CLI_BACKUP_BYTES} au plus).")
        return EXIT_CONFIG
    db = _checked_engine(settings)
    try:
        document = admin_store.parse_import(data, MAX_CLI_BACKUP_BYTES)
        with Session(db) as session:
            plan = admin_store.plan_import(session, document, settings.tz)
    except (SeedError, AdminError) as exc:
        print(f"Import refusé, rien n'a changé : {exc}")
        return EXIT_CONFIG
    if plan.empty:
        print("Aucun changement : la base contient déjà ce document.")
        return 0
    print("\n".join(_plan_lines(plan)))
    if plan.mass_deletions and not args.allow_deletions:
        print(f"Import refusé, rien n'a changé : {admin_store.mass_deletion_warning(plan)}.\n"
              "Si c'est bien voulu, relancez avec --allow-deletions.")
        return EXIT_CONFIG
    if not (args.yes or _confirmed()):
        print("Import annulé, rien n'a changé (--yes pour confirmer sans question).")
        return 1
    try:
        with transaction(db) as session:
            admin_store.apply_import(session, document, settings.tz, OPERATOR_ID, plan.version,
                                     allow_deletions=args.allow_deletions, by=OPERATOR_NAME)
    except (SeedError, AdminError) as exc:
        print(f"Import refusé, rien n'a changé : {exc}")
        return EXIT_CONFIG
    print(f"Import appliqué : {sum(diff.count for diff in plan.diffs)} entrée(s).")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Load a document (PDF, .docx, Markdown, text): preview with the dates it announces,
    then store it all or nothing (with --jalons, its upcoming dates as milestones too)."""
    from sqlmodel import Session

    from knowledge.admin_store import AdminError, proposals
    from knowledge.admin_store import documents as docs
    from knowledge.documents import DocumentError, read_document
    from knowledge.models import utcnow
    from knowledge.store import transaction

    settings = _settings()
    path = Path(args.file)
    try:
        read = read_document(path.read_bytes(), path.name, args.title or "",
                             settings.document_limits)
    except (DocumentError, OSError) as exc:
        print(f"Document refusé, rien n'a changé : {exc}")
        return EXIT_CONFIG
    db = _checked_engine(settings)
    try:
        with Session(db) as session:
            version = docs.plan_document(session, read)
    except AdminError as exc:
        print(f"Rien à faire : {exc}")
        return 0
    print("\n".join([*docs.preview_lines(read, version), *_date_lines(read, settings,
                                                                     args.jalons)]))
    if not (args.yes or _confirmed()):
        print("Chargement annulé, rien n'a changé (--yes pour confirmer sans question).")
        return 1
    try:
        with transaction(db) as session:
            document = docs.add_document(session, read, OPERATOR_ID, "ligne de commande",
                                         version.old.id if version.old else None)
            added, already = proposals.add_upcoming(
                session, document.id, OPERATOR_ID, settings.tz, utcnow(),
                by="ligne de commande") if args.jalons else ([], 0)
    except AdminError as exc:
        print(f"Document refusé, rien n'a changé : {exc}")
        return EXIT_CONFIG
    print(f"Document chargé : « {read.title} », {len(read.passages)} passages.")
    if args.jalons:
        kept = f" ({already} déjà au calendrier)" if already else ""
        print(f"Rendez-vous ajoutés au calendrier : {len(added)}{kept}.")
    return 0


def _date_lines(read, settings: Settings, adding: bool) -> list[str]:  # noqa: ANN001 - Read
    """The dates a document announces, as `ingest` previews them."""
    from knowledge.admin_store.proposals import proposal_line
    from knowledge.document_dates import find_dates, upcoming
    from knowledge.grammar import plural
    from knowledge.models import utcnow

    found = find_dates((passage.page, passage.text) for passage in read.passages)
    if not found:
        return []
    coming, past = upcoming(found, utcnow().astimezone(settings.tz))
    what = ("ajoutées au calendrier au chargement" if adding
            else "--jalons pour les ajouter au calendrier")
    ignored = f", {past} {plural(past, 'passée ignorée', 'passées ignorées')}" if past else ""
    return [f"Dates à venir : {len(coming)}{ignored} ({what}).",
            *(f"  • {proposal_line(found[index], settings.tz)}" for index in coming)]


def _plan_lines(plan) -> list[str]:  # noqa: ANN001 - knowledge.admin_store.ImportPlan
    lines = []
    for diff in plan.diffs:
        if diff.count:
            lines.append(f"{diff.entity} : {len(diff.added)} ajout(s), "
                         f"{len(diff.changed)} modification(s), {len(diff.removed)} "
                         "suppression(s)")
    return lines


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        return False
    return input("Appliquer ? [o/N] ").strip().lower() in {"o", "oui", "y", "yes"}


def _checked_engine(settings: Settings):  # noqa: ANN202 - a SQLAlchemy Engine
    """The database, refused (one French line, exit 2) when behind the code."""
    from knowledge import migrate
    from knowledge.store import make_engine

    db = make_engine(settings.database_url)
    try:
        migrate.check(db)
    except migrate.DatabaseProblem as exc:  # behind the code, or unreachable
        raise SystemExit(f"Erreur : {exc}") from None
    return db


def cmd_run(args: argparse.Namespace) -> int:
    from bot.app import run_polling

    return run_polling(_settings(), migrate=args.migrate)


def cmd_webhook(args: argparse.Namespace) -> int:
    from bot.app import run_webhook

    return run_webhook(_settings(), migrate=args.migrate)


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
    ask = sub.add_parser("ask", help="poser une question (sans argument : une par ligne)",
                         epilog=ASK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    ask.add_argument("question", nargs="*", help="la question, en français")
    ask.add_argument("--json", action="store_true", help="afficher la réponse complète en JSON")
    ask.set_defaults(func=cmd_ask)
    init = sub.add_parser("init", help="créer la base depuis le séminaire")
    init.add_argument("--reset", action="store_true", help="reconstruire les connaissances")
    init.add_argument("--empty", action="store_true",
                      help="une base sans le séminaire 2021, pour vos seuls documents")
    init.set_defaults(func=cmd_init)
    sub.add_parser("migrate", help="mettre le schéma de la base à jour (Alembic)"
                   ).set_defaults(func=cmd_migrate)
    export = sub.add_parser("export", help="exporter la base en YAML (comme /export)")
    export.add_argument("file", help="fichier à écrire (- : sortie standard)")
    export.set_defaults(func=cmd_export)
    imp = sub.add_parser("import", help="importer un document YAML (comme /import)")
    imp.add_argument("file", help="fichier à lire (- : entrée standard)")
    imp.add_argument("--yes", action="store_true", help="appliquer sans demander")
    imp.add_argument("--allow-deletions", action="store_true",
                     help="accepter un import qui supprime la plupart des entrées d'une section "
                          "(refusé sinon)")
    imp.set_defaults(func=cmd_import)
    ingest = sub.add_parser("ingest", help="charger un document (PDF, Word .docx, Markdown, "
                            "texte) : aperçu, puis confirmation")
    ingest.add_argument("file", help="le fichier à charger")
    ingest.add_argument("--title", help="le titre cité dans les réponses (sinon : celui du "
                        "document, ou son nom de fichier)")
    ingest.add_argument("--yes", action="store_true", help="charger sans demander")
    ingest.add_argument("--jalons", action="store_true",
                        help="ajouter aussi au calendrier les dates à venir qu'il annonce")
    ingest.set_defaults(func=cmd_ingest)
    run = sub.add_parser("run", help="démarrer le bot Telegram (long polling)")
    run.add_argument("--migrate", action="store_true",
                     help="mettre la base à jour au démarrage plutôt que de refuser")
    run.set_defaults(func=cmd_run)
    webhook = sub.add_parser("webhook", help="démarrer le bot derrière un proxy HTTPS "
                             "(WEBHOOK_URL, WEBHOOK_SECRET), avec /healthz et /metrics")
    webhook.add_argument("--migrate", action="store_true",
                         help="mettre la base à jour au démarrage plutôt que de refuser")
    webhook.set_defaults(func=cmd_webhook)
    chat = sub.add_parser("chat", help="discuter avec le bot dans le terminal, sans Telegram")
    chat.add_argument("--prenom", default="", help="votre prénom, pour l'accueil du bot")
    chat.set_defaults(func=cmd_chat)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: "
                        "%(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # `migrate` prints its own line
    try:
        return args.func(args)
    except BrokenPipeError:  # piped into `head`: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
