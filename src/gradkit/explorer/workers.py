"""A fixed-size pool of worker processes that run the explorer's computations, each under a time limit.

Formulas are bounded by the parser's limits, but sympy's differentiation and compilation, and evaluation on
a large grid, can still take long; and a signal cannot interrupt long big-integer arithmetic. So the work
runs in worker processes started from a clean, preloaded fork server, never more than `size` of them (the
number of cores by default). A worker that runs past the limit is killed, and only then replaced, so the
count never grows. Workers that answer in time are kept, with the formulas they compiled.

The limit counts the worker's own CPU time where the system reports it (Linux), so a job on a busy machine
is not stopped for time it spent waiting for a core; a wall-clock backstop of `WALL_FACTOR` times the limit
still stops a job that waits on something else.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time

TIME_LIMIT = 5.0
WALL_FACTOR = 3.0

_CONTEXT = None


class ComputeTimeoutError(RuntimeError):
    """The computation ran past the time limit and was stopped."""


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["gradkit.explorer.preload"])
    return _CONTEXT


def _serve(connection) -> None:
    """A worker's loop: run each (function, arguments) it is sent and send back the answer or the error."""
    while True:
        try:
            function, arguments = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", function(*arguments)))
        except Exception as error:  # sent back and re-raised in the server as the same type (or `portable`'s)
            connection.send(("error", portable(error)))


def portable(error: Exception) -> Exception:
    """`error` as the server can receive it: itself where it survives pickling, else an instance of the
    nearest built-in exception type it derives from (with its arguments where they survive, else its
    message), else a RuntimeError with its message. (An exception whose constructor takes other arguments
    than its ``args`` cannot be rebuilt on the other side: sending it would end the worker, and the answer
    would be a timeout that never happened.)"""
    if _survives(error):
        return error
    try:
        message = str(error)
    except Exception:
        message = f"{type(error).__name__} (its message could not be read)"
    kind = next(k for k in type(error).__mro__ if k.__module__ == "builtins")
    for arguments in (error.args, (message,)):
        try:
            stand_in = kind(*arguments)
        except Exception:
            continue
        if _survives(stand_in):
            return stand_in
    return RuntimeError(message)


def _survives(error: BaseException) -> bool:
    """Whether `error` comes back from pickling."""
    try:
        pickle.loads(pickle.dumps(error))
    except Exception:
        return False
    return True


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of process `pid`, from /proc (None where there is no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    # After the command name: state is field 3, utime and stime are fields 14 and 15 (proc(5)).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class _Worker:
    def __init__(self):
        context = _context()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self.process.start()
        child_end.close()

    def call(self, function, arguments, limit: float):
        self.connection.send((function, arguments))
        started = time.monotonic()
        cpu_before = _cpu_seconds(self.process.pid)
        wait = limit
        while not self.connection.poll(wait):
            cpu_now = _cpu_seconds(self.process.pid)
            waited = time.monotonic() - started
            if cpu_before is None or cpu_now is None or waited >= WALL_FACTOR * limit:
                raise ComputeTimeoutError(f"the computation took longer than {limit:g} s and was stopped")
            used = cpu_now - cpu_before
            if used >= limit:
                raise ComputeTimeoutError(f"the computation took longer than {limit:g} s and was stopped")
            wait = min(limit - used, WALL_FACTOR * limit - waited)
        return self.connection.recv()

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)


class WorkerPool:
    """At most `size` worker processes, reused while they answer in time; one that does not is killed.

    Parameters
    ----------
    size : int, optional
        The most workers alive at once (and so the most computations at once); by default the number of cores.
        A caller past that waits for a worker.

    Examples
    --------
    >>> import os
    >>> pool = WorkerPool(size=1)
    >>> pool.run(os.getpid) == pool.run(os.getpid) != os.getpid()
    True
    >>> pool.close()
    """

    def __init__(self, size: int | None = None):
        self.size = max(1, size or os.cpu_count() or 1)
        self._slots = threading.BoundedSemaphore(self.size)
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._closed = False

    def run(self, function, *arguments, limit: float = TIME_LIMIT):
        """`function(*arguments)` in a worker; ComputeTimeoutError after `limit` seconds of its work."""
        with self._slots:
            with self._lock:
                worker = self._idle.pop() if self._idle else None
            if worker is None:
                worker = _Worker()
            try:
                status, value = worker.call(function, arguments, limit)
            except (EOFError, OSError):
                worker.stop()
                raise ComputeTimeoutError("the computation ended without an answer") from None
            except BaseException:
                worker.stop()  # killed and joined before its slot is free: the count never exceeds `size`
                raise
            self._give_back(worker)
        if status == "error":
            raise value
        return value

    def start(self) -> None:
        """Start every worker now (a worker's start takes a while; better before the first requests)."""
        for _ in range(self.size):
            if self._slots.acquire(blocking=False):
                try:
                    worker = _Worker()
                finally:
                    self._slots.release()
                self._give_back(worker)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        """Stop every idle worker (and those still busy as they finish)."""
        with self._lock:
            workers, self._idle, self._closed = self._idle, [], True
        for worker in workers:
            worker.stop()
