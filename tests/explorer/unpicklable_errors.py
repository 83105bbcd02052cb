"""Functions for the worker pool's tests that raise exceptions pickling cannot carry back (importable by the
worker processes, which a test module's functions are not always)."""


class TwoPartError(ValueError):
    """A ValueError whose constructor takes two arguments but whose ``args`` hold one message: unpickling
    calls the constructor with that one, and fails."""

    def __init__(self, what: str, why: str):
        super().__init__(f"{what}: {why}")


class LockedError(Exception):
    """An exception carrying a lock, which pickling refuses."""

    def __init__(self, message: str):
        import threading

        super().__init__(message)
        self.lock = threading.Lock()


def raise_two_part():
    raise TwoPartError("the formula", "is refused")


def raise_unpicklable():
    raise LockedError("a lock inside")
