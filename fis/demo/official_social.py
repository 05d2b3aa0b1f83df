"""Demo exports of transfers and incomes: SGB II (BA), soziale Mindestsicherung (IT.NRW),
Wohngeld, Lohn- und Einkommensteuer, verfügbares Einkommen (VGR), Armutsgefährdung (MZ)."""

from __future__ import annotations

from pathlib import Path

from fis.demo.generate import DEMO_MARK, GEMEINDE_KEYS, GEMEINDEN, KREIS, YEARS
from fis.demo.official_common import (
    ROWS_GEM,
    ROWS_KREIS,
    SOCIAL,
    Ctx,
    cnt,
    dec,
    ldb,
    ldb_rows,
    noisy,
    pois,
    regionalstatistik,
    rng,
    trend,
)

SGB2 = {2008: 1.0, 2010: 0.98, 2012: 0.93, 2014: 0.93, 2016: 1.0, 2017: 1.04, 2019: 0.96,
        2021: 0.93, 2022: 1.0, 2023: 1.06, 2024: 1.07}  # fmt: skip
SGB2_BASE = 0.072  # Leistungsberechtigte per inhabitant under the § 7a age limit, Kreis average


def age_limit_months(y: int) -> int:
    """Months beyond 65 of the § 7a SGB II age limit in reporting year y (BA Bezugsgröße)."""
    return 0 if y <= 2011 else (y - 2011 if y <= 2023 else 12 + 2 * (y - 2023))


def under_age_limit(ctx: Ctx, k: str, y: int, lo: int = 0) -> float:
    """Population aged lo up to the § 7a age limit on 31.12. of the year before y."""
    m = age_limit_months(y)
    base = ctx.pop(k, y - 1, lo, 65)
    return (
        base
        + ctx.pop(k, y - 1, 65, 66) * min(m, 12) / 12
        + ctx.pop(k, y - 1, 66, 67) * max(m - 12, 0) / 12
    )


SGB2_COLS = [
    "Bedarfsgemeinschaften insgesamt", "Bedarfsgemeinschaften mit Kindern unter 18 Jahren",
    "Alleinerziehenden-Bedarfsgemeinschaften", "Personen in Bedarfsgemeinschaften insgesamt",
    "Leistungsberechtigte insgesamt", "Erwerbsfähige Leistungsberechtigte",
    "Nicht erwerbsfähige Leistungsberechtigte unter 15 Jahren",
    "Personen in Bedarfsgemeinschaften unter 3 Jahren",
    "Personen in Bedarfsgemeinschaften 3 bis unter 6 Jahren",
    "Personen in Bedarfsgemeinschaften 6 bis unter 15 Jahren",
    "Personen in Bedarfsgemeinschaften 15 bis unter 18 Jahren",
    "Minderjährige unverheiratete Kinder in Bedarfsgemeinschaften",
    "Bevölkerung unter der Altersgrenze nach § 7a SGB II (Bezugsgröße)",
    "Bevölkerung 15 Jahre bis zur Altersgrenze nach § 7a SGB II (Bezugsgröße)",
]  # fmt: skip


def sgb2(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """SGB II figures in the order of SGB2_COLS, per key and December of each year."""
    if "sgb2" in ctx.cache:
        return ctx.cache["sgb2"]
    r = rng("22811-02i")
    res = {}
    for k in ["05", "059", *GEMEINDE_KEYS]:
        for y in YEARS:
            rate = noisy(r, SGB2_BASE * SOCIAL[k] * trend(SGB2, y), 0.03)
            child = rate * 1.72 * (1 + 0.03 * r.normal())
            ag, ag15 = under_age_limit(ctx, k, y), under_age_limit(ctx, k, y, 15)
            lb = rate * ag
            kids = [child * f * ctx.pop(k, y, lo, hi)
                    for f, lo, hi in ((1.12, 0, 3), (1.05, 3, 6), (0.97, 6, 15), (0.85, 15, 18))]  # fmt: skip
            kids = [int(round(v)) for v in kids]
            nef = int(round(sum(kids[:3]) * (0.975 if y < 2016 else 0.945)))
            lb = int(round(lb))
            elb = lb - nef - int(round(0.02 * lb))
            bg = int(round(lb / 1.88))
            bgk = int(round(bg * (0.35 + 0.002 * (y - 2008)) * (1 + 0.03 * r.normal())))
            ae = int(round(bgk * (0.47 + 0.04 * (SOCIAL[k] - 1)) * (1 + 0.03 * r.normal())))
            pers = int(round(lb * (1.03 if y < 2016 else 1.055)))
            minor = int(round(sum(kids) * 0.998))
            res[(k, y)] = [bg, bgk, ae, pers, lb, elb, nef, *kids, minor,
                           int(round(ag)), int(round(ag15))]  # fmt: skip
    for y in YEARS:
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(14)]
    ctx.cache["sgb2"] = res
    return res


def write_sgb2(ctx: Ctx, out: Path) -> Path:
    s = sgb2(ctx)
    cols = [c for c in SGB2_COLS if c != "Personen in Bedarfsgemeinschaften insgesamt"]
    head = [["Grundsicherung für Arbeitsuchende (SGB II)"] * 13, cols, ["Anzahl"] * 13]
    return ldb(
        out, "22811-02i",
        "Bedarfsgemeinschaften und Personen in Bedarfsgemeinschaften nach dem SGB II"
        " (Statistik der Bundesagentur für Arbeit) - Dezember - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for i, v in enumerate(s[(k, y)])
                                                      if i != 3], "31.12.{y}"),
        ["", "Berichtsmonat Dezember, Daten nach einer Wartezeit von",
         "drei Monaten. Seit der Revision 2016 zählen zu den Personen",
         "in Bedarfsgemeinschaften auch Kinder ohne Leistungsanspruch.",
         "Bezugsgröße: Bevölkerung am 31.12. des Vorjahres bis zur",
         "Altersgrenze nach § 7a SGB II (65 Jahre, ab 2012 steigend)."],
    )  # fmt: skip


def sgb2_kreis(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """[BG mit Kindern, BG mit 3+ Kindern, eLb, erwerbstätige eLb] for Land, RB and Kreis."""
    if "sgb2_kreis" in ctx.cache:
        return ctx.cache["sgb2_kreis"]
    s = sgb2(ctx)
    r = rng("22811-03i")
    res = {}
    for y in YEARS:  # the order of the rows of the table: one random stream through them
        for k in ROWS_KREIS:
            bgk, elb = s[(k, y)][1], s[(k, y)][5]
            b3 = int(round(bgk * (0.165 + 0.01 * r.normal())))
            et = int(round(elb * (0.275 - 0.0035 * (y - 2008)) * (1 + 0.02 * r.normal())))
            res[(k, y)] = [bgk, b3, elb, et]
    ctx.cache["sgb2_kreis"] = res
    return res


def write_sgb2_kreis(ctx: Ctx, out: Path) -> Path:
    s = sgb2_kreis(ctx)

    def cells(k, y):
        return [cnt(v) for v in s[(k, y)]]

    head = [["Grundsicherung für Arbeitsuchende (SGB II)"] * 4,
            ["Bedarfsgemeinschaften mit Kindern unter 18 Jahren",
             "Bedarfsgemeinschaften mit 3 und mehr Kindern unter 18 Jahren",
             "Erwerbsfähige Leistungsberechtigte", "Erwerbstätige erwerbsfähige Leistungsberechtigte"],
            ["Anzahl"] * 4]  # fmt: skip
    return ldb(
        out, "22811-03i",
        "Bedarfsgemeinschaften nach Zahl der Kinder und erwerbstätige Leistungsberechtigte"
        " nach dem SGB II - Dezember - Kreise",
        head, ldb_rows(ROWS_KREIS, YEARS, cells, "31.12.{y}"),
        ["", "Erwerbstätige erwerbsfähige Leistungsberechtigte",
         "(,Aufstocker'): mit Einkommen aus Erwerbstätigkeit."],
    )  # fmt: skip


ASYL = {2008: 0.0019, 2013: 0.0026, 2014: 0.0040, 2015: 0.0125, 2016: 0.0090, 2017: 0.0048,
        2019: 0.0036, 2021: 0.0032, 2022: 0.0042, 2023: 0.0052, 2024: 0.0048}  # fmt: skip
GRUSI = {2008: 0.021, 2016: 0.027, 2022: 0.031, 2023: 0.034, 2024: 0.036}
SECRET_ASYL = ("05970012", 2012)  # AsylbLG "." (and HLU as secondary secret cell)


def write_min_income(ctx: Ctx, out: Path) -> Path:
    s = sgb2(ctx)
    r = rng("22811-01i")
    refugees = {g.key: g.refugee_2015 for g in GEMEINDEN} | {"05": 1.25, "059": 1.1}
    vals, cells = {}, {}
    for k in ["05", "059", *GEMEINDE_KEYS]:
        for y in YEARS:
            pop = ctx.fig[k].pop[y]
            hlu = pois(r, pop * 0.0012 * SOCIAL[k])
            g_alt = pois(r, ctx.pop(k, y, 65) * trend(GRUSI, y) * SOCIAL[k] ** 0.8)
            g_em = pois(r, ctx.pop(k, y, 18, 65) * 0.0055 * SOCIAL[k] ** 0.5)
            asyl_f = refugees[k] if y in (2015, 2016) else 1.0
            asyl = pois(r, pop * trend(ASYL, y) * asyl_f * SOCIAL[k] ** 0.5)
            lb = s[(k, y)][4]
            u18 = s[(k, y)][6] + int(round(s[(k, y)][10] * 0.92)) + round(asyl * 0.31 + hlu * 0.15)
            vals[(k, y)] = [lb + hlu + g_alt + g_em + asyl, u18, lb, hlu, g_alt + g_em, g_alt, asyl]
    for y in YEARS:
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(7)]
    for key, v in vals.items():
        c = [cnt(x) for x in v]
        if key == SECRET_ASYL:
            c[3] = c[6] = "."
        cells[key] = c
    head = [["Soziale Mindestsicherung"] * 7,
            ["Empfänger/-innen insgesamt", "Empfänger/-innen unter 18 Jahren",
             "Leistungsberechtigte nach dem SGB II",
             "Hilfe zum Lebensunterhalt (SGB XII, 3. Kapitel)",
             "Grundsicherung im Alter und bei Erwerbsminderung (SGB XII, 4. Kapitel)",
             "darunter: Grundsicherung im Alter (ab der Altersgrenze)",
             "Regelleistungen nach dem Asylbewerberleistungsgesetz"],
            ["Anzahl"] * 7]  # fmt: skip
    return ldb(
        out, "22811-01i",
        "Empfänger/-innen von Leistungen der sozialen Mindestsicherung nach Leistungsart"
        " - Stichtag 31.12. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: cells[(k, y)], "31.12.{y}"),
        ["", "SGB II: Berichtsmonat Dezember, SGB XII (außerhalb von",
         "Einrichtungen) und AsylbLG: 31.12.",
         ". = Zahlenwert geheim zu halten: Erndtebrück 2012, Asyl-",
         "bewerberleistungen (kleine Fallzahl) und Hilfe zum Lebens-",
         "unterhalt (damit sie nicht aus der Summe folgt). Die Summe",
         "und der Kreiswert enthalten beide."],
    )  # fmt: skip


def write_housing_benefit(ctx: Ctx, out: Path) -> Path:
    r = rng("22311-01-01-4")
    rate = {2008: 0.0145, 2009: 0.0205, 2010: 0.0215, 2011: 0.0195, 2012: 0.0172, 2014: 0.0132,
            2015: 0.0121, 2016: 0.0182, 2018: 0.0150, 2019: 0.0138, 2020: 0.0190, 2022: 0.0178,
            2023: 0.0345, 2024: 0.0362}  # fmt: skip
    level = {"DG": 1.0, "05": 1.08, "059": 1.02, KREIS: 0.92}
    size = {"DG": 2.02, "05": 2.06, "059": 2.10, KREIS: 2.15}
    vals = {}
    for k in ("DG", *ROWS_KREIS):
        for y in YEARS:
            n = int(round(noisy(r, ctx.fig[k].pop[y] / size[k] * trend(rate, y) * level[k], 0.03)))
            mixed = int(round(n * (0.09 + 0.01 * r.normal())))
            vals[(k, y)] = [n, n - mixed, mixed]
    return regionalstatistik(
        out, "22311-01-01-4",
        ["Wohngeldhaushalte nach Art des Haushalts - Stichtag 31.12. -",
         f"regionale Tiefe: Kreise und krfr. Städte ({DEMO_MARK})",
         "Wohngeldstatistik", "Haushalte (Anzahl)"],
        [f"31.12.{y}" for y in reversed(YEARS)],
        ["Insgesamt", "Reine Wohngeldhaushalte", "Wohngeldrechtliche Teilhaushalte"],
        lambda k, p: [cnt(v) for v in vals[(k, int(p[-4:]))]],
        ["DG", *ROWS_KREIS],
        ["Reformen: 2009, 2016, 2020 und Wohngeld-Plus 2023."],
        "10:30:12",
    )  # fmt: skip


AFFLUENCE = {
    "05970004": 0.93, "05970008": 1.02, "05970012": 0.95, "05970016": 1.07, "05970020": 1.00,
    "05970024": 1.02, "05970028": 0.90, "05970032": 1.05, "05970036": 1.00, "05970040": 0.95,
    "05970044": 1.08, "05": 1.03, "059": 0.98,
}  # fmt: skip
TAX_YEARS = [2010, *range(2012, 2022)]


def write_income_tax(ctx: Ctx, out: Path) -> Path:
    r = rng("73111-01i")
    vals = {}
    for y in TAX_YEARS:
        per_tp = 35500 * 1.024 ** (y - 2010)
        for k in ["05", "059", *GEMEINDE_KEYS]:
            tp = int(round(noisy(r, ctx.fig[k].pop[y] * 0.455, 0.01)))
            inc = int(round(noisy(r, tp * per_tp * AFFLUENCE[k], 0.015) / 1000))
            tax = int(round(inc * (0.195 + 0.01 * (AFFLUENCE[k] - 1)) * (1 + 0.01 * r.normal())))
            vals[(k, y)] = [tp, inc, tax]
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(3)]
    head = [["Lohn- und Einkommensteuerstatistik"] * 3,
            ["Lohn- und Einkommensteuerpflichtige", "Gesamtbetrag der Einkünfte",
             "Festgesetzte Lohn- und Einkommensteuer"], ["Anzahl", "1000 EUR", "1000 EUR"]]  # fmt: skip
    return ldb(
        out, "73111-01i",
        "Lohn- und Einkommensteuerpflichtige, Gesamtbetrag der Einkünfte und Steuer"
        " - Gemeinden - Jahr",
        head, ldb_rows(ROWS_GEM, TAX_YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Veranlagungsjahr, bis 2010 dreijährlich, ab 2012 jährlich.",
         "Zusammen veranlagte Ehegatten zählen als ein Steuer-",
         "pflichtiger."],
    )  # fmt: skip


def write_disposable_income(ctx: Ctx, out: Path) -> Path:
    r = rng("82411-01-03-4")
    years = [y for y in YEARS if y <= 2022]
    per_cap = {"DG": (19200, 26200), "05": (19900, 25600), "059": (19300, 25000),
               KREIS: (19600, 25900)}  # fmt: skip
    vals = {}
    for k in ("DG", *ROWS_KREIS):
        a, b = per_cap[k]
        for y in years:
            t = (y - 2008) / 14
            pc = noisy(r, a * (b / a) ** t * (0.985 if y == 2009 else 1.0), 0.004)
            pop = (ctx.fig[k].pop[y - 1] + ctx.fig[k].pop[y]) / 2
            vals[(k, y)] = [str(int(round(pc * pop / 1000))), str(int(round(pc)))]
    return regionalstatistik(
        out, "82411-01-03-4",
        ["Verfügbares Einkommen der privaten Haushalte einschl. privater Organisationen",
         f"ohne Erwerbszweck - Jahressumme - ({DEMO_MARK})",
         "regionale Tiefe: Kreise und krfr. Städte",
         "Volkswirtschaftliche Gesamtrechnungen der Länder"],
        [str(y) for y in reversed(years)],
        ["Verfügbares Einkommen (Tsd. EUR)", "Verfügbares Einkommen je Einwohner (EUR)"],
        lambda k, p: vals[(k, int(p))],
        ["DG", *ROWS_KREIS],
        ["Berechnungsstand: August 2025 (Demodaten). Je Einwohner:",
         "bezogen auf die Bevölkerung im Jahresdurchschnitt."],
        "10:33:47",
    )  # fmt: skip


SECRET_MZ = (KREIS, 2020)  # "/": Mikrozensus 2020 not reliable enough for the Kreis


def write_poverty(ctx: Ctx, out: Path) -> Path:
    r = rng("12211-08i")
    quote = {"05": (0.146, 0.186), "059": (0.150, 0.182), KREIS: (0.134, 0.168)}
    head = [["Mikrozensus"] * 3,
            ["Personen in Privathaushalten", "Armutsgefährdete Personen",
             "Armutsgefährdungsquote"], ["1000", "1000", "Prozent"]]  # fmt: skip

    def cells(k, y):
        ph = noisy(r, ctx.fig[k].pop[y] * 0.985, 0.002)
        q0, q1 = quote[k]
        q = q0 + (q1 - q0) * (y - 2008) / 16 + (0.004 if k == KREIS else 0.0015) * r.normal()
        if (k, y) == SECRET_MZ:
            return [dec(ph / 1000), "/", "/"]
        return [dec(ph / 1000), dec(ph * q / 1000), dec(100 * q)]

    return ldb(
        out, "12211-08i",
        "Armutsgefährdung (gemessen am Landesmedian) - Kreise - Jahr",
        head, ldb_rows(ROWS_KREIS, YEARS, cells),
        ["", "Armutsgefährdungsschwelle: 60 % des Medians der",
         "Äquivalenzeinkommen in NRW (neue OECD-Skala). Hochgerechnete",
         "Ergebnisse des Mikrozensus. / = keine Angabe, da Zahlenwert",
         "nicht sicher genug (2020: Neuregelung des Mikrozensus)."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_sgb2(ctx, out),
        write_sgb2_kreis(ctx, out),
        write_min_income(ctx, out),
        write_housing_benefit(ctx, out),
        write_income_tax(ctx, out),
        write_disposable_income(ctx, out),
        write_poverty(ctx, out),
    ]
