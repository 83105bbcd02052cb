"""`gradkit explore`: serves the page, checks its port before anything else, ends cleanly on Ctrl+C."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from gradkit.cli import main


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_explore_serves_the_page_and_api_and_ends_cleanly_on_ctrl_c():
    pytest.importorskip("uvicorn")
    port = free_port()
    # its own process group, as a terminal's foreground job: Ctrl+C signals the whole group
    server = subprocess.Popen(
        [sys.executable, "-m", "gradkit.cli", "explore", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert server.stdout.readline().strip() == f"gradkit explore: http://127.0.0.1:{port}/  (Ctrl+C stops it)"
        deadline = time.monotonic() + 30
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "gradkit explore did not start"
                time.sleep(0.2)
        assert 'id="formula"' in page and "/static/explorer.js" in page
        script = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/explorer.js", timeout=5)
        assert script.headers["content-type"].startswith(("text/javascript", "application/javascript"))
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/parse",
            data=json.dumps({"formula": "x*y^2"}).encode(),
            headers={"Content-Type": "application/json"},
        )
        # the answer comes from a worker process, which Ctrl+C must not make print a traceback either
        assert json.loads(urllib.request.urlopen(request, timeout=20).read())["gradient"] in (
            ["y^2", "2*x*y"],
            ["y**2", "2*x*y"],
        )
        os.killpg(server.pid, signal.SIGINT)
        output, _ = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
    assert server.returncode == 0, output
    assert output.strip() == "gradkit explore: stopped"
    with socket.socket() as again:  # the port is free again
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        again.bind(("127.0.0.1", port))


def test_explore_says_plainly_that_the_port_is_in_use_before_any_banner(capsys):
    pytest.importorskip("uvicorn")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["explore", "--port", str(port)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    text = " ".join(captured.err.replace("│", " ").split())
    assert f"port {port} on 127.0.0.1: it is in use by another program; choose another with --port" in text
    assert "Traceback" not in text and "Errno" not in text


def test_explore_rejects_a_bad_port_or_host(capsys):
    assert main(["explore", "--port", "70000"]) == 2
    assert "--port" in capsys.readouterr().err
    assert main(["explore", "--host", "203.0.113.7", "--port", "8000"]) == 2  # not an address of this machine
    assert "cannot listen on 203.0.113.7:8000" in " ".join(capsys.readouterr().err.replace("│", " ").split())


def test_check_port_finds_a_free_port_for_0():
    from gradkit.serve import check_port

    port = check_port("127.0.0.1", 0)
    assert 0 < port < 65536
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))  # it is free
