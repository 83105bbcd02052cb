"""Reading and writing the data files of ``gradkit grid``: .npy, .npz, .csv and .json, or ``-`` for a pipe.

CSV text goes through NumPy's `loadtxt` once its layout is known: a byte-order mark is dropped, the
delimiter is sniffed (tab, ``;``, ``|`` or ``,``; whitespace when none fits), leading rows that are not
numbers are taken as a header, blank cells and ``NA`` are NaN, and a file of one row or one column is a
1-D signal.

Examples
--------
>>> import io
>>> read_array("-", stdin=io.BytesIO(b"\\xef\\xbb\\xbftime;value\\n0;1.5\\n1;NA\\n2;\\n"))
array([[0. , 1.5],
       [1. , nan],
       [2. , nan]])
"""

from __future__ import annotations

import io
import json
import math
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

#: What a data file may be, by its name's ending.
FORMATS = (".npy", ".npz", ".csv", ".json")
#: Cells read as a missing value (NaN), besides the empty cell.
MISSING = frozenset({"na", "n/a", "#n/a", "nan", "null", "none", "-", "?"})
_STDIN = "<stdin>"


class DataError(ValueError):
    """A data file that cannot be used, with a message that says where."""


class FileTypeError(DataError):
    """A file name whose type gradkit does not know, or a request no file of that type can hold."""


def read_array(
    source: str | Path,
    *,
    delimiter: str | None = None,
    skip_header: int | None = None,
    stdin: io.BufferedIOBase | None = None,
) -> np.ndarray:
    """The array in a .npy, .npz (its only array, or the one named 'f'), .csv or .json file, or ``-``.

    Parameters
    ----------
    source : str or Path
        The file, or ``"-"`` for standard input (its format is told by its first bytes).
    delimiter : str, optional
        The CSV delimiter; sniffed by default (``,`` ``;`` tab ``|``, else whitespace).
    skip_header : int, optional
        How many leading CSV lines to skip; by default the leading lines that are not numbers.
    stdin : binary file, optional
        What ``-`` reads, standard input by default.

    Raises
    ------
    FileNotFoundError
        No such file.
    FileTypeError
        A file type gradkit does not read.
    DataError
        A file that cannot be read as numbers; the message names the row and column.
    """
    if str(source) == "-":
        raw = (stdin if stdin is not None else sys.stdin.buffer).read()
        return _from_bytes(raw, _STDIN, _sniffed_format(raw), delimiter, skip_header)
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise FileTypeError(f"{path}: unknown file type {suffix or '(none)'!r}; use {', '.join(FORMATS)} or -")
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    try:
        raw = path.read_bytes()
    except OSError as error:  # a folder, no permission
        raise DataError(f"{path} cannot be read: {error.strerror or error}") from None
    return _from_bytes(raw, str(path), suffix, delimiter, skip_header)


def _sniffed_format(raw: bytes) -> str:
    if raw.startswith(b"\x93NUMPY"):
        return ".npy"
    if raw.startswith(b"PK"):
        return ".npz"
    return ".json" if raw.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") else ".csv"


def _from_bytes(raw: bytes, name: str, suffix: str, delimiter: str | None, skip_header: int | None) -> np.ndarray:
    if suffix in (".csv", ".json"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError(f"{name} cannot be read: it is not UTF-8 text") from None
        return read_csv_text(text, name, delimiter, skip_header) if suffix == ".csv" else _read_json(text, name)
    try:
        loaded = np.load(io.BytesIO(raw), allow_pickle=False)
        if suffix == ".npy" or isinstance(loaded, np.ndarray):
            return _numeric(loaded, name)
        with loaded as archive:
            names = list(archive.keys())
            if len(names) == 1:
                return _numeric(archive[names[0]], name)
            if "f" in names:
                return _numeric(archive["f"], name)
            raise DataError(f"{name} holds {len(names)} arrays ({', '.join(names)}); name the data 'f'")
    except DataError:
        raise
    except ValueError as error:  # NumPy's reader, which never unpickles here
        if "Object arrays" in str(error):
            raise DataError(f"{name} holds Python objects, not numbers") from None
        if "pickled" in str(error):
            raise DataError(f"{name} is not a NumPy {suffix} file: it does not start with NumPy's header") from None
        raise DataError(f"{name} is not a NumPy {suffix} file ({error})") from None
    except (OSError, EOFError, KeyError) as error:  # truncated, or not a zip archive
        raise DataError(f"{name} is not a NumPy {suffix} file ({error})") from None


def read_csv_text(text: str, name: str = "<text>", delimiter: str | None = None, skip_header: int | None = None):
    """Numbers from CSV text, through `numpy.loadtxt`; see the module's notes for what is understood."""
    lines = text.splitlines()
    if skip_header is None:
        skip_header = _header_rows(lines, delimiter)
    elif skip_header < 0:
        raise FileTypeError(f"skip_header must be >= 0, got {skip_header}")
    body = lines[skip_header:]
    if not any(line.strip() and not line.lstrip().startswith("#") for line in body):
        raise DataError(f"{name} holds no numbers" + (f" after {skip_header} header lines" if skip_header else ""))
    if delimiter is None:
        delimiter = _sniffed_delimiter(body)
    elif delimiter in ("\\t", "tab"):
        delimiter = "\t"
    elif delimiter in (" ", "space", "whitespace"):
        delimiter = None
    options = {"delimiter": delimiter, "comments": "#", "ndmin": 0, "dtype": np.float64}
    try:
        try:  # NumPy's fast parser, unless a cell is not a plain number
            return np.loadtxt(io.StringIO("\n".join(body)), **options)
        except ValueError as error:
            if "could not convert" not in str(error):
                raise
            return np.loadtxt(io.StringIO("\n".join(body)), converters=_cell, **options)
    except ValueError as error:
        raise DataError(_located(str(error), name, skip_header, body, delimiter)) from None


def _cell(text: str) -> float:
    text = text.strip()
    if not text or text.lower() in MISSING:
        return math.nan
    return float(text)


def _is_number(cell: str) -> bool:
    try:
        _cell(cell)
    except ValueError:
        return False
    return True


def _split(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        for candidate in (",", ";", "\t", "|"):
            if candidate in line:
                return line.split(candidate)
        return line.split()
    return line.split(delimiter)


def _header_rows(lines: list[str], delimiter: str | None) -> int:
    """How many leading lines are a header: lines with a cell that is not a number, before the first that
    has only numbers (or missing values). A file with no line of numbers has no header: its error names the
    first cell."""
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip().strip("\"'") for cell in _split(line, delimiter)]
        if all(_is_number(cell) for cell in cells):
            return index
        if index >= 50:
            break
    return 0


def _sniffed_delimiter(lines: list[str]) -> str | None:
    """Tab, semicolon, bar or comma, the first found on most lines (a semicolon before a comma, which may
    be a decimal comma), or None for whitespace. `csv.Sniffer` guesses wrongly on rows of numbers: it takes
    the comma of "1,5;2,5" and gives up on a short row."""
    sample = [line for line in lines if line.strip() and not line.lstrip().startswith("#")][:50]
    for candidate in ("\t", ";", "|", ","):
        if sum(candidate in line for line in sample) * 2 > len(sample):
            return candidate
    return None  # one column, or columns separated by spaces


def _located(message: str, name: str, skipped: int, body: list[str], delimiter: str | None) -> str:
    """NumPy's complaint, told as the file's line number (1-based), column and cell: found again here, since
    NumPy counts its rows in ways that differ from one message to the next."""
    width = None
    for index, line in enumerate(body):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("#")[0].split(delimiter) if delimiter else line.split("#")[0].split()
        for column, cell in enumerate(cells, start=1):
            if not _is_number(cell):
                hint = " (a decimal comma? use '.')" if re.fullmatch(r"\s*-?\d+,\d+\s*", cell) else ""
                return f"{name}: row {skipped + index + 1}, column {column}: {cell.strip()!r} is not a number{hint}"
        if width is not None and len(cells) != width:
            columns = f"{len(cells)} column{'s' if len(cells) != 1 else ''}"
            return (
                f"{name}: row {skipped + index + 1} has {columns} where the rows before have {width} "
                "(give --delimiter if the columns are not split where they should be)"
            )
        width = len(cells)
    return f"{name} cannot be read as numbers: {message}"


def _read_json(text: str, name: str) -> np.ndarray:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{name} is not JSON: {error.msg} at line {error.lineno}, column {error.colno}") from None
    if isinstance(data, dict):
        if len(data) == 1:
            data = next(iter(data.values()))
        elif "f" in data:
            data = data["f"]
        else:
            raise DataError(f"{name} holds {len(data)} arrays ({', '.join(data)}); name the data 'f'")
    if _has_bool(data):
        raise DataError(f"{name} holds true/false values, not numbers")
    try:
        array = np.array(_nan_for_null(data), dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError(f"{name} must hold a number or nested lists of numbers of equal lengths (null: NaN)") from None
    return array


def _nan_for_null(value):
    if isinstance(value, list):
        return [_nan_for_null(item) for item in value]
    return math.nan if value is None else value


def _has_bool(value) -> bool:
    if isinstance(value, list):
        return any(_has_bool(item) for item in value)
    return isinstance(value, bool)


def read_coordinates(names: Sequence[str], folder: Path) -> tuple[np.ndarray, ...]:
    """One 1-D coordinate array per file name (relative names are looked up beside the data first).

    A column or a row ((N, 1) or (1, N)) is taken as the 1-D array it holds.
    """
    arrays = []
    for name in names:
        path = Path(name.strip())
        if not path.exists() and (folder / path).exists():
            path = folder / path
        array = read_array(path)
        if array.ndim > 1 and sum(n > 1 for n in array.shape) <= 1:
            array = array.reshape(-1)
        if array.ndim != 1:
            raise DataError(f"coordinates in {path} must be 1-D, got shape {array.shape}")
        arrays.append(array)
    return tuple(arrays)


def output_format(target: str | Path, chosen: str | None = None) -> str:
    """The format to write `target` in: `chosen` (for ``-``, JSON by default) or the name's ending."""
    if chosen is not None:
        suffix = "." + chosen.lower().lstrip(".")
        if suffix not in FORMATS:
            raise FileTypeError(f"unknown format {chosen!r}; use {', '.join(f[1:] for f in FORMATS)}")
        return suffix
    if str(target) == "-":
        return ".json"
    suffix = Path(target).suffix.lower()
    if suffix not in FORMATS:
        raise FileTypeError(f"{target}: unknown file type {suffix or '(none)'!r}; use {', '.join(FORMATS)} or -")
    return suffix


def write_arrays(target: str | Path, arrays: Sequence[np.ndarray], fmt: str | None = None, stdout=None) -> None:
    """Write one array per axis: .npz (d0, d1, ...), .json ({"d0": ..., ...}, NaN as null), .npy (one array,
    or several stacked along a new first axis) or .csv (one 1-D or 2-D array); ``-`` writes to standard output.
    """
    suffix = output_format(target, fmt)
    if suffix == ".csv" and (len(arrays) != 1 or arrays[0].ndim > 2):
        raise FileTypeError(
            "a CSV file holds one 1-D or 2-D array: write .npz or .json, or choose one axis with --axis"
        )
    buffer = io.BytesIO()
    if suffix == ".npz":
        np.savez(buffer, **{f"d{k}": a for k, a in enumerate(arrays)})
    elif suffix == ".npy":
        np.save(buffer, arrays[0] if len(arrays) == 1 else np.stack(arrays))
    elif suffix == ".json":
        if any(a.dtype.kind == "c" for a in arrays):
            raise FileTypeError("JSON holds real numbers only: write complex results to .npy or .npz")
        named = {f"d{k}": _null_for_nan(a.tolist()) for k, a in enumerate(arrays)}
        buffer.write((json.dumps(named, allow_nan=False) + "\n").encode())
    else:
        text = io.StringIO()
        np.savetxt(text, np.atleast_2d(arrays[0]) if arrays[0].ndim == 1 else arrays[0], delimiter=",", fmt="%.17g")
        buffer.write(text.getvalue().encode())
    if str(target) == "-":
        out = stdout if stdout is not None else sys.stdout.buffer
        out.write(buffer.getvalue())
        out.flush()
        return
    try:
        Path(target).write_bytes(buffer.getvalue())
    except OSError as error:
        raise DataError(f"cannot write {target}: {error.strerror or error}") from None


def _null_for_nan(value):
    if isinstance(value, list):
        return [_null_for_nan(item) for item in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _numeric(array: np.ndarray, name: str) -> np.ndarray:
    if array.dtype.kind == "b":
        raise DataError(f"{name} holds booleans (true/false), not numbers: convert them with .astype(float) first")
    if array.dtype.kind not in "iufc":
        raise DataError(f"{name} holds {array.dtype} data, not numbers")
    return array
