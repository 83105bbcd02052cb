"""Validation of the keyword options shared by the grid operators."""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np

MAX_ACCURACY = 10


def check_edge_order(edge_order: object) -> int:
    """`edge_order` as 1 or 2; anything else is a ValueError (NumPy accepts 0, -5 or 1.5)."""
    if isinstance(edge_order, (bool, np.bool_)) or edge_order not in (1, 2):
        raise ValueError(f"edge_order must be 1 or 2, got {edge_order!r}")
    return int(edge_order)


def check_accuracy(accuracy: object, *, optional: bool = False) -> int | None:
    """`accuracy` as an even integer from 2 to 10 (or None when `optional`)."""
    if accuracy is None and optional:
        return None
    try:
        value = operator.index(accuracy)
    except TypeError:
        raise TypeError(f"accuracy must be an even integer from 2 to {MAX_ACCURACY}, got {accuracy!r}") from None
    if value < 2 or value > MAX_ACCURACY or value % 2:
        raise ValueError(f"accuracy must be an even integer from 2 to {MAX_ACCURACY}, got {value}")
    return value


def check_order(order: object) -> int:
    """Derivative `order` as an integer >= 1."""
    try:
        value = operator.index(order)
    except TypeError:
        raise TypeError(f"order must be a positive integer, got {order!r}") from None
    if value < 1:
        raise ValueError(f"order must be a positive integer, got {value}")
    return value


def per_axis_flags(periodic: object, count: int) -> tuple[bool, ...]:
    """`periodic` (one bool, or one per axis) as a tuple of `count` bools."""
    if isinstance(periodic, (bool, np.bool_)):
        return (bool(periodic),) * count
    if isinstance(periodic, Sequence) and all(isinstance(p, (bool, np.bool_)) for p in periodic):
        if len(periodic) != count:
            raise ValueError(f"periodic has {len(periodic)} entries but {count} axes are differentiated")
        return tuple(bool(p) for p in periodic)
    raise TypeError(f"periodic must be a bool or a sequence of bools, one per axis, got {periodic!r}")


def per_axis_periods(period: object, count: int) -> tuple[float | None, ...]:
    """`period` (None, one length, or one per axis with None allowed) as `count` entries."""
    if period is None or np.ndim(period) == 0:
        return (_check_period(period),) * count
    entries = list(period)
    if len(entries) != count:
        raise ValueError(f"period has {len(entries)} entries but {count} axes are differentiated")
    return tuple(_check_period(p) for p in entries)


def _check_period(period: object) -> float | None:
    if period is None:
        return None
    try:
        value = float(period)
    except (TypeError, ValueError):
        raise TypeError(f"period must be a positive number or None, got {period!r}") from None
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"period must be a positive finite number, got {period!r}")
    return value
