"""Pipeline specs (one YAML per source table) and mapping a read export to variables.

A spec says which exports it takes (matched on format, table code and, for flat files, the
value variable), the priority of the source, and which column labels feed which variable —
a variable may be the sum of several labels (e.g. bev_u18 from five age groups).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import yaml
from pandas.api.types import union_categoricals
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from fis.errors import ConfigError, InputError
from fis.readers.base import ReadResult

# libyaml's safe loader where available: a CLI run loads ~70 specs
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Named unit conversions; a spec names one, never a free factor.
CONVERSIONS = {"ha_to_km2": 0.01, "km2_to_ha": 100.0, "tsd_to_count": 1000.0}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Match(Strict):
    format: Literal["genesis_csv", "ffcsv", "gv100ad", "fis_tabular"]
    table: str
    value_variable: str | None = None  # ffcsv value_variable_code, e.g. BEVSTD


class ColumnMap(Strict):
    """Labels feeding one variable: one label, the sum of several, or a statistic of them.

    weights: a weighted sum of the labels (e.g. sum_alter = Σ class midpoint × persons).
    statistic "median" with bounds [[lower, upper], ...] per label: the interpolated median
    of the grouped distribution (e.g. median age from the 17 age groups).
    """

    variable: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    labels: list[str] = Field(min_length=1)
    convert: str | None = None
    weights: list[float] | None = None
    statistic: Literal["median"] | None = None
    bounds: list[tuple[float, float]] | None = None

    @model_validator(mode="after")
    def _shapes(self):
        if self.weights is not None and len(self.weights) != len(self.labels):
            raise ValueError("weights must have one number per label")
        if self.statistic == "median":
            if self.bounds is None or len(self.bounds) != len(self.labels):
                raise ValueError("statistic median needs bounds [lower, upper] per label")
            if self.weights is not None:
                raise ValueError("use either weights or statistic, not both")
        elif self.bounds is not None:
            raise ValueError("bounds only go with statistic: median")
        return self

    @field_validator("convert")
    @classmethod
    def _known_conversion(cls, v):
        if v is not None and v not in CONVERSIONS:
            raise ValueError(f"unknown conversion {v!r}; known: {', '.join(CONVERSIONS)}")
        return v


class PipelineSpec(Strict):
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    title: str
    source: str
    licence: str = "dl-de/by-2-0"
    match: Match
    priority: int = Field(ge=0, description="lower wins where sources deliver the same variable")
    stichtag: str = Field(description="reference date convention, e.g. '31.12.' or 'Jahressumme'")
    period_shift: int = 0  # years; GV100AD figures refer to 31.12. of the year before its edition
    columns: list[ColumnMap] = Field(min_length=1)
    ignore: list[str] = []  # labels deliberately not loaded (e.g. derived densities)
    note: str = ""


def load_specs(folder: Path) -> dict[str, PipelineSpec]:
    """Every *.yaml spec of the pipelines folder, by id; unknown keys are errors."""
    specs: dict[str, PipelineSpec] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
            spec = PipelineSpec.model_validate(yaml.load(text, Loader=_SAFE_LOADER))
        except yaml.YAMLError as e:
            raise ConfigError(f"{path}: invalid YAML ({e})") from None
        except ValidationError as e:
            err = e.errors()[0]
            loc = ".".join(str(x) for x in err["loc"])
            raise ConfigError(f"{path}: {loc}: {err['msg']}") from None
        if spec.id in specs:
            raise ConfigError(f"{path}: duplicate pipeline id {spec.id!r}")
        specs[spec.id] = spec
    return specs


def match_spec(specs: dict[str, PipelineSpec], result: ReadResult) -> PipelineSpec:
    """The one spec that takes this export; an InputError when none or several do."""
    found = []
    for spec in specs.values():
        m = spec.match
        if m.format != result.format or m.table != result.table_code:
            continue
        if m.value_variable and m.value_variable not in result.extra.get("value_variables", ()):
            continue
        found.append(spec)
    if not found:
        raise InputError(
            result.path,
            f"no pipeline for {result.format} table {result.table_code!r} "
            f"({result.title[:60]}); add a spec under pipelines/",
        )
    if len(found) > 1:
        raise InputError(result.path, f"several pipelines match: {', '.join(s.id for s in found)}")
    return found[0]


def apply_spec(spec: PipelineSpec, result: ReadResult) -> tuple[pd.DataFrame, list[str]]:
    """Map the reader's long frame to variables.

    Returns the frame (raw_key, region_name, period, ref_date, variable_id, value, status, line)
    and the labels that the file has but the spec neither maps nor ignores.
    """
    frame = result.frame
    labels_in_file = set(frame["label"].unique())
    wanted = {lab for c in spec.columns for lab in c.labels}
    missing = sorted(wanted - labels_in_file)
    if missing:
        raise InputError(
            result.path,
            f"pipeline {spec.id}: column {missing[0]!r} not found in the file "
            f"(wrong table or changed layout?)",
        )
    unmapped = sorted(labels_in_file - wanted - set(spec.ignore))
    parts = []
    grid = _Grid.of(frame)
    by_label: dict | None = None
    checked: list = []  # (key codes, period codes) known to be unique, see _unique_rows
    for col in spec.columns:
        part = grid.column(col) if grid is not None else None
        if part is not None:
            if col.convert:
                part = part.assign(value=part["value"] * CONVERSIONS[col.convert])
            parts.append(part)
            continue
        if by_label is None:
            # split once by label: a table has up to hundreds of labels, a spec maps dozens
            by_label = dict(tuple(frame.groupby("label", sort=False, observed=True)))
        if len(col.labels) > 1 and col.statistic != "median":
            aligned = _sum_aligned([by_label[lab] for lab in col.labels], col.weights, checked)
            if aligned is not None:
                if col.convert:
                    aligned = aligned.assign(value=aligned["value"] * CONVERSIONS[col.convert])
                parts.append(aligned)
                continue
        sub = (
            by_label[col.labels[0]]
            if len(col.labels) == 1
            else pd.concat([by_label[lab] for lab in col.labels])
        )
        if col.statistic == "median":
            sub = _grouped_median(sub, col, result.path)
        elif col.weights is not None:
            w = dict(zip(col.labels, col.weights, strict=True))
            weight = sub["label"].map(w).astype("float64")
            sub = _sum_labels(sub.assign(value=sub["value"] * weight), len(col.labels), result.path)
        elif len(col.labels) > 1:
            sub = _sum_labels(sub, len(col.labels), result.path)
        else:
            sub = sub[["region_key", "region_name", "period", "value", "status", "line"]]
        if col.convert:
            sub = sub.assign(value=sub["value"] * CONVERSIONS[col.convert])
        parts.append(sub)
    out = _concat(parts)
    # variable per row as a categorical: one code per row, each id stored once
    var_codes, var_ids = pd.factorize(pd.Series([c.variable for c in spec.columns], dtype=object))
    variable = pd.Categorical.from_codes(
        np.repeat(var_codes, [len(p) for p in parts]), pd.Index(var_ids, dtype="str")
    )
    # Period and reference date are worked out once per distinct period text.
    period = pd.Categorical(out["period"])
    texts = pd.Series(period.categories.astype(str))
    year = texts.str.slice(0, 4).astype(int) + spec.period_shift
    # The reference date: the export's own date, else the spec's Stichtag "DD.MM." in that
    # year, else the year's end (Jahressummen). A shifted period takes the spec's Stichtag.
    day = re.fullmatch(r"(\d{2})\.(\d{2})\.", spec.stichtag)
    given = (texts.str.len() == 10) & (spec.period_shift == 0)
    month_day = f"-{day.group(2)}-{day.group(1)}" if day else "-12-31"
    ref_text = texts.where(given, year.astype(str) + month_day)
    ref = pd.to_datetime(ref_text, format="%Y-%m-%d").to_numpy()
    codes = period.codes
    return pd.DataFrame(
        {
            "raw_key": out["region_key"],
            "region_name": out["region_name"],
            "period": year.to_numpy()[codes],
            "ref_date": ref[codes],
            "variable_id": variable,
            "value": out["value"],
            "status": out["status"],
            "line": out["line"],
        },
        copy=False,  # (the new columns are this frame's own; assign would copy them)
    ), unmapped


def _concat(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate mapped parts, keeping the text columns categorical (union of categories)."""
    out = pd.concat(parts, ignore_index=True)
    for c in ("region_key", "region_name", "period", "status"):
        if out[c].dtype != "category":
            cats = [
                p[c].array if p[c].dtype == "category" else pd.Categorical(p[c].astype(str))
                for p in parts
            ]
            out[c] = union_categoricals(cats, ignore_order=True)
    return out


# Status precedence when labels are summed: a secret part makes the sum secret.
_STATUS_RANK = {".": 0, "/": 1, "x": 2, "...": 3, "()": 4, "p": 5, "s": 6, "r": 7, "e": 8}
# The statuses a sum can have, as codes into this list (see _row_sums).
SUM_STATUSES = [*_STATUS_RANK, "", "-"]
_SECRET_CODES = [SUM_STATUSES.index(s) for s in (".", "/", "x", "...")]


def _row_sums(parts, weights: list[float] | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise sum of aligned label parts, each (value, is '-', status rank or NaN).

    '-' counts as 0; a part without a number (a symbol, an empty cell) leaves the sum without
    one; all parts '-' make the sum '-'; else the best-ranked symbol or flag of a part is the
    sum's, and a secret one makes the sum secret. Returns (total, codes into SUM_STATUSES).
    The parts are added in order, so the result does not depend on how they were gathered.
    """
    total, all_dash, best = np.zeros(n), np.ones(n, dtype=bool), np.full(n, np.inf)
    for i, (value, dash, rank) in enumerate(parts):
        if weights is not None:
            value = value * weights[i]
        total += np.where(dash, 0.0, value)
        all_dash &= dash
        if rank is not None:
            np.fmin(best, rank, out=best)  # NaN: no rank
    codes = np.where(np.isinf(best), SUM_STATUSES.index(""), np.where(np.isinf(best), 0, best))
    codes = np.where(all_dash, SUM_STATUSES.index("-"), codes).astype(np.int8)
    total = np.where(all_dash | np.isin(codes, _SECRET_CODES), np.nan, total)
    return total, codes


def _dash_and_rank(statuses: pd.Index) -> tuple[np.ndarray, np.ndarray]:
    """Per status text: whether it is '-', and its rank for _row_sums (NaN: none)."""
    rank = np.array([_STATUS_RANK.get(t, np.nan) for t in statuses], dtype="float64")
    return np.asarray(statuses == "-"), rank


def duplicated_codes(cell: np.ndarray) -> np.ndarray:
    """Whether each non-negative integer code occurs more than once: counted in a table
    where the codes are dense enough (linear; hashing is ~10x slower), else hashed."""
    if len(cell) and cell.min() >= 0 and cell.max() < 64 * len(cell) + 1_000_000:
        return np.bincount(cell)[cell] > 1
    return pd.Series(cell).duplicated(keep=False).to_numpy()


def _unique_rows(k0: np.ndarray, p0: np.ndarray, n_periods: int, checked: list) -> bool:
    """Each (region, period) once; `checked` remembers the code arrays that passed (the columns
    of one table share them, and comparing is cheaper than sorting)."""
    for ck, cp in checked:
        if np.array_equal(ck, k0) and np.array_equal(cp, p0):
            return True
    ok = not duplicated_codes(k0.astype(np.int64) * (n_periods + 1) + p0).any()
    if ok:
        checked.append((k0, p0))
    return ok


class _Grid:
    """A reader frame that is the wide table it was read from: row by row (region, period,
    line), each label once per row in the same column order (what the GENESIS reader gives).

    Then a variable's labels are columns of a matrix: sums and medians are worked out column
    by column, without splitting the frame by label (Germany scale: the 19 million cells of
    12411-03i are mapped in 1.2-2 s instead of 6-8 s). The arithmetic and the order of the
    additions are those of _sum_aligned and _grouped_median, so the results are the same to
    the bit.
    """

    def __init__(self, frame: pd.DataFrame, first: pd.DataFrame, position: np.ndarray):
        self.position = position  # column of each label code
        self.labels = frame["label"].cat.categories
        n_labels = len(self.labels)
        self.rows = {c: first[c].array for c in ("region_key", "region_name", "period", "line")}
        status = frame["status"]
        # every part's status in one dtype, so that the parts concatenate as categoricals
        texts = SUM_STATUSES + [t for t in status.cat.categories if t not in SUM_STATUSES]
        self.status_dtype = pd.CategoricalDtype(texts)
        recode = np.array([texts.index(t) for t in status.cat.categories], dtype=np.int8)
        self.n = len(first)
        # (row, column) views of the cells; a column is copied out when a variable needs it
        self.value = frame["value"].to_numpy(dtype="float64").reshape(self.n, n_labels)
        self.status = status.cat.codes.to_numpy().reshape(self.n, n_labels)
        self.recode = recode
        self.dash_code, self.rank = _dash_and_rank(status.cat.categories)
        self.ranked = bool(np.isfinite(self.rank).any())  # usually no cell has a rank
        self.columns: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Grid | None:
        text = ("region_key", "region_name", "period", "label", "status")
        if not len(frame) or not all(frame[c].dtype == "category" for c in text):
            return None
        if (frame["status"].cat.codes.to_numpy() < 0).any():
            return None
        n_labels = len(frame["label"].cat.categories)
        if len(frame) % n_labels:
            return None
        label = frame["label"].cat.codes.to_numpy().reshape(-1, n_labels)
        first = label[0]
        if not (np.array_equal(np.sort(first), np.arange(n_labels)) and (label == first).all()):
            return None
        for c in ("region_key", "period", "line"):
            v = (frame[c].cat.codes if c != "line" else frame[c]).to_numpy()
            v = v.reshape(-1, n_labels)
            if not (v == v[:, :1]).all():
                return None
        rows = frame.iloc[::n_labels]  # one per table row
        k0, p0 = rows["region_key"].cat.codes.to_numpy(), rows["period"].cat.codes.to_numpy()
        if not _unique_rows(k0, p0, len(frame["period"].cat.categories), []):
            return None  # a region twice in a period: the grouped path reports it
        position = np.empty(n_labels, dtype=np.int64)
        position[first] = np.arange(n_labels)
        return cls(frame, rows, position)

    def _column(self, label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(value, status codes, is '-') of one label, each contiguous."""
        j = int(self.position[self.labels.get_loc(label)])
        if j not in self.columns:
            status = self.status[:, j].copy()
            self.columns[j] = (self.value[:, j].copy(), status, self.dash_code[status])
        return self.columns[j]

    def column(self, col: ColumnMap) -> pd.DataFrame | None:
        """The mapped part of one variable, or None where the grouped path is needed (a single
        label with a weight)."""
        if len(col.labels) == 1 and col.weights is not None:
            return None
        parts = [self._column(lab) for lab in col.labels]
        if len(parts) == 1:
            value, status, _ = parts[0]
            status = pd.Categorical.from_codes(self.recode[status], dtype=self.status_dtype)
            return self._part(value, status)
        summed = ((v, d, self.rank[s] if self.ranked else None) for v, s, d in parts)
        total, codes = _row_sums(summed, col.weights, self.n)
        if col.statistic == "median":
            total, codes = self._median(col, parts, total, codes)
        return self._part(total, pd.Categorical.from_codes(codes, dtype=self.status_dtype))

    def _median(self, col: ColumnMap, parts, total: np.ndarray, codes: np.ndarray):
        """As _grouped_median: the interpolated median where the summed value is known, 'x'
        where nobody is in the distribution."""
        n = np.column_stack([np.where(dash, 0.0, value) for value, _, dash in parts])
        cum = np.cumsum(n, axis=1)
        before = cum - n
        all_n = cum[:, -1]
        half = all_n / 2
        hit = (before < half[:, None]) & (cum >= half[:, None]) & (n > 0)
        found = hit.any(axis=1)
        cls = hit.argmax(axis=1)
        r = np.arange(self.n)
        bounds = np.array(col.bounds, dtype="float64")
        lower, upper = bounds[cls, 0], bounds[cls, 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            median = lower + (all_n / 2 - before[r, cls]) / n[r, cls] * (upper - lower)
        ok = ~np.isnan(total)
        median = np.where(ok & found, median, np.nan)
        codes = np.where(ok & ~found, SUM_STATUSES.index("x"), codes).astype(np.int8)
        return median, codes

    def _part(self, value: np.ndarray, status: pd.Categorical) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "region_key": self.rows["region_key"],
                "region_name": self.rows["region_name"],
                "period": self.rows["period"],
                "value": value,
                "status": status,
                "line": self.rows["line"],
            },
            copy=False,  # the mapped parts are concatenated (copied) right after
        )


def _sum_aligned(
    parts: list[pd.DataFrame], weights: list[float] | None, checked: list
) -> pd.DataFrame | None:
    """_sum_labels for the usual wide table: every label has the same rows (region, period,
    once each) in the same order, so the sum is a row-wise sum of columns. None otherwise."""
    first = parts[0]
    keys, periods = first["region_key"], first["period"]
    if not all(p[c].dtype == "category" for p in parts for c in ("region_key", "period")):
        return None
    k0, p0 = keys.cat.codes.to_numpy(), periods.cat.codes.to_numpy()

    def same(a: pd.Series, b: pd.Series) -> bool:
        # parts split from one frame share their categories: identity is the quick answer
        ca, cb = a.cat.categories, b.cat.categories
        return ca is cb or ca.equals(cb)

    for p in parts[1:]:
        if len(p) != len(first) or not (
            same(p["region_key"], keys)
            and same(p["period"], periods)
            and np.array_equal(p["region_key"].cat.codes.to_numpy(), k0)
            and np.array_equal(p["period"].cat.codes.to_numpy(), p0)
        ):
            return None
    if not _unique_rows(k0, p0, len(periods.cat.categories), checked):
        return None  # a region twice in a period: the grouped path reports it

    # Part by part, so that no (rows x parts) matrix is built: total (NaN if a part has no
    # number; '-' counts as 0), whether every part is '-', the best status rank.
    def part(p: pd.DataFrame):
        status = p["status"].astype("category")
        codes = status.cat.codes.to_numpy()
        dash, rank = _dash_and_rank(status.cat.categories)
        return p["value"].to_numpy(dtype="float64"), dash[codes], rank[codes]

    total, codes = _row_sums(map(part, parts), weights, len(first))
    lines = np.minimum.reduce([p["line"].to_numpy() for p in parts])
    return pd.DataFrame(
        {
            "region_key": keys.array,
            "region_name": first["region_name"].array,
            "period": periods.array,
            "value": total,
            "status": pd.Categorical.from_codes(codes, SUM_STATUSES),
            "line": lines,
        },
        copy=False,  # concatenated (copied) right after
    )


def _sum_labels(sub: pd.DataFrame, n_labels: int, path: str) -> pd.DataFrame:
    """Sum several labels per (key, period); symbols: '-' counts as 0, any other symbol wins."""
    is_dash = sub["status"] == "-"
    s = sub.assign(
        v=sub["value"].where(~is_dash, 0.0),
        dash=is_dash.astype("int64"),
        rank=sub["status"].map(_STATUS_RANK).astype("float64"),
    )
    agg = (
        s.groupby(["region_key", "period"], sort=False, observed=True)
        .agg(
            region_name=("region_name", "first"),
            value=("v", "sum"),
            n_values=("v", "count"),
            n=("v", "size"),
            n_dash=("dash", "sum"),
            rank=("rank", "min"),
            line=("line", "min"),
        )
        .reset_index()
    )
    if (agg["n"] != n_labels).any():
        bad = agg[agg["n"] != n_labels].iloc[0]
        raise InputError(
            path, f"region {bad['region_key']} lacks some summed columns", int(bad["line"])
        )
    inv = {v: k for k, v in _STATUS_RANK.items()}
    all_dash = agg["n_dash"] == agg["n"]
    status = agg["rank"].map(inv).fillna("").where(~all_dash, "-")
    # a sum with a missing or secret part has no value; an all-'-' sum stays '-' (true zero
    # or not applicable, decided later like any other '-')
    value = agg["value"].where((agg["n_values"] == agg["n"]) & ~all_dash, np.nan)
    value = value.where(~status.isin([".", "/", "x", "..."]), np.nan)
    return agg.assign(value=value, status=status)[
        ["region_key", "region_name", "period", "value", "status", "line"]
    ]


def _grouped_median(sub: pd.DataFrame, col: ColumnMap, path: str) -> pd.DataFrame:
    """Interpolated median of a grouped distribution per (key, period).

    Linear interpolation inside the class that holds the middle person (the usual formula
    L + (N/2 - F) / f × width). Any secret or missing class makes the median unknown ('.').
    """
    summed = _sum_labels(sub, len(col.labels), path)  # total per region/period, status rules
    order = {lab: i for i, lab in enumerate(col.labels)}
    s = sub.assign(
        cls=sub["label"].map(order).astype("int64"),
        n=sub["value"].where(sub["status"] != "-", 0.0),
    ).sort_values(["region_key", "period", "cls"])
    g = s.groupby(["region_key", "period"], sort=False, observed=True)
    s = s.assign(cum=g["n"].cumsum(), total=g["n"].transform("sum"))
    s = s.assign(before=s["cum"] - s["n"])
    half = s["total"] / 2
    hit = s[(s["before"] < half) & (s["cum"] >= half) & (s["n"] > 0)]
    hit = hit.drop_duplicates(["region_key", "period"])
    bounds = np.array(col.bounds, dtype="float64")
    lower = pd.Series(bounds[hit["cls"].to_numpy(), 0], index=hit.index)
    upper = pd.Series(bounds[hit["cls"].to_numpy(), 1], index=hit.index)
    median = lower + (hit["total"] / 2 - hit["before"]) / hit["n"] * (upper - lower)
    med = pd.Series(median.values, index=pd.MultiIndex.from_frame(hit[["region_key", "period"]]))
    key = pd.MultiIndex.from_frame(summed[["region_key", "period"]])
    value = pd.Series(med.reindex(key).values, index=summed.index)
    ok = summed["value"].notna()
    value = value.where(ok, np.nan)
    # an empty distribution (all zero) has no median: not meaningful
    status = summed["status"].where(~(ok & value.isna()), "x")
    return summed.assign(value=value, status=status)
