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


class KeyLockedError(KeyError):
    """A KeyError holding a lock: its key comes back as a KeyError's, unquoted twice."""

    def __init__(self, key: str):
        import threading

        super().__init__(key)
        self.lock = threading.Lock()


class UnreadableError(Exception):
    """An exception pickling refuses whose message cannot be read either: it comes back a plain Exception."""

    def __init__(self):
        import threading

        super().__init__()
        self.lock = threading.Lock()

    def __str__(self):
        raise RuntimeError("no message")


def raise_key_locked():
    raise KeyLockedError("k")


def raise_unreadable():
    raise UnreadableError()
