"""Pipeline specs: strict loading, label sums, weighted sums, grouped medians, symbols."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from fis.errors import ConfigError, InputError
from fis.pipelines import ColumnMap, PipelineSpec, apply_spec, load_specs, match_spec
from fis.readers.base import LONG_COLUMNS, ReadResult

LABELS = ["0-10", "10-20", "20-40"]


def result(cells: list[tuple[str, str, float | None, str]]) -> ReadResult:
    """A reader result with cells (key, label, value, status) for period 2020."""
    frame = pd.DataFrame(
        [
            (k, f"Gebiet {k}", "2020", lab, np.nan if v is None else v, st, i + 1)
            for i, (k, lab, v, st) in enumerate(cells)
        ],  # fmt: skip
        columns=LONG_COLUMNS,
    )
    return ReadResult(path="x.csv", format="genesis_csv", table_code="T1", title="t", frame=frame)


def spec(*columns: ColumnMap, stichtag: str = "31.12.") -> PipelineSpec:
    return PipelineSpec(
        id="t1", title="t", source="s", match={"format": "genesis_csv", "table": "T1"},
        priority=1, stichtag=stichtag, columns=list(columns),
    )  # fmt: skip


def by_key(frame: pd.DataFrame) -> dict:
    return {
        k: (None if pd.isna(v) else v, s)
        for k, v, s in zip(frame.raw_key, frame.value, frame.status)
    }


def test_every_bundled_spec_loads():
    specs = load_specs(ROOT / "pipelines")
    assert "regionalstatistik_12411-01-01-5" in specs and "ldbnrw_12411-15i" in specs


def test_unknown_key_in_spec_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(
        "id: a\ntitle: t\nsource: s\nmatch: {format: genesis_csv, table: T}\npriority: 1\n"
        "stichtag: '31.12.'\ncolumns: [{variable: x, labels: [A]}]\nfoo: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="a.yaml: foo"):
        load_specs(tmp_path)


def test_sum_of_labels_with_symbols():
    res = result([
        ("01", "0-10", 5, ""), ("01", "10-20", None, "-"), ("01", "20-40", 7, ""),
        ("02", "0-10", 5, ""), ("02", "10-20", None, "."), ("02", "20-40", 7, ""),
        ("03", "0-10", None, "-"), ("03", "10-20", None, "-"), ("03", "20-40", None, "-"),
    ])  # fmt: skip
    out, _ = apply_spec(spec(ColumnMap(variable="v", labels=LABELS)), res)
    assert by_key(out) == {"01": (12.0, ""), "02": (None, "."), "03": (None, "-")}


def test_weighted_sum():
    res = result([("01", "0-10", 10, ""), ("01", "10-20", 20, ""), ("01", "20-40", None, "-")])
    col = ColumnMap(variable="sum_alter", labels=LABELS, weights=[5, 15, 30])
    out, _ = apply_spec(spec(col), res)
    assert by_key(out) == {"01": (10 * 5 + 20 * 15.0, "")}


def test_grouped_median():
    # 10 people 0-10, 20 people 10-20, 10 people 20-40: the 20th person is in 10-20,
    # median = 10 + (20 - 10) / 20 * 10 = 15
    res = result([("01", "0-10", 10, ""), ("01", "10-20", 20, ""), ("01", "20-40", 10, ""),
                  ("02", "0-10", 10, ""), ("02", "10-20", None, "."), ("02", "20-40", 10, ""),
                  ("03", "0-10", 0, ""), ("03", "10-20", 0, ""), ("03", "20-40", None, "-")])  # fmt: skip
    col = ColumnMap(variable="median_alter", labels=LABELS, statistic="median",
                    bounds=[(0, 10), (10, 20), (20, 40)])  # fmt: skip
    out, _ = apply_spec(spec(col), res)
    got = by_key(out)
    assert got["01"] == (15.0, "")
    assert got["02"] == (None, ".")  # a secret class makes the median unknown
    assert got["03"] == (None, "x")  # nobody there: no median


def test_median_needs_bounds():
    with pytest.raises(ValueError, match="bounds"):
        ColumnMap(variable="m", labels=LABELS, statistic="median")


def test_missing_label_names_the_file():
    res = result([("01", "0-10", 1, "")])
    with pytest.raises(InputError, match="x.csv: pipeline t1: column '10-20' not found"):
        apply_spec(spec(ColumnMap(variable="v", labels=["10-20"])), res)


def test_stichtag_gives_reference_date():
    res = result([("01", "0-10", 1, "")])
    out, _ = apply_spec(spec(ColumnMap(variable="v", labels=["0-10"]), stichtag="01.03."), res)
    assert str(out.ref_date.iloc[0].date()) == "2020-03-01"


def test_no_pipeline_for_table():
    res = result([("01", "0-10", 1, "")])
    with pytest.raises(InputError, match="no pipeline for genesis_csv table 'T1'"):
        match_spec({}, res)


def test_row_wise_sums_equal_the_grouped_sums(monkeypatch):
    """The fast paths for a wide table — the label columns as a matrix (_Grid) and the
    row-wise sum of aligned parts (_sum_aligned) — give exactly what the grouped sums and
    medians give, on every demo export that sums columns or takes a median."""
    import fis.pipelines as pipelines
    from fis.readers.sniff import read_file

    specs = load_specs(ROOT / "pipelines")
    compared, grids, aligned = 0, [], []
    real_grid, real_aligned = pipelines._Grid.of.__func__, pipelines._sum_aligned

    def counting_grid(cls, frame):
        out = real_grid(cls, frame)
        grids.append(out is not None)
        return out

    def counting_aligned(*a, **k):
        out = real_aligned(*a, **k)
        aligned.append(out is not None)
        return out

    def mapped(sp, res, grid: bool, row_wise: bool) -> pd.DataFrame:
        with monkeypatch.context() as m:
            m.setattr(pipelines._Grid, "of",
                      classmethod(counting_grid if grid else lambda cls, f: None))  # fmt: skip
            m.setattr(pipelines, "_sum_aligned",
                      counting_aligned if row_wise else lambda *a, **k: None)  # fmt: skip
            out, _ = apply_spec(sp, res)
        key = ["variable_id", "raw_key", "period"]
        out = out.astype({c: str for c in ("variable_id", "raw_key", "region_name", "status")})
        return out.sort_values(key).reset_index(drop=True)

    for path in sorted((ROOT / "data" / "demo").glob("*")):
        if path.name.startswith(("gv100ad", "lokal_")):
            continue
        res = read_file(path)
        sp = match_spec(specs, res)
        if not any(len(c.labels) > 1 for c in sp.columns):
            continue
        grouped = mapped(sp, res, grid=False, row_wise=False)
        for fast in (mapped(sp, res, grid=True, row_wise=False),
                     mapped(sp, res, grid=False, row_wise=True)):  # fmt: skip
            pd.testing.assert_frame_equal(fast[list(grouped.columns)], grouped, check_exact=True)
        compared += 1
    # the fast paths did the work
    assert compared >= 5 and sum(grids) >= 5 and sum(aligned) >= 20


def test_grid_median_and_symbols_equal_the_grouped_path(monkeypatch):
    """A wide table with '-', secret and flagged cells and an empty distribution: the matrix
    path gives the grouped path's sums, statuses and medians."""
    import fis.pipelines as pipelines
    from fis.readers.base import TEXT_COLUMNS

    cells = []
    rows = [("01", [10, 20, 10], ["", "", ""]), ("02", [10, None, 10], ["", ".", ""]),
            ("03", [0, 0, None], ["", "", "-"]), ("04", [None, None, None], ["-", "-", "-"]),
            ("05", [3, 4, 5], ["p", "", "()"]), ("06", [1, None, 2], ["", "", ""])]  # fmt: skip
    for k, values, statuses in rows:
        cells += [(k, lab, v, st) for lab, v, st in zip(LABELS, values, statuses, strict=True)]
    res = result(cells)
    res.frame = res.frame.astype(dict.fromkeys(TEXT_COLUMNS, "category"))
    res.frame["line"] = np.repeat(np.arange(len(rows)) + 4, len(LABELS))  # a line per row
    assert pipelines._Grid.of(res.frame) is not None
    sp = spec(
        ColumnMap(variable="total", labels=LABELS),
        ColumnMap(variable="weighted", labels=LABELS, weights=[5, 15, 30]),
        ColumnMap(variable="one", labels=["10-20"]),
        ColumnMap(
            variable="median_alter",
            labels=LABELS,
            statistic="median",
            bounds=[(0, 10), (10, 20), (20, 40)],
        ),  # fmt: skip
    )
    fast, _ = apply_spec(sp, res)
    monkeypatch.setattr(pipelines._Grid, "of", classmethod(lambda cls, f: None))
    grouped, _ = apply_spec(sp, res)
    for f in (fast, grouped):
        f["status"] = f["status"].astype(str)
    pd.testing.assert_frame_equal(fast.astype({"variable_id": str, "raw_key": str}),
                                  grouped.astype({"variable_id": str, "raw_key": str}),
                                  check_exact=True, check_categorical=False)  # fmt: skip
    got = {(v, k): (None if pd.isna(x) else x, s)
           for v, k, x, s in zip(fast.variable_id, fast.raw_key, fast.value, fast.status)}  # fmt: skip
    assert got[("median_alter", "01")] == (15.0, "")
    assert got[("median_alter", "03")] == (None, "x")
    assert got[("total", "02")] == (None, ".")
    assert got[("total", "04")] == (None, "-")
    assert got[("total", "05")] == (12.0, "()")  # the more restrictive flag wins
    assert got[("weighted", "01")] == (10 * 5 + 20 * 15 + 10 * 30.0, "")
