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
from knowledge.seed import Document, SeedError

# A fresh interpreter, not a fork: the bot's process has threads (the database's, httpx's),
# and forking a threaded process can copy a lock in its locked state.
_START = multiprocessing.get_context("spawn")
NICENESS = 10  # added to the child's: it yields the CPU to the bot (and the database)
T = TypeVar("T")


class ImportParser:
    """`await parse(data)`: `knowledge.admin_store.parse_import` in a child process."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    async def parse(self, data: bytes) -> Document:
        """The validated document, or SeedError (French, with line numbers)."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=_START,
                                             initializer=os.nice, initargs=(NICENESS,))
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._pool, parse_import, data)
        except BrokenProcessPool:
            self.shutdown()
            raise SeedError("la lecture du document a été interrompue (trop lourd ?)") from None

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
