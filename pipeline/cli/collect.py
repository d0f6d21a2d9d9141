"""``chc collect``: fetching the forms from landlords' web sites."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.cli.common import (
    JsonOption,
    app,
    echo_json,
    handles_errors,
    stderr_console,
)
from pipeline.collect.records import (
    DEFAULT_USER_AGENT,
    CollectOptions,
    Site,
    SiteResult,
    UrlOutcome,
)


@app.command(epilog="Example: chc collect sites.csv --out downloads/")
@handles_errors
def collect(
    sites: Annotated[
        Path, typer.Argument(help="CSV with columns landlord,landlord_type,url (start pages).")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Folder for the files, manifest.csv, log and cache.")
    ],
    depth: Annotated[int, typer.Option("--depth", help="Link hops from the start page.")] = 2,
    delay: Annotated[
        float, typer.Option("--delay", help="Seconds between requests to one host.")
    ] = 1.0,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for a server to answer.")
    ] = 20.0,
    max_mb: Annotated[float, typer.Option("--max-mb", help="Size cap per file, in MB.")] = 25.0,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Most URLs per site.")] = 100,
    max_redirects: Annotated[
        int, typer.Option("--max-redirects", help="Most redirects for one URL.")
    ] = 5,
    max_wait: Annotated[
        float, typer.Option("--max-wait", help="Longest Retry-After/Crawl-delay honoured (s).")
    ] = 120.0,
    user_agent: Annotated[
        str, typer.Option("--user-agent", help="User-Agent header; must name chc.")
    ] = DEFAULT_USER_AGENT,
    as_json: JsonOption = False,
) -> None:
    """Fetch the self-assessments on landlords' web sites, politely, into a folder ready
    for `chc ingest DIR --manifest DIR/manifest.csv`.

    Honours robots.txt; a rerun asks only for what changed (ETag/Last-Modified). Exit
    code 1 when a site failed (the others are still collected), 2 for a usage error.
    """
    from pipeline.collect.crawl import collect as collect_sites  # loads every stage
    from pipeline.collect.progress import progress_lines, summary_line
    from pipeline.collect.sites import load_sites

    options = CollectOptions(
        depth=depth,
        delay=delay,
        timeout=timeout,
        max_bytes=int(max_mb * 1_000_000),
        max_pages=max_pages,
        max_redirects=max_redirects,
        max_wait=max_wait,
        user_agent=user_agent,
    )
    listed = load_sites(sites)
    err = stderr_console()
    line = progress_lines(len(listed))

    def show(event: Site | UrlOutcome | SiteResult) -> None:
        text = line(event)
        if text:
            err.print(text, markup=False, highlight=False)

    summary = collect_sites(listed, out, options, progress=show)
    err.print(summary_line(summary), markup=False, highlight=False)
    if as_json:
        echo_json(summary.as_dict())
    raise typer.Exit(summary.exit_code)
