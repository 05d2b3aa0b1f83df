"""Scale generator: synthetic exports in the real formats for every region of Germany.

First step of "Scale to all of Germany". From the real Gemeindeverzeichnis GV100AD (every
Land, Regierungsbezirk, Kreis and Gemeinde, population of 31.12.2020) this writes the core
statistics tables for N years into a folder outside the repository, in the formats the project's
pipelines read (the same layouts as the demo exports of fis/demo/generate.py):

    regionalstatistik_12411-01-01-5_scale.csv    population by sex (31.12.)
    regionalstatistik_12411-02-03-5_scale.csv    population by sex and 17 age groups (31.12.)
    regionalstatistik_12612-01-01-5-B_scale.csv  live births by sex ("-B": 8-digit keys)
    ldbnrw_12612-01i_scale.csv                   live births by sex (LDB layout, ISO-8859-1)
    ldbnrw_12613-01i_scale.csv                   deaths by sex
    ldbnrw_12711-01i_scale.csv                   in-/out-migration by 7 age groups
    ldbnrw_12411-15i_scale.csv                   population, Katasterfläche, density

The LDB-layout tables cover all of Germany (the real Landesdatenbank NRW only has NRW; a
nationwide instance would read the same layout from each Land). The register itself is not
copied: pass the real GV100AD to `fis refresh` next to the output folder.

Then every other demo export (LDB NRW tables, Regionalstatistik 22311/22922/82411/12531, the
flat 12411 and Zensus 2022 files, NRW.BANK, LKA NRW; not the local registers) used as a template
(benchmarks/scale_templates.py: same layout, all of Germany, counts scaled by the population or
age group, one shared noise per unit and year).

    python benchmarks/scale.py --out /tmp/fis-scale [--years 20] [--last-year 2024] [--share 1.0]
                               [--only-years 2024 | 2023-2024]

--only-years writes only those years' periods, with the same values as the full run: the draws
do not depend on the years asked for (2005-2024 drawn with the main seed, other years and the
template noise with per-year seeds).

Figures (deterministic, fixed seed, vectorised with numpy; no per-cell Python loops):
* Units are the inhabited Gemeinden of the register (with the inhabited gemeindefreie Gebiete)
  plus the kreisfreie Städte (their single Gemeinde). Kreis, Regierungsbezirk, Land and DG are sums of units.
* Flows per unit and year: births, deaths (Poisson on the 2020 population times a unit rate and
  a year profile), Zu-/Fortzüge by 7 age groups (Poisson, net migration with refugee years).
  Boys / male deaths are binomial splits of the totals.
* Population 31.12.: anchored on the register's 2020 population (and male population) and carried forwards and
  backwards by the stock-flow identity P[y] = P[y-1] + births - deaths + Zuzüge - Fortzüge
  (clipped at 1 inhabitant for the few tiny Gemeinden that would otherwise run empty).
* Age groups (17, by sex): Germany-like shares tilted per unit (younger / older Gemeinden) and
  ageing over time, integerised by largest remainder so that the groups add up exactly to the
  male / female totals, and Insgesamt = männlich + weiblich.
* Migration at Kreis / Land / DG level: the sum of the units minus the moves inside the area
  (equal in and out, so the net equals the sum of the units' nets).
* --share 0.1 writes every tenth Kreis (plus the project's focus Kreis 05970) with its
  Gemeinden; DG, Länder and Regierungsbezirke are always written with all-Germany totals.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # scale_templates

from scale_templates import write_all  # noqa: E402  (the demo exports as templates)

from fis.demo.generate import AGE7_LABELS, AGE17_LABELS, HEAD_12411_15I  # noqa: E402
from fis.readers.gv100ad import _build  # noqa: E402  (the register with the male population)

REGISTER = ROOT.parent / "shared" / "data" / "real" / "destatis_GV100AD_301121.ASC"
SEED = 20260301
ANCHOR = 2020  # the GV100AD of 30.11.2021 gives the population of 31.12.2020
CORE = list(range(2005, 2025))  # the span drawn with the main seed (the default years)
FOCUS = "05970"
MARK = "SKALIERUNGSDATEN - synthetisch, nicht amtlich"

AGE17_MID = np.array([1.5, 4.5, 8, 12.5, 16.5, 19, 22.5, 27.5, 32.5, 37.5, 42.5, 47.5, 52.5,
                      57.5, 62.5, 70, 83])  # fmt: skip
# Germany 31.12.2015 (Regionalstatistik 12411-02-03-5, DG row): persons by age group.
AGE17_DG = np.array([2200407, 2130002, 2855051, 3695666, 2444551, 1745413, 4587878, 5387681,
                     5167860, 4951744, 4990088, 6523704, 6954765, 6038640, 5202056, 8301077,
                     8999101], dtype=float)  # fmt: skip
# Assumed male share by age group.
MALE17 = np.array([0.513, 0.513, 0.514, 0.514, 0.52, 0.526, 0.523, 0.52, 0.512, 0.506, 0.505,
                   0.503, 0.5, 0.495, 0.488, 0.465, 0.385])  # fmt: skip
MIG7_PROFILE = np.array([0.06, 0.09, 0.27, 0.18, 0.25, 0.09, 0.06])  # share of the movers
SEXES = ("Insgesamt", "männlich", "weiblich")
INDENT = {"staat": 0, "land": 2, "regbez": 4, "kreis": 6, "gemeinde": 8}
STAND_RS = "Stand: 01.03.2026 / 10:00:00"
STAND_LDB = "Stand: 01.03.2026 / 10:00:00"
COPYRIGHT_RS = [
    '"© Statistische Ämter des Bundes und der Länder, Deutschland, 2026.',
    "Dieses Werk ist lizensiert unter der Datenlizenz Deutschland",
    '- Namensnennung - Version 2.0."',
]
COPYRIGHT_LDB = (
    "© IT.NRW, Düsseldorf, 2026. Dieses Werk ist lizenziert unter der Datenlizenz Deutschland"
    " - Namensnennung - Version 2.0."
)


# ---------------------------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------------------------
class Regions:
    """Units (Gemeinden + kreisfreie Städte) and the areas they add up to, from the register."""

    def __init__(self, register: Path, share: float) -> None:
        reg, _, _ = _build(register)  # read_register() plus the columns pop / male
        kf = reg["kreisfrei"].to_numpy(dtype=bool)
        gem = reg["level"].isin(["gemeinde", "gemeindefrei"]).to_numpy()
        unit = (gem | kf) & reg["population"].gt(0).to_numpy()  # inhabited units
        u = reg[unit].sort_values("region_key").reset_index(drop=True)
        self.key = u["region_key"].to_numpy(dtype=object)
        self.name = u["name"].to_numpy(dtype=object)
        self.kreisfrei = u["kreisfrei"].to_numpy(dtype=bool)
        self.pop0 = u["population"].to_numpy(dtype=np.int64)
        self.male0 = u["male"].to_numpy(dtype=np.int64)
        self.area_ha = np.round(u["area_km2"].to_numpy(dtype=float) * 100).astype(np.int64)
        self.kreis = np.array([k[:5] for k in self.key], dtype=object)
        self.n = len(self.key)

        names = dict(zip(reg["region_key"], reg["name"], strict=True))
        # Areas (hectares) as the register has them: a Kreis includes its gemeindefreie Gebiete.
        ha = np.round(reg["area_km2"].to_numpy(dtype=float) * 100).astype(np.int64)
        self.area_of = dict(zip(reg["region_key"], ha.tolist(), strict=True))
        levels = dict(zip(reg["region_key"], reg["level"], strict=True))
        kreise = sorted(set(self.kreis))
        step = max(1, int(round(1 / share))) if share < 1 else 1
        chosen = {k for i, k in enumerate(kreise) if i % step == 0}
        if share < 1:
            chosen.add(FOCUS)
        regbez = sorted(k for k, lv in levels.items() if lv == "regbez")
        laender = sorted(k for k, lv in levels.items() if lv == "land")
        # Areas: (key, name, level, member mask over the units); written in key order.
        areas = [("DG", "Deutschland", "staat", np.ones(self.n, bool))]
        prefix2 = np.array([k[:2] for k in self.key], dtype=object)
        prefix3 = np.array([k[:3] for k in self.key], dtype=object)
        areas += [(k, names[k], "land", prefix2 == k) for k in laender]
        areas += [(k, names[k], "regbez", prefix3 == k) for k in regbez]
        areas += [(k, names[k], "kreis", self.kreis == k) for k in kreise if k in chosen]
        self.areas = areas
        self.chosen_units = np.isin(self.kreis, list(chosen))

    def rows(self, with_dg: bool = True) -> list[tuple[str, str, str, np.ndarray | int]]:
        """(key, name, level, members mask or unit index) in hierarchical (key) order."""
        out = [a for a in self.areas if with_dg or a[2] != "staat"]
        for i in np.flatnonzero(self.chosen_units):
            if not self.kreisfrei[i]:  # a kreisfreie Stadt is its Kreis row
                out.append((self.key[i], self.name[i], "gemeinde", int(i)))
        out.sort(key=lambda r: (r[0] != "DG", r[0]))
        return out


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------
def largest_remainder(weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Integer rows proportional to `weights` (n, k) that add up exactly to `totals` (n,)."""
    w = weights / weights.sum(axis=1, keepdims=True)
    x = w * totals[:, None]
    f = np.floor(x).astype(np.int64)
    rem = totals - f.sum(axis=1)
    order = np.argsort(-(x - f), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(w.shape[1])[None, :].repeat(len(w), 0), axis=1)
    return f + (rank < rem[:, None])


class Figures:
    """All figures per unit: arrays indexed (unit, year[, group])."""

    def __init__(self, r: Regions, years: list[int]) -> None:
        rng = np.random.default_rng(SEED)
        # Drawn for the fixed span CORE (plus any requested year outside it, each drawn with its
        # own year seed) and then sliced: a year's figures do not depend on the years asked for.
        span = sorted(set(CORE) | set(years))
        core = np.isin(span, CORE)
        extra = [j for j, y in enumerate(span) if y not in CORE]
        n, ny = r.n, len(span)
        yr = np.array(span)
        p0 = r.pop0.astype(float)
        small = np.clip(2000 / np.maximum(p0, 50), 0, 4)  # small Gemeinden vary more
        # Unit profiles (assumptions): fertility, mortality, migration level and trend, age tilt.
        fert = np.exp(0.12 * rng.normal(size=n))
        mort = np.exp(0.10 * rng.normal(size=n))
        tilt = rng.normal(size=n)  # > 0: younger population, more births, fewer deaths
        net_rate = 0.002 + 0.004 * rng.normal(size=n) + 0.0015 * tilt
        gross = 0.045 * (1 + 0.25 * small) * np.exp(0.15 * rng.normal(size=n))
        # Year profiles.
        tfr = np.interp(yr, [2005, 2011, 2016, 2021, 2023, 2024], [1.34, 1.39, 1.59, 1.58, 1.35,
                                                                  1.35])  # fmt: skip
        excess = np.interp(yr, [2005, 2019, 2020, 2021, 2022, 2023, 2024],
                           [0.97, 1.0, 1.05, 1.08, 1.1, 1.03, 1.02])  # fmt: skip
        refugees = np.interp(yr, [2005, 2013, 2014, 2015, 2016, 2017, 2021, 2022, 2023, 2024],
                             [-0.001, 0.001, 0.004, 0.012, 0.006, 0.003, 0.003, 0.014, 0.007,
                              0.004])  # fmt: skip

        lam_b = p0[:, None] * 0.0060 * fert[:, None] * np.exp(0.1 * tilt)[:, None] * tfr[None, :]
        lam_d = p0[:, None] * 0.0115 * mort[:, None] * np.exp(-0.1 * tilt)[:, None] * excess
        net = net_rate[:, None] + refugees[None, :]
        rate_in, rate_out = gross[:, None] + net / 2, gross[:, None] - net / 2
        prof = MIG7_PROFILE[None, None, :]
        lam_z = p0[:, None, None] * np.maximum(rate_in, 0.005)[..., None] * prof
        lam_f = p0[:, None, None] * np.maximum(rate_out, 0.005)[..., None] * prof
        births, deaths = np.empty((n, ny), np.int64), np.empty((n, ny), np.int64)
        bm, dm = np.empty((n, ny), np.int64), np.empty((n, ny), np.int64)
        self.zuz, self.fort = np.empty((n, ny, 7), np.int64), np.empty((n, ny, 7), np.int64)
        for g, sel in [(rng, core)] + [(np.random.default_rng([SEED, span[j]]), j) for j in extra]:
            births[:, sel], deaths[:, sel] = g.poisson(lam_b[:, sel]), g.poisson(lam_d[:, sel])
            bm[:, sel] = g.binomial(births[:, sel], 0.513)
            dm[:, sel] = g.binomial(deaths[:, sel], 0.49)
            self.zuz[:, sel], self.fort[:, sel] = g.poisson(lam_z[:, sel]), g.poisson(lam_f[:, sel])
        self.births = np.stack([bm, births - bm], axis=-1)
        self.deaths = np.stack([dm, deaths - dm], axis=-1)

        # Population 31.12. by the stock-flow identity, anchored on the register at ANCHOR.
        flow = births - deaths + self.zuz.sum(-1) - self.fort.sum(-1)
        pop = np.empty((n, ny), dtype=np.int64)
        a = span.index(ANCHOR)
        pop[:, a] = r.pop0
        for j in range(a + 1, ny):
            pop[:, j] = pop[:, j - 1] + flow[:, j]
        for j in range(a - 1, -1, -1):
            pop[:, j] = pop[:, j + 1] - flow[:, j + 1]
        keep = [span.index(y) for y in years]
        self.pop = np.maximum(pop, 1)[:, keep]
        self.births, self.deaths = self.births[:, keep], self.deaths[:, keep]
        self.zuz, self.fort = self.zuz[:, keep], self.fort[:, keep]
        yr = np.array(years)
        n, ny = r.n, len(years)
        male_share = r.male0 / r.pop0  # the register's share of 31.12.2020, kept over the years
        self.male = np.round(self.pop * male_share[:, None]).astype(np.int64)

        # Age groups: Germany-like shares tilted per unit, ageing over time.
        base = AGE17_DG / AGE17_DG.sum()
        age = np.log(base)[None, None, :] + (
            0.25 * tilt[:, None, None] * ((42 - AGE17_MID) / 40)[None, None, :]
            + 0.012 * (yr - 2015)[None, :, None] * ((AGE17_MID - 42) / 40)[None, None, :]
            + 0.06 * rng.normal(size=(n, 1, 17))
        )
        w = np.exp(age)
        sexes = []
        for s, tot in ((MALE17, self.male), (1 - MALE17, self.pop - self.male)):
            ws = (w * s[None, None, :]).reshape(n * ny, 17)
            sexes.append(largest_remainder(ws, tot.reshape(-1)).reshape(n, ny, 17))
        self.age = np.stack(sexes, axis=2)  # (unit, year, sex, group)
        self.years = years
        self.area_ha = r.area_ha


def area_sum(x: np.ndarray, members: np.ndarray | int) -> np.ndarray:
    """Sum over the member units (mask) or one unit's values (index)."""
    return x[members] if isinstance(members, int) else x[members].sum(axis=0)


def migration(f: Figures, members, level: str, kreisfrei: bool) -> tuple[np.ndarray, ...]:
    """(Zuzüge, Fortzüge) of an area by year and 7 groups, without moves inside the area."""
    z, o = area_sum(f.zuz, members), area_sum(f.fort, members)
    inner = {"gemeinde": 0.0, "kreis": 0.0 if kreisfrei else 0.3, "regbez": 0.45,
             "land": 0.55, "staat": 0.75}[level]  # fmt: skip
    i = np.floor(inner * np.minimum(z, o)).astype(np.int64)
    return z - i, o - i


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------
def cells(values: np.ndarray, zero: str = "0") -> list[str]:
    """2-D int array -> one ';'-joined string per row (vectorised str conversion)."""
    s = values.astype(np.int64).astype(str)
    if zero != "0":
        s = np.where(values == 0, zero, s)
    return [";".join(row) for row in s.tolist()]


def write(path: Path, lines: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding, errors="replace"))
    return path


def rs_file(out: Path, table: str, title: list[str], head: list[list[str]], labels: list[str],
            body: list[str], name: str | None = None) -> Path:  # fmt: skip
    """Classic Regionalstatistik GENESIS CSV (UTF-8), like fis/demo/generate.py writes it."""
    sep = ";" * (1 + len(head[0]))
    lines = [f"GENESIS-Tabelle: {table}", *(t + sep for t in title)]
    lines += [";;" + ";".join(h) for h in head]
    lines += [f"{lab};{b}" for lab, b in zip(labels, body, strict=True)]
    lines += ["__________", '"zu ""gesamte Tabelle"":', f'{MARK}, benchmarks/scale.py"',
              *COPYRIGHT_RS, STAND_RS]  # fmt: skip
    return write(out / (name or f"regionalstatistik_{table}_scale.csv"), lines, "utf-8")


def ldb_file(out: Path, table: str, title: str, head: list[list[str]], lines_body: list[str],
             note: str = "") -> Path:  # fmt: skip
    """Landesdatenbank NRW layout (ISO-8859-1): period;key;name;values."""
    lines = [f"Tabelle: {table}", f"{title} ({MARK})" + ";" * (2 + len(head[0]))]
    lines += [";;;" + ";".join(h) for h in head]
    lines += lines_body
    lines += ["__________", f'"{MARK}, benchmarks/scale.py.', f'{note}"', COPYRIGHT_LDB, STAND_LDB]
    return write(out / f"ldbnrw_{table}_scale.csv", lines, "latin-1")


def label(key: str, name: str, level: str) -> str:
    return f"{key};{' ' * INDENT[level]}{name}"


class Writer:
    def __init__(self, r: Regions, f: Figures, out: Path, only: set[int] | None = None) -> None:
        self.r, self.f, self.out = r, f, out
        # Indices of the years written (all, or those of --only-years), newest first / oldest first.
        self.desc = [j for j in range(len(f.years)) if not only or f.years[j] in only][::-1]
        self.asc = self.desc[::-1]
        self.stats: list[tuple[Path, int]] = []

    def _done(self, path: Path, n_cells: int) -> None:
        self.stats.append((path, n_cells))

    def pop_by_sex(self) -> None:
        f, rows = self.f, self.r.rows()
        years = [f.years[j] for j in self.desc]
        head = [[f"31.12.{y}" for y in years for _ in SEXES], [s for _ in years for s in SEXES]]
        mat = np.empty((len(rows), len(years), 3), dtype=np.int64)
        for i, (_, _, _, m) in enumerate(rows):
            p, ma = area_sum(f.pop, m)[self.desc], area_sum(f.male, m)[self.desc]
            mat[i] = np.stack([p, ma, p - ma], axis=-1)
        path = rs_file(
            self.out, "12411-01-01-5",
            ["Bevölkerungsstand: Bevölkerung nach Geschlecht", "- Stichtag 31.12. -",
             "regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden",
             "Fortschreibung des Bevölkerungsstandes", "Bevölkerungsstand (Anzahl)"],
            head, [label(*r[:3]) for r in rows], cells(mat.reshape(len(rows), -1)),
        )  # fmt: skip
        self._done(path, mat.size)

    def pop_by_age(self) -> None:
        f, rows = self.f, self.r.rows()
        years = [f.years[j] for j in self.desc]
        per_year = 3 * 18
        labs = [*AGE17_LABELS, "Insgesamt"]
        head = [
            [f"31.12.{y}" for y in years for _ in range(per_year)],
            [s for _ in years for s in SEXES for _ in labs],
            ["Altersgruppen (unter 3 bis 75 u.m.)"] * (per_year * len(years)),
            [lab for _ in years for _ in SEXES for lab in labs],
        ]
        body = []
        for i0 in range(0, len(rows), 2000):  # blocks of rows: bounded memory for strings
            block = rows[i0 : i0 + 2000]
            mat = np.empty((len(block), len(years), 3, 18), dtype=np.int64)
            for i, (_, _, _, m) in enumerate(block):
                a = area_sum(f.age, m)[self.desc]  # (year, sex, 17)
                tot = a.sum(axis=1)  # Insgesamt
                g = np.stack([tot, a[:, 0], a[:, 1]], axis=1)  # (year, 3, 17)
                mat[i] = np.concatenate([g, g.sum(-1, keepdims=True)], axis=-1)
            body += cells(mat.reshape(len(block), -1))
        path = rs_file(
            self.out, "12411-02-03-5",
            ["Bevölkerungsstand: Bevölkerung nach Geschlecht",
             "und Altersgruppen (17) - Stichtag 31.12. -",
             "regionale Tiefe: Gemeinden, Samt-/Verbandsgemeinden",
             "Fortschreibung des Bevölkerungsstandes", "Bevölkerungsstand (Anzahl)"],
            head, [label(*r[:3]) for r in rows], body,
        )  # fmt: skip
        self._done(path, len(rows) * len(years) * per_year)

    def births_b(self) -> None:
        """12612-01-01-5-B: units only, 8-digit keys (kreisfreie Städte as xxxxx000)."""
        f, r = self.f, self.r
        idx = np.flatnonzero(r.chosen_units)
        years = [f.years[j] for j in self.desc]
        b = f.births[idx][:, self.desc]  # (unit, year, 2)
        mat = np.stack([b.sum(-1), b[..., 0], b[..., 1]], axis=-1).reshape(len(idx), -1)
        labels = [f"{r.key[i] + '000' if r.kreisfrei[i] else r.key[i]};{r.name[i]}" for i in idx]
        path = rs_file(
            self.out, "12612-01-01-5-B",
            ["Geburten: Lebendgeborene nach Geschlecht - Jahressumme -", "regionale Ebenen",
             "Statistik der Geburten", "Lebendgeborene (Anzahl)"],
            [[str(y) for y in years for _ in SEXES], [s for _ in years for s in SEXES]],
            labels, cells(mat, "-"),
        )  # fmt: skip
        self._done(path, mat.size)

    def _ldb_rows(self, period: str, values) -> tuple[list[str], int]:
        """Rows for every year (oldest first) and region; values(members, level, kf) ->
        (year, k) int array."""
        rows = [(k, n, lv, m) for k, n, lv, m in self.r.rows(with_dg=False)]
        kreisfrei = set(self.r.key[self.r.kreisfrei])
        per_region = [values(m, lv, lv == "kreis" and k in kreisfrei) for k, _, lv, m in rows]
        mat = np.stack(per_region, axis=1)[self.asc]  # (year, region, k)
        ny, nr, k = mat.shape
        strs = cells(mat.reshape(ny * nr, k), "-")
        labels = [label(*r[:3]) for r in rows]
        out = [
            f"{period.format(y=self.f.years[jy])};{labels[i]};{strs[j * nr + i]}"
            for j, jy in enumerate(self.asc)
            for i in range(nr)
        ]
        return out, mat.size

    def ldb_vital(self, which: str) -> None:
        if which == "births":
            table, stat, arr = "12612-01i", "Statistik der Geburten", self.f.births
            title = "Lebendgeborene nach Geschlecht - Gemeinden - Jahr"
        else:
            table, stat, arr = "12613-01i", "Statistik der Sterbefälle", self.f.deaths
            title = "Gestorbene nach Geschlecht - Gemeinden - Jahr"

        def values(m, lv, kf):
            a = area_sum(arr, m)
            return np.stack([a.sum(-1), a[:, 0], a[:, 1]], axis=-1)

        body, n = self._ldb_rows("{y}", values)
        head = [[stat] * 3, list(SEXES), ["Anzahl"] * 3]
        self._done(ldb_file(self.out, table, title, head, body), n)

    def ldb_migration(self) -> None:
        def values(m, lv, kf):
            z, o = migration(self.f, m, lv, kf)
            return np.concatenate([z.sum(-1, keepdims=True), z, o.sum(-1, keepdims=True), o], 1)

        labs = ["Insgesamt", *AGE7_LABELS]
        head = [
            ["Zuzüge über die Gemeindegrenzen"] * 8 + ["Fortzüge über die Gemeindegrenzen"] * 8,
            labs + labs,
            ["Anzahl"] * 16,
        ]
        body, n = self._ldb_rows("{y}", values)
        title = "Zu- und Fortzüge über die Gemeindegrenzen nach Altersgruppen - Gemeinden - Jahr"
        self._done(ldb_file(self.out, "12711-01i", title, head, body,
                            "Kreise, Länder: ohne Umzüge innerhalb des Gebiets."), n)  # fmt: skip

    def ldb_area(self) -> None:
        """12411-15i: population, area (qkm, 2 decimals) and density (1 decimal)."""
        f = self.f
        rows = self.r.rows(with_dg=False)
        pops = np.stack([area_sum(f.pop, m) for *_, m in rows], axis=1)[self.asc]  # (year, region)
        area = np.array([self.r.area_of[k] for k, *_ in rows])  # hectares = km²/100
        dens10 = np.floor(pops * 1000 / area[None, :] + 0.5).astype(np.int64)  # EW/qkm × 10
        a_str = np.char.add(np.char.add((area // 100).astype(str), ","),
                            np.char.zfill((area % 100).astype(str), 2))  # fmt: skip
        d_str = np.char.add(np.char.add((dens10 // 10).astype(str), ","), (dens10 % 10).astype(str))
        p_str = pops.astype(str)
        labels = [label(*r[:3]) for r in rows]
        body = [
            f"31.12.{f.years[jy]};{labels[i]};{p_str[j, i]};{a_str[i]};{d_str[j, i]}"
            for j, jy in enumerate(self.asc)
            for i in range(len(rows))
        ]
        title = "Katasterfläche (qkm), Bevölkerung und Bevölkerungsdichte - Stichtag - Gemeinden"
        self._done(ldb_file(self.out, "12411-15i", title, HEAD_12411_15I, body), pops.size * 3)


def generate(out: Path, n_years: int = 20, share: float = 1.0, register: Path = REGISTER,
             last_year: int = 2024, only_years: set[int] | None = None):  # fmt: skip
    """Write the scale exports into `out`; returns [(path, cells)] and prints a summary.

    Figures are made for the `n_years` years up to `last_year`; with `only_years` every table
    writes only the periods of those years (same values as the full run)."""
    out.mkdir(parents=True, exist_ok=True)
    years = list(range(last_year - n_years + 1, last_year + 1))
    t0 = time.perf_counter()
    r = Regions(register, share)
    f = Figures(r, years)
    t1 = time.perf_counter()
    print(f"register {register.name}: {r.n} units (inhabited Gemeinden + kreisfreie Städte), "
          f"{len(r.rows())} rows written per period; figures {t1 - t0:.1f} s")  # fmt: skip
    w = Writer(r, f, out, only_years)
    for step in (w.pop_by_sex, w.pop_by_age, w.births_b, lambda: w.ldb_vital("births"),
                 lambda: w.ldb_vital("deaths"), w.ldb_migration, w.ldb_area):  # fmt: skip
        t = time.perf_counter()
        step()
        p, n = w.stats[-1]
        print(f"  {p.name:45s} {n:>11,d} cells {p.stat().st_size / 1e6:8.1f} MB "
              f"{time.perf_counter() - t:6.1f} s")  # fmt: skip
    write_all(r, f, out, only_years, MARK, SEED, w.stats)  # the demo exports as templates
    (out / ".register-path.txt").write_text(  # a dot file: refresh skips it
        f"Register (not copied): {register}\nPass it to fis refresh next to this folder:\n"
        f"  fis --project PROJ refresh {register} {out}\n", encoding="utf-8")  # fmt: skip
    total_cells = sum(n for _, n in w.stats)
    total_mb = sum(p.stat().st_size for p, _ in w.stats) / 1e6
    only = f" (written: {min(only_years)}-{max(only_years)})" if only_years else ""
    print(f"{len(w.stats)} files, {total_cells:,d} cells, {total_mb:.1f} MB, years "
          f"{years[0]}-{years[-1]}{only}, share {share}: {time.perf_counter() - t0:.1f} s")  # fmt: skip
    return w.stats


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/fis-scale"), help="output folder")
    ap.add_argument("--years", type=int, default=20, help="number of years up to --last-year")
    ap.add_argument("--last-year", type=int, default=2024, help="last year of the figures")
    ap.add_argument("--only-years", default=None, metavar="Y[-Y]",
                    help="write only these years' periods (e.g. 2024 or 2023-2024)")  # fmt: skip
    ap.add_argument("--share", type=float, default=1.0, help="share of Kreise (0.1: every 10th)")
    ap.add_argument("--register", type=Path, default=REGISTER, help="GV100AD file")
    a = ap.parse_args(argv)
    if not 0 < a.share <= 1 or a.years < 1:
        ap.error("--share must be in (0, 1], --years >= 1")
    if a.out.resolve().is_relative_to(ROOT):
        ap.error(f"--out must be outside the repository {ROOT}")
    only = None
    if a.only_years:
        m = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", a.only_years)
        if not m:
            ap.error("--only-years: a year or a range such as 2023-2024")
        only = set(range(int(m[1]), int(m[2] or m[1]) + 1))
        if not only <= set(range(a.last_year - a.years + 1, a.last_year + 1)):
            ap.error("--only-years must lie within the generated years")
    generate(a.out, a.years, a.share, a.register, a.last_year, only)
    return 0


if __name__ == "__main__":
    sys.exit(main())
