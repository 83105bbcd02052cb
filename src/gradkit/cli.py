"""The ``gradkit`` command line (Typer + Rich).

Exit status: 0 on success; 2 when what was typed cannot be used (an unknown command or option, a malformed or
impossible option value, a formula that does not parse, a missing file or an unknown file type, a port in
use); 1 when the data or the computation fails (a file that is not numbers, a formula undefined at the point,
coordinates that do not fit the data). Errors are messages, never tracebacks.
"""

from __future__ import annotations

import json
import math
import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import typer

app = typer.Typer(
    name="gradkit",
    help="Compute, check and show gradients.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

METHODS = ("richardson", "central", "forward", "backward", "complex")
#: Commands whose arguments are formulas, which may start with a minus sign.
FORMULA_COMMANDS = ("grad", "hessian", "plot")


def _version(value: bool) -> None:
    if value:
        from gradkit import __version__

        typer.echo(f"gradkit {__version__}")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="print the version"),
) -> None:
    """Compute, check and show gradients."""


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
    """A computation that failed: the message on stderr, exit status 1."""
    _say("[bold red]error:[/]", message)
    raise typer.Exit(1)


def _note(message: str) -> None:
    _say("[yellow]note:[/]", message)


def _say(label: str, message: str) -> None:
    from rich.console import Console
    from rich.markup import escape

    # escaped: "[nan, 1.0]" in a message would otherwise be read as a style tag and vanish
    Console(stderr=True, soft_wrap=True).print(f"{label} {escape(message)}", highlight=False)


@contextmanager
def _progress(description: str, total: int | None = None, console=None, delay: float = 1.0):
    """A Rich progress display on a terminal (stderr by default), shown only once the work has taken `delay`
    seconds: shorter work prints nothing.

    Yields a function that advances it by one step.
    """
    import threading

    from rich.console import Console
    from rich.progress import Progress

    console = console if console is not None else Console(stderr=True)
    progress = Progress(console=console, transient=True)
    task = progress.add_task(description, total=total)
    timer = threading.Timer(delay, progress.start)
    timer.daemon = True
    if console.is_terminal:
        timer.start()
    try:
        yield lambda: progress.advance(task)
    finally:
        timer.cancel()
        if progress.live.is_started:  # stopping one never shown would still print a blank line
            progress.stop()


def _expression(text: str, variables: str | None, hint: str = "EXPR"):
    from gradkit.symbolic import Expression, FormulaError

    try:
        return Expression(text, variables=_variables(variables))
    except FormulaError as error:
        raise typer.BadParameter(str(error), param_hint=hint) from None


def _variables(text: str | None) -> list[str] | None:
    return [name.strip() for name in text.split(",") if name.strip()] if text else None


@app.command()
def demo(
    output: Path = typer.Option(Path("field.png"), "--output", "-o", help="where to write the picture"),
) -> None:
    """A tour of gradkit on its seed examples; writes a picture of the seed function."""
    from gradkit import demo as tour

    tour.run(typer.echo)
    try:
        written = tour.write_picture(output)
    except OSError as error:
        _fail(f"cannot write {output}: {error.strerror or error}")
    typer.echo(f"6. The picture: {written} (heat map, contours, gradient arrows and an ascent path)")
    typer.echo("7. Interactively: `gradkit explore --open` serves the page on http://127.0.0.1:8000/")


@app.command()
def grad(
    exprs: list[str] = typer.Argument(
        ..., metavar="EXPR", help='the formula, e.g. "exp(-x^2)*exp(-y^2)"; several: a Jacobian'
    ),
    at: str = typer.Option(..., "--at", help="the point, comma-separated, in the order of the variables"),
    method: str = typer.Option("richardson", "--method", help=f"numerical method to compare: {', '.join(METHODS)}"),
    variables: str | None = typer.Option(None, "--vars", help="variable order, e.g. y,x (default: sorted)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """The exact gradient of a formula at a point (the Jacobian of several), and a numerical one beside it."""
    if method not in METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(METHODS)}", param_hint="--method")
    if len(exprs) > 1:
        _jacobian(exprs, at, method, variables, as_json)
        return
    expression = _expression(exprs[0], variables)
    point = _numbers(at, "--at", len(expression.variables))

    import numpy as np

    import gradkit as gk

    partials = expression.gradient()
    value = _defined_value(expression, point)
    with warnings.catch_warnings():  # a formula undefined at the point is reported above, once
        warnings.simplefilter("ignore", RuntimeWarning)
        exact = [float(np.real(d.evaluate(*point))) for d in partials]
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
        "numerical": _numerical(numerical, method, np.array(exact), "gradient"),
    }
    if as_json:
        _print_json(report)
        return
    _print_gradient(report)


def _defined_value(expression, point: list[float]) -> float:
    """f at the point, or exit 1 saying that it is not defined there."""
    import numpy as np

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = float(np.real(expression.evaluate(*point)))
    if not math.isfinite(value):
        where = ", ".join(f"{n}={v:g}" for n, v in zip(expression.variables, point))
        _fail(f"{expression} is {value} at {where}: its derivatives need it defined there")
    return value


def _numerical(result, method: str, exact, key: str) -> dict:
    return {
        "method": method,
        key: result.value.tolist(),
        "error_estimate": result.error.tolist(),
        "difference_from_exact": (result.value - exact).tolist(),
        "nfev": result.nfev,
        "success": result.success,
        "message": result.message,
    }


def _print_json(report: dict) -> None:
    # standard JSON: a number that is not finite (sqrt's slope at 0) is null
    typer.echo(json.dumps(_finite_or_null(report), allow_nan=False))


def _jacobian(texts: list[str], at: str, method: str, variables: str | None, as_json: bool) -> None:
    import numpy as np

    import gradkit as gk
    from gradkit.symbolic import ExpressionVector, FormulaError

    try:
        vector = ExpressionVector(texts, variables=_variables(variables))
    except FormulaError as error:
        raise typer.BadParameter(str(error), param_hint="EXPR") from None
    point = _numbers(at, "--at", len(vector.variables))
    values = [_defined_value(component, point) for component in vector]
    formulas = vector.jacobian()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        exact = np.array([[float(np.real(d.evaluate(*point))) for d in row] for row in formulas])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            numerical = gk.jacobian(lambda p: vector.evaluate(*p), point, method=method, full_output=True)
        except (ValueError, TypeError) as error:
            _fail(str(error))
    report = {
        "expressions": [str(c) for c in vector],
        "variables": list(vector.variables),
        "point": point,
        "value": values,
        "jacobian": exact.tolist(),
        "jacobian_formulas": [[str(d) for d in row] for row in formulas],
        "numerical": _numerical(numerical, method, exact, "jacobian"),
    }
    if as_json:
        _print_json(report)
        return
    console = _console()
    where = ", ".join(f"{n}={v:g}" for n, v in zip(report["variables"], point))
    console.print(f"Jacobian of {len(texts)} formulas at {where}:")
    for k, (text, value) in enumerate(zip(report["expressions"], values), start=1):
        console.print(f"  f{k} = {text} = {value:.15g}")
    _print_matrix(console, report, "jacobian", [f"df{k}" for k in range(1, len(texts) + 1)])


def _console():
    from rich.console import Console

    console = Console(highlight=False)
    return Console(highlight=False, width=max(console.width, 100))  # numbers need room; pipes report 80


def _print_matrix(console, report: dict, key: str, rows: list[str]) -> None:
    """Rows of formulas, then a table of exact and numerical entries with the error estimates."""
    from rich.table import Table

    names = report["variables"]
    for row, formulas in zip(rows, report[f"{key}_formulas"]):
        for name, formula in zip(names, formulas):
            console.print(f"  {row}/d{name} = {formula}")
    numerical = report["numerical"]
    table = Table("", "exact", numerical["method"], "error estimate", "|difference|")
    for i, row in enumerate(rows):
        for j, name in enumerate(names):
            table.add_row(
                f"{row}/d{name}",
                f"{report[key][i][j]:.15g}",
                f"{numerical[key][i][j]:.15g}",
                f"{numerical['error_estimate'][i][j]:.2e}",
                f"{abs(numerical['difference_from_exact'][i][j]):.2e}",
            )
    console.print(table)
    console.print(f"{numerical['method']}: {numerical['nfev']} evaluations; {numerical['message']}")


def _finite_or_null(value):
    if isinstance(value, dict):
        return {key: _finite_or_null(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_finite_or_null(item) for item in value]
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _print_gradient(report: dict) -> None:
    from rich.table import Table

    console = _console()
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
def hessian(
    expr: str = typer.Argument(..., help='the formula, e.g. "x^2*y + y^3"'),
    at: str = typer.Option(..., "--at", help="the point, comma-separated, in the order of the variables"),
    method: str = typer.Option("richardson", "--method", help=f"numerical method to compare: {', '.join(METHODS)}"),
    variables: str | None = typer.Option(None, "--vars", help="variable order, e.g. y,x (default: sorted)"),
    as_json: bool = typer.Option(False, "--json", help="print one JSON object"),
) -> None:
    """The exact Hessian (second derivatives) of a formula at a point, and a numerical one beside it."""
    if method not in METHODS:
        raise typer.BadParameter(f"must be one of {', '.join(METHODS)}", param_hint="--method")
    expression = _expression(expr, variables)
    point = _numbers(at, "--at", len(expression.variables))

    import numpy as np

    import gradkit as gk

    value = _defined_value(expression, point)
    formulas = expression.hessian()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        exact = np.array([[float(np.real(d.evaluate(*point))) for d in row] for row in formulas])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            numerical = gk.hessian(lambda p: expression.evaluate(*p), point, method=method, full_output=True)
        except (ValueError, TypeError) as error:
            _fail(str(error))
    report = {
        "expression": str(expression),
        "variables": list(expression.variables),
        "point": point,
        "value": value,
        "hessian": exact.tolist(),
        "hessian_formulas": [[str(d) for d in row] for row in formulas],
        "numerical": _numerical(numerical, method, exact, "hessian"),
    }
    if as_json:
        _print_json(report)
        return
    console = _console()
    where = ", ".join(f"{n}={v:g}" for n, v in zip(report["variables"], point))
    console.print(f"f = {report['expression']}  at {where}:  f = {value:.15g}")
    _print_matrix(console, report, "hessian", [f"d2f/d{name}" for name in report["variables"]])


@app.command()
def grid(
    file: str = typer.Argument(..., help="data: .npy, .npz, .csv or .json, or - for standard input"),
    output: str = typer.Option(..., "--output", "-o", help="where to write: .npz, .npy, .json or .csv, or -"),
    spacing: str | None = typer.Option(None, "--spacing", help="one step, or one per axis: 0.5,0.5"),
    coords: str | None = typer.Option(None, "--coords", help="coordinate files per axis: x.npy,y.csv"),
    axis: str | None = typer.Option(None, "--axis", help="axes to differentiate: 0,1 (default all)"),
    accuracy: int | None = typer.Option(None, "--accuracy", help="2, 4, 6, 8 or 10"),
    edge_order: int | None = typer.Option(None, "--edge-order", help="1 (default) or 2, when --accuracy is not given"),
    periodic: bool = typer.Option(False, "--periodic", help="treat every axis as periodic"),
    periodic_axes: str | None = typer.Option(None, "--periodic-axes", help="only these axes are periodic: 0,2"),
    delimiter: str | None = typer.Option(None, "--delimiter", help="CSV delimiter (default: sniffed), e.g. ';'"),
    skip_header: int | None = typer.Option(None, "--skip-header", min=0, help="CSV lines to skip (default: auto)"),
    to: str | None = typer.Option(None, "--to", help="output format for -o - (default json): npz, npy, json, csv"),
    smooth: str | None = typer.Option(
        None,
        "--smooth",
        metavar="METHOD",
        help="noisy data: smooth first (auto, regression, spline, savgol, tv, kalman, gaussian or spectral)",
    ),
) -> None:
    """The gradient of an array in a data file (or standard input); with --smooth, of noisy data."""
    from gradkit import dataio

    if spacing and coords:
        raise typer.BadParameter("give --spacing or --coords, not both")
    if accuracy is not None and (accuracy < 2 or accuracy % 2):
        raise typer.BadParameter(f"must be an even number of at least 2, got {accuracy}", param_hint="--accuracy")
    if edge_order is not None and edge_order not in (1, 2):
        raise typer.BadParameter(f"must be 1 or 2, got {edge_order}", param_hint="--edge-order")
    if edge_order is not None and accuracy is not None:
        raise typer.BadParameter("--accuracy sets the edges' order too; give one of them", param_hint="--edge-order")
    if smooth is not None and (accuracy is not None or edge_order is not None):
        raise typer.BadParameter("--smooth chooses its own smoothing; leave out --accuracy and --edge-order")
    folder = Path(file).parent  # coordinate files are looked for beside the data first ("-": here)
    try:
        fmt = dataio.output_format(output, to)
        steps = tuple(_numbers(spacing, "--spacing")) if spacing else ()
        if any(step == 0 for step in steps):
            raise typer.BadParameter(f"--spacing must be non-zero, got {spacing!r}")
        axes = _integers(axis, "--axis") if axis else None
        with _progress("reading"):
            data = dataio.read_array(file, delimiter=delimiter, skip_header=skip_header)
        arguments = dataio.read_coordinates(coords.split(","), folder) if coords else steps
    except (FileNotFoundError, dataio.FileTypeError) as error:
        raise typer.BadParameter(str(error)) from None
    except dataio.DataError as error:
        _fail(str(error))
    if data.ndim == 0:
        _fail(f"{file} holds a single number (a 0-d array): there is no axis to differentiate along")
    for a in axes or ():
        if not -data.ndim <= a < data.ndim:
            raise typer.BadParameter(
                f"axis {a} is out of bounds for array of dimension {data.ndim}", param_hint="--axis"
            )
    chosen = tuple(a % data.ndim for a in axes) if axes is not None else tuple(range(data.ndim))
    if len(set(chosen)) < len(chosen):
        raise typer.BadParameter(f"--axis repeats an axis: {axis}")
    wrapped = set(range(data.ndim)) if periodic else set()
    if periodic_axes:
        listed = _integers(periodic_axes, "--periodic-axes")
        if any(not -data.ndim <= a < data.ndim for a in listed):
            raise typer.BadParameter(f"--periodic-axes must be axes of the {data.ndim}-D data, got {periodic_axes}")
        wrapped |= {a % data.ndim for a in listed}
    if len(arguments) not in (0, 1, len(chosen)):
        raise typer.BadParameter(
            f"give one spacing or one per differentiated axis ({len(chosen)}), got {len(arguments)}",
            param_hint="--spacing/--coords",
        )
    if smooth is not None:
        results = _smooth_gradients(data, arguments, chosen, smooth, wrapped)
    else:
        results = _gradients(data, arguments, chosen, accuracy, edge_order, wrapped)
    try:
        with _progress("writing"):
            dataio.write_arrays(output, results, fmt)
    except dataio.FileTypeError as error:
        raise typer.BadParameter(str(error), param_hint="--output") from None
    except dataio.DataError as error:
        _fail(str(error))
    if output != "-":
        typer.echo(f"wrote {output} ({len(results)} array{'s' if len(results) > 1 else ''} of shape {data.shape})")


def _smooth_gradients(data, arguments, chosen, method, wrapped):
    """`gk.smooth_gradient` along the chosen axes, saying on stderr what it chose and the noise it found."""
    import gradkit as gk

    if wrapped and not wrapped >= set(chosen):
        raise typer.BadParameter("with --smooth, either every differentiated axis is periodic or none is")
    try:
        with _progress("smoothing"):
            result = gk.smooth_gradient(
                data, *arguments, axis=chosen, method=method, periodic=bool(wrapped), full_output=True
            )
    except ValueError as error:
        if str(error).startswith("method:"):
            raise typer.BadParameter(str(error).removeprefix("method: "), param_hint="--smooth") from None
        _fail(str(error))
    except (ImportError, TypeError) as error:
        _fail(str(error))
    gaps = f"; {result.gaps} NaN samples left out as gaps" if result.gaps else ""
    typer.echo(f"smoothed with {result.method}, noise estimated {result.noise:.3g}{gaps}", err=True)
    return list(result.gradient) if isinstance(result.gradient, tuple) else [result.gradient]


def _gradients(data, arguments, chosen, accuracy, edge_order, wrapped):
    import numpy as np

    import gradkit as gk

    results = []
    with _progress("differentiating", total=len(chosen)) as advance:
        for k, ax in enumerate(chosen):
            spacing = arguments[k : k + 1] if len(arguments) > 1 else arguments
            try:
                results.append(
                    gk.gradient(
                        data, *spacing, axis=ax, accuracy=accuracy, edge_order=edge_order, periodic=ax in wrapped
                    )
                )
            except (ValueError, TypeError, np.exceptions.AxisError) as error:
                _fail(str(error))
            advance()
    return results


@app.command()
def plot(
    expr: str = typer.Argument(..., help="a formula in one or two variables"),
    output: Path = typer.Option(Path("field.png"), "--output", "-o", help="the picture (.png, .svg, .pdf)"),
    variables: str | None = typer.Option(None, "--vars", help="the horizontal and vertical variables: t,s"),
    xlim: str = typer.Option("-2,2", "--xlim", help="horizontal range: low,high"),
    ylim: str = typer.Option("-2,2", "--ylim", help="vertical range: low,high"),
    vectors: bool = typer.Option(True, "--vectors/--no-vectors", help="gradient arrows"),
    contours: bool = typer.Option(True, "--contours/--no-contours", help="contour lines"),
    streamlines: bool = typer.Option(False, "--streamlines", help="streamlines of the gradient"),
) -> None:
    """A picture of a formula's field and its gradient."""
    from gradkit.symbolic import Expression, FormulaError

    if variables is not None and len(_variables(variables) or ()) != 2:
        raise typer.BadParameter(f"must name two variables, e.g. t,s; got {variables!r}", param_hint="--vars")
    _expression(expr, None)  # a formula that does not parse is the formula's error, not --vars'
    axes = tuple(_variables(variables)) if variables else None
    if axes is not None:
        try:
            Expression(expr, variables=axes)
        except FormulaError as error:
            raise typer.BadParameter(str(error), param_hint="--vars") from None
    limits = (_numbers(xlim, "--xlim", 2), _numbers(ylim, "--ylim", 2))
    if output.suffix.lower() not in (".png", ".svg", ".pdf", ".jpg", ".jpeg"):
        raise typer.BadParameter(f"must end in .png, .svg, .pdf or .jpg, got {output.name!r}", param_hint="--output")
    import matplotlib

    matplotlib.use("Agg")
    import gradkit as gk

    try:
        with _progress("drawing"), warnings.catch_warnings():  # where f is undefined: told once, below
            warnings.simplefilter("ignore", RuntimeWarning)
            drawn = gk.plot.field(
                expr, *limits, vectors=vectors, contours=contours, streamlines=streamlines, variables=axes
            )
            drawn.ax.set_title(f"f = {drawn.sampled.expression}", fontsize=10)
            drawn.ax.figure.savefig(output, dpi=120, bbox_inches="tight")
    except FormulaError as error:
        raise typer.BadParameter(str(error), param_hint="EXPR") from None
    except (ValueError, OSError) as error:
        _fail(str(error))
    if drawn.note:
        _note(drawn.note)
    typer.echo(f"wrote {output}")


@app.command()
def explore(
    host: str = typer.Option("127.0.0.1", "--host", help="the address to listen on (127.0.0.1: this machine only)"),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="the port to listen on"),
    open_browser: bool = typer.Option(False, "--open", help="open the page in a browser, if one exists"),
) -> None:
    """Serve the interactive gradient page and its API (needs the `web` extra); Ctrl+C stops it."""
    from gradkit import serve

    try:
        serve.check_installed()
    except ImportError as error:
        _fail(f"gradkit explore needs the web extra (pip install 'gradkit[web]'): {error}")
    try:
        port = serve.check_port(host, port)
    except OSError as error:
        raise typer.BadParameter(str(error), param_hint="--port") from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"gradkit explore: listening on {host}: other machines can reach its API", err=True)
    typer.echo(f"gradkit explore: {url}  (Ctrl+C stops it)")
    status = serve.run(host, port, url if open_browser else None)
    if status == 0:
        typer.echo("gradkit explore: stopped")
    else:
        _fail(f"the server stopped with status {status}")


def _with_formulas_last(argv: list[str]) -> list[str]:
    """`argv` with the formulas of grad, hessian and plot moved after a ``--``, so a formula may start with a
    minus sign in any position among the options (``grad --at 1,2 "-x^2"``); a ``--`` already there ends
    the options as POSIX says. Tokens that are options of the command (and their values) stay options, as do
    unknown long options (``--nope``), which the command then refuses."""
    start = next((i for i, token in enumerate(argv) if not token.startswith("-") or token == "-"), None)
    if start is None or argv[start] not in FORMULA_COMMANDS:
        return argv
    command = typer.main.get_command(app).commands[argv[start]]
    takes_value = {"-h": False, "--help": False}
    for parameter in command.params:
        if parameter.param_type_name == "option":
            for name in parameter.opts:
                takes_value[name] = not parameter.is_flag
            for name in parameter.secondary_opts:
                takes_value[name] = False
    options, formulas = [], []
    rest = argv[start + 1 :]
    k = 0
    while k < len(rest):
        token = rest[k]
        name = token.split("=", 1)[0]
        if token == "--":
            formulas += rest[k + 1 :]
            break
        if name in takes_value:
            options.append(token)
            if takes_value[name] and "=" not in token and k + 1 < len(rest):
                options.append(rest[k + 1])
                k += 1
        elif token.startswith("--") and re.fullmatch(r"--[A-Za-z][-A-Za-z0-9]*(=.*)?", token):
            options.append(token)
        else:
            formulas.append(token)
        k += 1
    return [*argv[: start + 1], *options, "--", *formulas]


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``gradkit`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        app(args=_with_formulas_last(argv), prog_name="gradkit")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
