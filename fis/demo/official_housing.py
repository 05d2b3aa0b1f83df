"""Demo exports of housing and land: dwelling stock (31231), completions (31121), Zensus 2022
dwellings and households (flat files), rents and land values (NRW.BANK), land use (33111)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from fis.demo import generate as gen
from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS
from fis.demo.official_common import (
    KIND,
    ROWS_GEM,
    Ctx,
    ars,
    cnt,
    dec,
    ldb,
    ldb_rows,
    pois,
    rng,
    trend,
)

AREAS = ["05", "059", *GEMEINDE_KEYS]
NEW_PER_1000 = {2008: 2.3, 2010: 1.3, 2013: 1.5, 2016: 1.9, 2020: 2.0, 2022: 1.9, 2024: 1.45}
NEW_PLACE = {"uni": 0.9, "town": 1.1, "rural": 0.6, "05": 1.15, "059": 0.95}
EFH_NEW = {"uni": (0.25, 0.15), "town": (0.66, 0.46), "rural": (0.80, 0.65),
           "05": (0.48, 0.30), "059": (0.55, 0.38)}  # fmt: skip


def completions(ctx: Ctx) -> dict[tuple[str, int], list[int]]:
    """New dwellings in new residential buildings: [total, 1-dwelling, 2-dwelling, 3+, Heime]."""
    if "fertig" in ctx.cache:
        return ctx.cache["fertig"]
    r = rng("31121-01i")
    res = {}
    for k in AREAS:
        kind = KIND.get(k, k)
        for y in YEARS:
            lam = ctx.fig[k].pop[y] / 1000 * trend(NEW_PER_1000, y) * NEW_PLACE[kind]
            e0, e1 = EFH_NEW[kind]
            efh = pois(r, lam * (e0 + (e1 - e0) * (y - 2008) / 16))
            zfh = 2 * pois(r, lam * 0.04)
            mfh = pois(r, lam * max(0.0, 1 - e0 - (e1 - e0) * (y - 2008) / 16 - 0.08))
            heim = pois(r, lam * 0.05) if kind in ("uni", "05", "059") else 0
            res[(k, y)] = [efh + zfh + mfh + heim, efh, zfh, mfh, heim]
    for y in YEARS:
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(5)]
    ctx.cache["fertig"] = res
    return res


def write_completions(ctx: Ctx, out: Path) -> Path:
    c = completions(ctx)
    head = [["Baufertigstellungen: Wohnungen in neuen Wohngebäuden"] * 5,
            ["Insgesamt", "in Gebäuden mit 1 Wohnung", "in Gebäuden mit 2 Wohnungen",
             "in Gebäuden mit 3 und mehr Wohnungen", "in Wohnheimen"], ["Anzahl"] * 5]  # fmt: skip
    return ldb(
        out, "31121-01i",
        "Baufertigstellungen: Wohnungen in neuen Wohngebäuden nach Zahl der Wohnungen"
        " - Gemeinden - Jahr",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for v in c[(k, y)]]),
        ["", "Errichtung neuer Gebäude, ohne Baumaßnahmen an",
         "bestehenden Gebäuden."],
    )  # fmt: skip


PER_CAPITA = {"uni": 0.505, "town": 0.452, "rural": 0.497, "05": 0.478, "059": 0.470}
TYPE_SHARE = {
    "uni": (0.20, 0.17),
    "town": (0.41, 0.26),
    "rural": (0.45, 0.24),
    "05": (0.28, 0.17),
    "059": (0.33, 0.20),
}  # 1-dwelling, 2-dwelling buildings
ROOMS = {"uni": [5, 9, 22, 30, 18, 10, 6], "town": [2, 5, 14, 25, 24, 17, 13],
         "rural": [2, 5, 13, 23, 25, 18, 14], "05": [3, 7, 19, 28, 21, 13, 9],
         "059": [3, 6, 17, 27, 22, 14, 11]}  # fmt: skip
SIZE = {"uni": 84.0, "town": 102.0, "rural": 105.0, "05": 90.5, "059": 93.0}


def stock(ctx: Ctx) -> dict[tuple[str, int], list]:
    """Dwelling stock on 31.12.: [total, in 1-, 2-, 3+-dwelling buildings, non-residential,
    7 room classes..., floor area in m²]."""
    if "stock" in ctx.cache:
        return ctx.cache["stock"]
    c = completions(ctx)
    r = rng("31231-01i")
    res = {}
    for k in AREAS:
        kind = KIND.get(k, k)
        total = ctx.fig[k].pop[2007] * PER_CAPITA[kind] * (1 + 0.02 * r.normal())
        s1, s2 = (v * (1 + 0.04 * r.normal()) for v in TYPE_SHARE[kind])
        rooms = np.array(ROOMS[kind], dtype=float) * (1 + 0.05 * r.normal(size=7))
        size = SIZE[kind] * (1 + 0.02 * r.normal())
        t1, t2 = total * s1, total * s2
        for y in YEARS:
            new = c[(k, y)]
            total = total * (1 - 0.0009) + new[0] * 1.15
            t1, t2 = t1 * 0.9995 + new[1], t2 * 0.9995 + new[2] + 0.1 * new[0]
            if y in (2011, 2023):  # Zensus base (GWZ 2011 / 2022)
                f = 1 + 0.006 * r.normal()
                total, t1, t2 = total * f, t1 * f, t2 * f
            tot = int(round(total))
            n_nwg = int(round(tot * 0.026))
            n1, n2 = int(round(t1)), int(round(t2))
            rm = gen.apportion(rooms * (1 + 0.002 * (y - 2008) * np.arange(-3, 4)), tot)
            area = int(round(tot * (size + 0.16 * (y - 2008)) / 100)) * 100  # m², to 100
            res[(k, y)] = [tot, n1, n2, tot - n1 - n2 - n_nwg, n_nwg, *rm, area]
    for y in YEARS:
        res[(KREIS, y)] = [sum(res[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(13)]
    ctx.cache["stock"] = res
    return res


def write_stock(ctx: Ctx, out: Path) -> Path:
    s = stock(ctx)
    rooms = ["1 Raum", "2 Räume", "3 Räume", "4 Räume", "5 Räume", "6 Räume", "7 und mehr Räume"]
    head = [["Wohnungen in Wohn- und Nichtwohngebäuden"] * 13,
            ["Insgesamt", "in Wohngebäuden mit 1 Wohnung", "in Wohngebäuden mit 2 Wohnungen",
             "in Wohngebäuden mit 3 und mehr Wohnungen", "in Nichtwohngebäuden", *rooms,
             "Wohnfläche"], ["Anzahl"] * 12 + ["1000 qm"]]  # fmt: skip

    def cells(k, y):
        v = s[(k, y)]
        return [cnt(x) for x in v[:12]] + [dec(v[12] / 1000)]

    return ldb(
        out, "31231-01i",
        "Bestand an Wohnungen nach Gebäudeart und Zahl der Räume, Wohnfläche"
        " - Stichtag 31.12. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, cells, "31.12.{y}"),
        ["", "Fortschreibung des Wohngebäude- und Wohnungsbestandes,",
         "Räume einschließlich Küchen. Ab 2011 auf Basis der Gebäude-",
         "und Wohnungszählung 2011, ab 2023 der GWZ 2022 (simuliert)."],
    )  # fmt: skip


def _flat(
    out: Path, name: str, code: str, label: str, var: tuple[str, str], rows: list[tuple]
) -> Path:
    """A Zensus 2022 flat file (ffcsv, UTF-8 with BOM) with a second variable."""
    header = ("statistics_code;statistics_label;time_code;time_label;time;1_variable_code;"
              "1_variable_label;1_variable_attribute_code;1_variable_attribute_label;"
              "2_variable_code;2_variable_label;2_variable_attribute_code;"
              "2_variable_attribute_label;value;value_unit;value_variable_code;"
              "value_variable_label")  # fmt: skip
    lines = [header]
    for geo_code, geo_label, key, name_, attr, value, vcode, vlabel in rows:
        lines.append(
            f"{code};{label};STAG;Stichtag;2022-05-15;{geo_code};{geo_label};{key};{name_};"
            f"{var[0]};{var[1]};{attr[0]};{attr[1]};"
            f"{value};Anzahl;{vcode};{vlabel}"
        )
    return gen._write(out / name, lines, "utf-8-sig")


def _geo(key: str) -> tuple[str, str, str, str]:
    if key == "DG":
        return "GEODL1", "Deutschland", "DG", "Deutschland"
    return "GEOGM4", "Gemeinden (Gebietsstand 15.05.2022)", ars(key), gen.NAMES_RS[key]


def write_zensus_dwellings(ctx: Ctx, out: Path) -> Path:
    s = stock(ctx)
    r = rng("zensus2022_4000W")
    owner = {"uni": 0.36, "town": 0.62, "rural": 0.66}
    empty = {"uni": 0.034, "town": 0.046, "rural": 0.074}
    holiday = {"uni": 0.002, "town": 0.003, "rural": 0.014}
    kinds = [("", "Insgesamt"), ("NUTZ01", "Von Eigentümer/-in bewohnt"),
             ("NUTZ02", "Zu Wohnzwecken vermietet (auch mietfrei)"),
             ("NUTZ03", "Ferien- und Freizeitwohnung"), ("NUTZ04", "Leer stehend")]  # fmt: skip
    data = {"DG": (43_106_000, 0.437, 0.045, 0.010)}
    for k in GEMEINDE_KEYS:
        kind = KIND[k]
        data[k] = (s[(k, 2021)][0] * (1 + 0.004 * r.normal()), owner[kind] * (1 + 0.04 * r.normal()),
                   empty[kind] * (1 + 0.1 * r.normal()), holiday[kind])  # fmt: skip
    rows = []
    for k, (total, own, emp, hol) in data.items():
        total = int(round(total))
        n_emp, n_hol = int(round(total * emp)), int(round(total * hol))
        n_own = int(round((total - n_emp - n_hol) * own))
        parts = [total, n_own, total - n_emp - n_hol - n_own, n_hol, n_emp]
        for (code, lab), v in zip(kinds, parts, strict=True):
            rows.append((*_geo(k), (code, lab), v, "WHG001", "Wohnungen"))
    return _flat(out, "zensus2022_4000W_demo_flat.csv", "4000W",
                 "DEMODATEN: Wohnungen nach Nutzung",
                 ("NUTZNG", "Art der Wohnungsnutzung"), rows)  # fmt: skip


def write_zensus_households(ctx: Ctx, out: Path) -> Path:
    r = rng("zensus2022_5000H")
    hh_size = {"uni": 1.93, "town": 2.28, "rural": 2.24}
    one = {"uni": 0.46, "town": 0.33, "rural": 0.36}
    sizes = ["1 Person", "2 Personen", "3 Personen", "4 Personen", "5 und mehr Personen"]
    data = {"DG": (82_110_000, 40_880_000, 0.409)}
    for k in GEMEINDE_KEYS:
        kind = KIND[k]
        p = ctx.pop(k, 2021) * (0.975 if kind == "uni" else 0.986) * (1 + 0.002 * r.normal())
        data[k] = (
            p,
            p / (hh_size[kind] * (1 + 0.02 * r.normal())),
            one[kind] * (1 + 0.04 * r.normal()),
        )
    rows = []
    for k, (p, hh, s1) in data.items():
        hh, p = int(round(hh)), int(round(p))
        n1 = int(round(hh * s1))
        # 2..6+ persons: shares that reproduce the persons in households (mean size)
        rest = p - n1
        w = np.array([0.52, 0.22, 0.18, 0.08])
        avg = np.array([2, 3, 4, 5.4])
        w = w * np.exp(np.log((rest / (hh - n1)) / (w @ avg / w.sum())) * 3 * (avg - 3.0))
        n = gen.apportion(w, hh - n1)
        rows.append((*_geo(k), ("", "Insgesamt"), hh, "HSH001", "Private Haushalte"))
        for i, lab in enumerate(sizes):
            v = n1 if i == 0 else int(n[i - 1])
            rows.append((*_geo(k), (f"HHGR{i + 1:02d}", lab), v, "HSH001", "Private Haushalte"))
        rows.append((*_geo(k), ("", "Insgesamt"), p, "PRS009", "Personen in Privathaushalten"))
    return _flat(out, "zensus2022_5000H_demo_flat.csv", "5000H",
                 "DEMODATEN: Haushalte nach Größe", ("HHGROE", "Größe des privaten Haushalts"), rows)  # fmt: skip


SOCIAL_HOUSING = {"uni": (0.062, 0.046), "town": (0.026, 0.018), "rural": (0.016, 0.010),
                  "05": (0.088, 0.064)}  # fmt: skip


def write_market(ctx: Ctx, out: Path) -> Path:
    """Rents, land values and social housing in the CSV layout of the Landesdatenbank (the real
    NRW.BANK Wohnungsmarktbeobachtung publishes them as profiles per Gemeinde)."""
    r = rng("nrwbank_wohnungsmarkt")
    s = stock(ctx)
    years = list(range(2012, 2025))
    rent = {"uni": (5.65, 8.25), "town": (5.05, 7.05), "rural": (4.55, 6.05), KREIS: (5.20, 7.35),
            "05": (6.40, 9.55)}  # fmt: skip
    land = {"uni": (178, 262), "town": (96, 142), "rural": (52, 78), KREIS: (112, 158),
            "05": (228, 335)}  # fmt: skip
    keys = ["05", KREIS, *GEMEINDE_KEYS]
    lev = {k: (1 + 0.06 * r.normal(), 1 + 0.12 * r.normal(), 1 + 0.2 * r.normal()) for k in keys}
    lev["05"] = lev[KREIS] = (1.0, 1.0, 1.0)
    vals = {}
    for y in years:
        t = (y - 2012) / 12
        for k in keys:
            kind = KIND.get(k, k)
            (m0, m1), (b0, b1) = rent[KIND.get(k, k)], land[KIND.get(k, k)]
            med = m0 * (m1 / m0) ** t * lev[k][0] + 0.05 * r.normal()
            brw = b0 * (b1 / b0) ** t * lev[k][1] * (1 + 0.01 * r.normal())
            ads = ctx.fig[k].pop[y] * 0.0105 * (1.3 if kind == "uni" else 1.0)
            s0, s1 = SOCIAL_HOUSING.get(kind, (0.0, 0.0))
            soc = s[(k, y)][0] * (s0 + (s1 - s0) * t) * lev[k][2] if k != KREIS else 0.0
            vals[(k, y)] = [dec(med, 2), int(round(ads)), str(int(round(brw))), int(round(soc))]
        for i in (1, 3):  # the Kreis counts are sums of its Gemeinden
            vals[(KREIS, y)][i] = sum(vals[(k, y)][i] for k in GEMEINDE_KEYS)
    head = [["Angebotsmieten (nettokalt)", "Angebote", "Bodenrichtwerte für Wohnbauland",
             "Preisgebundener Wohnungsbestand"],
            ["Median", "ausgewertete Inserate", "Mittelwert der Richtwertzonen",
             "Mietwohnungen mit Mietpreis- und Belegungsbindung"],
            ["EUR je qm", "Anzahl", "EUR je qm", "Anzahl"]]  # fmt: skip

    def cells(k, y):
        med, ads, brw, soc = vals[(k, y)]
        return [med, cnt(ads), brw, cnt(soc)]

    rows = ldb_rows(keys, years, cells)
    lines = [
        "Tabelle: WMB-02",
        gen._pad(
            "Wohnungsmarktbeobachtung NRW: Angebotsmieten (Median), durchschnittliche"
            " Bodenrichtwerte für Wohnbauland und preisgebundener Wohnungsbestand - Gemeinden"
            f" - Jahr ({gen.DEMO_MARK_LATIN1})",
            6,
        ),
    ]
    lines += [";;;" + ";".join(h) for h in head] + [";".join(x) for x in rows]
    lines += ["__________",
              '"DEMODATEN: synthetisch erzeugt mit fis.demo.generate, nicht amtlich.',
              "Angebotsmieten: Median der Inserate des Jahres (Quelle der echten",
              "Daten: NRW.BANK Wohnungsmarktbeobachtung, empirica-systeme/IDN).",
              "Bodenrichtwerte: ungewichtetes Mittel der Richtwertzonen für",
              "Wohnbauland am 01.01. (Gutachterausschüsse, BORIS.NRW).",
              "Beide Werte sind Lagemaße und werden nicht summiert.",
              "Preisgebundener Bestand: Mietwohnungen der öffentlichen",
              'Wohnraumförderung am 31.12. (NRW.BANK Wohnraumförderung)."',
              "© NRW.BANK, Düsseldorf, 2026 (Demodaten im Tabellenformat der Landesdatenbank).",
              gen.STAND_LDB]  # fmt: skip
    return gen._write(out / "nrwbank_wohnungsmarkt_demo.csv", lines, "latin-1")


def write_land_use(ctx: Ctx, out: Path) -> Path:
    r = rng("33111-01i")
    share = {"uni": 0.028, "town": 0.016, "rural": 0.009, "05": 0.029, "059": 0.018}
    vals = {}
    for k in AREAS:
        kind = KIND.get(k, k)
        e0 = share[kind] * (1 + 0.15 * r.normal())
        for y in YEARS:
            a = ctx.fig[k].area[y] * 10  # hundredths of km² -> 1000 qm
            f = (1.08 if y >= 2016 else 1.0) * (1 + 0.003 * (y - 2008))  # ALKIS from 2016
            vals[(k, y)] = [a, int(round(a * e0 * f))]
    for y in YEARS:
        vals[(KREIS, y)] = [sum(vals[(k, y)][i] for k in GEMEINDE_KEYS) for i in range(2)]
    head = [["Flächenerhebung nach Art der tatsächlichen Nutzung"] * 2,
            ["Bodenfläche insgesamt", "Sport-, Freizeit- und Erholungsfläche"],
            ["1000 qm"] * 2]  # fmt: skip
    return ldb(
        out, "33111-01i",
        "Bodenfläche nach ausgewählten Nutzungsarten - Stichtag 31.12. - Gemeinden",
        head, ldb_rows(ROWS_GEM, YEARS, lambda k, y: [cnt(v) for v in vals[(k, y)]], "31.12.{y}"),
        ["", "Ab 2016 Umstellung auf das Liegenschaftskataster ALKIS",
         "(Zeitreihenbruch, bis 2015 ,Erholungsfläche'). Demodaten in",
         "1000 qm statt ha."],
    )  # fmt: skip


def write_all(ctx: Ctx, out: Path) -> list[Path]:
    return [
        write_stock(ctx, out),
        write_completions(ctx, out),
        write_zensus_dwellings(ctx, out),
        write_zensus_households(ctx, out),
        write_market(ctx, out),
        write_land_use(ctx, out),
    ]
