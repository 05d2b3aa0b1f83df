"""Our own exceptions: the CLI turns every FisError into one line on stderr and exit code 1."""

from __future__ import annotations

from pathlib import Path


class FisError(Exception):
    """Base class of every error a user can cause (bad input, unknown region, bad config)."""


class InputError(FisError):
    """A source file that cannot be read or does not make sense; names the file and line.

    `rule` says which check it failed for the findings: 'input' (unreadable, unmapped) or
    'schema' (a pandera schema at a boundary)."""

    def __init__(self, path: str | Path, reason: str, line: int | None = None, rule: str = "input"):
        self.path = str(path)
        self.line = line
        self.reason = reason
        self.rule = rule
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        # raised in the reading process of a refresh and re-raised in the refresh itself
        return (type(self), (self.path, self.reason, self.line, self.rule))


class CatalogError(FisError):
    """A fault in the indicator catalogue (YAML), e.g. a formula that does not parse."""


class FormulaError(CatalogError):
    """A formula that does not parse or names something unknown."""


class ConfigError(FisError):
    """A fault in fis.toml or a pipeline spec."""


class RegionError(FisError):
    """A region that cannot be found or is ambiguous."""


class WarehouseError(FisError):
    """The warehouse is missing, locked, or of an unknown schema version."""
