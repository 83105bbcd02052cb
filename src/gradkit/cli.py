"""The ``gradkit`` command line (Typer + Rich).

Exit status: 0 on success, 2 on usage errors (bad options, a formula that does not parse, a missing file),
1 on computation errors (bad data, a failed computation). Errors are messages, never tracebacks.
"""

from __future__ import annotations

import json
import math
import sys
import warnings
from pathlib import Path

import typer

app = typer.Typer(
    name="gradkit",
    help="Compute, check and show gradients.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

METHODS = ("richardson", "central", "forward", "backward", "complex")


def _numbers(text: str, name: str, count: int | None = None) -> list[float]:
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise typer.BadParameter(f"{name} must be comma-separated numbers, got {text!r}") from None
    if count is not None and len(values) != count:
        raise typer.BadParameter(f"{name} must have {count} number{'s' if count != 1 else ''}, got {len(values)}")
    if not all(math.isfinite(value) for value in values):
        raise typer.BadParameter(f"{name} must be finite numbers, got {text!r}")
    return values


def _integers(text: str, name: str) -> tuple[int, ...]:
    values = _numbers(text, name)
    if not all(value.is_integer() for value in values):
        raise typer.BadParameter(f"{name} must be comma-separated integers, got {text!r}")
    return tuple(int(value) for value in values)


def _fail(message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    # escaped: "[nan, 1.0]" in a message would otherwise be read as a style tag and vanish
    Console(stderr=True, soft_wrap=True).print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(1)


def _expression(text: str, variables: str | None):
    from gradkit.symbolic import Expression, FormulaError

    try:
        return Expression(text, variables=variables.split(",") if variables else None)
    except FormulaError as error:
        raise typer.BadParameter(str(error), param_hint="EXPR") from None


@app.command()
def demo(
    output: Path = typer.Option(Path("field.png"), "--output", "-o", help="where to write the picture"),
) -> None:
    """A tour of gradkit on its seed examples; writes a picture of the seed function."""
    from gradkit import demo as tour

    tour.run(typer.echo)
    written = tour.write_picture(output)
    typer.echo(f"5. The picture: {written} (heat map, contours, gradient arrows and an ascent path)")
    typer.echo("6. Interactively: `gradkit explore --open` serves the page on http://127.0.0.1:8000/")


@app.command()
def grad(
    expr: str = typer.Argument(..., help='the formula, e.g. "exp(-x^2)*exp(-y^2)"'),
    at: str = typer.Option(..., "--at", help="the point, comma-separated, in the order of the variables"),
    method: str = typer.Option("richardson", "--method", help=f"numerical method to compare: {', '.join(METHODS)}"),
    variables: str | None = typer.Option(None, "--vars", help="variable order, e.g. y,x (default: sorted)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """The exact gradient of a formula at a point, and a numerical one beside it."""
    if method not in METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(METHODS)}", param_hint="--method")
    expression = _expression(expr, variables)
    point = _numbers(at, "--at", len(expression.variables))

    import numpy as np

    import gradkit as gk

    partials = expression.gradient()
    with warnings.catch_warnings():  # a formula undefined at the point is reported below, once
        warnings.simplefilter("ignore", RuntimeWarning)
        exact = [float(np.real(d.evaluate(*point))) for d in partials]
        value = float(np.real(expression.evaluate(*point)))
    if not math.isfinite(value):
        where = ", ".join(f"{n}={v:g}" for n, v in zip(expression.variables, point))
        _fail(f"{expression} is {value} at {where}: its gradient needs it defined there")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            numerical = gk.grad(lambda p: expression.evaluate(*p), point, method=method, full_output=True)
        except (ValueError, TypeError) as error:
            _fail(str(error))
    report = {
        "expression": str(expression),
        "variables": list(expression.variables),
        "point": point,
        "value": value,
        "gradient": exact,
        "gradient_formulas": [str(d) for d in partials],
        "numerical": {
            "method": method,
            "gradient": numerical.value.tolist(),
            "error_estimate": numerical.error.tolist(),
            "difference_from_exact": (numerical.value - np.array(exact)).tolist(),
            "nfev": numerical.nfev,
            "success": numerical.success,
            "message": numerical.message,
        },
    }
    if as_json:  # standard JSON: a number that is not finite (sqrt's slope at 0) is null
        typer.echo(json.dumps(_finite_or_null(report), allow_nan=False))
        return
    _print_gradient(report)


def _finite_or_null(value):
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite_or_null(item) for item in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _print_gradient(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    console = Console(highlight=False, width=max(console.width, 100))  # numbers need room; pipes report 80
    point = ", ".join(f"{n}={v:g}" for n, v in zip(report["variables"], report["point"]))
    console.print(f"f = {report['expression']}  at {point}:  f = {report['value']:.15g}")
    for name, formula in zip(report["variables"], report["gradient_formulas"]):
        console.print(f"  df/d{name} = {formula}")
    numerical = report["numerical"]
    table = Table("", "exact", numerical["method"], "error estimate", "|difference|")
    for k, name in enumerate(report["variables"]):
        table.add_row(
            f"df/d{name}",
            f"{report['gradient'][k]:.15g}",
            f"{numerical['gradient'][k]:.15g}",
            f"{numerical['error_estimate'][k]:.2e}",
            f"{abs(numerical['difference_from_exact'][k]):.2e}",
        )
    console.print(table)
    console.print(f"{numerical['method']}: {numerical['nfev']} evaluations; {numerical['message']}")


@app.command()
def grid(
    file: Path = typer.Argument(..., help="data: .npy, .npz or .csv"),
    output: Path = typer.Option(..., "--output", "-o", help="where to write: .npz (one array per axis) or .csv"),
    spacing: str | None = typer.Option(None, "--spacing", help="one step, or one per axis: 0.5,0.5"),
    coords: str | None = typer.Option(None, "--coords", help="coordinate files per axis: x.npy,y.npy"),
    axis: str | None = typer.Option(None, "--axis", help="axes to differentiate: 0,1 (default all)"),
    accuracy: int | None = typer.Option(None, "--accuracy", help="2, 4, 6, 8 or 10"),
    edge_order: int = typer.Option(1, "--edge-order", help="1 or 2 (when --accuracy is not given)"),
    periodic: bool = typer.Option(False, "--periodic", help="treat the axes as periodic"),
) -> None:
    """The gradient of an array in a data file."""
    from gradkit import dataio

    if spacing and coords:
        raise typer.BadParameter("give --spacing or --coords, not both")
    if output.suffix not in (".npz", ".csv"):
        raise typer.BadParameter(f"output must end in .npz or .csv, got {output.name!r}", param_hint="--output")
    try:
        data = dataio.read_array(file)
        axes = _integers(axis, "--axis") if axis else None
        arguments = (
            dataio.read_coordinates(coords.split(","), file.parent)
            if coords
            else (tuple(_numbers(spacing, "--spacing")) if spacing else ())
        )
    except FileNotFoundError as error:
        raise typer.BadParameter(str(error)) from None
    except dataio.DataError as error:
        _fail(str(error))
    if data.ndim == 0:
        _fail(f"{file} holds a single number (a 0-d array): there is no axis to differentiate along")
    in_range = [a % data.ndim for a in axes or () if -data.ndim <= a < data.ndim]  # the others: NumPy's error
    if len(set(in_range)) < len(in_range):
        _fail(f"--axis repeats an axis: {axis}")
    results = _gradient_with_progress(data, arguments, axes, accuracy, edge_order, periodic)
    try:
        dataio.write_arrays(output, results)
    except dataio.DataError as error:
        _fail(str(error))
    typer.echo(f"wrote {output} ({len(results)} array{'s' if len(results) > 1 else ''} of shape {data.shape})")


def _gradient_with_progress(data, arguments, axes, accuracy, edge_order, periodic):
    import numpy as np
    from rich.progress import Progress

    import gradkit as gk

    chosen = tuple(range(data.ndim)) if axes is None else axes
    if len(arguments) not in (0, 1, len(chosen)):
        _fail(f"give one spacing or one per differentiated axis ({len(chosen)}), got {len(arguments)}")
    results = []
    with Progress(transient=True, disable=data.size < 5_000_000) as progress:
        task = progress.add_task("differentiating", total=len(chosen))
        for k, ax in enumerate(chosen):
            spacing = arguments[k : k + 1] if len(arguments) > 1 else arguments
            try:
                results.append(
                    gk.gradient(data, *spacing, axis=ax, accuracy=accuracy, edge_order=edge_order, periodic=periodic)
                )
            except (ValueError, TypeError, np.exceptions.AxisError) as error:
                _fail(str(error))
            progress.advance(task)
    return results


@app.command()
def plot(
    expr: str = typer.Argument(..., help="a formula in x and y"),
    output: Path = typer.Option(Path("field.png"), "--output", "-o", help="the picture (.png, .svg, .pdf)"),
    xlim: str = typer.Option("-2,2", "--xlim", help="x range: low,high"),
    ylim: str = typer.Option("-2,2", "--ylim", help="y range: low,high"),
    vectors: bool = typer.Option(True, "--vectors/--no-vectors", help="gradient arrows"),
    contours: bool = typer.Option(True, "--contours/--no-contours", help="contour lines"),
    streamlines: bool = typer.Option(False, "--streamlines", help="streamlines of the gradient"),
) -> None:
    """A picture of a formula's field and its gradient."""
    expression = _expression(expr, None)
    limits = (_numbers(xlim, "--xlim", 2), _numbers(ylim, "--ylim", 2))
    import matplotlib

    matplotlib.use("Agg")
    import gradkit as gk
    from gradkit.symbolic import FormulaError

    try:
        with warnings.catch_warnings():  # where the formula is undefined (log(x), x < 0) the picture is blank
            warnings.simplefilter("ignore", RuntimeWarning)
            drawn = gk.plot.field(expression, *limits, vectors=vectors, contours=contours, streamlines=streamlines)
        drawn.ax.set_title(f"f = {expression}", fontsize=10)
        drawn.ax.figure.savefig(output, dpi=120, bbox_inches="tight")
    except FormulaError as error:
        raise typer.BadParameter(str(error), param_hint="EXPR") from None
    except (ValueError, OSError) as error:
        _fail(str(error))
    typer.echo(f"wrote {output}")


@app.command()
def explore(
    host: str = typer.Option("127.0.0.1", "--host", help="the address to listen on (127.0.0.1: this machine only)"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="the port to listen on"),
    open_browser: bool = typer.Option(False, "--open", help="open the page in a browser, if one exists"),
) -> None:
    """Serve the interactive gradient page and its API (needs the `web` extra)."""
    try:
        import uvicorn

        from gradkit.explorer.app import create_app
    except ImportError as error:
        _fail(f"gradkit explore needs the web extra (pip install 'gradkit[web]'): {error}")
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    typer.echo(f"gradkit explore: {url}  (Ctrl+C stops it)")
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gradkit`` console script; returns the exit status."""
    try:
        app(args=argv, prog_name="gradkit")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
