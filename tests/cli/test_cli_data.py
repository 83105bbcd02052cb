"""`gradkit grid` on the files people have: CSV variants, JSON, NumPy files and pipes; exit statuses."""

import json
import subprocess
import sys

import numpy as np
import pytest

from gradkit.cli import main


def run(capsys, *argv):
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, " ".join(captured.err.replace("│", " ").split())


SIGNAL = np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0])


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("column.csv", "\n".join(f"{v:.18e}" for v in SIGNAL) + "\n"),  # np.savetxt of a signal
        ("row.csv", ",".join(str(v) for v in SIGNAL) + "\n"),
        ("excel.csv", "\ufeffsignal\n" + "\n".join(str(v) for v in SIGNAL) + "\n"),  # Excel's CSV UTF-8
        ("header.csv", "time;value\n" + "".join(f"{k};{v}\n" for k, v in enumerate(SIGNAL))),
        ("spaces.csv", "".join(f"  {k}   {v}\n" for k, v in enumerate(SIGNAL))),
        ("tabs.csv", "# measured\nt\tv\n" + "".join(f"{k}\t{v}\n" for k, v in enumerate(SIGNAL))),
        ("signal.json", json.dumps(SIGNAL.tolist())),
        ("named.json", json.dumps({"f": SIGNAL.tolist(), "note": [1]})),
    ],
)
def test_everyday_files_give_numpys_gradient(capsys, tmp_path, name, content):
    source = tmp_path / name
    source.write_text(content, encoding="utf-8")
    two_columns = name in ("header.csv", "spaces.csv", "tabs.csv")
    extra = ["--axis", "0"] if two_columns else []
    status, _, err = run(capsys, "grid", source, *extra, "-o", tmp_path / "g.npz")
    assert status == 0, err
    with np.load(tmp_path / "g.npz") as result:
        got = result["d0"][:, 1] if two_columns else result["d0"]
    np.testing.assert_array_equal(got, np.gradient(SIGNAL))


def test_blank_and_na_cells_are_nan(capsys, tmp_path):
    (tmp_path / "gaps.csv").write_text("a,b,c\n1,2,3\n4,,NA\n7,8,9\n10,N/A,12\n")
    status, _, err = run(capsys, "grid", tmp_path / "gaps.csv", "--axis", "0", "-o", tmp_path / "g.npy")
    assert status == 0, err
    data = np.array([[1, 2, 3], [4, np.nan, np.nan], [7, 8, 9], [10, np.nan, 12]])
    np.testing.assert_array_equal(np.load(tmp_path / "g.npy"), np.gradient(data, axis=0))


def test_skip_header_and_delimiter_force_the_layout(capsys, tmp_path):
    # a header of numbers (years) cannot be told from data: --skip-header says so
    (tmp_path / "years.csv").write_text("2024|2025|2026\n1|2|4\n2|4|8\n3|6|12\n")
    status, _, err = run(
        capsys, "grid", tmp_path / "years.csv", "--skip-header", "1", "--delimiter", "|", "-o", tmp_path / "g.npz"
    )
    assert status == 0, err
    data = np.array([[1, 2, 4], [2, 4, 8], [3, 6, 12.0]])
    with np.load(tmp_path / "g.npz") as result:
        np.testing.assert_array_equal(result["d0"], np.gradient(data)[0])
        np.testing.assert_array_equal(result["d1"], np.gradient(data)[1])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1,2,3\n4,5,6\n7,8\n", "row 3 has 2 columns where the rows before have 3"),
        ("x,y\n1,2\n\n3,abc\n", "row 4, column 2: 'abc' is not a number"),
        ("1,5;2,5\n3,5;4,5\n", "row 1, column 1: '1,5' is not a number (a decimal comma? use '.')"),
        ("x,y\n", "row 1, column 1: 'x' is not a number"),
        ("x,y\n# none\n", "row 1, column 1"),
    ],
)
def test_bad_csv_names_the_row_and_column_and_exits_1(capsys, tmp_path, content, message):
    (tmp_path / "bad.csv").write_text(content)
    status, out, err = run(capsys, "grid", tmp_path / "bad.csv", "-o", tmp_path / "g.npz")
    assert status == 1 and out == ""
    assert err.startswith("error: ") and message in err, err


def test_bool_npy_and_json_are_a_clear_error(capsys, tmp_path):
    np.save(tmp_path / "mask.npy", np.array([True, False, True]))
    status, _, err = run(capsys, "grid", tmp_path / "mask.npy", "-o", tmp_path / "g.npz")
    assert status == 1 and "holds booleans (true/false), not numbers" in err and "bitwise_xor" not in err
    (tmp_path / "mask.json").write_text("[true, false, true]")
    status, _, err = run(capsys, "grid", tmp_path / "mask.json", "-o", tmp_path / "g.npz")
    assert status == 1 and "holds true/false values, not numbers" in err


def test_coordinates_from_a_csv_column_and_an_n_by_1_array(capsys, tmp_path):
    x = np.cumsum(np.linspace(0.1, 0.3, 6))
    np.savetxt(tmp_path / "x.csv", x)  # one column
    np.save(tmp_path / "x.npy", x[:, None])  # shape (6, 1)
    np.save(tmp_path / "f.npy", SIGNAL)
    for coords in ("x.csv", "x.npy"):
        status, _, err = run(capsys, "grid", tmp_path / "f.npy", "--coords", coords, "-o", tmp_path / "g.json")
        assert status == 0, err
        got = json.loads((tmp_path / "g.json").read_text())["d0"]
        np.testing.assert_allclose(got, np.gradient(SIGNAL, x), rtol=1e-15)


def test_json_output_writes_null_for_nan_and_npy_stacks_the_axes(capsys, tmp_path):
    data = np.array([[1.0, 2.0, 4.0], [np.nan, 3.0, 9.0], [5.0, 6.0, 7.0]])
    np.save(tmp_path / "f.npy", data)
    status, _, _ = run(capsys, "grid", tmp_path / "f.npy", "-o", tmp_path / "g.json")
    assert status == 0
    written = json.loads((tmp_path / "g.json").read_text())
    expected = np.gradient(data)
    for k in range(2):
        got = np.array([[np.nan if v is None else v for v in row] for row in written[f"d{k}"]])
        np.testing.assert_array_equal(got, expected[k])
    status, _, _ = run(capsys, "grid", tmp_path / "f.npy", "-o", tmp_path / "g.npy")
    assert status == 0
    np.testing.assert_array_equal(np.load(tmp_path / "g.npy"), np.stack(expected))


def test_periodic_axes_one_by_one(capsys, tmp_path):
    t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    data = np.sin(t)[:, None] * np.arange(1.0, 6.0)[None, :] ** 2  # periodic along axis 0 only
    np.save(tmp_path / "f.npy", data)
    h = float(t[1])
    status, _, err = run(
        capsys, "grid", tmp_path / "f.npy", "--spacing", f"{h!r},1", "--periodic-axes", "0", "-o", tmp_path / "g.npz"
    )
    assert status == 0, err
    with np.load(tmp_path / "g.npz") as result:
        wrapped = (np.roll(data, -1, axis=0) - np.roll(data, 1, axis=0)) / (2 * h)  # central, with wrap-around
        np.testing.assert_allclose(result["d0"], wrapped, rtol=1e-13, atol=1e-13)
        np.testing.assert_allclose(result["d1"], np.gradient(data, axis=1), rtol=1e-15)


def test_stdin_to_stdout_through_a_pipe():
    text = "value\n" + "\n".join(str(v) for v in SIGNAL) + "\n"
    done = subprocess.run(
        [sys.executable, "-m", "gradkit.cli", "grid", "-", "-o", "-", "--to", "csv"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    np.testing.assert_array_equal(np.loadtxt(done.stdout.splitlines(), delimiter=","), np.gradient(SIGNAL))


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["data.txt", "-o", "g.npz"], 2, "unknown file type '.txt'"),
        (["f.npy", "-o", "g.txt"], 2, "unknown file type '.txt'"),
        (["f.npy", "-o", "-", "--to", "xml"], 2, "unknown format 'xml'"),
        (["f.npy", "-o", "g.csv"], 2, "a CSV file holds one 1-D or 2-D array"),
        (["missing.npy", "-o", "g.npz"], 2, "no such file: missing.npy"),
        (["f.npy", "--spacing", "0", "-o", "g.npz"], 2, "--spacing must be non-zero"),
        (["f.npy", "--spacing", "abc", "-o", "g.npz"], 2, "--spacing must be comma-separated numbers"),
        (["f.npy", "--spacing", "1,2,3", "-o", "g.npz"], 2, "give one spacing or one per differentiated axis"),
        (["f.npy", "--accuracy", "3", "-o", "g.npz"], 2, "must be an even number"),
        (["f.npy", "--accuracy", "4", "--edge-order", "2", "-o", "g.npz"], 2, "give one of them"),
        (["f.npy", "--edge-order", "3", "-o", "g.npz"], 2, "must be 1 or 2"),
        (["f.npy", "--periodic-axes", "4", "-o", "g.npz"], 2, "--periodic-axes must be axes of the 2-D data"),
        (["f.npy", "--skip-header", "-1", "-o", "g.npz"], 2, "--skip-header"),
        (["f.npy", "--coords", "c.npy,c.npy", "-o", "g.npz"], 1, "distances must match"),
        (["f.npy", "--accuracy", "10", "-o", "g.npz"], 1, "needs at least"),
        (["f.npy", "--smooth", "bogus", "-o", "g.npz"], 2, "must be one of 'auto'"),
        (["f.npy", "--smooth", "auto", "--accuracy", "4", "-o", "g.npz"], 2, "--smooth chooses its own smoothing"),
        (["f.npy", "--smooth", "auto", "--periodic-axes", "0", "-o", "g.npz"], 2, "every differentiated axis"),
    ],
)
def test_grid_exit_statuses(capsys, tmp_path, monkeypatch, argv, status, message):
    monkeypatch.chdir(tmp_path)
    np.save(tmp_path / "f.npy", np.arange(12.0).reshape(3, 4))
    np.save(tmp_path / "c.npy", np.arange(5.0))
    (tmp_path / "data.txt").write_text("1,2\n")
    got, _, err = run(capsys, "grid", *argv)
    assert got == status and message in err, err
    assert "Traceback" not in err


def test_smooth_differentiates_noisy_data_far_better_than_differencing(capsys, tmp_path):
    t = np.linspace(-3, 3, 501)
    y = np.exp(-(t**2)) + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    np.savetxt(tmp_path / "noisy.csv", y)
    true = -2 * t * np.exp(-(t**2))
    status, _, err = run(
        capsys, "grid", tmp_path / "noisy.csv", "--spacing", t[1] - t[0], "--smooth", "auto", "-o", tmp_path / "g.npy"
    )
    assert status == 0 and "smoothed with" in err and "noise estimated" in err
    smoothed = np.sqrt(np.mean((np.load(tmp_path / "g.npy") - true) ** 2))
    differenced = np.sqrt(np.mean((np.gradient(y, t) - true) ** 2))
    assert smoothed < differenced / 10
