"""Stage 4: the DuckDB database. All SQL of the project lives in this package.

* ``schema.py`` (with ``schema.sql`` and ``views.sql``): connecting, creating and
  migrating the schema, loading the reference Code;
* ``write.py``: one transaction per document;
* ``queries.py``: the SELECTs of ``chc status``/``review``/``eval`` and the batch;
* ``report_data.py``: the SELECTs of the sector benchmark;
* ``export.py``: ``chc export``.

Everything other modules use is importable from ``pipeline.store``.
"""

from pipeline.store.export import (
    EXPORT_FORMATS,
    XLSX_NAME,
    ExportFormat,
    export_tables,
    make_out_dir,
    write_csv_with_bom,
)
from pipeline.store.queries import (
    FailedDocument,
    ReviewFilter,
    ReviewItem,
    StatusSummary,
    StoredDocument,
    StoredRow,
    documents_named,
    known_landlords,
    review_items,
    review_reasons,
    status_summary,
    stored_hashes,
    stored_rows,
    table_counts,
)
from pipeline.store.report_data import ReportData, read_report_data
from pipeline.store.schema import (
    MIGRATIONS,
    SCHEMA_VERSION,
    TABLES,
    VIEWS,
    connect,
    init_db,
    open_db,
    open_for_reading,
    require_current_schema,
    schema_version,
)
from pipeline.store.write import record_path, write_document

__all__ = [
    "EXPORT_FORMATS",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "TABLES",
    "VIEWS",
    "XLSX_NAME",
    "ExportFormat",
    "FailedDocument",
    "ReportData",
    "ReviewFilter",
    "ReviewItem",
    "StatusSummary",
    "StoredDocument",
    "StoredRow",
    "connect",
    "documents_named",
    "export_tables",
    "init_db",
    "known_landlords",
    "make_out_dir",
    "open_db",
    "open_for_reading",
    "read_report_data",
    "record_path",
    "require_current_schema",
    "review_items",
    "review_reasons",
    "schema_version",
    "status_summary",
    "stored_hashes",
    "stored_rows",
    "table_counts",
    "write_csv_with_bom",
    "write_document",
]
