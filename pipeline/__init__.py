"""chc: Complaint Handling Code self-assessments -> one queryable DuckDB dataset."""

__version__ = "0.1.0"
