"""Demo exports: population by age classes (single years under 30), mean/median age, annual average,
nationality, the IT.NRW Gemeindemodellrechnung, naturalisations and protection seekers."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fis.demo.generate import DEMO_MARK, GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    N_SINGLE,
    ROWS_GEM,
    ROWS_KREIS,
    Ctx,
    cnt,
    dec,
    ldb,
    ldb_rows,
    noisy,
    regionalstatistik,
    rng,
    trend,
)

# Age classes of 12411-03i: single years under 30, then five-year groups, 90 and older.
AGE_CLASSES = [("unter 1 Jahr", 0, 1), ("1 Jahr", 1, 2)]
AGE_CLASSES += [(f"{a} Jahre", a, a + 1) for a in range(2, 30)]
AGE_CLASSES += [(f"{a} bis unter {a + 5} Jahre", a, a + 5) for a in range(30, 90, 5)]
AGE_CLASSES.append(("90 Jahre und mehr", 90, N_SINGLE))
STAT_POP = "Bevölkerungsstand"


def age_class_labels(sex: str, lo: int = 0, hi: int = N_SINGLE) -> list[str]:
    """Labels of 12411-03i (as the reader joins them) of the classes within [lo, hi)."""
    return [f"{STAT_POP} | {sex} | {c} | Anzahl" for c, a, b in AGE_CLASSES if a >= lo and b <= hi]


def write_age_classes(ctx: Ctx, out: Path) -> Path:
    sexes = ("männlich", "weiblich")
    n = len(AGE_CLASSES)
    head = [
        [STAT_POP] * (2 * n),
        [s for s in sexes for _ in AGE_CLASSES],
        [c for _ in sexes for c, *_ in AGE_CLASSES],
        ["Anzahl"] * (2 * n),
    ]

    def cells(k, y):
        a = ctx.ages[k][y]
        return [cnt(a[s, lo:hi].sum()) for s in (0, 1) for _, lo, hi in AGE_CLASSES]

    rows = ldb_rows(ROWS_GEM, YEARS, cells, "31.12.{y}")
    return ldb(
        out, "12411-03i",
        "Bevölkerung nach Geschlecht, Altersjahren (unter 30) und Altersgruppen - Stichtag"
        " - Gemeinden",
        head, rows,
        ["", "Altersjahre 0 bis 29, danach Fünfjahresgruppen bis 90",
         "Jahre und mehr. Die Summen entsprechen den 17 Alters-",
         "gruppen der Regionalstatistik 12411-02-03-5 (Demodaten)."],
    )  # fmt: skip


def _mean_median(a: np.ndarray) -> tuple[float, float, float]:
    """(sum of ages, mean, median) of a (2, 91) single-age array; 90+ counts as 93 years."""
    n = a.sum(axis=0).astype(float)
    mid = np.arange(N_SINGLE) + 0.5
    mid[-1] = 93.0
    s = float((n * mid).sum())
    cum = np.cumsum(n)
    half = n.sum() / 2
    i = int(np.searchsorted(cum, half))
    before = cum[i - 1] if i else 0.0
    median = i + (half - before) / n[i]
    return s, s / n.sum(), median


def write_mean_age(ctx: Ctx, out: Path) -> Path:
    head = [["Durchschnittsalter", "Medianalter"], ["Insgesamt"] * 2, ["Jahre"] * 2]

    def cells(k, y):
        _, mean, med = _mean_median(ctx.ages[k][y])
        return [dec(mean), dec(med)]

    return ldb(
        out, "12411-05i",
        "Durchschnittsalter und Medianalter der Bevölkerung - Stichtag - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "31.12.{y}"),
        ["", "Aus Einzelaltersjahren: Alter in vollendeten Jahren + 0,5.",
         "Medianalter: das Alter, das die Bevölkerung in zwei gleich",
         "große Hälften teilt (linear interpoliert)."],
    )  # fmt: skip


def write_annual_average(ctx: Ctx, out: Path) -> Path:
    head = [["Durchschnittliche Bevölkerung"], ["Insgesamt"], ["Anzahl"]]
    vals = {}
    for y in YEARS:
        for k in ["05", "059", *GEMEINDE_KEYS]:
            f = ctx.fig[k]
            vals[(k, y)] = (int(round((f.pop[y - 1] + f.pop[y]) / 2)),)
        vals[(KREIS, y)] = (sum(vals[(k, y)][0] for k in GEMEINDE_KEYS),)
    return ldb(
        out, "12411-12i",
        "Durchschnittliche Bevölkerung (Jahresdurchschnitt) - Gemeinden - Jahr",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [str(v) for v in vals[(k, y)]]),
        ["", "Jahresdurchschnitt: Mittel der Bestände am 31.12. des",
         "Vorjahres und des Berichtsjahres."],
    )  # fmt: skip


# Foreigners: share of the population (assumption) and relative share by age group.
FOREIGN = {"uni": 0.095, "town": 0.058, "rural": 0.047, "059": 0.088, "05": 0.105}
FOREIGN_ADD = {2008: 0.0, 2014: 0.008, 2016: 0.030, 2021: 0.042, 2022: 0.060, 2024: 0.068}
FOREIGN_AGE = [("unter 15 Jahre", 0, 15, 0.85), ("15 bis unter 18 Jahre", 15, 18, 1.0),
               ("18 bis unter 65 Jahre", 18, 65, 1.28), ("65 Jahre und mehr", 65, None, 0.30)]  # fmt: skip


def foreigners(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """Foreigners by the four age groups, per key and year (cached: naturalisations use it)."""
    if "foreign" in ctx.cache:
        return ctx.cache["foreign"]
    r = rng("12411-08i")
    res = {}
    for k in ["05", "059", *GEMEINDE_KEYS]:
        level = FOREIGN[KIND.get(k, k)] * (1 + 0.15 * r.normal())
        extra = 1.3 if k == "05970040" else 1.0
        for y in YEARS:
            share = level + trend(FOREIGN_ADD, y) * extra
            base = [ctx.pop(k, y, lo, hi) * f for _, lo, hi, f in FOREIGN_AGE]
            scale = share * ctx.total(k, y) / sum(base)
            res[(k, y)] = [int(round(noisy(r, b * scale, 0.01))) for b in base]
    for y in YEARS:
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(4)]
    ctx.cache["foreign"] = res
    return res


def write_nationality(ctx: Ctx, out: Path) -> Path:
    fr = foreigners(ctx)
    groups = ["Insgesamt", *(g for g, *_ in FOREIGN_AGE)]
    head = [
        ["Fortschreibung des Bevölkerungsstandes"] * 6,
        ["Deutsche", *["Ausländer/-innen"] * 5],
        groups[:1] + groups,
        ["Anzahl"] * 6,
    ]

    def cells(k, y):
        total = int(round(ctx.pop(k, y)))
        a = fr[(k, y)]
        return [cnt(total - sum(a)), *(cnt(v) for v in [sum(a), *a])]

    return ldb(
        out, "12411-08i",
        "Bevölkerung nach Nationalität und Altersgruppen - Stichtag - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "31.12.{y}"),
        ["", "Ausländer/-innen: Personen ohne deutsche",
         "Staatsangehörigkeit (einschl. Staatenlose)."],
    )  # fmt: skip


# Gemeindemodellrechnung 2021-2040: change of the total and of the under 18-year-olds.
PROG = {"uni": (-0.015, 0.00), "town": (-0.075, -0.085), "rural": (-0.125, -0.12),
        "059": (-0.045, -0.02), "05": (0.004, 0.015)}  # fmt: skip
PROG_GROUPS = [("Insgesamt", 0, None), ("unter 18 Jahre", 0, 18),
               ("18 bis unter 65 Jahre", 18, 65), ("65 Jahre und mehr", 65, None)]  # fmt: skip


def write_projection(ctx: Ctx, out: Path) -> Path:
    r = rng("12421-01i")
    base_year, target = 2021, 2040
    vals: dict[str, list[int]] = {}
    for k in ["05", "059", *GEMEINDE_KEYS]:
        tot, u18 = PROG[KIND.get(k, k)]
        tot, u18 = tot + 0.015 * r.normal(), u18 + 0.02 * r.normal()
        base = [int(round(ctx.pop(k, base_year, lo, hi))) for _, lo, hi in PROG_GROUPS]
        p_u18 = base[1] * (1 + u18)
        p_65 = base[3] * (1.17 + 0.03 * r.normal())  # the baby boomers reach 65
        p_tot = base[0] * (1 + tot)
        proj = [p_tot, p_u18, p_tot - p_u18 - p_65, p_65]
        vals[k] = base + [int(round(v)) for v in proj]
        vals[k][4] = sum(vals[k][5:])  # the projected total is the sum of its age groups
    vals[KREIS] = [sum(vals[k][i] for k in GEMEINDE_KEYS) for i in range(8)]
    head = [
        [f"Bevölkerung am 31.12.{base_year} (Basis)"] * 4
        + [f"Bevölkerung im Zieljahr {target}"] * 4,
        [g for g, *_ in PROG_GROUPS] * 2,
        ["Personen"] * 8,
    ]
    title = (f"Gemeindemodellrechnung {base_year} bis {target}: Bevölkerung nach Altersgruppen,"
             f" Basisjahr {base_year}, Zieljahr {target} - Gemeinden")  # fmt: skip
    rows = ldb_rows(ROWS_GEM, [base_year], lambda k, y: [str(v) for v in vals[k]])
    return ldb(
        out, "12421-01i", title, head, rows,
        ["", f"Die Zeitangabe ist das Basisjahr der Modellrechnung ({base_year}),",
         f"die Spalten ,Zieljahr {target}' geben die vorausberechneten",
         "Einwohner. Annahmen zu Geburten, Sterblichkeit und",
         "Wanderungen: Demodaten."],
    )  # fmt: skip


def write_naturalisations(ctx: Ctx, out: Path) -> Path:
    r = rng("12511-01i")
    fr = foreigners(ctx)
    rate = {2008: 0.017, 2012: 0.015, 2015: 0.013, 2019: 0.016, 2021: 0.019, 2022: 0.022,
            2023: 0.026, 2024: 0.031}  # fmt: skip
    level = {"05": 1.0, "059": 0.95, KREIS: 1.06}
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            n = int(round(noisy(r, sum(fr[(k, y - 1 if y > 2008 else y)]) * trend(rate, y)
                                * level[k], 0.04)))  # fmt: skip
            vals[(k, y)] = [n, int(round(n * (0.28 + 0.03 * r.normal())))]
    head = [["Einbürgerungsstatistik"] * 2, ["Einbürgerungen", "darunter: Miteinbürgerungen"],
            ["Anzahl"] * 2]  # fmt: skip
    return ldb(
        out, "12511-01i", "Einbürgerungen - Kreise - Jahr", head,
        ldb_rows(ROWS_KREIS, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Nachweis nach dem Wohnort der Eingebürgerten, nur",
         "Kreise und kreisfreie Städte."],
    )  # fmt: skip


def write_protection_seekers(ctx: Ctx, out: Path) -> Path:
    r = rng("12531-01-01-4")
    per_1000 = {2008: 4.6, 2014: 6.8, 2015: 13.5, 2016: 19.5, 2017: 21.0, 2019: 21.5,
                2021: 22.5, 2022: 35.0, 2023: 38.0, 2024: 38.5}  # fmt: skip
    level = {"DG": 1.10, "05": 1.12, "059": 1.02, KREIS: 1.0}
    vals = {}
    for k in ("DG", *ROWS_KREIS):
        for y in YEARS:
            n = noisy(r, ctx.fig[k].pop[y] / 1000 * trend(per_1000, y) * level[k], 0.02)
            share_open = 0.22 if y < 2015 else (0.55 if y < 2017 else (0.30 if y < 2022 else 0.22))
            open_ = int(round(n * share_open))
            n = int(round(n))
            vals[(k, y)] = [n, open_, n - open_]
    labels = ["Insgesamt", "Schutzstatus offen", "Schutzstatus anerkannt oder abgelehnt"]
    return regionalstatistik(
        out, "12531-01-01-4",
        ["Schutzsuchende nach Schutzstatus - Stichtag 31.12. -",
         f"regionale Tiefe: Kreise und krfr. Städte ({DEMO_MARK})",
         "Statistik über Schutzsuchende", "Schutzsuchende (Anzahl)"],
        [f"31.12.{y}" for y in reversed(YEARS)], labels,
        lambda k, p: [cnt(v) for v in vals[(k, int(p[-4:]))]],
        ["DG", *ROWS_KREIS],
        ["Schutzsuchende: Ausländer/-innen, die sich unter Berufung",
         "auf humanitäre Gründe in Deutschland aufhalten (AZR)."],
        "10:11:02",
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_age_classes(ctx, out),
        write_mean_age(ctx, out),
        write_annual_average(ctx, out),
        write_nationality(ctx, out),
        write_projection(ctx, out),
        write_naturalisations(ctx, out),
        write_protection_seekers(ctx, out),
    ]
