"""Running the explorer's server for ``gradkit explore``: the port checked first, Ctrl+C ends it cleanly.

The server runs in a child process of its own session, so the Ctrl+C a terminal sends to its foreground
process group reaches only this process, which then stops the server and its worker processes with SIGTERM:
nothing prints a KeyboardInterrupt traceback, whatever processes the server starts.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time

#: How long the server may take to stop before it is killed, in seconds.
STOP_TIMEOUT = 10.0


def check_installed() -> None:
    """Raise ImportError if the web extra (uvicorn, FastAPI, sympy) is missing; looks only, imports nothing (the
    server's own process imports them)."""
    import importlib.util

    for name in ("uvicorn", "fastapi", "sympy"):
        if importlib.util.find_spec(name) is None:
            raise ImportError(f"No module named {name!r}", name=name)


def check_port(host: str, port: int) -> int:
    """The port to listen on (a free one for 0); OSError, saying what to do, if it cannot be listened on.

    Examples
    --------
    >>> with socket.socket() as taken:
    ...     taken.bind(("127.0.0.1", 0)); taken.listen()
    ...     try:
    ...         check_port("127.0.0.1", taken.getsockname()[1])
    ...     except OSError as error:
    ...         print(str(error).split(": ")[1].split(";")[0])
    it is in use by another program
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds: TIME_WAIT is free
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise OSError(
                    f"port {port} on {host}: it is in use by another program; choose another with --port "
                    f"(e.g. --port {port + 1 if port < 65535 else 8001})"
                ) from None
            raise OSError(f"cannot listen on {host}:{port}: {error.strerror or error}") from None
        return probe.getsockname()[1]


def run(host: str, port: int, open_url: str | None = None) -> int:
    """Serve until Ctrl+C or SIGTERM (then 0), or until the server ends by itself (its exit status)."""
    code = "import sys; from gradkit.serve import serve; serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))"
    child = subprocess.Popen([sys.executable, "-c", code, host, str(port), str(os.getpid())], start_new_session=True)

    def interrupted(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        if open_url:
            import webbrowser

            opener = threading.Timer(1.0, webbrowser.open, args=(open_url,))
            opener.daemon = True
            opener.start()
        return child.wait()
    except KeyboardInterrupt:
        child.terminate()
        try:
            child.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)


def serve(host: str, port: int, parent: int) -> None:
    """The child's side: uvicorn with the explorer's app, ended when `parent` goes away."""
    import uvicorn

    from gradkit.explorer.app import create_app

    def watch() -> None:  # a parent killed outright cannot stop us: end with it rather than hold the port
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, daemon=True).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
