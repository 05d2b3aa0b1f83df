"""Demo exports of employment (BA-Beschäftigungsstatistik, LDB 13111), unemployment
(BA-Arbeitslosenstatistik, LDB 13211) and parental allowance (Elterngeldstatistik 22922)."""

from __future__ import annotations

from pathlib import Path

from fis.demo.generate import DEMO_MARK, GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    ROWS_GEM,
    ROWS_KREIS,
    SOCIAL,
    Ctx,
    cnt,
    ldb,
    ldb_rows,
    noisy,
    regionalstatistik,
    rng,
    trend,
)

EMP = {2008: 0.505, 2012: 0.535, 2016: 0.565, 2019: 0.595, 2020: 0.590, 2024: 0.612}
EMP_W = {2008: 0.87, 2024: 0.92}  # women's rate relative to the average
EMP_PLACE = {"uni": 0.88, "town": 1.03, "rural": 1.0, "05": 0.97, "059": 0.98}
# Jobs at the workplace relative to residents in employment (Arbeitsort / Wohnort).
CENTRALITY = {
    "05970004": 1.05, "05970008": 1.12, "05970012": 1.25, "05970016": 0.72, "05970020": 0.92,
    "05970024": 1.30, "05970028": 0.88, "05970032": 0.52, "05970036": 0.78, "05970040": 1.58,
    "05970044": 0.92, "05": 1.02, "059": 0.99,
}  # fmt: skip
# Auspendler over the area's boundary, share of the residents in employment.
OUT_SHARE = {"uni": 0.40, "town": 0.72, "rural": 0.58, KREIS: 0.165, "059": 0.12, "05": 0.046}


def _svb_wo(ctx: Ctx, k: str, y: int, r) -> dict:
    """Residence-based employees by sex x 4 age groups and marginal employees (k not Kreis)."""
    place = EMP_PLACE[KIND.get(k, k)] * (1 + 0.03 * r.normal())
    rate = trend(EMP, y) * place
    wr = trend(EMP_W, y)
    men = ctx.pop(k, y, 15, 65, 0) * rate * (2 - wr) * (1 + 0.01 * r.normal())
    women = ctx.pop(k, y, 15, 65, 1) * rate * wr * (1 + 0.01 * r.normal())
    old = 0.010 + 0.0013 * (y - 2008)  # 65+ still employed, share of the 15-65
    s55 = 0.17 + 0.0045 * (y - 2008)
    res = {}
    for sex, v in (("Männer", men), ("Frauen", women)):
        u25 = v * (0.125 - 0.001 * (y - 2008))
        res[sex] = [int(round(x)) for x in (u25, v * (1 - s55) - u25, v * s55, v * old)]
    gb = (0.165 - 0.0022 * (y - 2008)) * (men + women)
    res["gb"] = [int(round(gb * 0.37)), int(round(gb * 0.63))]
    return res


def employment(ctx: Ctx) -> dict:
    """{(key, year): {"Männer": [4 age groups], "Frauen": [...], "gb": [m, w]}} incl. Kreis."""
    if "svb" in ctx.cache:
        return ctx.cache["svb"]
    r = rng("13111-01i")
    res = {(k, y): _svb_wo(ctx, k, y, r) for k in ["05", "059", *GEMEINDE_KEYS] for y in YEARS}
    for y in YEARS:
        res[(KREIS, y)] = {
            part: [sum(res[(k, y)][part][i] for k in GEMEINDE_KEYS) for i in range(n)]
            for part, n in (("Männer", 4), ("Frauen", 4), ("gb", 2))
        }
    ctx.cache["svb"] = res
    return res


def write_residence(ctx: Ctx, out: Path) -> Path:
    e = employment(ctx)
    sw = "Sozialversicherungspflichtig Beschäftigte am Wohnort"
    head = [
        [sw] * 7 + ["Ausschließlich geringfügig entlohnte Beschäftigte am Wohnort"],
        ["Insgesamt"] * 3 + ["Männer"] * 2 + ["Frauen"] * 2 + ["Insgesamt"],
        ["Insgesamt", "15 bis unter 65 Jahre", "65 Jahre und älter"]
        + ["Insgesamt", "15 bis unter 65 Jahre"] * 2
        + ["Insgesamt"],
        ["Anzahl"] * 8,
    ]

    def cells(k, y):
        m, w = e[(k, y)]["Männer"], e[(k, y)]["Frauen"]
        m65, w65 = sum(m[:3]), sum(w[:3])
        return [cnt(v) for v in (sum(m) + sum(w), m65 + w65, m[3] + w[3], sum(m), m65, sum(w),
                                 w65, sum(e[(k, y)]["gb"]))]  # fmt: skip

    return ldb(
        out, "13111-01i",
        "Sozialversicherungspflichtig und ausschließlich geringfügig entlohnte Beschäftigte am"
        " Wohnort nach Geschlecht und Alter - Stichtag 30.06. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "30.06.{y}"),
        ["", "Quelle: Statistik der Bundesagentur für Arbeit",
         "(Beschäftigungsstatistik), Stichtag 30. Juni."],
    )  # fmt: skip


def workplace(ctx: Ctx) -> dict:
    """{(key, year): [AO total, AO women, Einpendler, Auspendler]} incl. Kreis."""
    if "svb_ao" in ctx.cache:
        return ctx.cache["svb_ao"]
    e = employment(ctx)
    r = rng("13111-02i")
    res = {}
    for y in YEARS:
        wo = {k: sum(e[(k, y)]["Männer"]) + sum(e[(k, y)]["Frauen"]) for k in [KREIS, *ROWS_GEM]}
        for k in ["05", "059", *GEMEINDE_KEYS]:
            ao = int(round(noisy(r, wo[k] * CENTRALITY[k] * (1 + 0.002 * (y - 2008)), 0.01)))
            aw = int(round(ao * (0.428 + 0.0022 * (y - 2008) + 0.01 * r.normal())))
            res[(k, y)] = [ao, aw]
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(2)]
        for k in ROWS_GEM:
            share = OUT_SHARE[KIND.get(k, k)] * (1 + 0.04 * r.normal())
            aus = int(round(wo[k] * share))
            ein = res[(k, y)][0] - (wo[k] - aus)
            res[(k, y)] += [ein, aus]
    ctx.cache["svb_ao"] = res
    return res


def write_workplace(ctx: Ctx, out: Path) -> Path:
    w = workplace(ctx)
    head = [
        ["Sozialversicherungspflichtig Beschäftigte am Arbeitsort"] * 2
        + ["Pendler (sozialversicherungspflichtig Beschäftigte)"],
        ["Insgesamt", "Frauen", "Auspendler"],
        ["Anzahl"] * 3,
    ]

    def cells(k, y):
        ao, aw, _, aus = w[(k, y)]
        return [cnt(ao), cnt(aw), cnt(aus)]

    return ldb(
        out, "13111-02i",
        "Sozialversicherungspflichtig Beschäftigte am Arbeitsort und Pendler über die"
        " Gemeindegrenzen - Stichtag 30.06. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "30.06.{y}"),
        ["", "Pendler über die Grenze des jeweiligen Gebiets: für Kreis,",
         "Regierungsbezirk und Land nur Pendler über deren Grenzen",
         "(Pendler zwischen den Gemeinden eines Kreises sind dort",
         "keine Pendler)."],
    )  # fmt: skip


def write_kreis_employment(ctx: Ctx, out: Path) -> Path:
    e, w = employment(ctx), workplace(ctx)
    r = rng("13111-03i")
    head = [
        ["Sozialversicherungspflichtig Beschäftigte am Arbeitsort"] * 3
        + ["Sozialversicherungspflichtig Beschäftigte am Wohnort"] * 2,
        ["Frauen", "Frauen", "Frauen", "Insgesamt", "Ausländer/-innen"],
        ["Insgesamt", "Vollzeit", "Teilzeit", "Insgesamt", "Insgesamt"],
        ["Anzahl"] * 5,
    ]
    ausl = {"05": (0.082, 0.150), "059": (0.070, 0.135), KREIS: (0.058, 0.118)}

    def cells(k, y):
        aw = w[(k, y)][1]
        tz = int(round(aw * (0.405 + 0.0055 * (y - 2008) + 0.005 * r.normal())))
        wo = sum(e[(k, y)]["Männer"]) + sum(e[(k, y)]["Frauen"])
        a0, a1 = ausl[k]
        fa = int(round(wo * (a0 + (a1 - a0) * (y - 2008) / 16)))
        return [cnt(aw), cnt(aw - tz), cnt(tz), cnt(wo), cnt(fa)]

    return ldb(
        out, "13111-03i",
        "Sozialversicherungspflichtig Beschäftigte nach Arbeitszeit und Nationalität"
        " - Stichtag 30.06. - Kreise",
        head, ldb_rows(ROWS_KREIS, YEARS, cells, "30.06.{y}"),
        ["", "Arbeitszeit und Nationalität werden nur für Kreise und",
         "kreisfreie Städte nachgewiesen."],
    )  # fmt: skip


ALO = {2008: 0.043, 2009: 0.051, 2010: 0.046, 2011: 0.041, 2012: 0.040, 2013: 0.042,
       2015: 0.041, 2016: 0.040, 2017: 0.037, 2018: 0.034, 2019: 0.032, 2020: 0.041,
       2021: 0.039, 2022: 0.036, 2023: 0.040, 2024: 0.043}  # fmt: skip
ALO_PLACE = {"uni": 1.38, "town": 0.78, "rural": 0.95, "05": 1.45, "059": 1.38}


def unemployment(ctx: Ctx) -> dict:
    """{(key, year): [total, SGB III, SGB II, women, under 25]} incl. Kreis."""
    if "alo" in ctx.cache:
        return ctx.cache["alo"]
    r = rng("13211-01i")
    res = {}
    for k in ["05", "059", *GEMEINDE_KEYS]:
        place = ALO_PLACE[KIND.get(k, k)] * (SOCIAL[k] ** 0.3 if k in SOCIAL else 1.0)
        for y in YEARS:
            t = noisy(r, ctx.pop(k, y, 15, 65) * trend(ALO, y) * place, 0.04)
            sgb3 = t * (0.34 if y not in (2009, 2020) else 0.45) * (1 + 0.05 * r.normal())
            u25 = t * (0.098 + (0.015 if y == 2009 else 0.0)) * (1 + 0.05 * r.normal())
            vals = [int(round(v)) for v in (t, sgb3, t * 0.445 * (1 + 0.02 * r.normal()), u25)]
            res[(k, y)] = [vals[0], vals[1], vals[0] - vals[1], vals[2], vals[3]]
    for y in YEARS:
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(5)]
    ctx.cache["alo"] = res
    return res


def write_unemployed(ctx: Ctx, out: Path) -> Path:
    a = unemployment(ctx)
    head = [["Arbeitslose"] * 2, ["Insgesamt", "unter 25 Jahre"], ["Anzahl"] * 2]
    return ldb(
        out, "13211-01i",
        "Arbeitslose insgesamt und unter 25 Jahren - Stichtag 30.06. - Gemeinden",
        head,
        ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(a[(k, y)][i]) for i in (0, 4)], "30.06.{y}"),
        ["", "Quelle: Statistik der Bundesagentur für Arbeit, Zähltag",
         "Mitte des Monats, hier der Juni (Stichtag 30.06.)."],
    )  # fmt: skip


def write_unemployed_kreis(ctx: Ctx, out: Path) -> Path:
    a, e = unemployment(ctx), employment(ctx)
    r = rng("13211-02i")
    lza = {2008: 0.37, 2009: 0.29, 2011: 0.36, 2015: 0.40, 2019: 0.36, 2020: 0.29, 2021: 0.38,
           2022: 0.41, 2024: 0.36}  # fmt: skip
    head = [["Arbeitslose"] * 3 + ["Arbeitslosenquote", "Bezugsgröße"],
            ["Insgesamt", "Langzeitarbeitslose", "Alleinerziehende",
             "bezogen auf alle zivilen Erwerbspersonen", "alle zivilen Erwerbspersonen"],
            ["Anzahl", "Anzahl", "Anzahl", "Prozent", "Anzahl"]]  # fmt: skip

    def cells(k, y):
        t = a[(k, y)][0]
        lz = int(round(t * trend(lza, y) * (1 + 0.03 * r.normal())))
        ae = int(round(t * (0.066 - 0.0008 * (y - 2008)) * (1 + 0.04 * r.normal())))
        wo = sum(e[(k, y)]["Männer"]) + sum(e[(k, y)]["Frauen"])
        ep = int(round(wo + sum(e[(k, y)]["gb"]) + 0.10 * ctx.pop(k, y, 15, 65) + t))
        return [cnt(t), cnt(lz), cnt(ae), f"{100 * t / ep:.1f}".replace(".", ","), cnt(ep)]

    return ldb(
        out, "13211-02i",
        "Arbeitslose, Langzeitarbeitslose, Alleinerziehende und Arbeitslosenquote"
        " - Stichtag 30.06. - Kreise",
        head, ldb_rows(ROWS_KREIS, YEARS, cells, "30.06.{y}"),
        ["", "Langzeitarbeitslose: ein Jahr und länger arbeitslos.",
         "Bezugsgröße der Quote: alle zivilen Erwerbspersonen",
         "(Stand jeweils Mai des Vorjahres, Demodaten)."],
    )  # fmt: skip


def write_parental_allowance(ctx: Ctx, out: Path) -> Path:
    r = rng("22922-01-02-4")
    years = [y for y in YEARS if y <= 2022]
    fathers = {2008: 0.165, 2010: 0.245, 2012: 0.285, 2014: 0.32, 2016: 0.355, 2018: 0.39,
               2020: 0.415, 2022: 0.44}  # fmt: skip
    level = {"DG": 1.04, "05": 0.93, "059": 0.90, KREIS: 0.92}
    months = {2008: 3.4, 2012: 3.2, 2015: 3.5, 2016: 3.8, 2020: 3.9, 2022: 3.8}
    vals = {}
    for k in ("DG", *ROWS_KREIS):
        for y in years:
            b = sum(ctx.fig[k].births[y]) if k != KREIS else ctx.births(k, y)
            kids = int(round(b * (0.955 + 0.006 * r.normal())))
            kv = int(round(noisy(r, kids * trend(fathers, y) * level[k], 0.03)))
            bv = int(round(kv * (1.003 + 0.002 * r.normal())))
            mo = int(round(bv * noisy(r, trend(months, y), 0.02)))
            vals[(k, y)] = [kids, kv, bv, mo]
    labels = ["Kinder mit Elterngeldbezug", "Kinder mit Elterngeldbezug des Vaters",
              "Leistungsbezieher: Väter", "Bezugsmonate der Väter"]  # fmt: skip
    return regionalstatistik(
        out, "22922-01-02-4",
        ["Statistik zum Elterngeld: Kinder nach Geburtszeitraum, Väter mit Elterngeldbezug",
         f"und ihre Bezugsmonate - Geburtsjahr - ({DEMO_MARK})",
         "regionale Tiefe: Kreise und krfr. Städte", "Statistik zum Elterngeld",
         "Anzahl"],
        [str(y) for y in reversed(years)], labels,
        lambda k, p: [cnt(v) for v in vals[(k, int(p))]],
        ["DG", *ROWS_KREIS],
        ["Beendete Leistungsbezüge für im Jahr geborene Kinder,",
         "Geburtsjahre bis 2022 (spätere noch nicht abgeschlossen).",
         "Bezugsmonate: Summe der Monate mit Elterngeld (Basis- und",
         "ElterngeldPlus), nur Demodaten."],
        "10:21:40",
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_residence(ctx, out),
        write_workplace(ctx, out),
        write_kreis_employment(ctx, out),
        write_unemployed(ctx, out),
        write_unemployed_kreis(ctx, out),
        write_parental_allowance(ctx, out),
    ]
