"""The command line: `gradkit demo` prints the seed examples with correct numbers."""

import re
import subprocess
import sys

import pytest

from gradkit.cli import main


def run_demo(capsys):
    assert main(["demo"]) == 0
    return capsys.readouterr().out


def test_demo_prints_the_right_derivative_of_x_squared_and_flags_the_wrong_one(capsys):
    out = run_demo(capsys)
    assert "gk.gradient(x**2, x)             = [3., 4., 6., 8., 9.]" in out
    assert "[2, 2.5, 3, 3.5, 4]" in out and "wrong" in out
    assert "[ 2.,  4.,  6.,  8., 10.]" in out


def test_demo_prints_the_field_of_the_mgrid_potential(capsys):
    out = run_demo(capsys)
    assert "at (x, y, z) = (50, -25, 0): E = (200, -150, -4)" in out
    assert "max |Ex - 4x| inside: 0;" in out


def test_demo_shows_error_falling_with_accuracy(capsys):
    out = run_demo(capsys)
    errors = [float(e) for e in re.findall(r"accuracy=\d: max \|error\| = ([0-9.e+-]+)", out)]
    assert len(errors) == 3
    assert errors[0] > 10 * errors[1] > 100 * errors[2]


def test_console_script_runs_in_a_fresh_process():
    result = subprocess.run([sys.executable, "-m", "gradkit.cli", "demo"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "[3., 4., 6., 8., 9.]" in result.stdout


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["nonsense"])
    assert excinfo.value.code == 2
