"""No wait on first use: kernel="auto" never compiles the fused kernel in the caller.

Checked by what happened, not by timing: after a large first call in a fresh process with an empty numba
cache, the fused kernel's dispatcher holds no compiled signature (NumPy answered), a background warm-up is
under way, and once it is done the same call runs the fused kernel, loaded from the cache it filled.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gradkit as gk
from gradkit.grid import kernels, warmup

SCRIPT = r"""
import json, os, sys
import numpy as np
import gradkit as gk
from gradkit.grid import kernels, warmup

f = np.random.default_rng(0).standard_normal(1 << 21)
first = gk.gradient(f)
fused = sys.modules.get("gradkit.grid.fused")
report = {
    "equal": bool(np.array_equal(first, np.gradient(f))),
    "compiled_in_caller": 0 if fused is None else len(fused.fused_1d.signatures),
    "state": warmup.state(),
}
report["after_wait"] = warmup.wait(timeout=float(sys.argv[1]))
report["chosen"] = kernels.choose_kernel("auto", f, None, native=True)
second = gk.gradient(f)
report["equal_after"] = bool(np.array_equal(second, np.gradient(f)))
report["loaded"] = len(sys.modules["gradkit.grid.fused"].fused_1d.signatures)
children = []
for entry in os.listdir("/proc"):
    if entry.isdigit():
        try:
            fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            children.append(fields[0])
report["children"] = children
print(json.dumps(report))
"""


@pytest.mark.slow
@pytest.mark.skipif(not kernels.numba_installed(), reason="the fused kernel needs numba (extra fast)")
def test_a_fresh_process_with_an_empty_cache_answers_without_compiling_then_uses_the_warmed_kernel(tmp_path):
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path), "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("GRADKIT_WARMUP", None)
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, "400"], capture_output=True, text=True, env=env, timeout=500, check=True
    )
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["equal"] and report["compiled_in_caller"] == 0 and report["state"] == "warming"
    assert report["after_wait"] == "done"
    assert report["chosen"] == "fused" and report["loaded"] >= 1 and report["equal_after"]
    assert report["children"] == []  # the compiling subprocess was waited for: no zombie, no orphan
    assert any(Path(tmp_path).rglob("*.nbi"))  # numba's cache was filled where NUMBA_CACHE_DIR says


@pytest.fixture
def fresh_warmup(monkeypatch):
    """The warm-up's per-process state, emptied for one test (and restored after it)."""
    monkeypatch.setattr(warmup, "_loaded", set())
    monkeypatch.setattr(warmup, "_asked", [])
    monkeypatch.setattr(warmup, "_state", {"thread": None, "failed": False})
    monkeypatch.delenv("GRADKIT_WARMUP", raising=False)
    return warmup


@pytest.mark.skipif(not kernels.numba_installed(), reason="the fused kernel needs numba (extra fast)")
def test_a_failed_warmup_keeps_auto_on_numpy_and_is_not_retried(fresh_warmup, monkeypatch):
    started = []

    class FailingChild:
        def __init__(self, *args, **kwargs):
            started.append(args)

        def wait(self):
            return 1

    monkeypatch.setattr(warmup.subprocess, "Popen", FailingChild)
    f = np.random.default_rng(1).standard_normal((300, 200))
    assert kernels.choose_kernel("auto", f, None, native=True) == "numpy"
    assert warmup.wait(timeout=30) == "failed"
    assert kernels.choose_kernel("auto", f, None, native=True) == "numpy"
    assert kernels.choose_kernel("auto", f.astype(np.float32), None, native=True) == "numpy"
    assert len(started) == 1  # once per process
    np.testing.assert_array_equal(gk.gradient(f), np.gradient(f))


@pytest.mark.skipif(not kernels.numba_installed(), reason="the fused kernel needs numba (extra fast)")
def test_each_kind_of_array_is_warmed_once_and_explicit_fused_runs_count_as_loaded(fresh_warmup, monkeypatch):
    asked = []
    monkeypatch.setattr(warmup, "_warm", lambda: asked.append(list(warmup._asked)))
    f = np.random.default_rng(2).standard_normal((300, 200))
    assert kernels.choose_kernel("auto", f, None, native=False) == "reference"
    assert kernels.choose_kernel("auto", f, None, native=False) == "reference"
    warmup.wait(timeout=30)
    assert warmup._asked == [(2, "float64")]
    gk.gradient(f, kernel="fused")  # an explicit fused call may wait; afterwards auto uses the loaded kernel
    assert kernels.choose_kernel("auto", f, None, native=True) == "fused"
    monkeypatch.setenv("GRADKIT_WARMUP", "0")  # as numba does it: auto compiles in the caller
    assert kernels.choose_kernel("auto", f.astype(np.complex64), None, native=True) == "fused"


def test_a_forked_child_starts_its_warmup_afresh(fresh_warmup, monkeypatch):
    # what os.register_at_fork runs in a child: no thread survives fork, and a held lock must not either
    monkeypatch.setattr(warmup, "_warm", lambda: None)
    warmup.start(2, np.float64)
    warmup.mark_loaded(3, np.float64)
    warmup.start(3, np.float64)
    warmup._state["thread"] = object()  # as if a warm-up were running when the process forked
    warmup._lock.acquire()
    warmup._after_fork_in_child()
    assert warmup._state["thread"] is None and warmup._asked == [(3, "float64")]  # loaded code survives fork
    assert warmup._lock.acquire(blocking=False)
    warmup._lock.release()
