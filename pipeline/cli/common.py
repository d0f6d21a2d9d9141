"""What every ``chc`` command shares: the typer app, common options, the consoles, and
the error handling (only ChcError is caught: printed as ``Error:``/``Hint:``; exit 2 for
usage errors and an unusable database, 130 when interrupted, 1 otherwise; anything else is
a bug and keeps its traceback).
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console

from pipeline.clihelp import ChcApp, ChcGroup
from pipeline.errors import ChcError, DatabaseInUseError, IngestInterrupted, UsageError

DEFAULT_DB = Path("chc.duckdb")
F = TypeVar("F", bound=Callable[..., Any])
EXIT_INTERRUPTED = 130


app = ChcApp(
    cls=ChcGroup,
    name="chc",
    help="Mine Complaint Handling Code self-assessments into one DuckDB dataset.",
    epilog="Example: chc ingest downloads/ --db chc.duckdb",
    no_args_is_help=True,
    add_completion=False,
)

DbOption = Annotated[
    Path,
    typer.Option(
        "--db",
        help="The DuckDB database file (or set CHC_DB).",
        dir_okay=False,
        envvar="CHC_DB",
        metavar="FILE",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON to stdout, for scripts.")]


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"chc {metadata.version('chc')}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_show_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Mine Complaint Handling Code self-assessments into one DuckDB dataset."""


def stdout_console() -> Console:
    # Piped output (files, scripts) is not cut to 80 columns: tables stay one line per row.
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def stderr_console() -> Console:
    return Console(stderr=True, soft_wrap=True)


def handles_errors(func: F) -> F:
    """Print a ChcError as Error/Hint on stderr and exit 2 (usage) or 1; nothing else."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IngestInterrupted as err:
            stderr_console().print(f"{err.message}\n{err.hint}", markup=False, highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED) from err
        except ChcError as err:
            console = stderr_console()
            console.print(f"Error: {err.message}", markup=False, highlight=False)
            if err.hint:
                console.print(f"Hint: {err.hint}", markup=False, highlight=False)
            code = 2 if isinstance(err, UsageError | DatabaseInUseError) else 1
            raise typer.Exit(code) from err

    return wrapper  # type: ignore[return-value]


def echo_json(data: object) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
