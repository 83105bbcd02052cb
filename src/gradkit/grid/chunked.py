"""Gradients of Dask arrays: lazy, chunk by chunk, with a halo of the stencil's radius.

Each axis is differentiated by one `map_blocks` over an overlapped array: every
block carries `radius` samples of its neighbours (wrapped around for a periodic
axis), is differentiated on its own with the same weights the whole axis would
use, and keeps only its own samples. Interior samples therefore see exactly
the stencils they see in memory, and the result equals the in-memory one.
Chunks too short for the edge stencils are merged first.
"""

from __future__ import annotations

import numpy as np

from gradkit.grid import kernels
from gradkit.grid.gradient import GradientRequest, working_array
from gradkit.grid.numpy_rules import numpy_axis_plan
from gradkit.grid.plan import AxisPlan
from gradkit.grid.spacing import AxisSpacing
from gradkit.grid.stencil_rules import stencil_axis_plan, wrapped_coordinates
from gradkit.stencils import one_sided_size


def chunked_gradient(f, *varargs, **keywords):
    """`gradient` of a Dask array; see `gradkit.gradient` (`keywords` are its options, as `GradientRequest` takes
    them)."""
    request = GradientRequest(f.shape, varargs, **keywords)
    plans = request.plans(tabulate=False)  # every length and period check before building the graph
    results = [
        _axis_derivative(
            f,
            request.axes[k],
            request.spacings[k],
            order=1,
            accuracy=request.accuracy,
            edge_order=request.edge_order,
            periodic=request.periodic[k],
            period=request.periods[k],
            radius=plan.radius,
            nan_policy=request.nan_policy,
        )
        for k, plan in enumerate(plans)
    ]
    return results[0] if len(results) == 1 else tuple(results)


def chunked_derivative(
    f, plan: AxisPlan, spacing: AxisSpacing, *, order, accuracy, periodic, period, nan_policy="propagate"
):
    """The derivative that `plan` (a validated `derivative_plan`) describes, of Dask array `f`: lazy."""
    return _axis_derivative(
        f,
        plan.axis,
        spacing,
        order=order,
        accuracy=accuracy,
        periodic=periodic,
        period=period,
        radius=plan.radius,
        nan_policy=nan_policy,
    )


def _axis_derivative(
    f, ax: int, spacing: AxisSpacing, *, order, accuracy, periodic, period, radius, edge_order=1, nan_policy="propagate"
):
    """Lazy derivative along `ax`: NumPy's formulas when `accuracy` is None and the axis is not periodic,
    stencils of that order and accuracy otherwise. With nan_policy="omit" each block carries enough of its
    neighbours for the one-sided stencils beside a gap and to see whether a run is long enough for them."""
    import dask.array as da

    from gradkit.grid import gaps as gaps_module

    wraps = periodic
    stencil_mode = accuracy is not None or wraps
    needed = one_sided_size(order, accuracy or 2) if stencil_mode else edge_order + 1
    omit = nan_policy == "omit"
    if omit and stencil_mode:
        rule = gaps_module.GapRule.for_stencils(
            ax, spacing, order=order, accuracy=accuracy or 2, periodic=wraps, period=period
        )
    elif omit:
        rule = gaps_module.GapRule.for_numpy(ax, spacing, edge_order=edge_order)
    depth = max(radius, needed) if omit and not wraps else radius
    if omit and wraps:  # a gap's run may wrap around: each block holds whole lines, bridged in one piece
        f = f.rechunk({ax: -1})
    f = f.rechunk({ax: _merged_chunks(f.chunks[ax], max(depth, needed - radius, 1))})
    ghosted = da.overlap.overlap(f, depth={ax: depth}, boundary={ax: "periodic" if wraps else "none"})
    starts = np.concatenate([[0], np.cumsum(f.chunks[ax])])
    coordinates = _block_coordinates_source(spacing, ax, wraps, period, depth)
    _, result_dtype = working_array(np.empty(0, dtype=f.dtype))

    def derivative_of_block(block, block_info=None):
        j = block_info[0]["chunk-location"][ax]
        start, stop = int(starts[j]), int(starts[j + 1])
        before = depth if (wraps or j > 0) else 0
        length = block.shape[ax]
        block_spacing = coordinates(start - before, start - before + length, block_info[0]["array-location"])
        if stencil_mode:
            plan = stencil_axis_plan(
                ax, length, block_spacing, order=order, accuracy=accuracy or 2, periodic=False, period=None
            )
        else:
            plan = numpy_axis_plan(ax, length, block_spacing, edge_order, tabulate=False)
        work, dtype = working_array(block)
        chosen = kernels.choose_kernel("auto", work, None, [block_spacing])
        if chosen == "reference" and plan.central_coords is not None:
            plan = numpy_axis_plan(ax, length, block_spacing, edge_order)
        if nan_policy == "raise":
            gaps_module.refuse_nan(gaps_module.gap_mask(work) is not None)
        (out,) = kernels.run(chosen, work, [plan], [np.empty_like(work, dtype=dtype)])
        keep = [slice(None)] * block.ndim
        keep[ax] = slice(before, before + stop - start)
        keep = tuple(keep)
        if omit and wraps:
            gaps = gaps_module.gap_mask(work[keep])
            if gaps is not None:
                gaps_module.fill_gaps(work[keep], gaps, out[keep], rule)
        elif omit:
            gaps = gaps_module.gap_mask(work)
            if gaps is not None:  # the block's ends look like edges to it: too far away to matter
                block_rule = gaps_module.GapRule(ax, block_spacing, rule.order, rule.size, rule.radius)
                gaps_module.fill_gaps(work, gaps, out, block_rule)
        return out[keep]

    return da.map_blocks(
        derivative_of_block,
        ghosted,
        chunks=f.chunks,
        dtype=result_dtype,
        meta=np.empty((0,) * f.ndim, dtype=result_dtype),
    )


def _block_coordinates_source(spacing: AxisSpacing, ax: int, wraps: bool, period, radius: int):
    """A function (start, stop, location) -> AxisSpacing of that range of the (halo-extended) axis, in the
    block at `location` (its (start, stop) along every axis: spacing per point is cut to the block)."""
    if spacing.per_point:
        return _per_point_source(spacing, ax, wraps, period, radius)
    if spacing.is_uniform:
        return lambda start, stop, location: spacing
    coords = spacing.coords
    steps = np.diff(coords)
    uniform = bool((steps == steps[0]).all())
    if wraps:
        extended = wrapped_coordinates(ax, coords, radius, period)
        return lambda start, stop, location: AxisSpacing(
            coords=extended[start + radius : stop + radius], collapse=uniform
        )
    return lambda start, stop, location: AxisSpacing(coords=coords[start:stop], collapse=uniform)


def _per_point_source(spacing: AxisSpacing, ax: int, wraps: bool, period, radius: int):
    values = spacing.step if spacing.is_uniform else spacing.coords
    if not spacing.is_uniform and wraps:
        moved = wrapped_coordinates(ax, np.moveaxis(values, ax, -1), radius, period)
        values, radius = np.moveaxis(moved, -1, ax), radius
    else:
        radius = 0

    def cut(start, stop, location):
        key = [slice(None) if size == 1 else slice(*location[k]) for k, size in enumerate(values.shape)]
        key[ax] = slice(None) if spacing.is_uniform else slice(start + radius, stop + radius)
        piece = values[tuple(key)]
        return AxisSpacing(step=piece) if spacing.is_uniform else AxisSpacing(coords=piece, collapse=False)

    return cut


def _merged_chunks(chunks: tuple[int, ...], minimum: int) -> tuple[int, ...]:
    """`chunks` with neighbours merged until each has at least `minimum` samples."""
    if all(c >= minimum for c in chunks) or sum(chunks) < minimum:
        return chunks
    merged: list[int] = []
    for size in chunks:
        if merged and merged[-1] < minimum:
            merged[-1] += size
        else:
            merged.append(size)
    if len(merged) > 1 and merged[-1] < minimum:
        merged[-2] += merged.pop()
    return tuple(merged)
