"""Work that leaves the event loop: an uploaded document parsed in a process of its own,
the answer engine's work in a thread of its own.

Database work leaves the loop through `knowledge.store.in_session`/`in_transaction` (a
worker thread: it mostly waits on I/O). Parsing is different: building and validating a
2 MB document is pure-Python work that holds the GIL, so in a thread it would still starve
the loop; it runs in a child process, which hands back the validated `Document`. The child
is started at the first import (none at all for a bot that never imports) and kept for the
next ones; a child that died (killed, out of memory) is replaced at the next import. It
runs at a lower CPU priority: on a busy machine, the bot's replies come first.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from knowledge.admin_store import parse_import
from knowledge.documents import DocumentError, Limits, Read, read_document
from knowledge.seed import Document, SeedError

# A fresh interpreter, not a fork: the bot's process has threads (the database's, httpx's),
# and forking a threaded process can copy a lock in its locked state.
_START = multiprocessing.get_context("spawn")
NICENESS = 10  # added to the child's: it yields the CPU to the bot (and the database)
GRACE_SECONDS = 5.0  # beyond a reading's own time limit, before its child is killed
T = TypeVar("T")


class ImportParser:
    """`await parse(data)`: `knowledge.admin_store.parse_import` in a child process."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def parse(self, data: bytes) -> Document:
        """The validated document, or SeedError (French, with line numbers)."""
        try:
            return await self._run(parse_import, data)
        except BrokenProcessPool:
            raise SeedError("la lecture du document a été interrompue (trop lourd ?)") from None

    async def read(self, data: bytes, filename: str, title: str, limits: Limits) -> Read:
        """A loaded document (PDF, Word, text) read into passages (knowledge.documents), or
        DocumentError. A child still reading past the time limit (a page pypdf cannot get
        through) is killed: the limit holds even where the reader checks no clock."""
        try:
            return await asyncio.wait_for(
                self._run(read_document, data, filename, title, limits),
                timeout=limits.max_seconds + GRACE_SECONDS)
        except BrokenProcessPool:
            raise DocumentError("la lecture du document a été interrompue (trop lourd ?).") \
                from None
        except TimeoutError:
            self.kill()
            raise DocumentError(f"lecture du document trop longue (plus de "
                                f"{limits.max_seconds:.0f} s) : il est trop lourd ou trop "
                                "complexe.") from None

    async def _run(self, work: Callable[..., T], *args: object) -> T:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=_START,
                                             initializer=os.nice, initargs=(NICENESS,))
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, work, *args)
        except BrokenProcessPool:
            self.shutdown()
            raise

    def kill(self) -> None:
        """Stop the child now, whatever it is doing; the next call starts another."""
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                process.kill()
            pool.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


class AnswerThread:
    """`await run(work)`: the answer engine's work in one thread of its own, off the loop.

    Answering is computing in memory: a few milliseconds for most questions, more for long
    ones, and on the loop every other chat waited meanwhile. One thread, not the database's
    pool: more threads would only share the GIL, and the engine keeps small caches (the
    ranker's last ranking) that are not made for two threads at once.
    """

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None

    async def run(self, work: Callable[[], T]) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answers")
        return await asyncio.get_running_loop().run_in_executor(self._pool, work)

    def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
