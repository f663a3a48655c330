"""Terminal chat with the real bot through `LocalBotApi` (no Telegram account needed).

The only product module that imports the Bot API stand-in: `run_local_chat` (`mandat-bot chat`,
`make run` without a token) starts it and the bot's `Application`. A test can instead start
both itself (the Application long-polling `api.base_url`) and await `run_terminal_chat(api)`.

Each typed line is sent as the user in a private chat; every message the bot sends or edits
is printed (plain text: Telegram already stripped the HTML tags), with its inline buttons
numbered. Typing a number presses that button on the latest message that
has buttons; a leading backslash sends the rest literally (e.g. "\\3"). Documents are saved to
./data/downloads/. `/quit` or end of input (Ctrl-D) leaves.
"""

from __future__ import annotations

import asyncio
import getpass
import inspect
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.app import build_application, open_services
from bot.callbacks import parse_id
from bot.settings import Settings
from botapi_standin import JsonDict, LocalBotApi

LOCAL_USER = 1001  # the terminal user's Telegram id in local mode
PROMPT = "> "
DOWNLOAD_DIR = Path("data") / "downloads"


def local_username() -> str | None:
    """The terminal user's login as a Telegram username (letters, digits, "_"), so that the
    local user has a name even without `--prenom`; None if the system does not tell it."""
    try:
        login = getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login variable, no password entry
        return None
    return re.sub(r"[^A-Za-z0-9_]+", "_", login).strip("_") or None


def number_buttons(reply_markup: JsonDict | None) -> tuple[list[str], list[JsonDict]]:
    """Return one display line per keyboard row ("[1] A  [2] B") and the buttons in order."""
    lines: list[str] = []
    buttons: list[JsonDict] = []
    for row in (reply_markup or {}).get("inline_keyboard", []):
        labels = []
        for button in row:
            buttons.append(button)
            labels.append(f"[{len(buttons)}] {button.get('text', '')}")
        lines.append("  ".join(labels))
    return lines, buttons


def render_message(message: JsonDict, *, edited: bool = False) -> str:
    """Format one bot message for the terminal (without saving anything)."""
    parts: list[str] = []
    if "document" in message:
        doc = message["document"]
        name = doc.get("file_name") or "document"
        parts.append(f"📎 {name} ({doc.get('file_size', 0)} octets)")
    body = message.get("text") or message.get("caption") or ""
    if body:
        parts.append(body)
    if not parts:
        parts.append("(message sans texte)")
    text = "\n".join(parts)
    prefix = "✏️  " if edited else "🤖 "
    lines = [prefix + text.replace("\n", "\n   ")]
    button_lines, _ = number_buttons(message.get("reply_markup"))
    lines += ["   " + line for line in button_lines]
    return "\n".join(lines)


def _save_document(api: LocalBotApi, message: JsonDict, directory: Path) -> Path:
    doc = message["document"]
    name = Path(doc.get("file_name") or f"document-{message['message_id']}").name
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    target.write_bytes(api.file_bytes(doc["file_id"]))
    return target


async def _read_line(input_func: Callable[..., Any]) -> str | None:
    """Read a line without blocking the event loop; None on end of input.

    A blocking `input_func` runs in a daemon thread (like asyncio.to_thread, but Ctrl-C does not
    leave asyncio.run() waiting for a thread stuck in input()).
    """
    if inspect.iscoroutinefunction(input_func):
        try:
            return await input_func(PROMPT)
        except EOFError:
            return None
    loop = asyncio.get_running_loop()
    future: asyncio.Future[str | None] = loop.create_future()

    def deliver(result: str | None, error: BaseException | None) -> None:
        if future.done():
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    def worker() -> None:
        result, error = None, None
        try:
            result = input_func(PROMPT)
        except EOFError:
            pass
        except Exception as exc:
            error = exc
        try:
            loop.call_soon_threadsafe(deliver, result, error)
        except RuntimeError:  # the event loop is already closed
            pass

    threading.Thread(target=worker, name="terminal-chat-input", daemon=True).start()
    return await future


async def _settle(activity: asyncio.Event, reply_wait: float, quiet: float) -> None:
    """Give the bot time to answer before prompting again: wait for a first bot event (at most
    `reply_wait` s), then until it has been silent for `quiet` s."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + max(reply_wait, 0.0) * 3
    timeout = reply_wait
    while timeout > 0 and loop.time() < deadline:
        try:
            await asyncio.wait_for(activity.wait(), timeout)
        except TimeoutError:
            return
        activity.clear()
        timeout = quiet


async def run_terminal_chat(
    api: LocalBotApi,
    *,
    user_id: int = 1001,
    first_name: str = "",  # "" : greeted without a name (never "Bonjour Vous")
    username: str | None = None,
    input_func: Callable[..., Any] | None = None,
    output: Callable[[str], Any] = print,
    download_dir: Path | str = DOWNLOAD_DIR,
    reply_wait: float = 5.0,
    quiet: float = 0.3,
) -> None:
    """Chat with the bot in the terminal until `/quit` or end of input.

    `input_func` is called like `input(prompt)` (in a daemon thread; it may also be an async
    function); `output` receives each block to print. After each line the prompt waits up to
    `reply_wait` s for the bot's answer, so output and prompt do not interleave.
    """
    read = input_func or input
    chat_id = user_id
    who: dict[str, Any] = {"user_id": user_id, "first_name": first_name, "username": username}
    directory = Path(download_dir)
    activity = asyncio.Event()

    def on_event(kind: str, event_chat: int, payload: JsonDict) -> None:
        if event_chat != chat_id:
            return
        activity.set()
        if kind == "message":
            output(render_message(payload))
            if "document" in payload:
                try:
                    saved = _save_document(api, payload, directory)
                    output(f"   (enregistré dans {saved})")
                except OSError as exc:
                    output(f"   (impossible d'enregistrer le fichier : {exc})")
        elif kind == "edit":
            output(render_message(payload, edited=True))
        elif kind == "delete":
            output("🗑️  (un message du bot a été supprimé)")
        elif kind == "callback_answer":
            if payload.get("text"):
                output(("⚠️  " if payload.get("show_alert") else "💬 ") + payload["text"])
            if payload.get("url"):
                output(f"🔗 {payload['url']}")

    remove = api.add_listener(on_event)
    output(
        f"Discussion locale avec @{api.bot_username} — tapez un message, un numéro pour presser "
        "un bouton, /quit pour quitter."
    )
    try:
        while True:
            line = await _read_line(read)
            if line is None or line.strip() == "/quit":
                output("Au revoir.")
                return
            text = line.strip()
            if not text:
                continue
            activity.clear()
            number = None if text.startswith("#") else parse_id(text)  # "²" is text
            if number is not None and await _press(api, chat_id, number, who, output):
                await _settle(activity, reply_wait, quiet)
                continue
            if text.startswith("\\"):
                text = text[1:]
            await api.user_sends(text, **who)
            await _settle(activity, reply_wait, quiet)
    finally:
        remove()


async def _press(
    api: LocalBotApi,
    chat_id: int,
    number: int,
    who: dict[str, Any],
    output: Callable[[str], Any],
) -> bool:
    """Press button `number` of the latest message with buttons; False to send it as text."""
    with_buttons = [
        m for m in api.messages(chat_id) if (m.get("reply_markup") or {}).get("inline_keyboard")
    ]
    if not with_buttons:
        return False
    message = with_buttons[-1]
    _, buttons = number_buttons(message["reply_markup"])
    if not 1 <= number <= len(buttons):
        output(f"(pas de bouton [{number}] : choisissez entre 1 et {len(buttons)})")
        return True
    button = buttons[number - 1]
    if "callback_data" in button:
        try:
            await api.user_presses(
                chat_id,
                message["message_id"],
                button["callback_data"],
                **who,
            )
        except AssertionError as exc:
            output(f"(bouton indisponible : {exc})")
    elif "url" in button:
        output(f"🔗 {button['url']}")
    else:
        output("(ce type de bouton n'est pas géré dans le terminal)")
    return True


def run_local_chat(settings: Settings, first_name: str = "") -> int:
    """`mandat-bot chat`: the real bot against a loopback Bot API, chatted with in the terminal."""
    root = logging.getLogger()
    root.setLevel(settings.log_level.upper())
    if root.level < logging.WARNING:  # keep the conversation readable
        root.setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        asyncio.run(_local_chat(settings, first_name))
    except KeyboardInterrupt:
        pass
    return 0


async def _local_chat(settings: Settings, first_name: str = "") -> None:
    # The person at the terminal runs this bot on their own machine: they are its admin.
    settings = settings.model_copy(update={"admin_ids": [*settings.admin_ids, LOCAL_USER]})
    username = local_username()
    async with LocalBotApi() as api:
        api.add_chat(LOCAL_USER, first_name=first_name, username=username)
        application = build_application(open_services(settings), api.token,
                                        base_url=api.base_url, base_file_url=api.base_file_url)
        print("Mode local : le vrai bot tourne contre une API Telegram simulée sur "
              f"{api.base_url.rsplit('/', 1)[0]}. Tapez /start, une question, ou /quit.")
        async with application:
            await application.post_init(application)  # menus and reminders, as run_polling
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            try:
                await run_terminal_chat(api, user_id=LOCAL_USER, first_name=first_name,
                                        username=username)
            finally:
                await application.updater.stop()
                await application.stop()
                await application.post_shutdown(application)
