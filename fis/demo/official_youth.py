"""Demo exports of the Kinder- und Jugendhilfe statistics per Jugendamt: erzieherische Hilfen
(22517, three tables; 22517-02i imitates the real export), vorläufige Schutzmaßnahmen (22523),
Gefährdungseinschätzungen § 8a (22518), Kinder- und Jugendarbeit (22515), Ausgaben (22551)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fis.demo import generate as gen
from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    JA_KREIS,
    JA_MEMBERS,
    JA_SIEGEN,
    ROWS_JA,
    SOCIAL,
    Ctx,
    cnt,
    label,
    ldb,
    ldb_rows,
    rng,
    trend,
)

AREAS = ["05", "059", *GEMEINDE_KEYS]
JAS = list(JA_MEMBERS)
HZE_TREND = {2008: 0.78, 2012: 0.88, 2016: 0.97, 2020: 0.98, 2024: 1.0}
# Art der Hilfe (labels of the real 22517-02i, including its "SGB VII" typo), in Anspruch
# genommene Hilfen per 10,000 under 21 (Kreis 2024), share begun in the year, share still
# running on 31.12., trend.
ARTS = [
    ("Hilfe zur Erziehung § 27 SGB VIII", 26, 0.50, 0.55, HZE_TREND),
    ("Erziehungsberatung § 28 SGB VIII", 300, 0.70, 0.35, {2008: 0.95, 2024: 1.0}),
    ("Soziale Gruppenarbeit § 29 SGB VIII", 7, 0.45, 0.55, HZE_TREND),
    ("Einzelbetreuung § 30 SGB VIII", 28, 0.45, 0.55, HZE_TREND),
    ("Sozialpädagogische Familienhilfe § 31 SGB VIII", 78, 0.45, 0.55, HZE_TREND),
    ("Erziehung in einer Tagesgruppe § 32 SGB VIII", 11, 0.35, 0.60, HZE_TREND),
    ("Vollzeitpflege § 33 SGB VIII", 65, 0.15, 0.80, HZE_TREND),
    ("Heimerziehung, sonstige betreute Wohnform § 34 SGB VII", 73, 0.33, 0.62,
     {2008: 0.80, 2015: 0.95, 2016: 1.15, 2017: 1.12, 2019: 1.0, 2024: 1.0}),
    ("Intensive sozialpädagogische Einzelbetreuung § 35 SGB VIII", 7, 0.45, 0.50, HZE_TREND),
    ("Eingliederungshilfe für seelisch behinderte junge Menschen § 35a SGB VIII", 110, 0.30, 0.65,
     {2008: 0.45, 2016: 0.75, 2024: 1.0}),
]  # fmt: skip
ART_LABELS = ["Insgesamt", *(a[0] for a in ARTS)]


def hze(ctx: Ctx) -> dict[tuple[str, int], np.ndarray]:
    """(10 Arten, [in Anspruch, begonnen, andauernd 31.12., beendet]) per key and year."""
    if "hze" in ctx.cache:
        return ctx.cache["hze"]
    r = rng("22517")
    lam = {}
    for k in AREAS:
        for y in YEARS:
            u21 = ctx.pop(k, y, 0, 21) / 10000
            soc = SOCIAL[k] ** 0.6
            lam[(k, y)] = [u21 * rate * trend(t, y) * (soc if i != 1 else SOCIAL[k] ** 0.2)
                           for i, (_, rate, *_r, t) in enumerate(ARTS)]  # fmt: skip
    for ja, members in JA_MEMBERS.items():
        for y in YEARS:
            lam[(ja, y)] = [sum(lam[(k, y)][i] for k in members) for i in range(len(ARTS))]
    res = {}
    for k in ("05", "059", *JAS):
        for y in YEARS:
            a = np.zeros((len(ARTS), 4), dtype=np.int64)
            for i, (_, _, begun, running, _) in enumerate(ARTS):
                n = int(r.poisson(lam[(k, y)][i] * (1 + 0.03 * r.normal())))
                a[i] = [n, r.binomial(n, begun), 0, 0]
                a[i, 2] = r.binomial(n, running)
                a[i, 3] = n - a[i, 2]
            res[(k, y)] = a
    for y in YEARS:
        res[(KREIS, y)] = sum(res[(ja, y)] for ja in JAS)
    ctx.cache["hze"] = res
    return res


def write_hze_02i(ctx: Ctx, out: Path) -> Path:
    """Imitates the real 22517-02i export: four title lines, four column-header rows."""
    h = hze(ctx)
    n = 2 * len(ART_LABELS)
    pad = 3 + n - 1
    lines = ["Tabelle: 22517-02i"]
    for t in ("Statistik der erzieherischen Hilfen:",
              "In Anspruch genommene und begonnene Hilfen/Beratungen",
              f"nach Art der Hilfe - Jugendämter - Jahr ({gen.DEMO_MARK_LATIN1})",
              "Statistik der erzieherischen Hilfe"):  # fmt: skip
        lines.append(gen._pad(t, pad))
    lines.append(";;;" + ";".join(["Art der Hilfe"] * n))
    lines.append(";;;" + ";".join(a for a in ART_LABELS for _ in (0, 1)))
    lines.append(
        ";;;"
        + ";".join(
            ["In Anspruch genommene erzieh. Hilfen", "Begonnene erzieher. Hilfen/Beratungen"]
            * len(ART_LABELS)
        )
    )
    lines.append(";;;" + ";".join(["Anzahl"] * n))
    for y in YEARS:
        for k in ROWS_JA:
            a = h[(k, y)]
            cells = [cnt(a[:, 0].sum()), cnt(a[:, 1].sum())]
            cells += [cnt(v) for row in a for v in row[:2]]
            lines.append(";".join([str(y), *label(k), *cells]))
    lines += ["__________",
              '"DEMODATEN: synthetisch erzeugt mit fis.demo.generate, nicht amtlich.',
              "Die Werte imitieren nur das Format der Landesdatenbank NRW.",
              "",
              "In Anspruch genommene Hilfen: am 31.12. andauernde und im",
              "Laufe des Jahres beendete Hilfen. Jugendamt Siegen: Stadt",
              "Siegen, Kreisjugendamt: die übrigen zehn Städte und",
              'Gemeinden des Kreises Siegen-Wittgenstein."',
              gen.COPYRIGHT_LDB, gen.STAND_LDB]  # fmt: skip
    return gen._write(out / "ldbnrw_22517-02i_demo.csv", lines, "latin-1")


def write_hze_01i(ctx: Ctx, out: Path) -> Path:
    h = hze(ctx)
    kinds = ["am 31.12. andauernde Hilfen", "beendete Hilfen"]
    head = [["Art der Hilfe"] * 22, [a for a in ART_LABELS for _ in kinds], kinds * 11,
            ["Anzahl"] * 22]  # fmt: skip

    def cells(k, y):
        a = h[(k, y)]
        return [cnt(a[:, 2].sum()), cnt(a[:, 3].sum())] + [cnt(v) for row in a for v in row[2:]]

    return ldb(
        out, "22517-01i",
        "Am 31.12. andauernde und im Jahr beendete erzieherische Hilfen nach Art der Hilfe"
        " - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, YEARS, cells),
        ["", "Andauernde und beendete Hilfen ergeben zusammen die in",
         "Anspruch genommenen Hilfen der Tabelle 22517-02i.",
         "Einschließlich Hilfen für junge Volljährige (§ 41)."],
    )  # fmt: skip


HZE_ONLY = [0, 2, 3, 4, 5, 6, 7, 8]  # indices of §§ 27, 29-35 in ARTS
AE_LEVEL = {"05": 1.05, "059": 1.02, JA_SIEGEN: 1.08, JA_KREIS: 0.97}
FAMILY = ["Eltern leben zusammen", "Elternteil lebt allein ohne (Ehe-)Partner/-in",
          "Elternteil lebt mit neuer Partnerin/neuem Partner", "Eltern verstorben, unbekannt"]  # fmt: skip


def hze_family(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """Begun HzE (§§ 27, 29-35) [Insgesamt, *FAMILY] per Jugendamt, Kreis, Land, RB and year."""
    if "hze_family" in ctx.cache:
        return ctx.cache["hze_family"]
    h = hze(ctx)
    r = rng("22517-03i")
    vals = {}
    for y in YEARS:
        for k in ("05", "059", *JAS):
            begun = int(h[(k, y)][HZE_ONLY, 1].sum())  # §§ 27, 29-35: without § 28 and § 35a
            ae = 0.45 * AE_LEVEL[k]
            p = np.array([0.33, ae, 0.16, 0.06]) * (1 + 0.03 * r.normal(size=4))
            vals[(k, y)] = [begun, *r.multinomial(begun, p / p.sum())]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JAS) for i in range(5)]
    ctx.cache["hze_family"] = vals
    return vals


def write_hze_03i(ctx: Ctx, out: Path) -> Path:
    vals = hze_family(ctx)
    head = [["Begonnene Hilfen zur Erziehung (§§ 27, 29 bis 35 SGB VIII)"] * 5,
            ["Insgesamt", *FAMILY], ["Anzahl"] * 5]  # fmt: skip
    return ldb(
        out, "22517-03i",
        "Begonnene Hilfen zur Erziehung nach Situation in der Herkunftsfamilie"
        " - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Hilfen zur Erziehung nach §§ 27, 29 bis 35 SGB VIII, ohne",
         "Erziehungsberatung (§ 28) und Eingliederungshilfe (§ 35a).",
         "Die Summe entspricht den begonnenen Hilfen dieser Arten in",
         "Tabelle 22517-02i."],
    )  # fmt: skip


def _per_u18(ctx: Ctx, name: str, rate: dict, power: float, years) -> dict:
    """Poisson counts per Jugendamt (from its Gemeinden), Land and RB; Kreis = sum."""
    r = rng(name)
    lam = {(k, y): ctx.pop(k, y, 0, 18) / 10000 * trend(rate, y) * SOCIAL[k] ** power
           for k in AREAS for y in years}  # fmt: skip
    res = {}
    for y in years:
        for ja, m in JA_MEMBERS.items():
            lam[(ja, y)] = sum(lam[(k, y)] for k in m)
        for k in ("05", "059", *JAS):
            res[(k, y)] = int(r.poisson(lam[(k, y)] * (1 + 0.04 * r.normal())))
        res[(KREIS, y)] = sum(res[(ja, y)] for ja in JAS)
    return res


# Inobhutnahmen per 10,000 under 18 (trend) and the power of the social profile in their rate.
CUSTODY_RATE = {2008: 24, 2012: 30, 2014: 38, 2015: 58, 2016: 62, 2017: 40, 2019: 33, 2022: 38,
                2024: 36}  # fmt: skip
CUSTODY_POWER = 0.7


def custody(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """Inobhutnahmen [Insgesamt, eigener Wunsch, Gefährdung, unbegleitet] per Jugendamt, Kreis,
    Land, RB and year (Poisson per Jugendamt; Kreis = sum)."""
    if "custody" in ctx.cache:
        return ctx.cache["custody"]
    tot = _per_u18(ctx, "22523-01i", CUSTODY_RATE, CUSTODY_POWER, YEARS)
    r = rng("22523-01i-split")
    vals = {}
    for y in YEARS:
        uma = 0.45 if y in (2015, 2016) else 0.12
        for k in ("05", "059", *JAS):
            n = tot[(k, y)]
            vals[(k, y)] = [n, *r.multinomial(n, [0.16, 0.84 - uma, uma])]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JAS) for i in range(4)]
    ctx.cache["custody"] = vals
    return vals


def write_custody(ctx: Ctx, out: Path) -> Path:
    vals = custody(ctx)
    head = [["Vorläufige Schutzmaßnahmen"] * 4,
            ["Insgesamt", "Inobhutnahme auf eigenen Wunsch", "Inobhutnahme wegen Gefährdung",
             "Inobhutnahme nach unbegleiteter Einreise aus dem Ausland"], ["Anzahl"] * 4]  # fmt: skip
    return ldb(
        out, "22523-01i",
        "Vorläufige Schutzmaßnahmen (Inobhutnahmen nach § 42 SGB VIII) nach Anlass"
        " - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Seit November 2015 ohne vorläufige Inobhutnahmen",
         "unbegleiteter Minderjähriger nach § 42a SGB VIII."],
    )  # fmt: skip


KWG_YEARS = [y for y in YEARS if y >= 2012]
LIMITED_8A = [(2012, JA_KREIS), (2012, KREIS)]  # "( )": first reporting year, see the note


# § 8a assessments per 10,000 under 18 (trend) and the power of the social profile.
ASSESSMENT_RATE = {2012: 55, 2016: 75, 2020: 95, 2024: 115}
ASSESSMENT_POWER = 0.5


def assessments(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """§ 8a assessments [Insgesamt, akut, latent, Hilfebedarf, kein Hilfebedarf] per Jugendamt,
    Kreis, Land, RB and year since 2012 (Poisson per Jugendamt; Kreis = sum)."""
    if "assessments" in ctx.cache:
        return ctx.cache["assessments"]
    tot = _per_u18(ctx, "22518-01i", ASSESSMENT_RATE, ASSESSMENT_POWER, KWG_YEARS)
    r = rng("22518-01i-split")
    vals = {}
    for y in KWG_YEARS:
        for k in ("05", "059", *JAS):
            n = tot[(k, y)]
            vals[(k, y)] = [n, *r.multinomial(n, [0.16, 0.17, 0.34, 0.33])]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JAS) for i in range(5)]
    ctx.cache["assessments"] = vals
    return vals


def write_assessments(ctx: Ctx, out: Path) -> Path:
    vals = assessments(ctx)

    def cells(k, y):
        c = [cnt(v) for v in vals[(k, y)]]
        if (y, k) in LIMITED_8A:
            c[0] = f"({c[0]})"
        return c

    head = [["Verfahren zur Gefährdungseinschätzung nach § 8a Abs. 1 SGB VIII"] * 5,
            ["Insgesamt", "akute Kindeswohlgefährdung", "latente Kindeswohlgefährdung",
             "keine Kindeswohlgefährdung, aber Hilfebedarf",
             "keine Kindeswohlgefährdung und kein Hilfebedarf"], ["Anzahl"] * 5]  # fmt: skip
    return ldb(
        out, "22518-01i",
        "Verfahren zur Einschätzung der Gefährdung des Kindeswohls nach Ergebnis"
        " - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, KWG_YEARS, cells),
        ["", "Erhebung seit 2012. ( ) = Aussagewert eingeschränkt: das",
         "Kreisjugendamt hat 2012 nicht für alle Monate gemeldet,",
         "der Kreiswert ist ebenfalls betroffen."],
    )  # fmt: skip


def write_youth_work(ctx: Ctx, out: Path) -> Path:
    r = rng("22515-01i")
    years = list(range(2015, 2024, 2))
    vals = {}
    for y in years:
        lam = {k: ctx.pop(k, y, 6, 27) / 1000 * 5.6 * SOCIAL[k] ** 0.2 for k in AREAS}
        for ja, m in JA_MEMBERS.items():
            lam[ja] = sum(lam[k] for k in m)
        for k in ("05", "059", *JAS):
            n = int(r.poisson(lam[k] * (0.85 if y == 2021 else 1.0)))
            vals[(k, y)] = [n, *r.multinomial(n, [0.30, 0.28, 0.42])]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JAS) for i in range(4)]
    head = [["Öffentlich geförderte Angebote der Kinder- und Jugendarbeit"] * 4,
            ["Insgesamt", "offene Angebote", "gruppenbezogene Angebote",
             "Veranstaltungen und Projekte"], ["Anzahl"] * 4]  # fmt: skip
    return ldb(
        out, "22515-01i",
        "Angebote der Kinder- und Jugendarbeit nach Art des Angebots - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, years, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Die Erhebung findet alle zwei Jahre statt (seit 2015).",
         "2021: Einschränkungen durch die Corona-Pandemie."],
    )  # fmt: skip


def write_expenditure(ctx: Ctx, out: Path) -> Path:
    r = rng("22551-01i")
    per_u21 = {2008: 1500, 2013: 2300, 2018: 3100, 2024: 4300}
    vals = {}
    for y in YEARS:
        raw = {k: ctx.pop(k, y, 0, 21) * trend(per_u21, y) * SOCIAL[k] ** 0.3 / 1000
               * (1 + 0.02 * r.normal()) for k in AREAS}  # fmt: skip
        for k in ("05", "059"):
            raw[k] *= 1.05
        for ja, m in JA_MEMBERS.items():
            raw[ja] = sum(raw[k] for k in m)
        for k in ("05", "059", *JAS):
            net = int(round(raw[k]))
            income = int(round(net * (0.11 + 0.01 * r.normal())))
            vals[(k, y)] = [net + income, income, net]
        vals[(KREIS, y)] = [sum(vals[(ja, y)][i] for ja in JAS) for i in range(3)]
    head = [["Ausgaben und Einnahmen der Kinder- und Jugendhilfe"] * 3,
            ["Ausgaben insgesamt", "Einnahmen", "Reine Ausgaben"], ["1000 EUR"] * 3]  # fmt: skip
    return ldb(
        out, "22551-01i",
        "Ausgaben, Einnahmen und reine Ausgaben der öffentlichen Kinder- und Jugendhilfe"
        " - Jugendämter - Jahr",
        head, ldb_rows(ROWS_JA, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]]),
        ["", "Reine Ausgaben: Ausgaben abzüglich Einnahmen (ohne Zuschüsse",
         "anderer öffentlicher Träger). Kreisjugendamt: nur die",
         "Ausgaben für die zehn Gemeinden ohne eigenes Jugendamt."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_hze_01i(ctx, out),
        write_hze_02i(ctx, out),
        write_hze_03i(ctx, out),
        write_custody(ctx, out),
        write_assessments(ctx, out),
        write_youth_work(ctx, out),
        write_expenditure(ctx, out),
    ]
