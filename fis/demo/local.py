"""Demo files of the Kreis's local sources, in the templates of data/templates/.

Nine files, one per template (fis.readers.tabular.TEMPLATES), for the 11 Gemeinden, the Kreis
(where the source gives a Kreis value: the sum of the Gemeinden for additive counts, the flows
across the Kreis boundary for Zu-/Fortzüge) and the two Jugendämter (JH05970040 Siegen,
JH05970999 Kreisjugendamt for the other ten Gemeinden) for Jugendamt data.

Every figure is derived from the simulated population of fis.demo.generate.build_figures()
with assumed rates (shares, take-up, return rates) that put the catalogue's indicators into
realistic ranges, plus small deterministic noise (fixed seeds, one stream per source). The
files carry "DEMODATEN" in their template line and a note.

The Merkmale that carry official variables below the official level (Kita and Tagespflege by
the place of care, HzE, Inobhutnahmen and § 8a by Wohngemeinde, SGB II Bedarfsgemeinschaften
with 3+ children) come from fis.demo.local_gemeinde: Gemeinde rows only, summing exactly to the
official demo values of the Jugendämter and the Kreis, which the official files deliver.

    python -m fis.demo.local [FOLDER]     # rewrite the blank templates (default data/templates)
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from fis.readers import tabular

SEED = 20260212
STAND = "2026-02-10"
NOTE = "Hinweis: DEMODATEN – synthetisch erzeugt mit fis.demo.generate, nicht amtlich."
NOTE_LATIN1 = NOTE.replace("–", "-")
KREIS, JH_SIEGEN, JH_KREIS = "05970", "JH05970040", "JH05970999"
SIEGEN = "05970040"
NAMES = {KREIS: "Siegen-Wittgenstein, Kreis", JH_SIEGEN: "Jugendamt Siegen",
         JH_KREIS: "Kreisjugendamt Siegen-Wittgenstein"}  # fmt: skip
SURVEY_YEARS = (2008, 2014, 2020, 2024)
# Cells the demo carries on purpose: (template, key, year, Merkmal index) -> symbol. Secret
# cells (small numbers); the Kreis and Jugendamt sums still contain the true value.
SECRET = {
    ("kita_bedarfsplanung", "05970012", 2009, 1): ".",
    ("schuleingangsuntersuchung", "05970012", 2012, 4): ".",
    ("familienbefragung", "05970012", 2008, 11): ".",
}
# Level of a few behaviours by kind of Gemeinde: Siegen (university town), towns, Wittgenstein.
KIND = {"uni": 0, "town": 1, "rural": 2}


@dataclass
class _Ctx:
    """The population figures and what several sources share."""

    fig: dict
    keys: list[str]
    kind: dict[str, int]
    names: dict[str, str]
    years: list[int]
    apportion: object
    mig: dict = field(default_factory=dict)  # (key, year) -> share with Migrationshintergrund
    births: dict = field(default_factory=dict)  # (key, year) -> births (register, Wohnort)
    _gemeinde: dict = field(default_factory=dict)

    def gemeinde(self, which: str) -> dict:
        """Gemeinde values of official variables (fis.demo.local_gemeinde.<which>: kita,
        youth, sgb2): variable -> (Gemeinde, year) -> count; computed once per context."""
        from fis.demo import local_gemeinde  # imports the official writers: not at import time

        if "ctx" not in self._gemeinde:
            self._gemeinde["ctx"] = local_gemeinde.official_ctx(self.fig)
        if which not in self._gemeinde:
            self._gemeinde[which] = getattr(local_gemeinde, which)(self._gemeinde["ctx"])
        return self._gemeinde[which]

    def ages(self, key: str, year: int) -> np.ndarray:
        """Population by the 17 age groups on 31.12. (2008 for earlier years)."""
        return self.fig[key].age[max(year, self.years[0])].sum(axis=0).astype(float)

    def pop(self, key: str, year: int) -> int:
        return int(self.fig[key].pop[year])


def _context(fig) -> _Ctx:
    from fis.demo import generate as gen

    ctx = _Ctx(fig, gen.GEMEINDE_KEYS, {g.key: KIND[g.kind] for g in gen.GEMEINDEN},
               {g.key: g.name_rs.split(",")[0] for g in gen.GEMEINDEN} | NAMES, gen.YEARS,
               gen.apportion)  # fmt: skip
    rng = np.random.default_rng([SEED, 0])
    for key in ctx.keys:
        base = (0.235, 0.195, 0.16)[ctx.kind[key]] + rng.normal(0, 0.02)
        noise = rng.normal(0, 0.01, len(ctx.years))
        for i, y in enumerate(ctx.years):
            wave = 0.008 * (y >= 2015) + 0.006 * (y >= 2016) + 0.007 * (y >= 2022)
            ctx.mig[(key, y)] = base + 0.0035 * (y - 2008) + wave
            b = sum(fig[key].births[y])
            ctx.births[(key, y)] = int(round(b * (1 + 0.004 + noise[i])))
    return ctx


# --- rows ------------------------------------------------------------------------------------


class _Rows:
    """Collects one file's rows: Gemeinde values plus the Kreis and Jugendamt sums."""

    def __init__(self, ctx: _Ctx, template: str):
        self.ctx, self.template, self.rows = ctx, template, []
        self.merkmale = tabular.TEMPLATES[template].merkmale

    def add(self, i: int, period: str, values: dict[str, int], kreis=True, jh=False,
            tenths=False, flag="") -> None:  # fmt: skip
        """Merkmal i for one period: values by Gemeinde (ints; tenths for weighted counts).

        kreis: True = the sum of the Gemeinden, an int = a delivered value, False = none.
        flag: a quality flag in Zeichen for every value (e.g. "()" Aussagewert eingeschränkt).
        """
        out = dict(values)
        if kreis is True:
            out[KREIS] = sum(values.values())
        elif kreis is not False:
            out[KREIS] = int(kreis)
        if jh and SIEGEN in values:
            out[JH_SIEGEN] = values[SIEGEN]
        if jh and set(values) - {SIEGEN}:
            out[JH_KREIS] = sum(v for k, v in values.items() if k != SIEGEN)
        for key, v in out.items():
            symbol = SECRET.get((self.template, key, int(period[:4]), i))
            if symbol:
                wert, zeichen = "", symbol
            elif v == 0:
                wert, zeichen = "", "-"
            else:
                wert, zeichen = (f"{v // 10},{v % 10}" if tenths else str(v)), flag
            self.rows.append((period, _order(key), i, key, self.ctx.names[key], wert, zeichen))

    def frame(self) -> pd.DataFrame:
        rows = sorted(self.rows, key=lambda r: (r[0][:4], r[1], r[2]))
        return pd.DataFrame(
            [(r[3], r[4], r[0], self.merkmale[r[2]], r[5], r[6]) for r in rows],
            columns=list(tabular.HEADER),
        )


def _order(key: str) -> tuple[int, str]:
    return (0 if key == KREIS else 2 if key.startswith("JH") else 1, key)


def _title(template: str, latin1: bool = False) -> str:
    mark = "DEMODATEN - nicht amtlich" if latin1 else "DEMODATEN – nicht amtlich"
    return f"{tabular.TEMPLATES[template].title} ({mark})"


def _r(x) -> int:
    return int(round(float(x)))


# --- the sources -----------------------------------------------------------------------------


def melderegister(ctx: _Ctx) -> _Rows:
    """Register births, under-6 moves, moves within the Gemeinde, residence, MigraPro."""
    out, rng = _Rows(ctx, "melderegister"), np.random.default_rng([SEED, 1])
    stay = {k: (0.53, 0.66, 0.71)[ctx.kind[k]] + rng.normal(0, 0.015) for k in ctx.keys}
    moves = {k: (0.062, 0.043, 0.036)[ctx.kind[k]] * (1 + rng.normal(0, 0.08)) for k in ctx.keys}
    for y in ctx.years:
        eps = rng.normal(0, 0.03, (4, len(ctx.keys) + 1))
        stock, flow = f"{y}-12-31", str(y)
        out.add(0, flow, {k: ctx.births[(k, y)] for k in ctx.keys})
        for i, which in ((1, "zuz"), (2, "fort")):
            vals = {k: _r(getattr(ctx.fig[k], which)[y][0] * (1 + eps[i - 1, j]))
                    for j, k in enumerate(ctx.keys)}  # fmt: skip
            kreis = _r(getattr(ctx.fig[KREIS], which)[y][0] * (1 + eps[i - 1, -1]))
            out.add(i, flow, vals, kreis=kreis)  # across the Kreis boundary: delivered
        covid = 0.94 if y in (2020, 2021) else 1.0
        out.add(3, flow, {k: _r(ctx.pop(k, y) * moves[k] * covid * (1 + eps[2, j]))
                          for j, k in enumerate(ctx.keys)})  # fmt: skip
        ab5 = {k: ctx.pop(k, y) - ctx.ages(k, y)[0] - ctx.ages(k, y)[1] * 2 / 3 for k in ctx.keys}
        trend = {k: -0.0015 * max(0, y - 2014) for k in ctx.keys}
        out.add(4, stock, {k: _r(ab5[k] * (stay[k] + trend[k])) for k in ctx.keys})
        out.add(5, stock, {k: _r(ctx.pop(k, y) * ctx.mig[(k, y)]) for k in ctx.keys})
        out.add(6, stock, {k: _r(ctx.ages(k, y)[:5].sum() * min(0.7, 1.55 * ctx.mig[(k, y)]))
                           for k in ctx.keys})  # fmt: skip
        out.add(7, stock, {k: _r(ctx.ages(k, y)[1] * min(0.75, 1.65 * ctx.mig[(k, y)]))
                           for k in ctx.keys})  # fmt: skip
    return out


def households(ctx: _Ctx) -> dict[tuple[str, int], list[int]]:
    """Haushaltegenerierung: the 13 Merkmale of the template per (Gemeinde, year)."""
    rng = np.random.default_rng([SEED, 2])
    res = {}
    for k in ctx.keys:
        c = ctx.kind[k]
        size0 = (1.96, 2.31, 2.27)[c] + rng.normal(0, 0.03)
        one0 = (0.445, 0.33, 0.345)[c] + rng.normal(0, 0.01)
        n1, n3 = (0.52, 0.49, 0.46)[c], (0.115, 0.12, 0.135)[c]
        lone = (0.205, 0.155, 0.145)[c] + rng.normal(0, 0.01)
        old = (0.33, 0.40, 0.45)[c]
        inst = (0.018, 0.012, 0.017)[c]
        for y in ctx.years:
            t, a = y - 2008, ctx.ages(k, y)
            in_hh = _r(ctx.pop(k, y) * (1 - inst))
            hh = _r(in_hh / (size0 - 0.0055 * t))
            one = _r(hh * (one0 + 0.0022 * t))
            kids = _r(a[:5].sum() * 0.992)
            fam = _r(kids / (n1 + 2 * (1 - n1 - n3) + 3.3 * n3))
            u6 = _r(fam * min(0.9, 1.12 * (a[0] + a[1]) / a[:5].sum()))
            ae = _r(fam * (lone + 0.001 * t))
            res[(k, y)] = [in_hh, hh, one, _r(one * (old + 0.002 * t)), fam, u6,
                           _r(fam * n1), _r(fam * n3), ae, _r(fam * 0.986) - ae,
                           _r(fam * min(0.7, 1.5 * ctx.mig[(k, y)])), kids,
                           _r(ae * 1.47)]  # fmt: skip
    return res


def haushaltegenerierung(ctx: _Ctx) -> _Rows:
    out, hh = _Rows(ctx, "haushaltegenerierung"), households(ctx)
    for y in ctx.years:
        for i in range(13):
            out.add(i, f"{y}-12-31", {k: hh[(k, y)][i] for k in ctx.keys})
    return out


U3_RATE = dict(zip(range(2008, 2025), [0.09, 0.12, 0.15, 0.18, 0.21, 0.25, 0.27, 0.28, 0.285,
               0.29, 0.295, 0.30, 0.30, 0.305, 0.31, 0.315, 0.32], strict=True))  # fmt: skip


# Merkmale of the templates that carry official variables per Gemeinde (fis.demo.local_gemeinde),
# in template order after the template's own Merkmale.
KITA_OFFICIAL = ("kita_u3", "kita_u3_gt7h", "kita_3_u6", "kita_3_u6_gt7h", "kita_kinder_insg",
                 "kita_kinder_ndfs", "ktp_u3_ohne_kita", "ktp_u3_gt7h", "ktp_3_u6_ohne_kita",
                 "ktp_3_u6_gt7h")  # fmt: skip
YOUTH_OFFICIAL = ("hze_inanspruch_ohne_eb", "hze_ambulant", "hze_begonnen", "hze_begonnen_ae",
                  "hze_33", "hze_34", "ea_35a", "inobhutnahmen_42", "kwg_verfahren", "kwg_akut",
                  "kwg_latent")  # fmt: skip
# The Kreisjugendamt did not record § 8a for every month of 2012 (see the official 22518-01i):
# the values of its Gemeinden carry "()" like its official value.
LIMITED_KREISJUGENDAMT = {("kwg_verfahren", 2012)}


def _add_official(out: _Rows, first: int, names: tuple[str, ...], values: dict, y: int,
                  period: str) -> None:  # fmt: skip
    """Gemeinde rows (no Kreis, no Jugendamt: the official files deliver those) of official
    variables, Merkmal `first` onwards in the order of `names`."""
    for i, var in enumerate(names, first):
        if (SIEGEN, y) not in values[var]:  # not yet collected (§ 8a: since 2012)
            continue
        vals = {k: values[var][(k, y)] for k in out.ctx.keys}
        limited = [k for k in vals if k != SIEGEN] if (var, y) in LIMITED_KREISJUGENDAMT else []
        out.add(i, period, {k: v for k, v in vals.items() if k not in limited}, kreis=False)
        if limited:
            out.add(i, period, {k: vals[k] for k in limited}, kreis=False, flag="()")


def kita_bedarfsplanung(ctx: _Ctx) -> _Rows:
    """Children by Wohnort (01.03.), places and registrations (Kindergartenjahr from 01.08.);
    children in Kitas and Tagespflege by the place of care (01.03.), consistent with the
    official KJH-Statistik."""
    out, rng = _Rows(ctx, "kita_bedarfsplanung"), np.random.default_rng([SEED, 3])
    level = {k: (1.12, 1.0, 0.88)[ctx.kind[k]] * (1 + rng.normal(0, 0.06)) for k in ctx.keys}
    unmet = {k: (0.12, 0.07, 0.045)[ctx.kind[k]] for k in ctx.keys}
    for y in ctx.years:
        e = rng.normal(0, 0.02, (4, len(ctx.keys)))
        care = {k: ctx.ages(k, y - 1)[0] * U3_RATE[y] * level[k] * (1 + e[0, j])
                for j, k in enumerate(ctx.keys)}  # fmt: skip
        tp = 0.20 + 0.01 * min(y - 2008, 10)  # Tagespflege share of U3 care
        kita = {k: _r(v * (1 - tp)) for k, v in care.items()}
        mar, aug = f"{y}-03-01", f"{y}-08-01"
        out.add(0, mar, kita, jh=True)
        out.add(1, mar, {k: _r(v * tp) for k, v in care.items()}, jh=True)
        out.add(2, aug, {k: _r(kita[k] * (1.03 + e[1, j])) for j, k in enumerate(ctx.keys)},
                jh=True)  # fmt: skip
        p3 = 0.97 + 0.004 * min(y - 2008, 10)
        out.add(3, aug, {k: _r(ctx.ages(k, y)[1] * (p3 + 0.03 * (ctx.kind[k] == 2) + e[2, j]))
                         for j, k in enumerate(ctx.keys)}, jh=True)  # fmt: skip
        if y >= 2016:  # the Kita-Anmeldeportal went online for the Kindergartenjahr 2016/17
            wish = {k: _r((ctx.ages(k, y)[0] * 0.45 + ctx.ages(k, y)[1] * 0.33) * (1 + e[3, j]))
                    for j, k in enumerate(ctx.keys)}  # fmt: skip
            squeeze = 1.4 if 2018 <= y <= 2023 else 1.0
            miss = {k: _r(wish[k] * unmet[k] * squeeze) for k in ctx.keys}
            if y == 2017:
                miss["05970012"] = 0  # Erndtebrück: every wish met ("-")
            out.add(4, aug, wish, jh=True)
            out.add(5, aug, miss, jh=True)
        _add_official(out, 6, KITA_OFFICIAL, ctx.gemeinde("kita"), y, mar)
    return out


FZ_PATH = dict(zip(range(2008, 2025), [9, 14, 19, 24, 28, 31, 33, 34, 34, 35, 35, 35, 36, 36,
               36, 36, 36], strict=True))  # fmt: skip


def einrichtungen(ctx: _Ctx) -> _Rows:
    """Familienzentren (Kindergartenjahr), playground area and youth centre places (31.12.)."""
    out, rng = _Rows(ctx, "einrichtungen"), np.random.default_rng([SEED, 4])
    u6 = [ctx.ages(k, 2024)[:2].sum() for k in ctx.keys]
    fz = dict(zip(ctx.keys, ctx.apportion(u6, FZ_PATH[2024]), strict=True))
    m2 = {k: ctx.pop(k, 2008) * (0.9, 1.3, 1.7)[ctx.kind[k]] * (1 + rng.normal(0, 0.1))
          for k in ctx.keys}  # fmt: skip
    jfe = {k: (1.6, 2.3, 2.8)[ctx.kind[k]] * (1 + rng.normal(0, 0.12)) for k in ctx.keys}
    new = {k: set(rng.choice(ctx.years[1:], 3, replace=False).tolist()) for k in ctx.keys}
    youth = {k: ctx.ages(k, 2008)[2:7].sum() for k in ctx.keys}  # places planned in 2008
    for y in ctx.years:
        share = FZ_PATH[y] / FZ_PATH[2024]
        out.add(0, str(y), {k: int(np.floor(fz[k] * share + 0.5)) for k in ctx.keys})
        for k in ctx.keys:  # a new playground now and then
            m2[k] *= 1.0 + 0.04 * (y in new[k])
        out.add(1, f"{y}-12-31", {k: int(round(m2[k], -1)) for k in ctx.keys})
        out.add(2, f"{y}-12-31", {k: 5 * _r(youth[k] * jfe[k] / 500) for k in ctx.keys})
    return out


def schuleingangsuntersuchung(ctx: _Ctx) -> _Rows:
    """ESU by Wohngemeinde: the Einschulungsjahrgang t is about a third of the 3-6 group."""
    out, rng = _Rows(ctx, "schuleingangsuntersuchung"), np.random.default_rng([SEED, 5])
    for y in ctx.years:
        t = y - 2008
        corona = y in (2021, 2022)
        refugees = 0.02 * (y >= 2017)
        cols: list[dict[str, int]] = [{} for _ in range(15)]
        for k in ctx.keys:
            c, e = ctx.kind[k], rng.normal(0, 0.04, 15)
            n = _r(ctx.ages(k, y - 1)[1] / 3 * 0.975 * (1 + e[0] / 2))
            bmi, info = _r(n * 0.985), _r(n * (0.87 - refugees - 0.01 * (c == 0)) * (1 + e[1] / 4))
            p90 = bmi * ((0.118, 0.103, 0.112)[c] + 0.012 * corona) * (1 + e[2])
            vacc = _r(n * min(0.96, 0.905 + 0.003 * t + 0.02 * (y >= 2020)))
            uheft = _r(n * (0.90 + 0.002 * t))
            vals = [n, bmi, info, p90, p90 * 0.42 * (1 + e[3]),
                    n * ((0.27, 0.22, 0.21)[c] + 0.002 * t + refugees) * (1 + e[4]),
                    n * (0.17, 0.155, 0.16)[c] * (1 + e[5]),
                    info * min(0.95, 0.86 + 0.006 * t - refugees) * (1 + e[6] / 4),
                    vacc, vacc * min(0.97, 0.88 + 0.006 * t) * (1 + e[7] / 8),
                    uheft, uheft * (0.86 + 0.0025 * t) * (1 + e[8] / 8),
                    info * ((0.50, 0.58, 0.62)[c] - 0.12 * corona) * (1 + e[9]),
                    info * ((0.17, 0.14, 0.13)[c] + 0.003 * t + 0.06 * corona) * (1 + e[10]),
                    info * ((0.16, 0.11, 0.10)[c] + refugees) * (1 + e[11])]  # fmt: skip
            for i, v in enumerate(vals):
                cols[i][k] = _r(v)
        for i, col in enumerate(cols):
            out.add(i, str(y), col)
    return out


def jugendamt_fachverfahren(ctx: _Ctx) -> _Rows:
    """HzE incl. Erziehungsberatung by Wohnort, welcome visits, missed U-Untersuchungen; the
    official HzE, Inobhutnahme and § 8a counts by Wohngemeinde."""
    out, rng = _Rows(ctx, "jugendamt_fachverfahren"), np.random.default_rng([SEED, 6])
    hze = {k: (0.058, 0.042, 0.040)[ctx.kind[k]] * (1 + rng.normal(0, 0.08)) for k in ctx.keys}
    for y in ctx.years:
        e = rng.normal(0, 0.04, (3, len(ctx.keys)))
        u21 = {k: ctx.ages(k, y)[:6].sum() + ctx.ages(k, y)[6] / 5 for k in ctx.keys}
        grow = 1 + 0.012 * (y - 2008)
        out.add(0, str(y), {k: _r(u21[k] * hze[k] * grow * (1 + e[0, j]))
                            for j, k in enumerate(ctx.keys)}, kreis=False, jh=True)  # fmt: skip
        # Willkommensbesuche: Jugendamt Siegen since 2009, the Kreisjugendamt since 2012.
        covid = {2020: 0.55, 2021: 0.8}.get(y, 1.0)
        visits = {k: _r(ctx.births[(k, y)] * (0.72 if k == SIEGEN else 0.66) * covid
                        * (1 + e[1, j])) for j, k in enumerate(ctx.keys)
                  if y >= (2009 if k == SIEGEN else 2012)}  # fmt: skip
        if visits:
            out.add(1, str(y), visits, kreis=False, jh=True)
        if y >= 2009:  # the NRW Meldeverfahren U5-U9 started in 2009
            due = {k: _r((ctx.ages(k, y)[0] + ctx.ages(k, y)[1]) * 0.83) for k in ctx.keys}
            miss = (0.045 - 0.001 * (y - 2009)) * (1.2 if y == 2020 else 1.0)
            out.add(2, str(y), due, kreis=False, jh=True)
            out.add(3, str(y), {k: _r(due[k] * miss * (1.15 if k == SIEGEN else 1) *
                                      (1 + 2 * e[2, j])) for j, k in enumerate(ctx.keys)},
                    kreis=False, jh=True)  # fmt: skip
        _add_official(out, 4, YOUTH_OFFICIAL, ctx.gemeinde("youth"), y, str(y))
    return out


def bildung_teilhabe(ctx: _Ctx) -> _Rows:
    """BuT (since 2011): eligible children by Wohngemeinde and those with a benefit."""
    out, rng = _Rows(ctx, "bildung_teilhabe"), np.random.default_rng([SEED, 7])
    take = dict(zip(range(2011, 2025), [0.42, 0.50, 0.55, 0.59, 0.62, 0.64, 0.66, 0.68, 0.70,
                0.60, 0.64, 0.70, 0.72, 0.74], strict=True))  # fmt: skip
    level = {k: (0.175, 0.11, 0.10)[ctx.kind[k]] * (1 + rng.normal(0, 0.1)) for k in ctx.keys}
    for y in range(2011, ctx.years[-1] + 1):
        e = rng.normal(0, 0.03, (2, len(ctx.keys)))
        extra = 0.02 * (y >= 2016) + 0.015 * (y >= 2023)
        elig = {k: _r(ctx.ages(k, y)[:6].sum() * (level[k] + extra) * (1 + e[0, j]))
                for j, k in enumerate(ctx.keys)}  # fmt: skip
        out.add(0, str(y), elig)
        out.add(1, str(y), {k: _r(elig[k] * take[y] * (1 + e[1, j]))
                            for j, k in enumerate(ctx.keys)})  # fmt: skip
    return out


def jobcenter(ctx: _Ctx) -> _Rows:
    """SGB II Bedarfsgemeinschaften with three and more children by Wohngemeinde (December),
    consistent with the official Kreis value of the BA statistic."""
    out = _Rows(ctx, "jobcenter")
    for y in ctx.years:
        _add_official(out, 0, ("bg_3plus_kind",), ctx.gemeinde("sgb2"), y, f"{y}-12-31")
    return out


def familienbefragung(ctx: _Ctx) -> _Rows:
    """Weighted answers (in tenths) of the survey waves; about 40 % of the families sampled
    answer. The sample is disproportionate: at least 250 families per Gemeinde."""
    out, rng = _Rows(ctx, "familienbefragung"), np.random.default_rng([SEED, 8])
    hh = households(ctx)
    sample = {2008: 4000, 2014: 4000, 2020: 4500, 2024: 4500}
    ret = {2008: 0.44, 2014: 0.41, 2020: 0.37, 2024: 0.39}
    emp_m = {2008: 0.58, 2014: 0.64, 2020: 0.69, 2024: 0.72}
    for y in SURVEY_YEARS:
        fam = np.array([hh[(k, y)][4] for k in ctx.keys], dtype=float)
        n = np.maximum(ctx.apportion(fam, sample[y] - 250 * len(fam)), 0) + 250
        cols: list[dict[str, int]] = [{} for _ in range(13)]
        for j, k in enumerate(ctx.keys):
            c, e = ctx.kind[k], rng.normal(0, 0.05, 13)
            covid = y == 2020
            f = n[j] * ret[y] * (1 + e[0]) * (1 + rng.normal(0, 0.02))  # weighted: not whole
            work, inc, par = f * (0.86, 0.90, 0.89)[c] * (1 + e[1] / 4), f * 0.82, f * 1.62
            moth = f * 0.95
            vals = [f, work, inc * (1 + e[2] / 4), par, moth,
                    moth * (emp_m[y] - 0.03 * (c == 2)) * (1 + e[3] / 3),
                    f * (0.10, 0.08, 0.11)[c] * (1 + e[4]),
                    f * (0.72, 0.80, 0.83)[c] * (1 + e[5] / 4),
                    work * (0.36 + 0.09 * covid) * (1 + e[6]),
                    par * (0.38 + 0.08 * covid) * (1 + e[7]),
                    inc * (0.21, 0.145, 0.14)[c] * (1 + e[8]),
                    f * (0.07 + 0.0012 * (y - 2008)) * (1 + e[9]),
                    f * (0.50, 0.63, 0.70)[c] * (1 + e[10] / 2)]  # fmt: skip
            for i, v in enumerate(vals):
                cols[i][k] = _r(v * 10)
        for i, col in enumerate(cols):
            out.add(i, str(y), col, tenths=True)
    return out


# --- files -----------------------------------------------------------------------------------

# template -> (rows of the source, file suffix, encoding). The facility register and the
# Gesundheitsamt deliver Excel files; the Jugendamt's older export is ISO-8859-1.
SOURCES = {
    "melderegister": (melderegister, "csv", "utf-8-sig"),
    "haushaltegenerierung": (haushaltegenerierung, "csv", "utf-8-sig"),
    "kita_bedarfsplanung": (kita_bedarfsplanung, "csv", "utf-8-sig"),
    "einrichtungen": (einrichtungen, "xlsx", None),
    "schuleingangsuntersuchung": (schuleingangsuntersuchung, "xlsx", None),
    "jugendamt_fachverfahren": (jugendamt_fachverfahren, "csv", "cp1252"),
    "bildung_teilhabe": (bildung_teilhabe, "csv", "utf-8"),
    "jobcenter": (jobcenter, "csv", "utf-8-sig"),
    "familienbefragung": (familienbefragung, "csv", "utf-8-sig"),
}


def file_name(template: str) -> str:
    suffix = SOURCES[template][1]
    return f"lokal_{template}_demo.{suffix}"


def write_all(fig: dict, out: Path) -> list[Path]:
    """Write every local-source demo file into `out`; returns their paths."""
    ctx = _context(fig)
    paths = []
    for template, (make, suffix, encoding) in SOURCES.items():
        rows = make(ctx).frame()
        path = Path(out) / file_name(template)
        if suffix == "xlsx":
            tabular.write_xlsx(path, template, rows, _title(template), STAND, [NOTE])
        elif encoding == "cp1252":  # a plain Windows export: no BOM, ISO-8859-1 compatible
            tabular.write_csv(path, template, rows, _title(template, True), STAND,
                              [NOTE_LATIN1], encoding="cp1252")  # fmt: skip
        else:
            nl = "\r\n" if encoding == "utf-8-sig" else "\n"
            tabular.write_csv(path, template, rows, _title(template), STAND, [NOTE],
                              encoding=encoding, newline=nl)  # fmt: skip
        paths.append(path)
    return paths


TEMPLATE_STAND = "#Stand: JJJJ-MM-TT"


def write_templates(fig: dict, folder: Path) -> list[Path]:
    """The blank templates: one row per Merkmal (Bad Berleburg 2024) with an empty Wert, as
    CSV (UTF-8 with BOM, CRLF, as German Excel saves it) and XLSX. An unfilled template cannot
    be loaded by mistake: the reader stops at the Stand placeholder and the empty values."""
    ctx = _context(fig)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for template, (make, _, _) in SOURCES.items():
        rows = make(ctx).frame()
        rows = rows[(rows["Schlüssel"] == "05970004") & rows["Zeitraum"].str.startswith("2024")]
        rows = rows.assign(Wert="", Zeichen="")
        notes = [TEMPLATE_STAND[1:], "Quelle: (Datenhalter und Datei eintragen)",
                 "Hinweis: eine Zeile je Gebiet, Zeitraum und Merkmal; Spalten, Merkmale und "
                 "Zeichen siehe README.md"]  # fmt: skip
        csv_path = tabular.write_csv(folder / f"{template}.csv", template, rows, notes=notes)
        xlsx_path = tabular.write_xlsx(folder / f"{template}.xlsx", template, rows, notes=notes)
        paths += [csv_path, xlsx_path]
    return paths


def main(argv: list[str] | None = None) -> int:
    from fis.demo.generate import build_figures

    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "data" / "templates"
    for p in write_templates(build_figures(), folder):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
