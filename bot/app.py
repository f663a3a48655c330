"""Composition: settings → database → answer engine → reminders → PTB Application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

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

from bot import handlers, texts
from bot.admin import register_admin_handlers, set_admin_command_menus
from bot.context import SERVICES_KEY, Services
from bot.settings import Settings
from bot.subscriptions import BotNotifier, register_subscription_handlers
from knowledge.engine import AnswerEngine
from knowledge.seed import ensure_seeded
from knowledge.store import make_engine
from scheduler.service import ReminderService

log = logging.getLogger(__name__)


class RedactingFormatter(logging.Formatter):
    """Formats like the handler's own formatter, then removes the bot token from the whole
    line, traceback included (httpx logs request URLs, PTB puts the token in errors)."""

    def __init__(self, inner: logging.Formatter | None, token: str) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return _redact(self.inner.format(record), self.token)


def protect_token(token: str) -> None:
    if not token:
        return
    for handler in logging.getLogger().handlers:
        handler.setFormatter(RedactingFormatter(handler.formatter, token))


def open_services(settings: Settings) -> Services:
    db = make_engine(settings.database_url)
    ensure_seeded(db, settings.tz)
    return Services(settings=settings, db=db, engine=AnswerEngine(db, settings.tz))


def build_application(services: Services, token: str, *, base_url: str | None = None,
                      base_file_url: str | None = None) -> Application:
    settings = services.settings
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url or settings.telegram_api_base_url)
        .base_file_url(base_file_url or settings.telegram_file_base_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML))
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(64)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data[SERVICES_KEY] = services
    services.reminders = ReminderService(
        services.db, BotNotifier(application.bot), tz=settings.tz,
        default_offsets=settings.offsets_seconds, grace_seconds=settings.grace_seconds)
    register_handlers(application)
    return application


def register_handlers(application: Application) -> None:
    application.add_handler(TypeHandler(Update, handlers.flood_control), group=-1)
    commands = {
        "start": handlers.start,
        "aide": handlers.help_command,
        "help": handlers.help_command,
        "priorites": handlers.priorities_command,
        "elus": handlers.people_command,
        "chiffres": handlers.figures_command,
        "agenda": handlers.agenda_command,
        "chercher": handlers.search_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(
        CallbackQueryHandler(handlers.on_button, pattern=r"^(menu|ax|pr|p|c|ag|e):"))
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
    application.add_error_handler(handlers.error_handler)


async def _post_init(application: Application) -> None:
    await set_command_menus(application)
    await set_admin_command_menus(application)
    services: Services = application.bot_data[SERVICES_KEY]
    if services.reminders is not None:
        services.reminders.start()


async def _post_shutdown(application: Application) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    if services.reminders is not None:
        services.reminders.shutdown()


async def set_command_menus(application: Application) -> None:
    """French command menus for private chats and groups; a refusal is logged, not fatal."""
    commands = [BotCommand(name, description) for name, description in texts.COMMANDS_PUBLIC]
    for scope in (BotCommandScopeAllPrivateChats(), BotCommandScopeAllGroupChats()):
        try:
            await application.bot.set_my_commands(commands, scope=scope)
        except TelegramError as exc:
            log.warning("setMyCommands refused (%s): continuing without menus", exc)


def run_polling(settings: Settings) -> int:
    """`mandat-bot run`: long polling against the configured Bot API until SIGINT/SIGTERM."""
    if settings.telegram_bot_token is None or not settings.telegram_bot_token.get_secret_value():
        print("Erreur : TELEGRAM_BOT_TOKEN n'est pas défini (variable d'environnement ou .env). "
              "Sans jeton, essayez « mandat-bot chat ».")
        return 2
    token = settings.telegram_bot_token.get_secret_value()
    _configure_logging(settings, token)
    problem = asyncio.run(check_token(settings, token))
    if problem:
        print(f"Erreur : {problem}")
        return 2
    application = build_application(open_services(settings), token)
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False,
                            stop_signals=(signal.SIGINT, signal.SIGTERM))
    return 0


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
    protect_token(token)


def _redact(text: str, token: str) -> str:
    return text.replace(token, "<TOKEN>") if token else text

