"""The command line: demo, grad, grid, plot and explore, with their exit statuses and messages."""

import json
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest

from gradkit.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_demo_prints_the_tour_and_writes_the_picture(capsys, tmp_path):
    status, out, _ = run(capsys, "demo", "-o", str(tmp_path / "field.png"))
    assert status == 0
    assert "gk.gradient(x**2, x)             = [3., 4., 6., 8., 9.]" in out
    assert "[2, 2.5, 3, 3.5, 4]" in out and "wrong" in out
    assert "[ 2.,  4.,  6.,  8., 10.]" in out
    assert "at (x, y, z) = (50, -25, 0): E = (200, -150, -4)" in out
    errors = [float(e) for e in re.findall(r"accuracy=\d: max \|error\| = ([0-9.e+-]+)", out)]
    assert len(errors) == 3 and errors[0] > 10 * errors[1] > 100 * errors[2]
    assert "gk.grad(loss, par, wrt=slice(0, 2)) = [1., 3.]" in out
    rows = {
        line.split()[0]: line.split() for line in out.splitlines() if line.strip().startswith(("richardson", "complex"))
    }
    assert float(rows["richardson"][-3]) < 1e-12 and float(rows["complex"][-3]) < 1e-15
    assert (tmp_path / "field.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "gradkit explore --open" in out


def test_grad_json_has_the_exact_gradient(capsys):
    status, out, _ = run(capsys, "grad", "exp(-x^2)*exp(-y^2)", "--at", "0.3,-0.7", "--json")
    assert status == 0
    report = json.loads(out)
    exact = -2 * np.array([0.3, -0.7]) * np.exp(-0.09 - 0.49)
    np.testing.assert_allclose(report["gradient"], exact, rtol=1e-15)
    assert report["variables"] == ["x", "y"]
    assert report["numerical"]["success"] and max(report["numerical"]["error_estimate"]) < 1e-12


def test_grad_table_and_variable_order(capsys):
    status, out, _ = run(capsys, "grad", "x*y^2", "--at", "2,3", "--vars", "y,x", "--method", "central")
    assert status == 0
    assert "df/dy = 2*x*y" in out and "df/dx = y^2" in out
    assert "12" in out and "9" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["grad", "eval(x)", "--at", "1"], "unknown function 'eval'"),
        (["grad", "x^2", "--at", "1,2"], "--at must have 1 number, got 2"),
        (["grad", "x*y", "--at", "1"], "--at must have 2 numbers, got 1"),
        (["grad", "x^2", "--at", "1e400"], "--at must be finite numbers"),
        (["grad", "x^2", "--at", "nan"], "--at must be finite numbers"),
        (["plot", "x*y", "--xlim", "0,inf"], "--xlim must be finite numbers"),
        (["grad", "x^2", "--at", "one"], "comma-separated numbers"),
        (["grad", "x^2", "--at", "1", "--method", "magic"], "must be one of"),
        (["grad", "x^2"], "Missing option"),
        (["grid", "missing.npy", "-o", "out.npz"], "no such file"),
        (["grid", "data.npy", "-o", "out.txt"], "unknown file type '.txt'"),
        (["plot", "x^", "-o", "p.png"], "syntax error"),
        (["nonsense"], "No such command"),
    ],
)
def test_usage_errors_exit_2_with_a_message(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert message in out + err
    assert "Traceback" not in out + err


def test_computation_errors_exit_1_with_a_message(capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3\n4,x,6\n")
    status, _, err = run(capsys, "grid", str(bad), "-o", str(tmp_path / "o.npz"))
    assert status == 1 and "row 2, column 2: 'x' is not a number" in err
    data = tmp_path / "data.npy"
    np.save(data, np.arange(12.0).reshape(3, 4))
    np.save(tmp_path / "x.npy", np.arange(5.0))
    status, _, err = run(capsys, "grid", str(data), "--coords", "x.npy,x.npy", "-o", str(tmp_path / "o.npz"))
    assert status == 1 and "distances must match" in err
    status, _, err = run(capsys, "grid", str(data), "--accuracy", "4", "-o", str(tmp_path / "o.npz"))
    assert status == 1 and "needs at least 5" in err


@pytest.mark.parametrize(
    ("expr", "at", "message"),
    [
        ("log(x)", "-1", "log(x) is nan at x=-1"),
        ("x^y", "-1,0.5", "x^y is nan at x=-1, y=0.5"),
        ("1/x", "0", "1/x is inf at x=0"),
    ],
)
def test_grad_of_a_formula_undefined_at_the_point_is_one_line_without_warnings(capsys, expr, at, message):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NumPy's warnings from inside the compiled formula are not shown
        status, out, err = run(capsys, "grad", expr, "--at", at)
    assert status == 1 and out == ""
    assert err.strip() == f"error: {message}: its derivatives need it defined there"


def test_grad_json_is_standard_json_where_a_number_is_not_finite(capsys):
    status, out, _ = run(capsys, "grad", "sqrt(x) + y", "--at", "0,1", "--json")
    assert status == 0

    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    report = json.loads(out, parse_constant=refuse)
    assert report["gradient"] == [None, 1.0] and report["numerical"]["difference_from_exact"][0] is None
    assert report["numerical"]["success"] is False


def test_grid_refuses_unreadable_files_and_impossible_requests_in_one_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    np.save(tmp_path / "objects.npy", np.array([1, "a"], dtype=object), allow_pickle=True)
    (tmp_path / "junk.npy").write_bytes(bytes(range(100)))
    np.save(tmp_path / "data.npy", np.arange(20.0).reshape(4, 5))
    (tmp_path / "truncated.npy").write_bytes((tmp_path / "data.npy").read_bytes()[:20])
    (tmp_path / "folder.npy").mkdir()
    (tmp_path / "latin1.csv").write_bytes(b"\xff\xfe1,2\n")
    np.save(tmp_path / "scalar.npy", np.array(3.0))
    out = "o.npz"
    cases = [
        (["objects.npy", "-o", out], "objects.npy holds Python objects, not numbers"),
        (["junk.npy", "-o", out], "junk.npy is not a NumPy .npy file: it does not start with NumPy's header"),
        (["truncated.npy", "-o", out], "truncated.npy is not a NumPy .npy file"),
        (["folder.npy", "-o", out], "folder.npy cannot be read: Is a directory"),
        (["latin1.csv", "-o", out], "latin1.csv cannot be read: it is not UTF-8 text"),
        (["scalar.npy", "-o", out], "holds a single number (a 0-d array): there is no axis to differentiate"),
        (["data.npy", "-o", "missing/o.npz"], "cannot write missing/o.npz: No such file or directory"),
        (["data.npy", "--axis", "1", "-o", "missing/o.csv"], "cannot write missing/o.csv: No such file or directory"),
    ]
    for argv, message in cases:
        status, out_text, err = run(capsys, "grid", *argv)
        assert status == 1 and out_text == "", argv
        assert err.startswith("error: ") and message in err and "Traceback" not in err, (argv, err)
        assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--axis", "1.5"], "--axis must be comma-separated integers, got '1.5'"),
        (["--axis", "0,-2"], "--axis repeats an axis: 0,-2"),
        (["--axis", "5"], "axis 5 is out of bounds for array of dimension 2"),
    ],
)
def test_grid_axes_must_be_integers_of_the_data(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    np.save(tmp_path / "data.npy", np.arange(20.0).reshape(4, 5))
    status, out, err = run(capsys, "grid", "data.npy", *argv, "-o", "o.npz")
    assert status == 2 and message in " ".join((out + err).split()).replace("│", "").replace("  ", " ")
    assert not (tmp_path / "o.npz").exists()


def test_grid_writes_npz_and_csv_matching_the_library(capsys, tmp_path):
    data = np.random.default_rng(0).standard_normal((6, 7))
    np.save(tmp_path / "f.npy", data)
    x = np.cumsum(np.linspace(0.1, 0.3, 6))
    np.save(tmp_path / "x.npy", x)
    np.save(tmp_path / "y.npy", np.linspace(0, 1, 7))
    status, _, _ = run(
        capsys,
        "grid",
        str(tmp_path / "f.npy"),
        "--coords",
        "x.npy,y.npy",
        "--accuracy",
        "4",
        "-o",
        str(tmp_path / "g.npz"),
    )
    assert status == 0
    with np.load(tmp_path / "g.npz") as result:
        import gradkit as gk

        expected = gk.gradient(data, x, np.linspace(0, 1, 7), accuracy=4)
        np.testing.assert_array_equal(result["d0"], expected[0])
        np.testing.assert_array_equal(result["d1"], expected[1])
    np.savetxt(tmp_path / "f.csv", data, delimiter=",")
    status, _, _ = run(
        capsys,
        "grid",
        str(tmp_path / "f.csv"),
        "--spacing",
        "0.5",
        "--axis",
        "1",
        "--edge-order",
        "2",
        "-o",
        str(tmp_path / "g.csv"),
    )
    assert status == 0
    np.testing.assert_allclose(
        np.loadtxt(tmp_path / "g.csv", delimiter=","), np.gradient(data, 0.5, axis=1, edge_order=2), rtol=1e-15
    )
    status, _, _ = run(capsys, "grid", str(tmp_path / "f.npy"), "--periodic", "-o", str(tmp_path / "p.npz"))
    assert status == 0


def test_plot_writes_a_png(capsys, tmp_path):
    target = tmp_path / "saddle.png"
    status, _, _ = run(capsys, "plot", "x^2 - y^2", "-o", str(target), "--xlim", "-1,1", "--streamlines")
    assert status == 0 and target.exists() and target.stat().st_size > 10_000
    status, _, _ = run(capsys, "plot", "x^2 - y^2", "-o", str(target), "--no-vectors", "--no-contours")
    assert status == 0


def test_plot_of_a_partly_undefined_formula_shows_no_warnings_and_errors_keep_brackets(capsys, tmp_path):
    target = tmp_path / "log.png"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        status, out, err = run(capsys, "plot", "log(x) + 1/y", "-o", str(target))
    assert status == 0 and target.exists() and out.startswith("wrote")
    assert err.startswith("note: f is not finite") and "Warning" not in err
    status, _, err = run(capsys, "plot", "x", "-o", str(target), "--xlim", "2,1")
    assert status == 1 and err.strip() == "error: xlim must be finite with low < high, got [2.0, 1.0]"


def test_plot_puts_the_first_of_vars_across_even_for_x_and_y(capsys, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.close("all")
    status, _, err = run(capsys, "plot", "x^2 + y", "--vars", "y,x", "-o", str(tmp_path / "p.png"), "--ylim", "-1,1")
    assert status == 0, err
    ax = plt.gcf().axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("y", "x")
    across, up = np.linspace(-2, 2, 200), np.linspace(-1, 1, 200)  # y across --xlim, x up --ylim
    np.testing.assert_allclose(ax.images[0].get_array(), up[:, np.newaxis] ** 2 + across, rtol=1e-15)
    plt.close("all")


def test_console_script_runs_in_a_fresh_process():
    result = subprocess.run(
        [sys.executable, "-m", "gradkit.cli", "grad", "x^3", "--at", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["gradient"] == [12.0]


def test_explore_rejects_a_bad_port(capsys):
    status, _, err = run(capsys, "explore", "--port", "70000")
    assert status == 2 and "--port" in err


def test_progress_shows_on_a_terminal_only_for_work_longer_than_its_delay():
    import io
    import time

    from rich.console import Console

    from gradkit.cli import _progress

    def shown(seconds: float) -> str:
        screen = io.StringIO()
        console = Console(file=screen, force_terminal=True, width=80)
        with _progress("differentiating", total=2, console=console, delay=0.2) as advance:
            time.sleep(seconds)
            advance()
        return screen.getvalue()

    assert "differentiating" in shown(0.6)
    assert shown(0.0) == ""
