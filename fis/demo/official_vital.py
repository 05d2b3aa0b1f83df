"""Demo exports of births (age of the mother, legitimacy, birth order), infant deaths,
marriages and divorces: Landesdatenbank NRW tables 12612, 12613, 12611, 12631."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fis.demo import generate as gen
from fis.demo.generate import KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    ROWS_GEM,
    ROWS_KREIS,
    Ctx,
    cnt,
    dec,
    gem_values,
    ldb,
    ldb_rows,
    noisy,
    pois,
    rng,
    trend,
)

MOTHER_AGE = [("unter 20 Jahre", 0, 20), ("20 bis unter 25 Jahre", 20, 25),
              ("25 bis unter 30 Jahre", 25, 30), ("30 bis unter 35 Jahre", 30, 35),
              ("35 bis unter 40 Jahre", 35, 40), ("40 bis unter 45 Jahre", 40, 45),
              ("45 Jahre und mehr", 45, 91)]  # fmt: skip
LEVEL = {"05": 1.0, "059": 1.0, KREIS: 1.0}


def births_by_mother_age(ctx: Ctx, key: str, y: int) -> np.ndarray:
    """Live births of `key` in `y` by the 7 age classes of the mother (sum = all births)."""
    women = ctx.ages[key][y - 1][1].astype(float)  # women at the start of the year
    mu = 30.2 + 0.075 * (y - 2008) + {"05": 0.1, "059": 0.0, KREIS: -0.2}[key]
    a = np.arange(91) + 0.5
    asfr = np.exp(-0.5 * ((a - mu) / 5.5) ** 2) * (a >= 14) * (a < 50)
    asfr += 0.004 * np.exp(-0.5 * ((a - 18) / 2.0) ** 2)  # teenage births
    w = [(asfr * women)[lo:hi].sum() for _, lo, hi in MOTHER_AGE]
    return gen.apportion(w, ctx.births(key, y))


def write_mother_age(ctx: Ctx, out: Path) -> Path:
    labels = ["Insgesamt", *(g for g, *_ in MOTHER_AGE)]
    head = [["Statistik der Geburten"] * 8, labels, ["Anzahl"] * 8]

    def cells(k, y):
        b = births_by_mother_age(ctx, k, y)
        return [cnt(v) for v in [b.sum(), *b]]

    return ldb(
        out, "12612-03i",
        "Lebendgeborene nach Altersgruppen der Mutter - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, cells),
        ["", "Alter der Mutter: Differenz zwischen Geburtsjahr des",
         "Kindes und Geburtsjahr der Mutter. Unter 20 Jahre",
         "einschließlich der (wenigen) Mütter unter 15 Jahren."],
    )  # fmt: skip


def write_legitimacy(ctx: Ctx, out: Path) -> Path:
    r = rng("12612-04i")
    unmarried = {"05": (0.268, 0.335), "059": (0.262, 0.328), KREIS: (0.218, 0.298)}
    first_age = {"05": (29.0, 30.5), "059": (28.9, 30.4), KREIS: (28.7, 30.2)}
    head = [
        ["Statistik der Geburten"] * 6,
        ["Insgesamt", "ehelich", "nicht ehelich", "1. Kind der Mutter",
         "Alter der Mutter bei Geburt des 1. Kindes", "Alter der Mutter bei Geburt des 1. Kindes"],
        ["Anzahl", "Anzahl", "Anzahl", "Anzahl", "Summe Jahre", "Durchschnitt Jahre"],
    ]  # fmt: skip
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            t = (y - 2008) / 16
            b = ctx.births(k, y)
            u0, u1 = unmarried[k]
            ne = int(round(noisy(r, b * (u0 + (u1 - u0) * t), 0.03)))
            first = int(round(noisy(r, b * (0.478 if k != KREIS else 0.462), 0.025)))
            a0, a1 = first_age[k]
            mean = a0 + (a1 - a0) * t + 0.12 * r.normal()
            s = int(round(first * mean))
            avg = "x" if (k, y) == ("059", 2008) else dec(s / first)  # "x": see the note
            vals[(k, y)] = [cnt(b), cnt(b - ne), cnt(ne), cnt(first), str(s), avg]
    return ldb(
        out, "12612-04i",
        "Lebendgeborene nach Legitimität und Geburtenfolge, Alter der Mutter bei Geburt des"
        " 1. Kindes - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, lambda k, y: vals[(k, y)]),
        ["", "1. Kind der Mutter: biologische Geburtenfolge (alle",
         "Kinder der Mutter, ab 2009 unabhängig vom Familienstand).",
         "Summe Jahre: Summe der Alter der Mütter (nur Demodaten),",
         "Durchschnitt = Summe / Lebendgeborene als 1. Kind.",
         "x: Durchschnittsalter 2008 für den Regierungsbezirk",
         "nicht sinnvoll (Geburtenfolge 2008 nur für eheliche",
         "Kinder erfasst)."],
    )  # fmt: skip


def write_infant_deaths(ctx: Ctx, out: Path) -> Path:
    r = rng("12613-02i")
    rate = {"05": 0.0041, "059": 0.0039, KREIS: 0.0034}
    head = [["Statistik der Sterbefälle"] * 3, ["Insgesamt", "männlich", "weiblich"],
            ["Anzahl"] * 3]  # fmt: skip
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            n = pois(r, ctx.births(k, y) * rate[k] * (1 - 0.01 * (y - 2008)))
            m = int(r.binomial(n, 0.56))
            vals[(k, y)] = [cnt(n), cnt(m), cnt(n - m)]
    return ldb(
        out, "12613-02i",
        "Gestorbene im ersten Lebensjahr nach Geschlecht - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, lambda k, y: vals[(k, y)]),
        ["", "Gestorbene Säuglinge (unter 1 Jahr) nach dem Wohnort",
         "der Mutter."],
    )  # fmt: skip


def write_marriages(ctx: Ctx, out: Path) -> Path:
    r = rng("12611-01i")
    per_1000 = {2008: 4.6, 2012: 4.7, 2018: 5.1, 2019: 5.0, 2020: 3.9, 2021: 4.1, 2022: 4.9,
                2023: 4.6, 2024: 4.5}  # fmt: skip
    place = {"uni": 1.55, "town": 0.82, "rural": 0.86, "05": 1.0, "059": 0.98}
    vals = {}
    for y in YEARS:
        rate = trend(per_1000, y) / 1000
        g = gem_values(lambda k, y=y, rate=rate: noisy(r, ctx.fig[k].pop[y] * rate
                                                       * place[KIND[k]], 0.07))  # fmt: skip
        for k in ("05", "059"):
            g[k] = int(round(noisy(r, ctx.fig[k].pop[y] / 1000 * trend(per_1000, y) * place[k],
                                   0.01)))  # fmt: skip
        for k, v in g.items():
            vals[(k, y)] = v
    head = [["Statistik der Eheschließungen"], ["Eheschließungen"], ["Anzahl"]]
    return ldb(
        out, "12611-01i", "Eheschließungen - Gemeinden - Jahr", head,
        ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(vals[(k, y)])]),
        ["", "Nachweis nach dem Ort der Eheschließung (Standesamt),",
         "ab Oktober 2017 einschließlich der Ehen gleichgeschlechtlicher",
         "Paare."],
    )  # fmt: skip


def write_divorces(ctx: Ctx, out: Path) -> Path:
    r = rng("12631-01i")
    per_1000 = {2008: 2.35, 2012: 2.2, 2016: 1.98, 2020: 1.82, 2024: 1.62}
    level = {"05": 1.06, "059": 1.03, KREIS: 0.94}
    head = [["Statistik der rechtskräftigen Beschlüsse in Eheauflösungssachen"] * 2,
            ["Ehescheidungen", "betroffene minderjährige Kinder"], ["Anzahl"] * 2]  # fmt: skip
    vals = {}
    for k in ROWS_KREIS:
        for y in YEARS:
            d = int(round(noisy(r, ctx.fig[k].pop[y] / 1000 * trend(per_1000, y) * level[k],
                                0.04)))  # fmt: skip
            kids = int(round(noisy(r, d * (0.80 - 0.006 * (y - 2008)), 0.04)))
            vals[(k, y)] = [cnt(d), cnt(kids)]
    return ldb(
        out, "12631-01i",
        "Ehescheidungen und von der Scheidung ihrer Eltern betroffene minderjährige Kinder"
        " - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, lambda k, y: vals[(k, y)]),
        ["", "Nachweis nach dem Wohnort der Ehegatten (Familiengericht)."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_mother_age(ctx, out),
        write_legitimacy(ctx, out),
        write_infant_deaths(ctx, out),
        write_marriages(ctx, out),
        write_divorces(ctx, out),
    ]
