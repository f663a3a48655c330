"""Answering what another replica changed: the knowledge revision, polled.

Every knowledge change (admin command, /import, `mandat-bot import`, the seed) bumps the
one-row knowledge revision in its own transaction (`knowledge.store.mark_knowledge_changed`).
Each replica reads it every `POLL_SECONDS` in a thread; when it moved,
`Services.knowledge_changed` rebuilds the answer engine and reschedules the reminders, in a
thread too. Nothing is reloaded while the revision stays put: one primary-key read per poll
(and the admins' ids, a few rows: `Services.admins` says whose conversation state to
refresh).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from bot.context import Services, read_shared_state

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0  # an admin change through one replica is answered by the others within it


class KnowledgeWatcher:
    """Follows the knowledge revision for one Services (start in post_init, stop at
    shutdown)."""

    def __init__(self, services: Services, interval: float = POLL_SECONDS) -> None:
        self.services = services
        self.interval = interval
        self.reloads = 0
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        svc = self.services
        revision, svc.admins = await asyncio.to_thread(read_shared_state, svc.db, svc.settings)
        if svc.knowledge_revision is None:  # the engine was built at start-up, no later
            svc.knowledge_revision = revision
        self._task = asyncio.create_task(self._run(), name="knowledge-watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def check(self) -> bool:
        """Reload if the revision moved since the engine was loaded; True if it did."""
        svc = self.services
        revision, _ = await asyncio.to_thread(read_shared_state, svc.db, svc.settings)
        if revision == svc.knowledge_revision:
            return False
        await asyncio.to_thread(svc.knowledge_changed)
        self.reloads += 1
        log.info("knowledge: revision %d loaded (changed by another replica)", revision)
        return True

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception:  # noqa: BLE001 - the database may be down for a while
                log.warning("knowledge: could not check the revision", exc_info=True)
