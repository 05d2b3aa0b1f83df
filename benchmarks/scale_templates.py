"""Template tables for the scale generator: every other demo export, for all of Germany.

Each demo export that benchmarks/scale.py does not write itself (data/demo/ldbnrw_*, the
Regionalstatistik 22311/22922/82411/12531 tables, the flat 12411 and Zensus 2022 files, NRW.BANK
and LKA NRW) is a template: title, headers and footer are copied (demo mark -> scale.MARK,
encoding and line ends kept); rows become the regions of scale.Regions at the template's levels
(Jugendamt rows dropped: a Kreis stands for its Jugendamt); periods follow the template's label
pattern and cadence for the generator's years (a year outside the template's uses the nearest).

Figures (vectorised, deterministic; draws depend on the unit and year only):
* counts: Kreis 05970 value / Kreis population of the template year (demo 12411-15i) ×
  population[unit, year] × noise[unit, year]; areas are exact sums of their units. A count
  divided by an age group in a catalogue indicator is scaled on that group instead; the
  population by sex and age (12411-03i) follows scale.py's 17 age groups; a non-additive count
  (Auspendler) uses the template's rate of the same level.
* noise: one factor per unit and year for all tables and columns (persistent sd 0.045, yearly
  sd 0.006, squashed into (1/1.04, 1.04)), so ratios between variables stay as in the template.
* other columns (%, Jahre, EUR je qm): Kreis value × a fixed factor per unit and column (sd
  0.05); areas get the population-weighted mean.
* a symbol the template has for all rows of a level, column and period is kept; zero is "-".
Details: benchmarks/scale_README.md.
"""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo"
DEMO_MARKS = ("DEMODATEN - nicht amtlich", "DEMODATEN – nicht amtlich")
FOCUS = "05970"
RS_TABLES = ("22311-01-01-4", "22922-01-02-4", "82411-01-03-4", "12531-01-01-4")
FLAT = ("regionalstatistik_12411-01-01-4_demo_flat.csv", "zensus2022_4000W_demo_flat.csv",
        "zensus2022_5000H_demo_flat.csv")  # fmt: skip
OTHER_LDB = ("nrwbank_wohnungsmarkt_demo.csv", "lkanrw_pks_tatortgemeinden_demo.csv")  # LDB layout
OWN_TABLES = {"12612-01i", "12613-01i", "12711-01i", "12411-15i"}  # written by scale.py itself
COUNT_UNITS = {"anzahl", "personen", "1000", "1000 eur", "1000 qm", "summe jahre", "eur"}
PERCENT_UNITS = {"prozent", "%"}
SYMBOLS = {"-", ".", "x", "/", "...", "()", "…"}
LEVEL_OF_LEN = {2: "land", 3: "regbez", 5: "kreis", 8: "gemeinde"}
NOISE_SD, NOISE_YEAR_SD, NOISE_BOUND = 0.045, 0.006, np.log(1.04)
FACTOR_SD = 0.05
AGE17_LOWER = np.array([0, 3, 6, 10, 15, 18, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 75])
_NUM = re.compile(r"^-?\d+(,\d+)?$")
_PERIOD = re.compile(r"(\d\d\.\d\d\.)?(19|20)\d\d(/\d\d)?")


def _unmark(line: str) -> str:
    """The demo's marks as placeholders for scale.MARK (kept as "{MARK}")."""
    for m in DEMO_MARKS:
        line = line.replace(m, "{MARK}")
    line = line.replace("DEMODATEN", "SKALIERUNGSDATEN")
    return line.replace("fis.demo.generate", "benchmarks/scale_templates.py")


def _number(cell: str) -> float:
    return float(cell.replace(",", ".")) if _NUM.match(cell) else np.nan


def _decimals(cells: list[str]) -> int:
    return max((len(c.split(",")[1]) for c in cells if _NUM.match(c) and "," in c), default=0)


def _period_pattern(period: str) -> tuple[int, str]:
    """(year, pattern) of a period label: '01.03.2008' -> '01.03.{y}', '2008/09' -> '{y}/{z}'."""
    m = re.search(r"(19|20)\d\d", period)
    if m is None:
        raise ValueError(f"no year in period {period!r}")
    year = int(m[0])
    rest = period[m.end() :]
    if re.match(rf"/{(year + 1) % 100:02d}\b", rest):
        rest = "/{z}" + rest[3:]
    return year, period[: m.start()] + "{y}" + rest


@dataclass
class Template:
    path: Path
    table: str
    encoding: str
    newline: str
    title: list[str]
    head: list[list[str]]  # header rows without the leading ';;;'
    footer: list[str]
    indent: dict[str, int]  # leading spaces of the name per level
    pattern: str
    years: list[int]  # template years, ascending
    kreis: dict[int, list[float]]  # Kreis 05970 values per template year
    symbols: dict[tuple[str, int], dict[int, str]]  # (level, year) -> {column: symbol}
    levels: set[str]
    decimals: list[int]
    count: np.ndarray  # bool per column: adds up over regions
    nonadd: np.ndarray  # bool per column: a count that does not add up (Auspendler)
    level_sums: dict[tuple[str, int], np.ndarray]  # (level, year) -> sum of the level's rows
    variables: list[str | None]  # catalogue variable per column
    percent: np.ndarray  # bool per column
    rs: bool  # Regionalstatistik layout: periods in the header, one column group per period
    flat: dict | None  # flat GENESIS layout: header line, fixed fields per column, per level

    @property
    def ncols(self) -> int:
        return len(self.head[0])


def pipeline_columns(table: str) -> list[tuple[str, list[str]]]:
    """(variable, labels) of the pipeline(s) reading `table`."""
    out = []
    for p in sorted((ROOT / "pipelines").glob("*.yaml")):
        d = yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if (d.get("match") or {}).get("table") == table:
            out += [(c.get("variable"), c.get("labels") or []) for c in d.get("columns") or []]
    return out


def column_labels(head: list[list[str]]) -> list[str]:
    return [" | ".join(h[c] for h in head) for c in range(len(head[0]))]


def column_variables(table: str, head: list[list[str]]) -> list[str | None]:
    """The catalogue variable of each column (the first one mapping it), None where unmapped."""
    mapped: dict[str, str] = {}
    for var, labels in pipeline_columns(table):
        for lab in labels:
            mapped.setdefault(lab, var)
    return [mapped.get(lab) for lab in column_labels(head)]


def column_kinds(table: str, head: list[list[str]], variables: dict) -> tuple[np.ndarray, ...]:
    """(count, non-additive count) per column: the mapped catalogue variable sums up (or not,
    with a count unit); an unmapped column with a count-like unit is a count."""
    count, nonadd = [], []
    for vid, unit in zip(column_variables(table, head), head[-1], strict=True):
        var = variables.get(vid or "")
        is_count = unit.strip().lower() in COUNT_UNITS
        count.append(var.aggregation == "sum" if var else is_count)
        nonadd.append(bool(var) and var.aggregation != "sum" and is_count)
    return np.array(count, dtype=bool), np.array(nonadd, dtype=bool)


def _level(key: str) -> str | None:
    return "staat" if key == "DG" else LEVEL_OF_LEN.get(len(key)) if key.isdigit() else None


def read_template(path: Path, variables: dict) -> Template:
    """The template's parts; LDB layout (period per row) or Regionalstatistik GENESIS layout
    (periods in a header row, one group of columns per period)."""
    raw = path.read_bytes()
    try:
        encoding, text = "utf-8", raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding, text = "latin-1", raw.decode("latin-1")
    newline = "\r\n" if b"\r\n" in raw else "\n"
    lines = text.split(newline)
    if lines and lines[-1] == "":
        lines.pop()
    rs = lines[0].startswith("GENESIS-Tabelle")
    if lines[0].lstrip("\ufeff").startswith("statistics_code;"):
        return _read_flat(path, encoding, newline, lines, variables)
    lead = ";;" if rs else ";;;"
    h0 = next(i for i, line in enumerate(lines) if line.startswith(lead))
    h1 = next(i for i in range(h0, len(lines)) if not lines[i].startswith(lead))
    end = next(i for i in range(h1, len(lines)) if lines[i].startswith("__________"))
    data = [line.split(";") for line in lines[h1:end] if line.strip()]
    records = []  # (year, key, name, cells of one period)
    if rs:
        ncol = max(len(r) for r in data) - 2
        head_all = [(line.split(";")[2:] + [""] * ncol)[:ncol] for line in lines[h0:h1]]
        prow = next(
            i
            for i, h in enumerate(head_all)
            if any(h) and all(_PERIOD.fullmatch(c) for c in h if c)
        )
        pers = head_all[prow]
        k = pers.count(pers[0])
        groups = [(pers[g], list(range(g, g + k))) for g in range(0, ncol, k)]
        year0, pattern = _period_pattern(pers[0])
        head = [h[:k] for i, h in enumerate(head_all) if i != prow]
        for row in data:
            cells = (row[2:] + [""] * ncol)[:ncol]
            for per, cols in groups:
                records.append((_period_pattern(per)[0], row[0], row[1], [cells[c] for c in cols]))
    else:
        head = [line.split(";")[3:] for line in lines[h0:h1]]
        for row in data:
            year, pattern = _period_pattern(row[0])
            records.append((year, row[1], row[2], row[3:]))
    table = lines[0].split(":", 1)[1].strip().split(";")[0]
    return _template(path, table, encoding, newline, [_unmark(x) for x in lines[:h0]], head,
                     [_unmark(x) for x in lines[end:]], pattern, records, variables, rs, None)  # fmt: skip


def _read_flat(path, encoding, newline, lines, variables) -> Template:
    """Flat GENESIS CSV (one value per line): a column = value variable × 2nd attribute."""
    cols: dict[tuple[str, str], int] = {}
    fixed, levels, by_cell, pattern = [], {}, {}, ""
    for line in lines[1:]:
        x = line.split(";")
        c = cols.setdefault((x[15], x[11]), len(cols))
        if c == len(fixed):
            fixed.append(
                (";".join(x[0:4]), ";".join(x[9:13]), ";".join(x[14:17]), x[16], x[12], x[14])
            )
        code = x[7]
        key = code[:5] + code[9:12] if len(code) == 12 else code
        year, pattern = _period_pattern(x[4])
        levels.setdefault(_level(key), (x[5], x[6]))
        by_cell.setdefault((year, key, x[8]), {})[c] = x[13]
    n = len(cols)
    records = [(y, k, nm, [v.get(c, "") for c in range(n)]) for (y, k, nm), v in by_cell.items()]
    head = [[f"{f[3]} | {f[4]}" for f in fixed], [f[5] for f in fixed]]
    table = lines[1].split(";")[0]
    flat = {
        "header": lines[0],
        "fixed": [(_unmark(a), b, c) for a, b, c, *_ in fixed],
        "levels": levels,
    }
    return _template(path, table, encoding, newline, [], head, [], pattern, records, variables, False, flat)  # fmt: skip


def _template(path, table, encoding, newline, title, head, footer, pattern, records, variables, rs, flat):  # fmt: skip
    years, kreis, by_level, indent = set(), {}, {}, {}
    for year, key, name, cells in records:
        years.add(year)
        if key == FOCUS:
            kreis[year] = [_number(c) for c in cells]
        if level := _level(key):
            by_level.setdefault((level, year), []).append(cells)
            indent.setdefault(level, len(name) - len(name.lstrip(" ")))
    symbols = {}
    for lk, rows in by_level.items():
        cols = list(zip(*rows, strict=True))
        symbols[lk] = {c: v[0] for c, v in enumerate(cols) if len(set(v)) == 1 and v[0] in SYMBOLS}
    if not kreis and ("gemeinde", min(years)) in by_level:  # no Kreis row: sum of its Gemeinden
        kreis = {y: list(np.nansum([[_number(c) for c in r] for r in by_level[("gemeinde", y)]],
                                   axis=0)) for y in years}  # fmt: skip
    units = [u.strip().lower() for u in head[-1]]
    decimals = [_decimals([r[3][c] for r in records]) for c in range(len(head[0]))]
    return Template(
        path, table, encoding, newline, title, head, footer, indent, pattern, sorted(years),
        kreis, symbols,
        {lv for lv, _ in by_level}, decimals, *column_kinds(table, head, variables),
        {lk: np.nansum([[_number(c) for c in r] for r in rows], axis=0)
         for lk, rows in by_level.items()}, column_variables(table, head),
        np.array([u in PERCENT_UNITS or u.endswith("(%)") for u in units]), rs, flat,
    )  # fmt: skip


def demo_population() -> dict[tuple[str, int], float]:
    """Population 31.12. of the demo's rows per (level, year) from demo 12411-15i: Land 05,
    Regierungsbezirk 059, Kreis 05970 and the sum of its Gemeinden."""
    out: dict[tuple[str, int], float] = {}
    for line in (DEMO / "ldbnrw_12411-15i_demo.csv").read_text(encoding="latin-1").splitlines():
        p = line.split(";")
        lv = _level(p[1]) if len(p) > 3 and _NUM.match(p[3]) else None
        if lv and (lv != "kreis" or p[1] == FOCUS):
            key = (lv, _period_pattern(p[0])[0])
            out[key] = out.get(key, 0.0) + float(p[3])
    return out


def noise(n: int, years: list[int], seed: int) -> np.ndarray:
    """The shared factor per (unit, year): persistent level + yearly part, squashed (tanh)."""
    level = NOISE_SD * np.random.default_rng([seed, 1]).normal(size=n)
    x = np.stack(
        [level + NOISE_YEAR_SD * np.random.default_rng([seed, 2, y]).normal(size=n) for y in years],
        axis=1,
    )
    return np.exp(NOISE_BOUND * np.tanh(x / NOISE_BOUND))


def _nearest(years: list[int], y: int) -> int:
    return min(years, key=lambda t: (abs(t - y), -t))


def written_years(tpl: Template, years: list[int]) -> list[int]:
    """The generator's years in the template's cadence (one period: that period only)."""
    if len(tpl.years) == 1:
        return [y for y in years if y == tpl.years[0]]
    steps = set(np.diff(tpl.years).tolist())
    if len(steps) == 1 and (s := steps.pop()) > 1:
        return [y for y in years if (y - tpl.years[0]) % s == 0]
    return list(years)


def cumulative_rounding(weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Integer rows proportional to `weights` (k,) that add up exactly to `totals` (n,): the
    running sums are rounded, so every run of adjacent columns (ages 0-14 of one sex) is within
    1 of its exact value, for small Gemeinden too."""
    cum = np.cumsum((weights / weights.sum())[None, :] * totals[:, None], axis=1)
    r = np.floor(cum + 0.5)
    return np.diff(r, axis=1, prepend=0.0)


def _fmt(v: np.ndarray, dec: int) -> np.ndarray:
    """Numbers with `dec` decimals, German decimal comma (vectorised)."""
    if dec == 0:
        return np.rint(v).astype(np.int64).astype(str)
    x = np.rint(np.abs(v) * 10**dec).astype(np.int64)
    s = np.char.add(np.char.add((x // 10**dec).astype(str), ","),
                    np.char.zfill((x % 10**dec).astype(str), dec))  # fmt: skip
    return np.where(v < 0, np.char.add("-", s), s)


class TemplateWriter:
    """Writes one template table for the regions and figures of scale.py."""

    def __init__(self, r, f, noise_uy: np.ndarray, pop_demo: dict, seed: int, tpls, catalog):
        self.r, self.f, self.noise, self.pop_demo, self.seed = r, f, noise_uy, pop_demo, seed
        self.pop = f.pop.astype(float)
        self.csp = np.vstack([np.zeros((1, self.pop.shape[1])), np.cumsum(self.pop, axis=0)])
        pn = self.pop * noise_uy
        self.cspn = np.vstack([np.zeros((1, pn.shape[1])), np.cumsum(pn, axis=0)])
        self.kreis_pop = {y: v for (lv, y), v in pop_demo.items() if lv == "kreis"}
        # The population by sex and age (12411-03i) follows scale.py's 17 age groups by sex, so
        # that it agrees with 12411-02-03-5; counts whose share indicator divides by one of its
        # variables (Kita children 3-6 / population 3-6) are scaled on that group, not on the
        # whole population, so their ratio stays as in the template.
        self.part = next((t for t in tpls if self._is_partition(t)), None)
        self.groups, self.base_cols, self.base_of, self._cache = [], {}, {}, {}
        if self.part is not None:
            self._age_groups(self.part, catalog)

    def _is_partition(self, tpl: Template) -> bool:
        """The count columns add up to the Kreis population in every template year."""
        cnt = np.flatnonzero(tpl.count)
        return len(cnt) > 0 and all(
            abs(np.nansum(np.array(v)[cnt]) / self.kreis_pop.get(t, np.nan) - 1) < 0.002
            for t, v in tpl.kreis.items()
        )

    def _age_groups(self, p: Template, catalog) -> None:
        sex = next(h for h in p.head if "männlich" in h and "weiblich" in h)
        age = next(h for h in p.head if any(re.match(r"\s*(unter )?\d+ Jahr", c) for c in h))
        lower = [0 if (m := re.match(r"\s*(unter )?(\d+)", c))[1] else int(m[2]) for c in age]
        grp = np.searchsorted(AGE17_LOWER, lower, side="right") - 1
        for si, sx in enumerate(("männlich", "weiblich")):
            for g in range(17):
                cols = np.flatnonzero((np.array(sex) == sx) & (grp == g))
                self.groups.append((si, g, cols))
        index = {lab: c for c, lab in enumerate(column_labels(p.head))}
        for var, labels in pipeline_columns(p.table):
            self.base_cols[var] = [index[lab] for lab in labels if lab in index]
        for ind in catalog.indicators.values():
            m = re.fullmatch(r"\s*([a-z0-9_]+)(\[t-1\])?\s*", str(ind.denominator or ""))
            if m and m[1] in self.base_cols:
                for v in re.findall(r"[a-z][a-z0-9_]*", str(ind.numerator)):
                    self.base_of.setdefault(v, m[1])
            for e in (ind.numerator, ind.denominator):  # a ratio of rates: "a / b" on each side
                m = re.fullmatch(r"\s*([a-z0-9_]+)\s*/\s*([a-z0-9_]+)(\[t-1\])?\s*", str(e or ""))
                if m and m[2] in self.base_cols:
                    self.base_of.setdefault(m[1], m[2])
        # A share of two counts (a / b): a is scaled like b, so that a <= b stays true.
        simple = r"\s*([a-z0-9_]+)\s*"
        pairs = [(m[1], d[1]) for ind in catalog.indicators.values()
                 if (m := re.fullmatch(simple, str(ind.numerator or "")))
                 and (d := re.fullmatch(simple, str(ind.denominator or "")))]  # fmt: skip
        changed = True
        while changed:
            changed = False
            for a, b in pairs:
                if b in self.base_of and a not in self.base_of:
                    self.base_of[a] = self.base_of[b]
                    changed = True

    def part_units(self, j: int, t: int) -> np.ndarray:
        """Units × columns of the population table in year index j (template year t)."""
        if (j, t) in self._cache:
            return self._cache[(j, t)]
        kv = np.nan_to_num(np.array(self.part.kreis[_nearest(list(self.part.kreis), t)]))
        out = self._cache[(j, t)] = np.zeros((self.r.n, self.part.ncols))
        for si, g, cols in self.groups:
            w = kv[cols] if kv[cols].sum() > 0 else np.ones(len(cols))
            out[:, cols] = cumulative_rounding(w, self.f.age[:, j, si, g].astype(float))
        return out

    def _row_spans(self, tpl: Template):
        rows = [x for x in self.r.rows(with_dg="staat" in tpl.levels) if x[2] in tpl.levels]
        start, end = np.empty(len(rows), np.int64), np.empty(len(rows), np.int64)
        for i, (_, _, _, m) in enumerate(rows):
            if isinstance(m, int):
                start[i], end[i] = m, m + 1
            else:
                idx = np.flatnonzero(m)  # units are in key order: an area is a contiguous run
                assert idx[-1] - idx[0] + 1 == len(idx), "area members not contiguous"
                start[i], end[i] = idx[0], idx[-1] + 1
        return rows, start, end

    def write(self, tpl: Template, out: Path, years_out: set[int] | None, mark: str) -> tuple:
        f, ncol = self.f, tpl.ncols
        rows, start, end = self._row_spans(tpl)
        levels = np.array([x[2] for x in rows])
        deeper = {"staat": 0, "land": 0, "regbez": 2, "kreis": 4, "gemeinde": 6}
        labels = [f"{k};{' ' * tpl.indent.get(lv, deeper[lv])}{nm}" for k, nm, lv, _ in rows]
        cnt, nad = np.flatnonzero(tpl.count), np.flatnonzero(tpl.nonadd)
        oth = np.flatnonzero(~tpl.count & ~tpl.nonadd)
        crc = zlib.crc32(tpl.table.encode())
        factor = np.exp(
            FACTOR_SD * np.random.default_rng([self.seed, 3, crc]).normal(size=(self.r.n, len(oth)))
        )
        scale = 10.0 ** np.array([tpl.decimals[c] for c in cnt])
        partition = tpl is self.part
        bases = {self.base_of[v] for c in cnt if (v := tpl.variables[c]) in self.base_of}
        if len(bases) == 1:  # one age group for the table: every count column on it, so that
            # parts and totals from different columns or tables keep their order
            based = [(k, self.base_cols[next(iter(bases))]) for k in range(len(cnt))]
        else:
            based = [(k, self.base_cols[self.base_of[tpl.variables[c]]])
                     for k, c in enumerate(cnt) if self.base_of.get(tpl.variables[c] or "")]  # fmt: skip
        wanted = set(written_years(tpl, f.years)) & (years_out or set(f.years))

        def block(j: int, y: int) -> np.ndarray:
            """Cells (rows, columns) of generation year index j (year y)."""
            t = y if y in tpl.kreis else _nearest(list(tpl.kreis), y)
            kv = np.array(tpl.kreis[t])
            s = np.empty((len(rows), ncol), dtype=object)
            if len(cnt):
                rate = kv[cnt] / self.kreis_pop[_nearest(list(self.kreis_pop), t)]
                if partition:
                    u = self.part_units(j, t)[:, cnt]
                else:
                    base = np.repeat(self.pop[:, j, None], len(cnt), axis=1)
                    if based:
                        pu = self.part_units(j, t)
                        pk = np.nan_to_num(self.part.kreis[_nearest(list(self.part.kreis), t)])
                        for k, cols in based:
                            rate[k] = kv[cnt[k]] / max(pk[cols].sum(), 1.0)
                            base[:, k] = pu[:, cols].sum(axis=1)
                    # rate × noise; a column close to its base (persons in households, 99 %
                    # of the population) only gets noise below 1 and never exceeds the base.
                    rn = np.nan_to_num(rate)[None, :] * self.noise[:, j, None]
                    near = (np.nan_to_num(rate) > 0.9) & (np.nan_to_num(rate) <= 1.1)
                    rn[:, near] = np.minimum(rn[:, near], np.minimum(rate[near], 1.0))
                    u = np.rint(base * rn * scale[None, :])
                cs = np.vstack([np.zeros((1, len(cnt))), np.cumsum(u, axis=0)])
                v = (cs[end] - cs[start]) / scale[None, :]
                for k, c in enumerate(cnt):
                    col = np.where(v[:, k] == 0, "-", _fmt(v[:, k], tpl.decimals[c]))
                    s[:, c] = np.where(np.isnan(rate[k]), ".", col)
            for c in nad:  # per level: the level's rate in the template × the area's population
                for lv in set(levels.tolist()):
                    lv_t = lv if (lv, t) in tpl.level_sums and (lv, t) in self.pop_demo else "kreis"
                    rate = tpl.level_sums[(lv_t, t)][c] / self.pop_demo[(lv_t, t)]
                    sel = levels == lv
                    v = np.rint(rate * (self.cspn[end[sel], j] - self.cspn[start[sel], j]))
                    s[sel, c] = np.where(v == 0, "-", _fmt(v, 0))
            if len(oth):
                w = kv[oth][None, :] * factor * self.pop[:, j, None]
                cw = np.vstack([np.zeros((1, len(oth))), np.cumsum(w, axis=0)])
                v = (cw[end] - cw[start]) / (self.csp[end, j] - self.csp[start, j])[:, None]
                for k, c in enumerate(oth):
                    vk = np.minimum(v[:, k], 100.0) if tpl.percent[c] else v[:, k]
                    col = _fmt(np.nan_to_num(vk), tpl.decimals[c])
                    s[:, c] = np.where(np.isnan(vk), ".", col)
            for lv in set(levels.tolist()):
                for c, sym in tpl.symbols.get((lv, t), {}).items():
                    s[levels == lv, c] = sym
            return s

        def period(y: int) -> str:
            return tpl.pattern.format(y=y, z=f"{(y + 1) % 100:02d}")

        path = out / tpl.path.name.replace("_demo", "_scale")
        if not wanted:  # e.g. --only-years 2024 for a biennial table: no file at all
            path.unlink(missing_ok=True)
            return None, 0
        n_cells = 0
        with path.open("wb") as fh:

            def emit(lines: list[str]) -> None:
                if lines:
                    fh.write(
                        (tpl.newline.join(lines) + tpl.newline).encode(tpl.encoding, "replace")
                    )

            emit([t.replace("{MARK}", mark) for t in tpl.title])
            if tpl.flat:  # one line per cell: region, column, value
                emit([tpl.flat["header"]])
                fx = tpl.flat["fixed"]
                a = np.array([x[0].replace("{MARK}", mark) for x in fx])
                b, c = np.array([x[1] for x in fx]), np.array([x[2] for x in fx])
                reg = np.array([
                    ";".join(tpl.flat["levels"][lv]) + ";"
                    + (k[:5] + "0" + k[5:] + k[5:] if lv == "gemeinde" else k) + f";{nm}"
                    for k, nm, lv, _ in rows
                ])  # fmt: skip
                for j, y in enumerate(f.years):
                    if y in wanted:
                        s = block(j, y).astype(str)
                        x = np.char.add(np.char.add(a[None, :], f";{period(y)};"), reg[:, None])
                        x = np.char.add(np.char.add(np.char.add(x, ";"), b[None, :]), ";")
                        x = np.char.add(np.char.add(np.char.add(x, s), ";"), c[None, :])
                        emit(x.ravel().tolist())
                        n_cells += s.size
            elif tpl.rs:  # one column group per year, newest first (Kreis level: small)
                js = [j for j in range(len(f.years))[::-1] if f.years[j] in wanted]
                emit([";;" + ";".join(period(f.years[j]) for j in js for _ in range(ncol))])
                emit([";;" + ";".join(c for _ in js for c in h) for h in tpl.head])
                s = np.concatenate([block(j, f.years[j]) for j in js], axis=1)
                emit([f"{lab};{';'.join(r)}" for lab, r in zip(labels, s.tolist(), strict=True)])
                n_cells += s.size
            else:
                emit([";;;" + ";".join(h) for h in tpl.head])
                for j, y in enumerate(f.years):
                    if y in wanted:
                        s, p = block(j, y), period(y)
                        emit(
                            [
                                f"{p};{lab};{';'.join(r)}"
                                for lab, r in zip(labels, s.tolist(), strict=True)
                            ]
                        )
                        n_cells += s.size
            emit(tpl.footer)
        return path, n_cells


def templates(variables: dict) -> list[Template]:
    """The LDB demo exports that scale.py does not write itself, as templates."""
    out = []
    for p in sorted(DEMO.glob("ldbnrw_*_demo.csv")):
        if p.name.split("_")[1] not in OWN_TABLES:
            out.append(read_template(p, variables))
    for table in RS_TABLES:
        out.append(read_template(DEMO / f"regionalstatistik_{table}_demo.csv", variables))
    for name in FLAT:
        out.append(read_template(DEMO / name, variables))
    for name in OTHER_LDB:
        out.append(read_template(DEMO / name, variables))
    return out


def write_all(r, f, out: Path, years_out: set[int] | None, mark: str, seed: int, stats: list):
    """Write every template table; appends (path, cells) to `stats` and prints one line each."""
    from fis.catalog import load_catalog

    catalog = load_catalog(ROOT / "indicators")
    tpls = templates(catalog.variables)
    w = TemplateWriter(r, f, noise(r.n, f.years, seed), demo_population(), seed, tpls, catalog)
    for tpl in tpls:
        t = time.perf_counter()
        p, n = w.write(tpl, out, years_out, mark)
        if p is None:
            print(f"  {tpl.path.name:45s} no period in the years written: skipped")
            continue
        stats.append((p, n))
        print(f"  {p.name:45s} {n:>11,d} cells {p.stat().st_size / 1e6:8.1f} MB "
              f"{time.perf_counter() - t:6.1f} s")  # fmt: skip
