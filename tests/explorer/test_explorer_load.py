"""The explorer under load, over real HTTP: a uvicorn server on 127.0.0.1 in its own process, httpx clients.

Bounded: 16 clients x 25 field requests, a flood of 12 slow formulas, each with a deadline; the server's
worker processes are counted all along.
"""

import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")
psutil = pytest.importorskip("psutil")

pytestmark = pytest.mark.slow

CORES = os.cpu_count() or 1
GAUSSIAN = "exp(-x^2)*exp(-y^2)"
HEAVY = "*".join(f"sin({k}*x+y)" for k in range(1, 60))  # about 5 s of sympy work, stopped at the time limit
SERVER = """
import sys, uvicorn
from gradkit.explorer.app import create_app
app = create_app(time_limit=1.0, queue=16, queue_wait=3.0)
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@pytest.fixture(scope="module")
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=environment)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "the explorer server did not start"
        try:
            if httpx.get(f"{url}/api/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    yield url, process
    process.terminate()
    process.wait(10)


class WorkerCount:
    """The most worker processes (children of the server's fork server) seen while it runs."""

    def __init__(self, pid: int):
        self.server = psutil.Process(pid)
        self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            try:
                children = self.server.children()
                forkservers = [c for c in children if "forkserver" in " ".join(c.cmdline())]
                self.most = max(self.most, sum(len(f.children()) for f in forkservers))
            except psutil.Error:
                continue  # a process ended while it was read

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


def test_16_clients_25_field_requests_each_without_errors_or_extra_processes(server):
    url, process = server
    n = 128
    X, Y = np.meshgrid(np.linspace(-2, 2, n), np.linspace(-2, 2, n))  # noqa: N806
    peak = (np.exp(-(X**2)) * np.exp(-(Y**2))).max()

    def client(k):
        statuses = []
        with httpx.Client(base_url=url, timeout=30) as session:
            for _ in range(25):
                reply = session.post("/api/field", json={"formula": f"{k}*{GAUSSIAN}", "n": n})
                statuses.append(reply.status_code)
                if reply.status_code == 200:
                    assert reply.json()["max"] == pytest.approx(k * peak, rel=1e-14)
                else:
                    assert reply.status_code == 503 and int(reply.headers["retry-after"]) >= 1, reply.text
        return statuses

    start = time.monotonic()
    with WorkerCount(process.pid) as workers, ThreadPoolExecutor(16) as threads:
        statuses = [s for each in threads.map(client, range(1, 17)) for s in each]
    elapsed = time.monotonic() - start
    assert len(statuses) == 400 and set(statuses) <= {200, 503}
    assert statuses.count(200) >= 300, f"{statuses.count(503)} of 400 were told to come back"
    assert 1 <= workers.most <= CORES, f"{workers.most} worker processes on {CORES} cores"
    assert elapsed < 60


def test_a_flood_of_slow_formulas_leaves_the_server_and_known_formulas_answering(server):
    url, process = server

    def slow(k):
        with httpx.Client(base_url=url, timeout=30) as session:
            reply = session.post("/api/parse", json={"formula": f"{k} + {HEAVY}"})
        if reply.status_code == 503:
            assert int(reply.headers["retry-after"]) >= 1
        return reply.status_code

    def timed(request):
        start = time.monotonic()
        reply = request()
        return reply.status_code, time.monotonic() - start

    with WorkerCount(process.pid) as workers, ThreadPoolExecutor(12) as threads:
        flood = [threads.submit(slow, k) for k in range(12)]
        time.sleep(0.5)  # the flood has arrived: one runs, others wait, the rest were told to come back
        with httpx.Client(base_url=url, timeout=30) as session:
            answers = {
                "health": timed(lambda: session.get("/api/health")),
                "page": timed(lambda: session.get("/")),
                "known field": timed(lambda: session.post("/api/field", json={"formula": GAUSSIAN, "n": 256})),
                "known parse": timed(lambda: session.post("/api/parse", json={"formula": GAUSSIAN})),
            }
        statuses = [f.result() for f in flood]
    for name, (status, seconds) in answers.items():
        assert status == 200 and seconds < 2.0, (name, status, seconds)
    assert set(statuses) <= {422, 503} and 422 in statuses and 503 in statuses
    assert workers.most <= CORES


@pytest.mark.parametrize("chunked", [False, True])
def test_a_10_mb_body_over_http_is_answered_413(server, chunked):
    url, _ = server
    body = json.dumps({"formula": "x" * 10_000_000}).encode()
    content = (body[i : i + 65536] for i in range(0, len(body), 65536)) if chunked else body
    headers = {"content-type": "application/json"}
    try:
        reply = httpx.post(f"{url}/api/parse", content=content, headers=headers, timeout=30)
    except httpx.WriteError:
        pytest.fail("the server closed the connection without an answer")
    assert reply.status_code == 413 and len(reply.content) < 200
