"""Which Gemeinden each Jugendamt serves, so that Gemeinde counts can be summed per Jugendamt.

Default rule (NRW practice): `JH` + a Gemeinde key is that Gemeinde's own Jugendamt; the
Kreisjugendamt `JH` + Kreis + `999` serves every Gemeinde of its Kreis without its own. A
membership file (fis.toml [paths] jugendaemter) adds exceptions with validity years, e.g. one
Jugendamt for two Gemeinden ("Ennepetal/Breckerfeld") or an office that closed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import duckdb

from fis.errors import InputError

_JH = re.compile(r"^JH\d{5,8}$")
_AGS = re.compile(r"^\d{8}$")
_YEAR = re.compile(r"^(\d{4})?$")
COLUMNS = ["jugendamt_key", "gemeinde_key", "gueltig_ab", "gueltig_bis", "hinweis"]


def read_members(path: Path) -> list[tuple[str, str | None, int | None, int | None, str]]:
    """Rows of the membership file; '#' lines are comments. InputError names file and line.

    A row with an empty gemeinde_key only declares a Jugendamt (its name in `hinweis`), which
    then serves Gemeinden by the default rule.
    """
    text = Path(path).read_text(encoding="utf-8-sig")
    lines = [
        (i, ln)
        for i, ln in enumerate(text.splitlines(), 1)
        if ln.strip() and not ln.startswith("#")
    ]
    if not lines:
        return []
    header_line, header = lines[0]
    if [h.strip() for h in header.split(";")] != COLUMNS:
        raise InputError(path, f"header must be {';'.join(COLUMNS)}", header_line)
    rows = []
    for line_no, ln in lines[1:]:
        cells = next(csv.reader(io.StringIO(ln), delimiter=";"))
        if len(cells) != len(COLUMNS):
            raise InputError(path, f"{len(cells)} cells, expected {len(COLUMNS)}", line_no)
        jh, ags, von, bis, note = (c.strip() for c in cells)
        if not _JH.match(jh):
            raise InputError(path, f"not a Jugendamt key: {jh!r} (expected JH + key)", line_no)
        if ags and not _AGS.match(ags):
            raise InputError(path, f"not an 8-digit Gemeinde key: {ags!r}", line_no)
        if not _YEAR.match(von) or not _YEAR.match(bis):
            raise InputError(path, "gueltig_ab / gueltig_bis must be a year or empty", line_no)
        rows.append((jh, ags or None, int(von) if von else None, int(bis) if bis else None, note))
    return rows


def load_members(con: duckdb.DuckDBPyConnection, path: Path | None) -> int:
    """Rebuild jugendamt_members from the file and the default rule; returns the row count."""
    con.execute("DELETE FROM jugendamt_members")
    if path is not None and Path(path).is_file():
        rows = read_members(path)
        _declare(con, rows, str(path))
        members = [[jh, ags, von, bis, str(path)] for jh, ags, von, bis, _ in rows if ags]
        if members:
            con.executemany("INSERT INTO jugendamt_members VALUES (?, ?, ?, ?, ?)", members)
    # Own Jugendamt of a Gemeinde: JH + AGS, unless the file says otherwise for that office.
    con.execute(
        """
        INSERT INTO jugendamt_members
        SELECT j.region_key, g.region_key, NULL, NULL, 'regel'
        FROM regions j JOIN regions g ON g.region_key = substr(j.region_key, 3)
        WHERE j.level = 'jugendamt' AND g.level = 'gemeinde'
          AND j.region_key NOT IN (SELECT jugendamt_key FROM jugendamt_members)
        """
    )
    # Kreisjugendamt: every current Gemeinde of its Kreis that no other Jugendamt serves.
    con.execute(
        """
        INSERT INTO jugendamt_members
        SELECT j.region_key, g.region_key, NULL, NULL, 'regel'
        FROM regions j
        JOIN regions g ON g.parent_key = substr(j.region_key, 3, 5) AND g.level = 'gemeinde'
                      AND NOT g.historical
        WHERE j.level = 'jugendamt' AND length(j.region_key) = 10
          AND j.region_key LIKE '%999'
          AND j.region_key NOT IN (SELECT jugendamt_key FROM jugendamt_members WHERE origin <> 'regel')
          AND g.region_key NOT IN (SELECT gemeinde_key FROM jugendamt_members)
        """
    )
    return con.execute("SELECT count(*) FROM jugendamt_members").fetchone()[0]


def _declare(con: duckdb.DuckDBPyConnection, rows, origin: str) -> None:
    """Jugendämter named in the file but not yet known become regions of level jugendamt."""
    known = {
        r[0]
        for r in con.execute("SELECT region_key FROM regions WHERE level = 'jugendamt'").fetchall()
    }
    new = {}
    for jh, _, _, _, note in rows:
        if jh not in known:
            new.setdefault(jh, note or f"Jugendamt {jh[2:]}")
    for jh, name in new.items():
        con.execute(
            "INSERT INTO regions (region_key, name, level, parent_key, origin) VALUES (?, ?, 'jugendamt', ?, ?)",
            [jh, name, jh[2:7], origin],
        )
