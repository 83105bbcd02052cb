"""Reading and writing the data files of ``gradkit grid``: .npy, .npz and .csv."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class DataError(ValueError):
    """A data file that cannot be used, with a message that says where."""


def read_array(path: Path) -> np.ndarray:
    """The array in a .npy, .npz (its only array, or the one named 'f') or .csv file."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no such file: {path}")
    suffix = path.suffix.lower()
    if suffix not in (".npy", ".npz", ".csv"):
        raise DataError(f"{path}: unknown file type {suffix!r}; use .npy, .npz or .csv")
    try:
        if suffix == ".csv":
            return read_csv(path)
        if suffix == ".npy":
            return _numeric(np.load(path, allow_pickle=False), path)
        with np.load(path, allow_pickle=False) as archive:
            names = list(archive.keys())
            if len(names) == 1:
                return _numeric(archive[names[0]], path)
            if "f" in names:
                return _numeric(archive["f"], path)
            raise DataError(f"{path} holds {len(names)} arrays ({', '.join(names)}); name the data 'f'")
    except DataError:
        raise
    except UnicodeDecodeError:
        raise DataError(f"{path} cannot be read: it is not UTF-8 text") from None
    except ValueError as error:  # NumPy's reader, which never unpickles here
        if "Object arrays" in str(error):
            raise DataError(f"{path} holds Python objects, not numbers") from None
        if "pickled" in str(error):
            raise DataError(f"{path} is not a NumPy {suffix} file: it does not start with NumPy's header") from None
        raise DataError(f"{path} is not a NumPy {suffix} file ({error})") from None
    except (OSError, EOFError) as error:  # a folder, a truncated file
        raise DataError(f"{path} cannot be read: {getattr(error, 'strerror', None) or error}") from None


def read_csv(path: Path) -> np.ndarray:
    """A CSV of numbers (one row per line); a cell that is not a number is an error naming its row and column."""
    rows = []
    with open(path, newline="") as handle:
        for r, row in enumerate(csv.reader(handle), start=1):
            if not row or all(not cell.strip() for cell in row):
                continue
            values = []
            for c, cell in enumerate(row, start=1):
                try:
                    values.append(float(cell))
                except ValueError:
                    raise DataError(f"{path}: row {r}, column {c}: {cell.strip()!r} is not a number") from None
            rows.append(values)
    if not rows:
        raise DataError(f"{path} holds no numbers")
    widths = {len(row) for row in rows}
    if len(widths) != 1:
        raise DataError(f"{path}: rows have different numbers of columns ({sorted(widths)})")
    array = np.array(rows)
    return array[0] if array.shape[0] == 1 else array


def read_coordinates(names: Sequence[str], folder: Path) -> tuple[np.ndarray, ...]:
    """One 1-D coordinate array per file name (relative names are looked up beside the data first)."""
    arrays = []
    for name in names:
        path = Path(name.strip())
        if not path.exists() and (folder / path).exists():
            path = folder / path
        array = read_array(path)
        if array.ndim != 1:
            raise DataError(f"coordinates in {path} must be 1-D, got shape {array.shape}")
        arrays.append(array)
    return tuple(arrays)


def write_arrays(path: Path, arrays: Sequence[np.ndarray]) -> None:
    """Write one array per axis: to .npz as d0, d1, ..., or a single array to .csv."""
    path = Path(path)
    if path.suffix != ".npz" and (len(arrays) != 1 or arrays[0].ndim > 2):
        raise DataError("a CSV file holds one 1-D or 2-D array: write .npz, or choose one axis with --axis")
    try:
        if path.suffix == ".npz":
            np.savez(path, **{f"d{k}": a for k, a in enumerate(arrays)})
        else:
            table = np.atleast_2d(arrays[0]) if arrays[0].ndim == 1 else arrays[0]
            np.savetxt(path, table, delimiter=",", fmt="%.17g")
    except OSError as error:
        raise DataError(f"cannot write {path}: {error.strerror or error}") from None


def _numeric(array: np.ndarray, path: Path) -> np.ndarray:
    if array.dtype.kind not in "biufc":
        raise DataError(f"{path} holds {array.dtype} data, not numbers")
    return array
