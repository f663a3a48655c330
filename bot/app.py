"""Composition: settings → database → answer engine → reminders → PTB Application."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import logging
import signal
import sys
import threading
import traceback

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import callbacks, handlers, texts
from bot.admin import register_admin_handlers, set_admin_command_menus
from bot.admin.access import CONVERSATIONS
from bot.callbacks import MENU_PREFIXES
from bot.context import SERVICES_KEY, Services
from bot.lines import ChatLines
from bot.metrics import Metrics
from bot.notifier import BotNotifier
from bot.persistence import DatabasePersistence
from bot.replicas import KnowledgeWatcher
from bot.settings import Settings
from bot.subscriptions import register_subscription_handlers
from bot.typography import FrenchRequest
from knowledge import migrate as schema
from knowledge.seed import ensure_seeded
from knowledge.selector import ENGINES
from knowledge.store import make_engine
from scheduler.delivery import CONCURRENCY
from scheduler.replicas import Replica
from scheduler.service import ReminderService

log = logging.getLogger(__name__)
CONCURRENT_UPDATES = 64
# What survives a restart and moves between replicas (each saved before the reply).
PERSISTED_USER_KEYS = CONVERSATIONS  # the admin conversations (bot.admin.access)
# Threads for the database work handed off the event loop (knowledge.store.in_session and
# in_transaction): as many as the engine's pool has connections (SQLAlchemy's default
# 5 + 10 overflow), so a lock held elsewhere that makes writes wait does not leave the
# reads queued behind them (asyncio's default would be min(32, cores + 4): 6 here).
DATABASE_THREADS = 15
EXIT_TOKEN_REJECTED = 2
# PTB's name for its polling task. A token rejected after start-up ends that task and nothing
# else, so the process would keep running, deaf; watching the task turns that into an exit.
POLLING_TASK_NAME = "Updater:start_polling:polling_task"
DETACHED_GROUP = -10  # before every other group, the admin ones (-3, -2) included
UNROUTED_GROUP = 1  # after the public handlers (0): sees only what no group stopped
WATCHER_KEY = "knowledge_watcher"  # bot_data: the KnowledgeWatcher, from init to shutdown


class RedactingFormatter(logging.Formatter):
    """Formats like the handler's own formatter, then removes the bot token and the webhook
    secret from the whole line, traceback included (httpx logs request URLs, PTB puts the
    token in errors and logs setWebhook's secret_token at DEBUG)."""

    def __init__(self, inner: logging.Formatter | None, token: str, secret: str = "") -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.token, self.secret = token, secret

    def format(self, record: logging.LogRecord) -> str:
        return _redact(self.inner.format(record), self.token, self.secret)


def protect_secrets(token: str, secret: str = "") -> None:
    """Every handler of the root logger writes its lines without the token and the secret."""
    if not token and not secret:
        return
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(handler.formatter, token, secret))


def open_services(settings: Settings, *, migrate: bool = True) -> Services:
    """Database (migrated, or checked: SchemaBehind when behind the code), seed, engine.
    DatabaseProblem when the database is unreachable."""
    db = make_engine(settings.database_url)
    if migrate:
        schema.upgrade(db)
    else:
        schema.check(db)
    ensure_seeded(db, settings.tz)
    engine = ENGINES[settings.answer_engine](db, settings.tz)
    return Services(settings=settings, db=db, engine=engine)


def build_application(services: Services, token: str, *, base_url: str | None = None,
                      base_file_url: str | None = None,
                      metrics: Metrics | None = None) -> Application:
    settings = services.settings
    timed = metrics.update_handled if metrics is not None else None
    base_url = base_url or settings.telegram_api_base_url
    base_file_url = base_file_url or settings.telegram_file_base_url
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(ChatLines(CONCURRENT_UPDATES, on_handled=timed))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .persistence(DatabasePersistence(services.db, PERSISTED_USER_KEYS,
                                         concerns=lambda user_id: user_id in services.admins))
    )
    if metrics is not None:  # webhook mode: updates timed (ChatLines), Bot API errors counted
        builder = metrics.instrument(builder)
    else:  # French spaces in every text sent (bot.typography); PTB's own pool size
        builder = builder.request(FrenchRequest(connection_pool_size=256))
    application = builder.build()
    application.bot_data[SERVICES_KEY] = services
    services.notifier = BotNotifier(reminder_bot(token, base_url, base_file_url))
    services.reminders = ReminderService(
        services.db, services.notifier, tz=settings.tz,
        default_offsets=settings.offsets_seconds, grace_seconds=settings.grace_seconds,
        replica=Replica(services.db, settings.lease_seconds))
    register_handlers(application)
    return application


def reminder_bot(token: str, base_url: str, base_file_url: str) -> Bot:
    """The Bot reminders go out through: a plain `Bot`, without PTB's rate limiter.

    One limiter on the reminder path, the scheduler's `Deliverer`: it spaces the fan-out,
    on a 429 pauses every sender for `retry_after` (once) and retries, on a 403 deactivates
    the subscriber, and records each outcome. Behind the application's AIORateLimiter, a 429
    was retried inside PTB and the Deliverer's handling rarely ran. Replies to users keep
    AIORateLimiter; a reminder fan-out and replies share Telegram's budget, and a 429 either
    one meets is handled on its own path.
    """
    request = FrenchRequest(connection_pool_size=CONCURRENCY + 4, pool_timeout=30.0)
    return Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, handlers.detached_button), group=DETACHED_GROUP)
    application.add_handler(TypeHandler(Update, handlers.flood_control), group=-1)
    commands = {
        "start": handlers.start,
        "menu": handlers.start,  # what people type to find the menus again
        "aide": handlers.help_command,
        "help": handlers.help_command,
        "priorites": handlers.priorities_command,
        "elus": handlers.people_command,
        "chiffres": handlers.figures_command,
        "agenda": handlers.agenda_command,
        "chercher": handlers.search_command,
        "stop": handlers.stop_command,  # always answers (the guided conversation's own first)
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(
        CallbackQueryHandler(handlers.on_button, pattern=callbacks.pattern(*MENU_PREFIXES)))
    register_subscription_handlers(application)
    register_admin_handlers(application)
    application.add_handler(InlineQueryHandler(handlers.inline_query))
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, handlers.text_message))
    application.add_handler(MessageHandler(
        filters.UpdateType.MESSAGE & (filters.Sticker.ALL | filters.PHOTO | filters.VOICE
                                      | filters.AUDIO | filters.Document.ALL | filters.VIDEO
                                      | filters.LOCATION | filters.CONTACT),
        handlers.unsupported_message))
    application.add_handler(  # forged or outdated data: answered, never a spinning button
        CallbackQueryHandler(handlers.on_unrouted_button, pattern=callbacks.unrouted,
                             game_pattern=".*"),
        group=UNROUTED_GROUP)
    application.add_error_handler(handlers.error_handler)


async def _post_init(application: Application) -> None:
    asyncio.get_running_loop().set_default_executor(concurrent.futures.ThreadPoolExecutor(
        DATABASE_THREADS, thread_name_prefix="database"))
    await set_command_menus(application)
    await set_admin_command_menus(application)
    services: Services = application.bot_data[SERVICES_KEY]
    if services.notifier is not None:
        await services.notifier.start()
    if services.reminders is not None:
        services.reminders.start()
    watcher = application.bot_data[WATCHER_KEY] = KnowledgeWatcher(services)
    await watcher.start()
    # Everything loaded so far (modules, the answer index) lives as long as the process: out
    # of the collector's full passes, which otherwise stall the loop for 100-200 ms each.
    gc.freeze()
    # A rebuild of the answer index (after an upload) runs in a thread for a second or
    # more: it hands the interpreter back every millisecond rather than every five, so the
    # replies being sent meanwhile do not queue behind it.
    sys.setswitchinterval(0.001)


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    watcher: KnowledgeWatcher | None = application.bot_data.get(WATCHER_KEY)
    if watcher is not None:
        await watcher.stop()
    services.parser.shutdown()
    services.answers.shutdown()
    if services.reminders is not None:
        services.reminders.shutdown()
    if services.notifier is not None:
        await services.notifier.stop()


async def set_command_menus(application: Application) -> None:
    """French command menus for private chats and groups; a refusal is logged, not fatal."""
    commands = [BotCommand(name, description) for name, description in texts.COMMANDS_PUBLIC]
    for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
        try:
            await application.bot.set_my_commands(commands, scope=scope)
        except TelegramError as exc:
            log.warning("setMyCommands refused (%s): continuing without menus", exc)


def run_polling(settings: Settings, *, migrate: bool = False) -> int:
    """`mandat-bot run`: long polling against the configured Bot API until SIGINT/SIGTERM.
    A database behind the code is refused (one French line) unless `migrate`."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        print("Erreur : TELEGRAM_BOT_TOKEN n'est pas défini (variable d'environnement ou .env). "
              "Sans jeton, essayez « mandat-bot chat ».")
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    services = _checked_services(settings, token, migrate)
    if services is None:
        return 2
    application = build_application(services, token)
    if not asyncio.run(poll_until_stopped(application)):
        print("Erreur : le jeton TELEGRAM_BOT_TOKEN a été refusé par l'API Telegram en cours "
              "de fonctionnement ; arrêt du bot.", file=sys.stderr)
        return EXIT_TOKEN_REJECTED
    return 0


def _checked_services(settings: Settings, token: str, migrate: bool) -> Services | None:
    """Logging, database (migrated or checked), then one getMe; None after one French line."""
    _configure_logging(settings, token)
    try:
        services = open_services(settings, migrate=migrate)
    except schema.DatabaseProblem as exc:  # behind the code, or unreachable
        print(f"Erreur : {exc}")
        return None
    problem = asyncio.run(check_token(settings, token))
    if problem:
        print(f"Erreur : {problem}")
        return None
    return services


def run_webhook(settings: Settings, *, migrate: bool = False) -> int:
    """`mandat-bot webhook`: the bot behind an HTTPS reverse proxy (bot/webhook.py), with
    /healthz and /metrics, until SIGINT/SIGTERM."""
    from bot.webhook import check_webhook_settings

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    problem = "TELEGRAM_BOT_TOKEN n'est pas défini." if not token else None
    problem = problem or check_webhook_settings(settings)
    if problem:
        print(f"Erreur : {problem}")
        return 2
    services = _checked_services(settings, token, migrate)
    if services is None:
        return 2
    metrics = Metrics(services.db)
    application = build_application(services, token, metrics=metrics)
    try:
        asyncio.run(_serve_webhook(application, services, metrics, settings))
    except TelegramError as exc:  # setWebhook refused
        print(f"Erreur : Telegram a refusé le webhook ({_redact(exc.message, token)}).")
        return 2
    except OSError as exc:  # the address is taken, or not ours
        print(f"Erreur : {exc}")
        return 2
    except KeyboardInterrupt:
        pass
    return 0


async def _serve_webhook(application: Application, services: Services, metrics: Metrics,
                         settings: Settings) -> None:
    from bot.webhook import webhook_running

    stop = _stop_on_signals()
    async with webhook_running(application, services, metrics, settings) as running:
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running.task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()


async def poll_until_stopped(application: Application,
                             stop: asyncio.Event | None = None) -> bool:
    """Long polling until SIGINT/SIGTERM (or `stop`): True; False when polling died, which
    in PTB only happens when the token is rejected (401/404) after start-up."""
    stop = stop or _stop_on_signals()
    async with application:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
        polling = next(task for task in asyncio.all_tasks()
                       if task.get_name() == POLLING_TASK_NAME)
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({polling, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        healthy = not polling.done()
        with contextlib.suppress(InvalidToken):  # already logged (redacted) by PTB
            await application.updater.stop()
        await application.stop()
        await application.post_shutdown(application)
    return healthy


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def check_token(settings: Settings, token: str) -> str | None:
    """One getMe before starting, so a bad token or an unreachable API is one clear line."""
    bot = Bot(token, base_url=settings.telegram_api_base_url,
              base_file_url=settings.telegram_file_base_url)
    try:
        await bot.get_me()
    except InvalidToken:
        return "le jeton TELEGRAM_BOT_TOKEN a été refusé par l'API Telegram."
    except (NetworkError, TimedOut) as exc:
        return (f"API Telegram injoignable à {settings.telegram_api_base_url} "
                f"({_redact(str(exc), token)}).")
    finally:
        with contextlib.suppress(TelegramError):
            await bot.shutdown()
    return None


def _configure_logging(settings: Settings, token: str) -> None:
    logging.getLogger().setLevel(settings.log_level.upper())
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.executors").setLevel(logging.WARNING)  # 2 lines a heartbeat
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else ""
    protect_secrets(token, secret)
    redact_uncaught_exceptions(token, secret)


def redact_uncaught_exceptions(token: str, secret: str = "") -> None:
    """Tracebacks that escape logging (main thread or other threads) are printed redacted."""
    if not token and not secret:
        return

    def print_redacted(kind: type[BaseException], exc: BaseException, tb: object) -> None:
        text = "".join(traceback.format_exception(kind, exc, tb))  # type: ignore[arg-type]
        sys.stderr.write(_redact(text, token, secret))

    sys.excepthook = print_redacted
    threading.excepthook = lambda args: print_redacted(
        args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)


def _redact(text: str, token: str, secret: str = "") -> str:
    """`text` without the bot token nor the webhook secret (the token first: the secret
    may be a part of it)."""
    for value, mark in ((token, "<TOKEN>"), (secret, "<WEBHOOK_SECRET>")):
        text = text.replace(value, mark) if value else text
    return text

