"""The fused CPU kernel (numba): one pass over the input for every requested axis.

For each index along the first axis the kernel computes every requested
derivative of that line (1-D), row (2-D) or plane (3-D) before moving on, so
the samples a stencil needs are still in cache and the input is read from
memory once. Outputs are written directly; the only scratch is one
accumulator row per outer index, used by stencils of more than three points.
Threads split the first axis (`numba.prange`); their number follows numba's
settings (``NUMBA_NUM_THREADS`` or `numba.set_num_threads`).

Terms are added in the plan's order and divided at the end, in float64 (or
complex128), so results agree with the reference kernel to a few ulp. NumPy's
own formulas are rounded as NumPy rounds them, so they agree exactly: complex
numbers are divided by a real step through its reciprocal, as NumPy does, and
single-precision data is computed in single precision where NumPy's operations
are (the rounding modes of `tables.py`).
Compiled code is cached on disk: a new process loads it instead of compiling.
"""

from __future__ import annotations

import numba
import numpy as np
from numba import types
from numba.extending import overload

from gradkit.grid.tables import DOUBLE, SINGLE, AxisTables

_OPTIONS = {"cache": True, "nogil": True, "error_model": "numpy"}
#: Lines longer than this are split across threads in 1-D.
_BLOCK = 1 << 16


def _quotient(value, divisor):
    """`value / divisor` for a real divisor, rounded as NumPy rounds it, in the divisor's precision (see the
    overload)."""
    return value / divisor


@overload(_quotient, inline="always")
def _quotient_overload(value, divisor):
    if isinstance(value, types.Complex):
        # NumPy divides complex numbers with Smith's method, which for a real divisor d multiplies
        # (re + im * r, im - re * r) by 1 / (d + 0 * r), r = 0 / d; written the same way for equal roundings.
        zero, one = (np.float32(0.0), np.float32(1.0)) if divisor == types.float32 else (0.0, 1.0)

        def complex_quotient(value, divisor):
            ratio = zero / divisor
            scale = one / (divisor + zero * ratio)
            return complex((value.real + value.imag * ratio) * scale, (value.imag - value.real * ratio) * scale)

        return complex_quotient
    return lambda value, divisor: value / divisor


# NumPy's rounding in single precision (tables.py): for single-precision data, terms and sums are computed
# in float32 (complex64) arithmetic on weights converted to float32, and so is the division in mode SINGLE.
# Any other data never takes these branches.


@numba.njit(inline="always", **_OPTIONS)
def _single_finish(total, divisor, mode):
    """A single-precision sum divided as the rounding mode says."""
    if mode == SINGLE:
        return _quotient(total, np.float32(divisor))
    return _quotient(total, divisor)


@numba.njit(**_OPTIONS)
def _stencil_at(i, table, index, weight):
    """Fill `index`/`weight` with the stencil of position `i` of an axis' `table` (an `AxisTables`);
    return (count, divisor, rounding mode)."""
    lo, hi, offsets, weights, divisor, coords, row_index, row_weight, row_count, row_divisor, mode, row_mode = table
    if lo <= i < hi:
        if coords.shape[0] > 0:
            dx1 = coords[i] - coords[i - 1]
            dx2 = coords[i + 1] - coords[i]
            index[0] = i - 1
            index[1] = i
            index[2] = i + 1
            weight[0] = -(dx2) / (dx1 * (dx1 + dx2))
            weight[1] = (dx2 - dx1) / (dx1 * dx2)
            weight[2] = dx1 / (dx2 * (dx1 + dx2))
            return 3, 1.0, DOUBLE
        r = i - lo if weights.shape[1] > 1 else 0
        for k in range(offsets.shape[0]):
            index[k] = i + offsets[k]
            weight[k] = weights[k, r]
        return offsets.shape[0], divisor, mode
    r = i if i < lo else lo + i - hi
    for k in range(row_count[r]):
        index[k] = row_index[r, k]
        weight[k] = row_weight[r, k]
    return row_count[r], row_divisor[r], row_mode[r]


@numba.njit(**_OPTIONS)
def _sum2(out, a, b, wa, wb, divisor, mode):
    if mode != DOUBLE:  # NumPy's single-precision rounding (above)
        sa, sb = np.float32(wa), np.float32(wb)
        for j in range(out.shape[0]):
            out[j] = _single_finish(sa * a[j] + sb * b[j], divisor, mode)
    elif divisor == 1.0:  # x / 1.0 == x exactly, and a division costs more than the rest
        for j in range(out.shape[0]):
            out[j] = wa * a[j] + wb * b[j]
    else:
        for j in range(out.shape[0]):
            out[j] = _quotient(wa * a[j] + wb * b[j], divisor)


@numba.njit(**_OPTIONS)
def _sum3(out, a, b, c, wa, wb, wc, divisor, mode):
    if mode != DOUBLE:
        sa, sb, sc = np.float32(wa), np.float32(wb), np.float32(wc)
        for j in range(out.shape[0]):
            out[j] = _single_finish(sa * a[j] + sb * b[j] + sc * c[j], divisor, mode)
    elif divisor == 1.0:
        for j in range(out.shape[0]):
            out[j] = wa * a[j] + wb * b[j] + wc * c[j]
    else:
        for j in range(out.shape[0]):
            out[j] = _quotient(wa * a[j] + wb * b[j] + wc * c[j], divisor)


@numba.njit(**_OPTIONS)
def _sum4(out, a, b, c, d, wa, wb, wc, wd, divisor):
    for j in range(out.shape[0]):
        out[j] = _quotient(wa * a[j] + wb * b[j] + wc * c[j] + wd * d[j], divisor)


@numba.njit(**_OPTIONS)
def _sum5(out, a, b, c, d, e, wa, wb, wc, wd, we, divisor):
    for j in range(out.shape[0]):
        out[j] = _quotient(wa * a[j] + wb * b[j] + wc * c[j] + wd * d[j] + we * e[j], divisor)


@numba.njit(**_OPTIONS)
def _sum3_varying(out, a, b, c, wa, wb, wc, divisor, mode):
    if mode != DOUBLE:
        for j in range(out.shape[0]):
            single = np.float32(wa[j]) * a[j] + np.float32(wb[j]) * b[j] + np.float32(wc[j]) * c[j]
            out[j] = _single_finish(single, divisor, mode)
    elif divisor == 1.0:
        for j in range(out.shape[0]):
            out[j] = wa[j] * a[j] + wb[j] * b[j] + wc[j] * c[j]
    else:
        for j in range(out.shape[0]):
            out[j] = _quotient(wa[j] * a[j] + wb[j] * b[j] + wc[j] * c[j], divisor)


@numba.njit(**_OPTIONS)
def _weighted_rows(out, matrix, index, weight, count, divisor, mode, acc):
    """out = (sum_k weight[k] * matrix[index[k]]) / divisor, row-wise. Rounding modes other than DOUBLE
    come with NumPy's own formulas only, which have two or three terms."""
    m = out.shape[0]
    # Stencils of up to five terms in one streaming pass; longer ones accumulate.
    w = weight
    if count == 2:
        _sum2(out, matrix[index[0]], matrix[index[1]], w[0], w[1], divisor, mode)
        return
    if count == 3:
        _sum3(out, matrix[index[0]], matrix[index[1]], matrix[index[2]], w[0], w[1], w[2], divisor, mode)
        return
    if count == 4:
        a, b, c, d = matrix[index[0]], matrix[index[1]], matrix[index[2]], matrix[index[3]]
        _sum4(out, a, b, c, d, w[0], w[1], w[2], w[3], divisor)
        return
    if count == 5:
        a, b, c, d, e = matrix[index[0]], matrix[index[1]], matrix[index[2]], matrix[index[3]], matrix[index[4]]
        _sum5(out, a, b, c, d, e, w[0], w[1], w[2], w[3], w[4], divisor)
        return
    row = matrix[index[0]]
    w = weight[0]
    for j in range(m):
        acc[j] = w * row[j]
    for k in range(1, count):
        row = matrix[index[k]]
        w = weight[k]
        for j in range(m):
            acc[j] += w * row[j]
    for j in range(m):
        out[j] = _quotient(acc[j], divisor)


@numba.njit(**_OPTIONS)
def _line_interior(line, out, start, stop, lo, offsets, weights, divisor, coords, mode, acc):
    """Interior positions [start, stop) of a contiguous line."""
    m = stop - start
    if m <= 0:
        return
    if coords.shape[0] > 0:
        # Slices indexed from 0, so no index can be negative and the loop vectorizes.
        x_left, x_mid, x_right = coords[start - 1 : stop - 1], coords[start:stop], coords[start + 1 : stop + 1]
        f_left, f_mid, f_right = line[start - 1 : stop - 1], line[start:stop], line[start + 1 : stop + 1]
        target = out[start:stop]
        for j in range(m):
            dx1 = x_mid[j] - x_left[j]
            dx2 = x_right[j] - x_mid[j]
            a = -(dx2) / (dx1 * (dx1 + dx2))
            b = (dx2 - dx1) / (dx1 * dx2)
            c = dx1 / (dx2 * (dx1 + dx2))
            target[j] = a * f_left[j] + b * f_mid[j] + c * f_right[j]
        return
    width = offsets.shape[0]
    target = out[start:stop]
    base = start - lo
    if width <= 5:
        o = offsets
        a = line[start + o[0] : stop + o[0]]
        b = line[start + o[1] : stop + o[1]]
        if weights.shape[1] > 1:
            if width == 3:
                c = line[start + o[2] : stop + o[2]]
                # Row by row, so each weight column keeps a contiguous layout and the loop vectorizes.
                wa, wb, wc = weights[0, base : base + m], weights[1, base : base + m], weights[2, base : base + m]
                _sum3_varying(target, a, b, c, wa, wb, wc, divisor, mode)
                return
        else:
            w = weights[:, 0]
            if width == 2:
                _sum2(target, a, b, w[0], w[1], divisor, mode)
                return
            c = line[start + o[2] : stop + o[2]]
            if width == 3:
                _sum3(target, a, b, c, w[0], w[1], w[2], divisor, mode)
                return
            d = line[start + o[3] : stop + o[3]]
            if width == 4:
                _sum4(target, a, b, c, d, w[0], w[1], w[2], w[3], divisor)
                return
            e = line[start + o[4] : stop + o[4]]
            _sum5(target, a, b, c, d, e, w[0], w[1], w[2], w[3], w[4], divisor)
            return
    for k in range(width):
        source = line[start + offsets[k] : stop + offsets[k]]
        if weights.shape[1] == 1:
            w = weights[k, 0]
            if k == 0:
                for j in range(m):
                    acc[j] = w * source[j]
            else:
                for j in range(m):
                    acc[j] += w * source[j]
        else:
            column = weights[k, base : base + m]
            if k == 0:
                for j in range(m):
                    acc[j] = column[j] * source[j]
            else:
                for j in range(m):
                    acc[j] += column[j] * source[j]
    for j in range(m):
        target[j] = _quotient(acc[j], divisor)


@numba.njit(**_OPTIONS)
def _line_edges(line, out, lo, hi, row_index, row_weight, row_count, row_divisor, row_mode):
    """Positions [0, lo) and [hi, n) of a line, from the explicit rows."""
    for r in range(row_count.shape[0]):
        i = r if r < lo else hi + r - lo
        out[i] = _edge_row(line, 0, r, row_index, row_weight, row_count, row_divisor, row_mode)


@numba.njit(inline="always", **_OPTIONS)
def _edge_row(line, base, r, row_index, row_weight, row_count, row_divisor, row_mode):
    """Explicit row `r` on the line starting at `base` of `line`, rounded as its mode says."""
    if row_mode[r] != DOUBLE:
        return _single_edge_row(line, base, r, row_index, row_weight, row_count, row_divisor, row_mode)
    total = row_weight[r, 0] * line[base + row_index[r, 0]]
    for k in range(1, row_count[r]):
        total += row_weight[r, k] * line[base + row_index[r, k]]
    return _quotient(total, row_divisor[r])


@numba.njit(**_OPTIONS)
def _single_edge_row(line, base, r, row_index, row_weight, row_count, row_divisor, row_mode):
    single = np.float32(row_weight[r, 0]) * line[base + row_index[r, 0]]
    for k in range(1, row_count[r]):
        single += np.float32(row_weight[r, k]) * line[base + row_index[r, k]]
    return _single_finish(single, row_divisor[r], row_mode[r])


@numba.njit(**_OPTIONS)
def _rows_edges(flat, out, rows, n, lo, hi, row_index, row_weight, row_count, row_divisor, row_mode):
    """`_line_edges` for `rows` consecutive lines of length `n` stored end to end in `flat`."""
    for j in range(rows):
        base = j * n
        for r in range(row_count.shape[0]):
            i = r if r < lo else hi + r - lo
            out[base + i] = _edge_row(flat, base, r, row_index, row_weight, row_count, row_divisor, row_mode)


@numba.njit(parallel=True, **_OPTIONS)
def fused_1d(f, out, t, accumulator):
    lo, hi, offsets, weights, divisor, coords, row_index, row_weight, row_count, row_divisor, mode, row_mode = t
    blocks = (hi - lo + _BLOCK - 1) // _BLOCK
    for p in numba.prange(blocks):
        start = lo + np.int64(p) * _BLOCK  # prange may type its index as uint64
        stop = min(hi, start + _BLOCK)
        acc = np.empty(stop - start, dtype=accumulator)
        _line_interior(f, out, start, stop, lo, offsets, weights, divisor, coords, mode, acc)
    _line_edges(f, out, lo, hi, row_index, row_weight, row_count, row_divisor, row_mode)


@numba.njit(parallel=True, **_OPTIONS)
def fused_2d(f, out0, out1, t0, t1, do0, do1, width, accumulator):
    lo1, hi1, off1, w1, d1, x1, ri1, rw1, rc1, rd1, m1, rm1 = t1
    n0, n1 = f.shape
    for p in numba.prange(n0):
        i = np.int64(p)  # prange may type its index as uint64; keep index arithmetic integral
        acc = np.empty(n1, dtype=accumulator)
        index = np.empty(width, dtype=np.int64)
        weight = np.empty(width)
        if do0:
            count, divisor, mode = _stencil_at(i, t0, index, weight)
            _weighted_rows(out0[i], f, index, weight, count, divisor, mode, acc)
        if do1:
            _line_interior(f[i], out1[i], lo1, hi1, lo1, off1, w1, d1, x1, m1, acc)
            _line_edges(f[i], out1[i], lo1, hi1, ri1, rw1, rc1, rd1, rm1)


@numba.njit(parallel=True, **_OPTIONS)
def fused_3d(f, planes, out0, out1, out2, out1_planes, out2_planes, t0, t1, t2, do0, do1, do2, width, accumulator):
    lo1, hi1, off1, w1, d1, x1, _, _, rc1, _, m1, _ = t1
    lo2, hi2, off2, w2, d2, x2, ri2, rw2, rc2, rd2, m2, rm2 = t2
    n0, n1, n2 = f.shape
    # Along axis 1 with shared weights, the interior rows of a plane are one long line with offsets in rows.
    plane_offsets = off1 * n2
    rows_shared = w1.shape[1] == 1 and x1.shape[0] == 0
    for p in numba.prange(n0):
        i = np.int64(p)
        acc = np.empty(max(n1 * n2, 1), dtype=accumulator)
        index = np.empty(width, dtype=np.int64)
        weight = np.empty(width)
        if do0:
            count, divisor, mode = _stencil_at(i, t0, index, weight)
            _weighted_rows(out0[i], planes, index, weight, count, divisor, mode, acc)
        if do1 and rows_shared:
            _line_interior(planes[i], out1_planes[i], lo1 * n2, hi1 * n2, lo1 * n2, plane_offsets, w1, d1, x1, m1, acc)
            plane = f[i]
            for r in range(rc1.shape[0]):
                j = r if r < lo1 else hi1 + r - lo1
                count, divisor, mode = _stencil_at(j, t1, index, weight)
                _weighted_rows(out1[i, j], plane, index, weight, count, divisor, mode, acc)
        elif do1:
            plane = f[i]
            for j in range(n1):
                if lo1 <= j < hi1 and off1.shape[0] == 3 and x1.shape[0] == 0:
                    # Three rows with this row's weights, without building a stencil per row.
                    r = j - lo1
                    a, b, c = plane[j + off1[0]], plane[j + off1[1]], plane[j + off1[2]]
                    _sum3(out1[i, j], a, b, c, w1[0, r], w1[1, r], w1[2, r], d1, m1)
                    continue
                count, divisor, mode = _stencil_at(j, t1, index, weight)
                _weighted_rows(out1[i, j], plane, index, weight, count, divisor, mode, acc)
        if do2 and w2.shape[1] == 1 and x2.shape[0] == 0:
            # Shared weights: the plane's lines, end to end, are one long line. Positions whose stencil
            # straddles two lines are exactly the edge positions, which the edge rows then overwrite.
            _line_interior(planes[i], out2_planes[i], lo2, n1 * n2 - (n2 - hi2), lo2, off2, w2, d2, x2, m2, acc)
            _rows_edges(planes[i], out2_planes[i], n1, n2, lo2, hi2, ri2, rw2, rc2, rd2, rm2)
        elif do2:
            for j in range(n1):
                line = f[i, j]
                target = out2[i, j]
                _line_interior(line, target, lo2, hi2, lo2, off2, w2, d2, x2, m2, acc)
                _line_edges(line, target, lo2, hi2, ri2, rw2, rc2, rd2, rm2)


def run_fused(f: np.ndarray, tables: dict[int, AxisTables], outs: dict[int, np.ndarray]) -> None:
    """Compute the derivatives along the axes in `tables` of C-contiguous `f` into `outs`.

    `f` is 1-, 2- or 3-D, float32/64 or complex64/128; each output is C-contiguous with `f`'s shape and dtype.
    """
    accumulator = np.complex128 if np.iscomplexobj(f) else np.float64
    width = max(max(len(t.offsets), t.row_index.shape[1], 3) for t in tables.values())
    filler = next(iter(tables.values()))
    tabs = [tables.get(a, filler) for a in range(f.ndim)]
    does = [a in tables for a in range(f.ndim)]
    unused = np.empty((0,) * f.ndim, dtype=f.dtype)
    out = [outs.get(a, unused) for a in range(f.ndim)]
    if f.ndim == 1:
        fused_1d(f, out[0], tabs[0], accumulator)
    elif f.ndim == 2:
        fused_2d(f, out[0], out[1], tabs[0], tabs[1], does[0], does[1], width, accumulator)
    else:
        n0 = f.shape[0]
        planes = f.reshape(n0, -1)
        flat0 = out[0].reshape(n0, -1) if does[0] else np.empty((0, 0), dtype=f.dtype)
        flat1, flat2 = (out[a].reshape(n0, -1) if does[a] else np.empty((0, 0), dtype=f.dtype) for a in (1, 2))
        fused_3d(f, planes, flat0, out[1], out[2], flat1, flat2, *tabs, *does, width, accumulator)
