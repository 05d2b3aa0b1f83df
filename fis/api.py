"""The warehouse from Python, for notebooks: `fis.open()` and pandas DataFrames.

    import fis
    with fis.open() as wh:
        wh.indicator("share_under18", year=2020, level="gemeinde")

The connection is read-only: a notebook can stay open while nobody refreshes; a refresh needs
the notebook's warehouse closed first (DuckDB allows one writer or many readers per file).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb
import pandas as pd

from fis.config import CONFIG_NAME, load_config
from fis.errors import FisError
from fis.warehouse import queries, schema
from fis.warehouse.regions import resolve_region


def open(path: str | Path | None = None) -> Warehouse:
    """Open a warehouse read-only: a project folder holding fis.toml, a .duckdb file, or
    (default) the project found upward from the working directory."""
    if path is None:
        return Warehouse.from_config(load_config())
    p = Path(path).expanduser()
    if p.is_dir():
        if not (p / CONFIG_NAME).is_file():
            raise FisError(
                f"{p}: no {CONFIG_NAME} in this folder; give a project or a .duckdb file"
            )
        return Warehouse.from_config(load_config(p))
    if p.is_file():
        return Warehouse(p)
    raise FisError(f"{p}: no such project folder or warehouse file")


class Warehouse:
    """A read-only FIS warehouse; every method returns a pandas DataFrame."""

    def __init__(
        self, path: Path, focus: str = "", comparison: tuple[str, ...] | None = None
    ) -> None:
        self.path = Path(path)
        self.focus = focus  # names are looked up inside this Kreis first
        self.comparison = comparison  # None: the region's Kreis, Land and Deutschland
        self._con: duckdb.DuckDBPyConnection | None = schema.connect(self.path, read_only=True)

    @classmethod
    def from_config(cls, cfg) -> Warehouse:
        """The warehouse of a project, with its focus Kreis and comparison regions."""
        return cls(cfg.warehouse, cfg.focus, cfg.comparison)

    def __repr__(self) -> str:
        state = "closed" if self._con is None else "open"
        return f"<fis.Warehouse {self.path} ({state})>"

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (again is harmless)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The underlying read-only DuckDB connection."""
        if self._con is None:
            raise FisError("the warehouse is closed; open it again with fis.open()")
        return self._con

    def _df(self, sql: str, params=None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def region(self, text: str) -> tuple[str, str]:
        """(key, name) of a region given by key or name."""
        return resolve_region(self.con, str(text), self.focus)

    def _keys(self, regions: str | Iterable[str]) -> list[tuple[str, str]]:
        items = [regions] if isinstance(regions, str) else list(regions)
        if not items:
            raise FisError("no regions given")
        return [self.region(r) for r in items]

    def _check_indicator(self, indicator: str) -> None:
        row = self.con.execute(
            "SELECT 1 FROM indicators WHERE indicator_id = ?", [indicator]
        ).fetchall()
        if not row:
            raise FisError(f"unknown indicator {indicator!r}; see wh.indicators()")

    def indicators(self) -> pd.DataFrame:
        """The indicator catalogue: id, name, Handlungsfeld, unit, definition."""
        return self._df(
            """SELECT indicator_id, name, handlungsfeld, unit, decimals, definition
               FROM indicators ORDER BY handlungsfeld, indicator_id"""
        )

    def indicator(
        self,
        indicator: str,
        year: int | None = None,
        regions: str | Iterable[str] | None = None,
        level: str | None = None,
    ) -> pd.DataFrame:
        """One indicator, long: a row per region and year with value and status. `year`,
        `regions` (keys or names) and `level` (gemeinde, kreis, ...) narrow it down."""
        self._check_indicator(indicator)
        where, params = ["indicator_id = $ind"], {"ind": indicator}
        if year is not None:
            where.append("period = $year")
            params["year"] = int(year)
        if regions is not None:
            where.append("region_key IN (SELECT unnest($keys))")
            params["keys"] = [k for k, _ in self._keys(regions)]
        if level is not None:
            self._check_level(level)
            where.append("level = $level")
            params["level"] = level
        return self._df(
            f"""SELECT region_key, region_name, level, period, value, status,
                       numerator, denominator
                FROM v_indicator_long WHERE {" AND ".join(where)}
                ORDER BY region_key, period""",
            params,
        )

    def profile(self, region: str, year: int | None = None) -> pd.DataFrame:
        """Every indicator of one region for a year (default: its latest), each with its own
        period, and a column per comparison region (value_<key>)."""
        key, _ = self.region(region)
        table = queries.show_region(self.con, key, self.focus, self._comparison(key), year)
        df = pd.DataFrame(table.rows, columns=table.columns)
        df["period"] = df["period"].astype("Int64")  # empty where an indicator has no value
        df.attrs["title"] = table.title
        return df

    def _comparison(self, key: str) -> tuple[str, ...]:
        if self.comparison is not None:
            return self.comparison
        row = self.con.execute(
            "SELECT kreis_key, land_key FROM v_region_hierarchy WHERE region_key = ?", [key]
        ).fetchall()
        return tuple(k for k in (*(row[0] if row else ()), "DG") if k)

    def series(self, indicator: str, regions: str | Iterable[str]) -> pd.DataFrame:
        """Time series of one indicator: a row per year, a column per region (by name; by
        "name (key)" where two regions share a name)."""
        self._check_indicator(indicator)
        picked = self._keys(regions)
        names = [n for _, n in picked]
        labels = {k: (n if names.count(n) == 1 else f"{n} ({k})") for k, n in picked}
        long = self._df(
            """SELECT period, region_key, value FROM indicator_values
               WHERE indicator_id = ? AND region_key IN (SELECT unnest(?))""",
            [indicator, list(labels)],
        )
        wide = long.pivot(index="period", columns="region_key", values="value")
        wide = wide.reindex(columns=list(labels)).rename(columns=labels).sort_index()
        wide.columns.name = None
        return wide

    def regions(self, level: str | None = None, within: str | None = None) -> pd.DataFrame:
        """The register, optionally one level and everything below a region (key or name)."""
        where, params = ["TRUE"], {}
        if level is not None:
            self._check_level(level)
            where.append("r.level = $level")
            params["level"] = level
        if within is not None:
            params["within"] = self.region(within)[0]
            # everything below: by parent_key down the tree, Gemeinden also by their Verband
            where.append(
                """r.region_key IN (
                    WITH RECURSIVE below(k) AS (
                        SELECT region_key FROM regions
                        WHERE parent_key = $within OR verband_key = $within
                        UNION
                        SELECT c.region_key FROM regions c JOIN below ON c.parent_key = below.k)
                    SELECT k FROM below)"""
            )
        return self._df(
            f"""SELECT r.region_key, r.name, r.level, r.parent_key, r.verband_key, r.area_km2,
                       r.population, r.kreisfrei, r.historical
                FROM regions r WHERE {" AND ".join(where)} ORDER BY r.region_key""",
            params,
        )

    def _check_level(self, level: str) -> None:
        known = [r[0] for r in self.con.execute(
            "SELECT DISTINCT level FROM regions ORDER BY 1"
        ).fetchall()]  # fmt: skip
        if level not in known:
            raise FisError(f"unknown level {level!r}; use one of {', '.join(known)}")

    def sql(self, query: str) -> pd.DataFrame:
        """Any read-only SQL over the warehouse's tables and views."""
        try:
            rel = self.con.execute(query)
            return rel.df() if rel.description is not None else pd.DataFrame()
        except duckdb.Error as e:
            raise FisError(f"query failed: {str(e).splitlines()[0]}") from None
