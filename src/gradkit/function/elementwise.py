"""The n-th derivative of an elementwise function at every element of an array, with results per element.

Each element is its own problem: its value, error estimate, verdict, evaluation count and status are its own,
and one element where f is not finite (or not differentiable) leaves the others standing, as in SciPy's
``scipy.differentiate.derivative``. The sequences of steps are `nth.py`'s.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gradkit.function import autodiff, native
from gradkit.function.complex_step import NOT_ANALYTIC, STEP, argument_rounding, check_real_at_real, disagrees
from gradkit.function.evaluate import off_single_grid
from gradkit.function.exact import check_exact_options, exact_derivative, is_formula
from gradkit.function.nth import Elements, Sampler, estimate, over_power, reach, sequence
from gradkit.function.problem import (
    as_point,
    check_accuracy,
    check_bounds,
    check_callable,
    check_method,
    check_tolerances,
    floating_type,
    resolved_atol,
    retry_atol,
)
from gradkit.function.result import Result
from gradkit.function.richardson import reconciled
from gradkit.function.smoothness import CURVATURE_KINKED, GROWING, KINKED
from gradkit.function.steps import check_step, first_richardson_step, fixed_step, relative_first, rescalable, step_scale
from gradkit.function.verdict import narrowed, warn_inaccurate, within
from gradkit.grid.options import check_order

#: Status codes of `derivative`'s elements (`Result.status`).
CONVERGED, INACCURATE, NOT_DIFFERENTIABLE, NOT_FINITE = 0, -1, -2, -3

UNRESOLVED = "the steps never resolved f's scale (the estimates did not settle as the steps shrank)"


def derivative(
    f: Callable,
    x: object,
    *,
    order: int = 1,
    method: str = "auto",
    args: tuple = (),
    kwargs: dict | None = None,
    step=None,
    accuracy: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    bounds=None,
    backend: str | None = None,
    full_output: bool = False,
):
    """The `order`-th derivative of an elementwise function at each element of x, each element on its own.

    f must act elementwise on arrays (as ``np.sin`` does): it is called with arrays of x's shape (or of some
    of its elements). A formula object (gradkit's `Expression`, of one variable) is differentiated exactly.

    Parameters
    ----------
    f : callable or Expression
        ``f(x, *args, **kwargs)``, elementwise; real or complex valued.
    x : array_like
        Points. A float32 x gives float32 results, f gets float32 points and the steps suit single precision.
    order : int, optional
        Derivative order, 1 or more.
    method : {"auto", "richardson", "central", "complex", "ad"}, optional
        Adaptive extrapolation, one central step, the complex step (order 1 only; checked against one
        central difference), or automatic differentiation of ``sum(f(x))`` `order` times with torch or JAX.
        "auto" (the default) is "ad" for a torch tensor or JAX array, exact for a formula, and "richardson"
        otherwise.
    accuracy : int, optional
        Order of the stencil of method "central" (even, default 2); its error estimate evaluates the stencil
        again at twice the step.
    bounds : (lower, upper), optional
        Never evaluate f outside this box (numbers or one per element); near a face, one-sided differences.
    backend : {"torch", "jax"}, optional
        The library f is written with when x is a NumPy array ("ad" differentiates with it; the other
        methods call f with its arrays).
    step, rtol, atol
        As in `jacobian`, per element: the default atol is rtol times ``|f(x)| / max(|x|, 1)**order``.
    full_output : bool, optional
        Return a `Result` whose `value`, `error`, `success`, `nfev` and `status` have x's shape: each
        element's own. An element where f(x) is not finite is NaN with status -3; the others stand.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x = np.array([0.0, 0.5, 1.0])
    >>> bool(np.allclose(gk.derivative(np.sin, x), np.cos(x), rtol=1e-12, atol=1e-13))
    True
    >>> r = gk.derivative(np.cos, 0.5, order=10, full_output=True)
    >>> bool(abs(r.value + np.cos(0.5)) <= r.error)
    True
    >>> r = gk.derivative(np.log, np.array([-1.0, 1.0, 2.0]), full_output=True)
    >>> np.round(r.value, 12).tolist(), r.success.tolist(), r.status.tolist()
    ([nan, 1.0, 0.5], [False, True, True], [-3, 0, 0])
    """
    check_method(method, ("auto", "richardson", "central", "complex", "ad"))
    order = check_order(order)
    accuracy = check_accuracy(accuracy)
    if is_formula(f):
        if method == "auto":
            check_exact_options(step=step, bounds=bounds, backend=backend, args=args or None, kwargs=kwargs or None)
            return exact_derivative(f, x, order=order, full_output=full_output)
        f = f.evaluate  # (one variable, elementwise)
    check_callable(f)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        check_tolerances(rtol, atol)
        autodiff.check_no_step(step=step, accuracy=accuracy)
        name = autodiff.resolve_backend(x, backend)
        value = autodiff.ad_elementwise(f, x, order, name, args, kwargs)
        return autodiff.finished(value, name, full_output)
    f, x = native.numerical_call(f, x, backend)
    method = "richardson" if method == "auto" else method
    if method == "complex" and order != 1:
        raise ValueError("method='complex' gives first derivatives only")
    if accuracy % 2:
        raise ValueError(f"central differences need an even accuracy, got {accuracy}")
    point = as_point(x)
    dtype = floating_type(np.asarray(x))  # float32 x: f gets float32 points
    rtol, atol = check_tolerances(rtol, atol, dtype)
    flat = point.reshape(-1)
    if step is not None:  # one positive step, or one per element, that moves it
        step = check_step(step, flat, np.arange(flat.size), real=method != "complex")
    box = check_bounds(bounds, flat)
    arguments = tuple(args) if isinstance(args, tuple) else (args,)
    sampler = Sampler(f, arguments, kwargs or {}, dtype, np.zeros(flat.size, int), shape=point.shape)
    f0 = sampler(point, np.arange(flat.size)).reshape(-1)
    if sampler.precision > np.finfo(np.float64).eps:  # f(x) are float32 numbers: single precision or exact?
        upward = True if box is None else (off_single_grid(flat) <= box[1]).reshape(point.shape)
        sampler(off_single_grid(point, upward), np.arange(flat.size))  # (inside the bounds)
    answer = _Answer(flat.size, f0.dtype)
    good = np.flatnonzero(np.isfinite(f0))
    answer.fail(np.flatnonzero(~np.isfinite(f0)), NOT_FINITE, "f(x) is not finite")
    el = Elements(good, flat[good], f0[good])
    if len(good):
        if method == "complex":
            _complex(sampler, el, step, box, answer)
        elif method == "central":
            _fixed(sampler, el, order, accuracy, step, box, answer)
        else:
            _adaptive(sampler, el, order, step, box, answer, rtol, atol)
            _rounded_away(sampler, el, order, step, box, answer)
    size = np.maximum(np.where(np.isfinite(f0), np.abs(f0), 0.0), answer.magnitude)  # f's size near each x
    atol = resolved_atol(atol, rtol, size, flat, order, elementwise=True)
    return answer.finish(point.shape, dtype, sampler.nfev, method, rtol, atol, full_output)


class _Answer:
    """Per element: value, error, status, and the notes that explain a status."""

    def __init__(self, n: int, dtype):
        self.value = np.full(n, np.nan, dtype=np.result_type(dtype, np.float64))
        self.error = np.full(n, np.inf)
        self.status = np.zeros(n, dtype=np.int64)
        self.second = np.full(n, np.nan)  # |f''| where a central first difference shows it
        self.magnitude = np.zeros(n)  # the largest finite |f| at the points of the step used
        self.above = np.zeros(n, dtype=bool)  # f was not finite above (below) x in the steps used
        self.below = np.zeros(n, dtype=bool)
        self.notes: dict[str, np.ndarray] = {}

    def note(self, idx: np.ndarray, text: str) -> None:
        if len(idx):
            mask = self.notes.setdefault(text, np.zeros(len(self.status), dtype=bool))
            mask[idx] = True

    def fail(self, idx: np.ndarray, status: int, text: str) -> None:
        if len(idx):
            self.status[idx] = np.where(self.status[idx] == CONVERGED, status, self.status[idx])
            self.note(idx, text)

    def set(self, idx, value, error) -> None:
        if np.iscomplexobj(value) and not np.iscomplexobj(self.value):
            self.value = self.value.astype(np.complex128)
        self.value[idx], self.error[idx] = value, error

    def finish(self, shape, dtype, nfev, method, rtol, atol, full_output):
        fine = within(self.value, self.error, rtol, atol)
        self.status = np.where((self.status == CONVERGED) & ~fine, INACCURATE, self.status)
        self.note(np.flatnonzero(self.status == INACCURATE), "the error estimate exceeds atol + rtol*|value|")
        self.value[self.status == NOT_FINITE] = np.nan
        success = self.status == CONVERGED
        parts = [f"{text} ({_where(mask, shape)})" for text, mask in self.notes.items() if mask.any()]
        message = "; ".join(parts) if parts else "converged within tolerance"
        kind = np.result_type(dtype, self.value.dtype) if np.iscomplexobj(self.value) else dtype
        value, error = narrowed(self.value, self.error, kind if np.iscomplexobj(self.value) else dtype)
        value, error = value.reshape(shape), error.reshape(shape)
        if full_output:
            return Result(
                value, error, nfev.reshape(shape), method, success.reshape(shape), message, self.status.reshape(shape)
            )
        if not success.all():
            warn_inaccurate(method, message)
        return value[()] if value.ndim == 0 else value


def _where(mask: np.ndarray, shape: tuple) -> str:
    """Which elements, in words: 'x', 'element (2,)', or '3 elements, the first (0, 4)'."""
    if not shape:
        return "at x"
    indices = [tuple(int(i) for i in np.unravel_index(j, shape)) for j in np.flatnonzero(mask)[:2]]
    count = int(np.count_nonzero(mask))
    first = indices[0] if len(shape) > 1 else indices[0][0]
    return f"element {first}" if count == 1 else f"{count} elements, the first {first}"


def _complex(sampler: Sampler, el: Elements, step, box, answer: _Answer) -> None:
    """The complex step, cross-checked against one central difference: f must be complex-analytic."""
    check_real_at_real(el.f_at)
    h = STEP * step_scale(el.at) if step is None else step[el.idx]
    values = sampler(el.at + 1j * h, el.idx)
    if not np.iscomplexobj(values):
        raise TypeError(
            "method='complex' needs f to keep complex input complex, but f returned real values "
            "(abs, np.real, float() or comparisons drop the imaginary part); use method='richardson'"
        )
    value = values.imag / h
    error = 2 * max(np.finfo(np.float64).eps, sampler.precision) * np.abs(value)
    answer.set(el.idx, value, np.where(np.isfinite(value), error, np.inf))
    answer.fail(el.idx[~np.isfinite(value)], NOT_FINITE, "f is not finite at the complex step")
    check = _Answer(len(answer.status), np.float64)
    _fixed(sampler, el, 1, 2, None, box, check)
    answer.magnitude[el.idx] = check.magnitude[el.idx]
    moved = argument_rounding(el.at, check.second[el.idx], 0, sampler.precision)  # f rounds 3x in cos(3x)
    answer.error[el.idx] = np.where(np.isfinite(value), error + moved, np.inf)
    error = answer.error[el.idx]
    wrong = disagrees(value, error, check.value[el.idx], check.error[el.idx])
    answer.fail(el.idx[wrong], NOT_DIFFERENTIABLE, NOT_ANALYTIC)
    # where f is not analytic the central difference is the better guess: the error covers it and its error
    answer.error[el.idx[wrong]] = (np.abs(value - check.value[el.idx]) + check.error[el.idx])[wrong]


def _fixed(sampler: Sampler, el: Elements, order: int, accuracy: int, step, box, answer: _Answer) -> None:
    """One stencil of `accuracy` per element, its error from the same stencil at twice the step; one-sided
    near a face of `box`, and on the other side where f is not finite at a point."""
    eps = float(np.finfo(sampler.dtype).eps)
    h = fixed_step(el.at, order, accuracy, eps) if step is None else step[el.idx]
    side = np.zeros(len(el.idx), dtype=int)
    if box is not None:
        side, h = _box_sides(el, box, h, h, order, accuracy, accuracy, reach_factor=2)
        answer.note(el.idx[side != 0], "near a bound: one-sided differences")

    def run(chosen: np.ndarray, direction: int):
        part = el.take(chosen)
        fine = estimate(sampler, part, h[chosen], order, direction, accuracy)
        coarse = estimate(sampler, part, 2 * h[chosen], order, direction, accuracy)
        with np.errstate(invalid="ignore"):
            error = np.abs(fine.value - coarse.value) + 4 * fine.noise
        ok = np.isfinite(fine.value) & np.isfinite(error)
        if order == 1 and direction == 0:  # |f''|, for the complex step's argument rounding
            step, above, below, _ = fine.curvature
            answer.second[part.idx] = over_power(np.abs(above - 2 * part.f_at + below), step, 2)
        answer.set(part.idx, fine.value, np.where(ok, error, np.inf))
        answer.magnitude[part.idx] = np.maximum(fine.magnitude, coarse.magnitude)
        return ok, fine.above | coarse.above, fine.below | coarse.below

    for direction in (0, 1, -1):
        chosen = np.flatnonzero(side == direction)
        if not len(chosen):
            continue
        ok, above, below = run(chosen, direction)
        for i, up, down in zip(chosen[~ok].tolist(), above[~ok].tolist(), below[~ok].tolist()):
            # f is not finite at a point of this stencil: a one-sided one on the other side, inside the box
            for other in (-1, 1) if up and not down else (1, -1):
                length = 2 * h[[i]] * reach(order, other, accuracy)
                if other == direction or not _room(el.take(np.array([i])), box, np.array([other]), length)[0]:
                    continue
                if run(np.array([i]), other)[0][0]:
                    answer.note(el.idx[[i]], "f is not finite or raised near the element: one-sided differences")
                    break
            else:
                answer.fail(el.idx[[i]], NOT_FINITE, "f is not finite at the stencil's points on either side")


def _room(el: Elements, box, side: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Whether a one-sided stencil reaching `length` on `side` stays inside the box."""
    if box is None:
        return np.ones(len(el.idx), dtype=bool)
    up, down = box[1][el.idx] - el.at, el.at - box[0][el.idx]
    return np.where(side > 0, up, down) >= length


def _box_sides(el: Elements, box, h_least, h, order, central_accuracy, side_accuracy, reach_factor=1):
    """Directions (0 central, +-1 one-sided) and steps that keep every point inside the box: central where
    its stencil fits at `h_least`, at a step shortened to fit; otherwise towards the side with more room."""
    up, down = box[1][el.idx] - el.at, el.at - box[0][el.idx]
    narrow, broad = np.minimum(up, down), np.maximum(up, down)
    central = reach_factor * reach(order, 0, central_accuracy)
    one_sided = reach_factor * reach(order, 1, side_accuracy)
    fits = narrow >= central * h_least
    side = np.where(fits, 0, np.where(up >= down, 1, -1))
    h = np.where(fits, np.minimum(h, narrow / central), np.minimum(h, broad / one_sided))
    return side, h


def _adaptive(sampler: Sampler, el: Elements, order: int, step, box, answer: _Answer, rtol, atol) -> None:
    """Richardson sequences from steps that resolve f; where a small |x| is left unsure, the other scale."""
    if step is not None:
        _sequences(sampler, el, order, step[el.idx], None, box, answer)
        return
    first = relative_first(el.at)
    _sequences(sampler, el, order, None, first, box, answer)
    tolerance = retry_atol(atol)
    fine = within(answer.value[el.idx], answer.error[el.idx], rtol, tolerance)
    # an exact 0 with error 0 is what an f flat at these steps gives (log(1 + x**2) at 1e-9): unsure too
    flat = (answer.value[el.idx] == 0) & (answer.error[el.idx] == 0)
    again = np.flatnonzero((~fine | flat) & rescalable(el.at, order) & (answer.status[el.idx] != NOT_FINITE))
    if not len(again):
        return
    retry = _Answer(len(answer.status), answer.value.dtype)
    part = el.take(again)
    _sequences(sampler, part, order, None, ~first[again], box, retry)
    old_value, old_error = answer.value[part.idx], answer.error[part.idx]
    new_value, new_error = retry.value[part.idx], retry.error[part.idx]
    # two independent sequences: where they disagree beyond their errors, the kept one's error covers both
    answer.error[part.idx] = reconciled(old_value, old_error, new_value, new_error)
    retry.error[part.idx] = np.where(flat[again], new_error, reconciled(new_value, new_error, old_value, old_error))
    better = part.idx[(new_error < old_error) | flat[again]]
    answer.set(better, retry.value[better], retry.error[better])
    answer.status[better] = retry.status[better]
    answer.magnitude[part.idx] = np.maximum(answer.magnitude[part.idx], retry.magnitude[part.idx])
    for mask in answer.notes.values():
        mask[better] = False
    for text, mask in retry.notes.items():
        answer.note(better[mask[better]], text)


def _rounded_away(sampler: Sampler, el: Elements, order: int, step, box, answer: _Answer) -> None:
    """Elements exactly 0 with error 0 although f changes near them (one more point, a first step away,
    tells): f's values rounded to one number at every step taken. That is no estimate: infinite error."""
    flat = np.flatnonzero((answer.value[el.idx] == 0) & (answer.error[el.idx] == 0))
    if not len(flat):
        return
    part = el.take(flat)
    h = 2.0 ** (order - 1) * first_richardson_step(part.at, order=order) if step is None else step[part.idx]
    if box is not None:  # towards the side with room
        up, down = box[1][part.idx] - part.at, part.at - box[0][part.idx]
        h = np.where(up >= h, h, -np.minimum(h, down))
    values = sampler(part.at + h, part.idx)
    varied = part.idx[(values != part.f_at) & np.isfinite(values)]
    answer.error[varied] = np.inf
    answer.fail(
        varied, INACCURATE, "f's values round to one number at every step taken (though f changes further away)"
    )


def _sequences(sampler: Sampler, el: Elements, order: int, step, relative, box, answer: _Answer) -> None:
    """Central sequences (one-sided near a face of `box`), redone one-sided where f is not finite."""
    if step is None:
        base = first_richardson_step(el.at, relative=relative, order=order)
        longest = 2.0 ** (order - 1) * base  # the longest step: the search shortens it until it resolves f
    else:
        base = longest = step
    side = np.zeros(len(el.idx), dtype=int)
    if box is not None:
        side, longest = _box_sides(el, box, base / 2.0 ** (order - 1) if step is None else base, longest, order, 2, 1)
        answer.note(el.idx[side != 0], "near a bound: one-sided differences")
    for direction in (0, 1, -1):
        chosen = np.flatnonzero(side == direction)
        if len(chosen):
            _store(
                answer, el.take(chosen), sequence(sampler, el.take(chosen), longest[chosen], order, direction), order
            )
    # a central sequence that met non-finite values: one-sided on the side where f was finite first
    central = el.take(np.flatnonzero(side == 0))
    tainted = answer.above[central.idx] | answer.below[central.idx] | ~np.isfinite(answer.value[central.idx])
    for i in np.flatnonzero(side == 0)[tainted].tolist():
        part = el.take(np.array([i]))
        up, down = bool(answer.above[part.idx[0]]), bool(answer.below[part.idx[0]])
        for direction in (-1, 1) if up and not down else (1, -1):
            if not _room(part, box, np.array([direction]), longest[[i]] * reach(order, direction, 1))[0]:
                continue
            redo = sequence(sampler, part, longest[[i]], order, direction)
            if np.isfinite(redo.value[0]) and not (redo.above[0] or redo.below[0]):
                answer.status[part.idx] = CONVERGED
                _store(answer, part, redo, order)
                word = "forward" if direction == 1 else "backward"
                answer.note(part.idx, f"f is not finite or raised near the element: {word} differences")
                break
        else:
            answer.set(part.idx, np.nan, np.inf)
            answer.fail(part.idx, NOT_FINITE, "f is not finite on either side of the element")


def _store(answer: _Answer, el: Elements, outcome, order: int) -> None:
    answer.set(el.idx, outcome.value, outcome.error)
    answer.above[el.idx], answer.below[el.idx] = outcome.above, outcome.below
    answer.magnitude[el.idx] = outcome.magnitude
    kink = CURVATURE_KINKED if order == 2 else KINKED
    answer.fail(
        el.idx[outcome.kinked],
        NOT_DIFFERENTIABLE,
        f"f does not look {'twice ' if order == 2 else ''}differentiable there: {kink}",
    )
    answer.fail(el.idx[outcome.growing], NOT_DIFFERENTIABLE, f"f does not look differentiable there: {GROWING}")
    answer.fail(el.idx[outcome.unresolved & ~outcome.growing & ~outcome.kinked], NOT_DIFFERENTIABLE, UNRESOLVED)
