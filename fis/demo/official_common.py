"""Shared pieces of the official demo exports: regions, single ages, rates, the three layouts.

Every figure is derived from the simulated demography of `fis.demo.generate.build_figures()`
(population by sex and 17 age groups, births, deaths) times assumed rates with a trend, a
Gemeinde profile and deterministic noise (one random stream per table, fixed seed). Counts of a
Kreis are the sums of its Gemeinden (or of its two Jugendämter) where the statistic adds up;
Land NRW (05) and Regierungsbezirk Arnsberg (059) get their own rates on their own population.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np

from fis.demo import generate as gen
from fis.demo.generate import GEMEINDE_KEYS, GEMEINDEN, KREIS, SEED, YEARS

N_SINGLE = 91  # single ages 0..89 and "90 Jahre und mehr"
JA_SIEGEN, JA_KREIS = "JH05970040", "JH05970999"
JA_MEMBERS = {JA_SIEGEN: ["05970040"], JA_KREIS: [k for k in GEMEINDE_KEYS if k != "05970040"]}
NAMES = dict(gen.NAMES_LDB) | {
    JA_SIEGEN: "Jugendamt Siegen",
    JA_KREIS: "Kreisjugendamt des Kreises Siegen-Wittgenstein",
}
INDENT = dict(gen.INDENT_LDB) | {JA_SIEGEN: 6, JA_KREIS: 6}
ROWS_GEM = ["05", "059", KREIS, *GEMEINDE_KEYS]
ROWS_KREIS = ["05", "059", KREIS]
ROWS_JA = ["05", "059", KREIS, JA_SIEGEN, JA_KREIS]
KIND = {g.key: g.kind for g in GEMEINDEN}

# Gemeinde profiles (assumptions): social burden (SGB II, Jugendhilfe), relative to the Kreis;
# Land and Regierungsbezirk carry their own level.
SOCIAL = {
    "05970004": 0.95, "05970008": 0.72, "05970012": 0.78, "05970016": 0.68, "05970020": 0.86,
    "05970024": 1.00, "05970028": 1.02, "05970032": 0.66, "05970036": 0.80, "05970040": 1.45,
    "05970044": 0.62, "059": 1.30, "05": 1.50,
}  # fmt: skip


def rng(name: str) -> np.random.Generator:
    """One deterministic random stream per table, independent of the other tables."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def trend(points: dict[int, float], y: int) -> float:
    """Piecewise-linear path through the given (year, value) points, flat outside."""
    xs = sorted(points)
    return float(np.interp(y, xs, [points[x] for x in xs]))


def noisy(r: np.random.Generator, v: float, sd: float) -> float:
    return v * (1.0 + sd * float(r.normal()))


def pois(r: np.random.Generator, lam: float) -> int:
    return int(r.poisson(max(lam, 0.0)))


# ---------------------------------------------------------------------------------------------
# Single years of age from the 17 age groups
# ---------------------------------------------------------------------------------------------
def _split_groups(groups: np.ndarray, sex: int, y: int) -> np.ndarray:
    """17 age-group counts -> 91 single-age counts (same group sums, smooth inside groups)."""
    bounds = gen.AGE17_BOUNDS
    out = np.zeros(N_SINGLE, dtype=np.int64)
    widths = np.diff(bounds[:17])
    dens = np.asarray(groups[:16], dtype=float) / widths
    mids = np.array(bounds[:16]) + widths / 2
    for i in range(16):  # 0..74: density interpolated between group midpoints
        ages = np.arange(bounds[i], bounds[i + 1]) + 0.5
        w = np.maximum(np.interp(ages, mids, dens), 1e-6)
        out[bounds[i] : bounds[i + 1]] = gen.apportion(w, int(groups[i]))
    # 75+: declining with age; the share of 80+ grows over time (the ageing cohorts).
    s80 = (0.50 if sex == 0 else 0.58) + 0.004 * (y - 2008)
    x = np.arange(31.0)  # ages 75..105

    def weights(k: float) -> np.ndarray:
        v = np.exp(-k * x - (0.006 if sex == 0 else 0.004) * x**2)
        return np.append(v[:15], v[15:].sum())  # 75..89 and 90+

    lo, hi = -0.2, 0.5
    for _ in range(40):  # the decline whose share of 80+ is s80
        mid = (lo + hi) / 2
        w = weights(mid)
        lo, hi = (mid, hi) if w[5:].sum() / w.sum() > s80 else (lo, mid)
    w = weights((lo + hi) / 2)
    out[75:] = gen.apportion(w, int(groups[16]))
    return out


def single_ages(fig: dict) -> dict[str, dict[int, np.ndarray]]:
    """(2, 91) single-age counts by key and 31.12. year; 2007 estimated from 2008."""
    ages: dict[str, dict[int, np.ndarray]] = {}
    for key in ["05", "059", *GEMEINDE_KEYS]:
        f = fig[key]
        ages[key] = {
            y: np.vstack([_split_groups(f.age[y][s], s, y) for s in (0, 1)]) for y in YEARS
        }
    ages[KREIS] = {y: sum(ages[k][y] for k in GEMEINDE_KEYS) for y in YEARS}
    for key, a in ages.items():  # 31.12.2007 (denominators "[t-1]" of 2008): scaled back
        a[min(YEARS) - 1] = a[min(YEARS)] * (
            fig[key].pop[min(YEARS) - 1] / fig[key].pop[min(YEARS)]
        )
    return ages


@dataclass
class Ctx:
    """What every table writer needs: the figures, single ages and shared series."""

    fig: dict
    ages: dict[str, dict[int, np.ndarray]]
    cache: dict = field(default_factory=dict)

    def members(self, key: str) -> list[str]:
        return JA_MEMBERS.get(key, [key])

    def pop(self, key: str, y: int, lo: int = 0, hi: int | None = None, sex: int | None = None):
        """Population of `key` on 31.12.`y` aged lo to under hi (hi None: no upper bound)."""
        hi = N_SINGLE if hi is None else hi
        total = 0.0
        for k in self.members(key):
            a = self.ages[k][y]
            total += float((a if sex is None else a[sex : sex + 1])[:, lo:hi].sum())
        return total

    def total(self, key: str, y: int) -> int:
        return sum(self.fig[k].pop[y] for k in self.members(key))

    def births(self, key: str, y: int) -> int:
        return sum(sum(self.fig[k].births[y]) for k in self.members(key))


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------
def cnt(v) -> str:
    """A count: '-' for a true zero."""
    v = int(v)
    return "-" if v == 0 else str(v)


def dec(v: float, n: int = 1) -> str:
    """A decimal with comma, rounded half up."""
    q = Decimal(str(round(float(v), 6))).quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)
    return str(q).replace(".", ",")


def gem_values(fn: Callable[[str], float]) -> dict[str, int]:
    """Integer values for the 11 Gemeinden and their sum for the Kreis."""
    out = {k: int(round(fn(k))) for k in GEMEINDE_KEYS}
    out[KREIS] = sum(out[k] for k in GEMEINDE_KEYS)
    return out


def ja_sum(vals: dict[str, int]) -> dict[str, int]:
    """Add the two Jugendämter (sums of the Gemeinden they serve) to Gemeinde values."""
    return vals | {ja: sum(vals[k] for k in m) for ja, m in JA_MEMBERS.items()}


# ---------------------------------------------------------------------------------------------
# Layouts
# ---------------------------------------------------------------------------------------------
def label(key: str) -> list[str]:
    return [key, " " * INDENT[key] + NAMES[key]]


def note(lines: Iterable[str]) -> list[str]:
    """A quoted multi-line footer note that starts with the demo disclaimer."""
    body = [
        "DEMODATEN: synthetisch erzeugt mit fis.demo.generate,",
        "nicht amtlich. Die Werte imitieren nur das Format der",
        "Landesdatenbank NRW.",
        *lines,
    ]
    assert not any(";" in line for line in body), "no ';' in footer notes"
    body[0] = '"' + body[0]
    body[-1] = body[-1] + '"'
    return body


def ldb(
    out: Path,
    table: str,
    title: str,
    head: list[list[str]],
    rows: list[list[str]],
    notes: list[str],
    name: str | None = None,
) -> Path:
    """A Landesdatenbank NRW table (ISO-8859-1) like the bundled 12612-01i demo."""
    for r in rows:
        assert len(r) == 3 + len(head[0]), (table, r[:3])
    path = out / (name or f"ldbnrw_{table}_demo.csv")
    return gen._ldb_file(path, table, title, head, rows, note(notes))


def ldb_rows(
    keys: list[str], years: Iterable[int], cells: Callable[[str, int], list[str]], period="{y}"
) -> list[list[str]]:
    return [[period.format(y=y), *label(k), *cells(k, y)] for y in years for k in keys]


NAMES_RS = dict(gen.NAMES_RS) | {"059": "Arnsberg, Regierungsbezirk"}
INDENT_RS = dict(gen.INDENT_RS) | {"059": 4}


def regionalstatistik(
    out: Path,
    table: str,
    title: list[str],
    periods: list[str],
    labels: list[str],
    values: Callable[[str, str], list[str]],
    keys: list[str],
    notes: list[str],
    stand_time: str,
) -> Path:
    """A classic Regionalstatistik table (UTF-8): one column group per period, newest first."""
    n = 2 + len(periods) * len(labels)
    lines = [f"GENESIS-Tabelle: {table}"]
    lines += [gen._pad(t, n - 1) for t in title]
    lines.append(";;" + ";".join(p for p in periods for _ in labels))
    lines.append(";;" + ";".join(lab for _ in periods for lab in labels))
    for k in keys:
        cells = [c for p in periods for c in values(k, p)]
        assert len(cells) == n - 2, (table, k)
        lines.append(f"{k};{' ' * INDENT_RS[k]}{NAMES_RS[k]};" + ";".join(cells))
    body = ['"zu ""gesamte Tabelle"":', "DEMODATEN: synthetisch erzeugt mit fis.demo.generate,"]
    body += ["nicht amtlich.", *notes]
    assert not any(";" in line for line in body), "no ';' in footer notes"
    body[-1] += '"'
    lines += gen._rs_footer(body, stand_time)
    return gen._write(out / f"regionalstatistik_{table}_demo.csv", lines, "utf-8")


def ars(key: str) -> str:
    """12-digit ARS of an NRW Gemeinde (Verband = the Gemeinde itself)."""
    return key[:5] + "0" + key[5:] + key[5:]
