"""Formulas on the command line: minus signs, --, several formulas, Hessians, pictures, --version and -h."""

import json
import math

import matplotlib
import numpy as np
import pytest

import gradkit
from gradkit.cli import main

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, " ".join(captured.err.replace("│", " ").split())


@pytest.mark.parametrize(
    "argv",
    [
        ["grad", "-x^2 - y^2", "--at", "1,2", "--json"],
        ["grad", "--at", "1,2", "-x^2 - y^2", "--json"],
        ["grad", "--at", "1,2", "--json", "-x^2 - y^2"],
        ["grad", "--at=1,2", "-x^2 - y^2", "--method", "central", "--json"],
        ["grad", "--at", "1,2", "--json", "--", "-x^2 - y^2"],
        ["grad", "--at", "-1,-2", "--json", "--", "-x^2 - y^2"],
    ],
)
def test_a_formula_may_start_with_a_minus_in_any_position(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    report = json.loads(out)
    x, y = report["point"]
    assert report["gradient"] == [-2 * x, -2 * y]


def test_double_dash_ends_the_options_as_posix_says(capsys):
    # "--x" reads as an option, which grad does not have; after -- it is a formula (minus minus x)
    status, _, err = run(capsys, "grad", "--at", "2", "--x")
    assert status == 2 and "No such option: --x" in err
    status, out, err = run(capsys, "grad", "--at", "2", "--json", "--", "--x")
    assert status == 0 and json.loads(out)["gradient"] == [1.0]


def test_version_and_short_help(capsys):
    status, out, _ = run(capsys, "--version")
    assert status == 0 and out.strip() == f"gradkit {gradkit.__version__}"
    for argv in (["-h"], ["grad", "-h"], ["hessian", "-h"], ["grid", "-h"], ["plot", "-h"], ["explore", "-h"]):
        status, out, _ = run(capsys, *argv)
        assert status == 0 and "Usage: gradkit" in out, argv


def test_hessian_is_exact_and_the_numerical_one_is_close(capsys):
    status, out, err = run(capsys, "hessian", "x^3*y - 2*y^2 + sin(x)", "--at", "0.5,-1.5", "--json")
    assert status == 0, err
    report = json.loads(out)
    x, y = 0.5, -1.5
    exact = [[6 * x * y - math.sin(x), 3 * x**2], [3 * x**2, -4.0]]
    np.testing.assert_allclose(report["hessian"], exact, rtol=1e-15)
    assert report["hessian_formulas"][0][1] == "3*x^2"
    np.testing.assert_allclose(report["numerical"]["hessian"], exact, rtol=1e-8)
    status, out, _ = run(capsys, "hessian", "-x^2*y", "--at", "1,2")
    assert status == 0 and "d2f/dx/dy = -2*x" in out and "-4" in out


def test_several_formulas_give_their_jacobian(capsys):
    status, out, err = run(capsys, "grad", "x*y*z", "-z + sin(x)", "--at", "0.5,2,-1", "--json")
    assert status == 0, err
    report = json.loads(out)
    x, y, z = 0.5, 2.0, -1.0
    exact = [[y * z, x * z, x * y], [math.cos(x), 0.0, -1.0]]
    np.testing.assert_allclose(report["jacobian"], exact, rtol=1e-15)
    np.testing.assert_allclose(report["numerical"]["jacobian"], exact, rtol=1e-9, atol=1e-12)
    assert report["expressions"] == ["x*y*z", "-z + sin(x)"] and report["variables"] == ["x", "y", "z"]
    status, out, _ = run(capsys, "grad", "x*y", "x+y", "--at", "2,3")
    assert status == 0 and "df1/dx = y" in out and "df2/dy = 1" in out


def test_printed_formulas_parse_back(capsys):
    status, out, _ = run(capsys, "grad", "|x|^3 + max(x, y) + e^y", "--at", "1,2", "--json")
    report = json.loads(out)
    assert status == 0 and report["gradient_formulas"][1] == "exp(y) + heaviside(-x + y)"
    for text in [report["expression"], *report["gradient_formulas"]]:
        assert str(gradkit.Expression(text)) == text


@pytest.mark.parametrize(
    ("argv", "labels"),
    [
        (["s + t^2"], ("s", "t")),
        (["s + t^2", "--vars", "t,s"], ("t", "s")),
        (["t^2"], ("t", "y")),
        (["-y^2 - x"], ("x", "y")),
    ],
)
def test_plot_labels_the_variables_in_the_order_written(capsys, tmp_path, argv, labels):
    plt.close("all")
    status, _, err = run(capsys, "plot", *argv, "-o", tmp_path / "p.svg", "--no-contours", "--no-vectors")
    assert status == 0, err
    ax = plt.gcf().axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == labels


def test_plot_says_where_f_is_not_finite_and_draws_no_arrows_there(capsys, tmp_path):
    plt.close("all")
    status, out, err = run(capsys, "plot", "log(x)", "-o", tmp_path / "p.png")
    assert status == 0 and out.startswith("wrote")
    assert err.startswith("note: f is not finite (undefined or infinite) on 50% of the picture, within x in [-2, ")
    quiver = next(c for c in plt.gcf().axes[0].collections if type(c).__name__ == "Quiver")
    drawn = ~np.broadcast_to(quiver.Umask, quiver.X.shape)  # the arrows matplotlib draws
    assert drawn.any() and np.all(quiver.X[drawn] > 0) and np.all(quiver.X[~drawn] <= 0)  # log(0) is -inf: no arrow


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["a*b + c"], "uses 3 variables (a, b, c)"),
        (["x*y", "--vars", "x"], "must name two variables"),
        (["x*y", "--vars", "x,t"], "the formula uses 'y'"),
        (["x*y", "-o", "p.txt"], "must end in .png, .svg, .pdf or .jpg"),
        (["(-1)^x"], "negative number to a variable power"),
        (["x*1e308*10"], "too large for double precision"),
    ],
)
def test_plot_usage_errors_exit_2(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "plot", *argv)
    assert status == 2 and message in err, err


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["grad", "x", "--at", "1", "--method", "magic"], 2, "must be one of"),
        (["grad", "x", "t", "--at", "1"], 2, "--at must have 2 numbers, got 1"),
        (["grad", "x", "y+", "--at", "1,2"], 2, "syntax error"),
        (["grad", "log(x)", "--at", "-1"], 1, "log(x) is nan at x=-1"),
        (["grad", "x", "log(y)", "--at", "1,-1"], 1, "log(y) is nan at x=1, y=-1"),
        (["hessian", "x^2"], 2, "Missing option '--at'"),
        (["hessian", "x^2", "--at", "1", "--method", "magic"], 2, "must be one of"),
        (["hessian", "1/x", "--at", "0"], 1, "1/x is inf at x=0"),
        (["hessian", "pow(x)", "--at", "0"], 2, "pow() takes 2 arguments"),
        (["plot", "x", "--xlim", "2,1", "-o", "p.png"], 1, "xlim must be finite with low < high"),
        (["demo", "-o", "missing/field.png"], 1, "cannot write missing/field.png"),
        (["nonsense"], 2, "No such command"),
    ],
)
def test_exit_statuses_per_command(capsys, tmp_path, monkeypatch, argv, status, message):
    monkeypatch.chdir(tmp_path)
    got, _, err = run(capsys, *argv)
    assert got == status and message in err, err
    assert "Traceback" not in err
