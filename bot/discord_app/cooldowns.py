"""Cooldowns keep one eager user, or one busy channel, from turning the bot
into a flood of replies and a load generator against news sites.

In memory on purpose: a restart forgetting them costs at most one extra
reply per user, and nothing has to be cleaned up in the database.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Hashable

_PRUNE_AT = 10_000


class Cooldown:
    """At most one use per `seconds` for each key (a user, a channel)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = float(seconds)
        self._clock = clock
        self._last: dict[Hashable, float] = {}

    def retry_after(self, key: Hashable) -> float:
        """Seconds until `key` may be used again; 0 when it may now."""
        if self.seconds <= 0:
            return 0.0
        last = self._last.get(key)
        if last is None:
            return 0.0
        return max(0.0, last + self.seconds - self._clock())

    def use(self, key: Hashable) -> None:
        """Records a use of `key` now."""
        if self.seconds <= 0:
            return
        now = self._clock()
        if len(self._last) >= _PRUNE_AT:
            self._last = {k: t for k, t in self._last.items() if t + self.seconds > now}
        self._last[key] = now

    def try_use(self, key: Hashable) -> float:
        """Uses `key` if it is free and returns 0; else returns the wait, using nothing."""
        wait = self.retry_after(key)
        if not wait:
            self.use(key)
        return wait
