"""The warehouse: the one place that talks to DuckDB (schema, refresh, queries)."""
