"""The ``chc`` command: parse arguments, call the library, print, set the exit code.

Data goes to stdout, progress and summaries to stderr. One module per group of commands
(``ingest``: init, ingest, status; ``reading``: reference, report, export, eval, review;
``collect``); ``common`` holds the app, the shared options and the error handling.
Importing a command module registers its commands, in the order ``chc --help`` lists them.
"""

# isort: off
from pipeline.cli import ingest, reading, collect
from pipeline.cli.common import app

# isort: on

__all__ = ["app", "collect", "ingest", "reading"]
