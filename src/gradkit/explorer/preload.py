"""Imported once by the workers' fork server: everything a worker needs, loaded and warmed before any fork.

Importing this module imports NumPy, sympy and the explorer's computations, and computes a small field of
the default formula, which loads the rest (sympy's code printers, NumPy's modules lambdify pulls in) and
leaves the default formula compiled in `compute`'s cache. Every worker is forked from this state, so it
answers its first request without those costs.
"""

from __future__ import annotations

from gradkit.explorer import compute

compute.parse(compute.DEFAULT_FORMULA)
compute.field(compute.DEFAULT_FORMULA, None, {}, (-2.0, 2.0), (-2.0, 2.0), 8)
