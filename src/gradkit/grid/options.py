"""Validation of the keyword options shared by the grid operators."""

from __future__ import annotations

import operator
from collections.abc import Sequence

import numpy as np

NAN_POLICIES = ("propagate", "omit", "raise")
INDEXINGS = ("ij", "xy")


def check_edge_order(edge_order: object) -> int:
    """`edge_order` as 1 or 2 (None means 1); anything else is a ValueError (NumPy accepts 0, -5 or 1.5)."""
    if edge_order is None:
        return 1
    if isinstance(edge_order, (bool, np.bool_)) or edge_order not in (1, 2):
        raise ValueError(f"edge_order must be 1 or 2, got {edge_order!r}")
    return int(edge_order)


def check_accuracy(accuracy: object, *, optional: bool = False) -> int | None:
    """`accuracy` as an even integer of at least 2 (or None when `optional`). How high it may go depends on
    the axis lengths, which the plans check."""
    if accuracy is None and optional:
        return None
    try:
        value = operator.index(accuracy)
    except TypeError:
        raise TypeError(f"accuracy must be an even integer of at least 2, got {accuracy!r}") from None
    if value < 2 or value % 2:
        raise ValueError(f"accuracy must be an even integer of at least 2, got {value}")
    return value


def check_choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    """`value` if it is one of `choices`, else a ValueError naming `name`."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def check_conflicts(*, edge_order: object, accuracy: object, periodic: tuple[bool, ...], period: object) -> None:
    """A ValueError naming both options when two of them contradict each other (instead of ignoring one)."""
    if edge_order is not None and accuracy is not None:
        raise ValueError(
            f"edge_order={edge_order!r} conflicts with accuracy={accuracy!r}: accuracy sets the order of every "
            "stencil, edges included; pass one of them"
        )
    if edge_order is not None and periodic and all(periodic):
        raise ValueError(
            f"edge_order={edge_order!r} conflicts with periodic=True: a periodic axis has no edges; pass one of them"
        )
    given = period is not None and (np.ndim(period) == 0 or any(p is not None for p in period))
    if given and not any(periodic):
        raise ValueError(f"period={period!r} conflicts with periodic=False: period is the length of a periodic axis")


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
