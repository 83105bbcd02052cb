"""Who may use a worker now, who waits (in a bounded queue, for a bounded time) and who is told to come back.

Two lanes share the workers. Formulas the server has already seen answered quickly ("known") may use any
worker; all others (new formulas, and ones that were slow) together use at most all workers but one. So a
flood of new or slow formulas queues up behind each other, then is answered 503, while a known formula (the
page's own, one being zoomed) still finds a worker at once. Each lane's queue is bounded, and so is the
time a request waits in it; past either, `BusyError` says how many seconds to wait before retrying.

Everything here runs on the server's event loop (one thread), so plain counters need no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections import deque

QUEUE = 32
QUEUE_WAIT = 10.0


class BusyError(Exception):
    """No worker is free and the queue is full or the wait too long; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int):
        super().__init__(f"the server is busy; retry in {retry_after} s")
        self.retry_after = retry_after


class Admission:
    """Grants at most `workers` computations at once, `workers - 1` (at least 1) of them for unknown formulas.

    Parameters
    ----------
    workers : int
        How many computations may run at once (the worker pool's size).
    queue : int
        How many requests of each lane may wait for a worker.
    queue_wait : float
        Seconds a request may wait for a worker before it is answered `BusyError`.

    Examples
    --------
    >>> import asyncio
    >>> async def two_at_once():
    ...     admission = Admission(workers=2)
    ...     async with admission.slot(known=False), admission.slot(known=True):
    ...         return admission.running
    >>> asyncio.run(two_at_once())
    2
    """

    def __init__(self, workers: int, queue: int = QUEUE, queue_wait: float = QUEUE_WAIT):
        self.workers = workers
        self.unknown_limit = max(1, workers - 1)
        self.queue = queue
        self.queue_wait = queue_wait
        self.running = 0
        self.running_unknown = 0
        self._waiting: deque[tuple[asyncio.Future, bool]] = deque()
        self._seconds = 0.05  # a running mean of a computation's duration, for Retry-After

    @property
    def waiting(self) -> int:
        return sum(not future.done() for future, _ in self._waiting)

    def _can_run(self, known: bool) -> bool:
        return self.running < self.workers and (known or self.running_unknown < self.unknown_limit)

    def _grant(self, known: bool) -> None:
        self.running += 1
        self.running_unknown += not known

    def _release(self, known: bool, seconds: float) -> None:
        self.running -= 1
        self.running_unknown -= not known
        self._seconds = 0.8 * self._seconds + 0.2 * seconds
        for entry in list(self._waiting):
            future, waiter_known = entry
            if future.done():
                self._waiting.remove(entry)
            elif self._can_run(waiter_known):
                self._waiting.remove(entry)
                self._grant(waiter_known)
                future.set_result(None)

    def retry_after(self) -> int:
        """Seconds until the queue has likely moved on: the waiting work shared among the workers."""
        return max(1, min(60, math.ceil((self.waiting + 1) * self._seconds / self.workers)))

    @contextlib.asynccontextmanager
    async def slot(self, known: bool):
        """Hold a worker's slot for one computation; raises `BusyError` when the queue is full or the wait too long."""
        if not self._can_run(known):
            await self._wait(known)
        else:
            self._grant(known)
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            yield
        finally:
            self._release(known, loop.time() - started)

    async def _wait(self, known: bool) -> None:
        if sum(waiter_known == known and not f.done() for f, waiter_known in self._waiting) >= self.queue:
            raise BusyError(self.retry_after())
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._waiting.append((future, known))
        expired = False

        def expire() -> None:
            nonlocal expired
            if not future.done():
                expired = True
                future.cancel()

        timer = loop.call_later(self.queue_wait, expire)
        try:
            await future
        except asyncio.CancelledError:
            with contextlib.suppress(ValueError):
                self._waiting.remove((future, known))
            if future.done() and not future.cancelled():
                self._release(known, 0.0)  # granted, then the request was cancelled: hand the slot on
            if expired:
                raise BusyError(self.retry_after()) from None
            raise
        finally:
            timer.cancel()
