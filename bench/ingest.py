"""Ingesting a long PDF through the chat while officials keep chatting.

    .venv/bin/python bench/ingest.py [--pages 200] [--runs 3] [--users 4]

Builds a report of --pages pages with fpdf2 (bench.files.report_pdf: chapter titles,
paragraphs, a few dated announcements, a running header and page numbers). Then, --runs
times, on a fresh seeded SQLite base: the REAL Application long-polls the loopback Bot API;
an admin sends the PDF (read in the parser's child process, as the chat does: the preview)
and presses « Confirmer » (read again, stored with its passages, its dates proposed), while
simulated officials chat as in bench/blocking.py (/aide, answered questions, unknown ones
logged). Printed per run and as medians over the runs:

  preview / confirm   seconds from the upload to the preview, from the press to its answer
  child peak RSS      the parser child's peak resident memory (VmHWM), and at rest before
  read in-process     read_document alone: seconds and tracemalloc's peak (Python objects)
  others p50 / p99    the officials' reply latency during the ingest (target: p99 < 300 ms),
                      and before it (quiet), with the event loop's lag
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update  # noqa: E402

from bench.blocking import percentile, phase, report  # noqa: E402
from bench.files import report_pdf  # noqa: E402
from bot.app import build_application, open_services  # noqa: E402
from bot.context import Services  # noqa: E402
from bot.handlers import FloodGuard  # noqa: E402
from bot.settings import Settings  # noqa: E402
from botapi_standin import LocalBotApi  # noqa: E402
from knowledge.documents import read_document  # noqa: E402

ADMIN = 4242
DAYS = ["4 février 2027", "12 mars 2027", "30 juin 2027"]  # announced in the report
MIB = 1024 * 1024


def peak_rss(pid: int) -> float:
    """A process's peak resident memory so far (VmHWM), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child_pid(services: Services) -> int:
    """The parser's child process (bot.offload), started by the first read."""
    pool = services.parser._pool  # noqa: SLF001 - a bench looks inside
    [pid] = list(getattr(pool, "_processes", {}))
    return pid


def read_in_process(pdf: bytes) -> tuple[float, float, int, int]:
    """read_document alone: seconds, then tracemalloc's peak (MiB) in a second reading (it
    slows the reading down), pages, passages."""
    start = time.perf_counter()
    read = read_document(pdf, "rapport.pdf")
    seconds = time.perf_counter() - start
    tracemalloc.start()
    read_document(pdf, "rapport.pdf")
    peak = tracemalloc.get_traced_memory()[1] / MIB
    tracemalloc.stop()
    return seconds, peak, len(read.pages), len(read.passages)


async def one_run(args: argparse.Namespace, pdf: bytes) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="mandat-ingest-") as tmp:
        services = open_services(Settings(database_url=f"sqlite:///{tmp}/bench.db",
                                          admin_ids=[ADMIN], _env_file=None))
        async with LocalBotApi() as api:
            api.add_chat(ADMIN)
            app = build_application(services, api.token, base_url=api.base_url,
                                    base_file_url=api.base_file_url)
            app.bot_data["flood_guard"] = FloodGuard(limit=10**6)
            async with app:
                await app.post_init(app)
                await app.updater.start_polling(poll_interval=0, timeout=1,
                                                allowed_updates=Update.ALL_TYPES)
                await app.start()
                try:
                    return await measure(args, api, services, pdf)
                finally:
                    await app.updater.stop()
                    await app.stop()
                    await app.post_shutdown(app)
                    services.db.dispose()


async def measure(args: argparse.Namespace, api: LocalBotApi, services: Services,
                  pdf: bytes) -> dict[str, float]:
    await services.parser.read(b"bonjour", "chauffe.txt", "", services.settings.document_limits)
    at_rest = peak_rss(child_pid(services))  # the child started, its modules loaded
    times: dict[str, float] = {}

    async def ingesting() -> None:
        sent = await api.user_sends_document("rapport.pdf", pdf, user_id=ADMIN,
                                             caption="Rapport d'activité 2026")
        start = time.perf_counter()
        [preview] = await api.wait_for_messages(ADMIN, 1, since=sent["message_id"], timeout=600)
        times["preview"] = time.perf_counter() - start
        rows = preview["reply_markup"]["inline_keyboard"]
        confirm = next(b["callback_data"] for row in rows for b in row
                       if b["text"] == "✅ Confirmer")
        start = time.perf_counter()
        query = await api.user_presses(ADMIN, preview["message_id"], confirm, user_id=ADMIN)
        await api.wait_for_callback_answer(query, timeout=600)
        times["confirm"] = time.perf_counter() - start
        loaded = api.messages(ADMIN)[-1]["text"]
        assert "Dates de" in loaded, loaded  # the dates proposed after it

    async def quiet() -> None:
        await asyncio.sleep(args.quiet_seconds)

    before = await phase("quiet", api, args.users, quiet)
    during = await phase("ingest", api, args.users, ingesting)
    report("quiet", before)
    report("ingest", during)
    figures = {**times, "child_peak": peak_rss(child_pid(services)), "child_rest": at_rest,
               "others_p50": statistics.median(during["other"]) * 1000,
               "others_p99": percentile(during["other"], 0.99) * 1000,
               "logged_p99": percentile(during["logged"], 0.99) * 1000,
               "quiet_p99": percentile(before["other"], 0.99) * 1000,
               "lag_p99": percentile(during["lag"], 0.99) * 1000}
    print(f"  preview {times['preview']:.1f} s, confirm {times['confirm']:.1f} s, child peak "
          f"RSS {figures['child_peak']:.0f} MiB (at rest {at_rest:.0f} MiB)")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--quiet-seconds", type=float, default=3.0)
    args = parser.parse_args()
    start = time.perf_counter()
    pdf = report_pdf(args.pages, DAYS)
    print(f"report: {args.pages} pages, {len(pdf) / MIB:.2f} MiB PDF, built in "
          f"{time.perf_counter() - start:.1f} s (fpdf2)")
    seconds, peak, pages, passages = read_in_process(pdf)
    print(f"read in-process: {seconds:.2f} s, tracemalloc peak {peak:.1f} MiB, {pages} pages, "
          f"{passages} passages")
    runs = []
    for number in range(1, args.runs + 1):
        print(f"run {number}/{args.runs}, {args.users} users chatting")
        runs.append(asyncio.run(one_run(args, pdf)))
    median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    print(f"medians of {args.runs} runs: preview {median['preview']:.1f} s, confirm "
          f"{median['confirm']:.1f} s, child peak RSS {median['child_peak']:.0f} MiB (at rest "
          f"{median['child_rest']:.0f} MiB); others during the ingest p50 "
          f"{median['others_p50']:.0f} ms, p99 {median['others_p99']:.0f} ms (target < 300), "
          f"logged p99 {median['logged_p99']:.0f} ms, quiet p99 {median['quiet_p99']:.0f} ms, "
          f"loop lag p99 {median['lag_p99']:.1f} ms")


if __name__ == "__main__":
    main()
