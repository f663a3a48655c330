"""What a milestone's burst of edits changed, as a notice tells it (`scheduler.notices`
finds it, `scheduler.texts` words it)."""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.models import Milestone


@dataclass(frozen=True)
class Change:
    """A milestone's net change over a burst of edits."""

    before: Milestone
    after: Milestone | None  # None: deleted (cancelled)
    date: bool = False
    time: bool = False
    place: bool = False
    restored: bool = False  # back after a cancellation that was told

    @property
    def cancelled(self) -> bool:
        return self.after is None

    @property
    def current(self) -> Milestone:
        return self.after or self.before
