"""Gemeinde figures of the local sources for statistics published only per Jugendamt or Kreis.

The KJH-Statistik (Kita, Tagespflege, erzieherische Hilfen, Inobhutnahmen, § 8a) is published
per Jugendamt and the BA publishes Bedarfsgemeinschaften with three and more children only per
Kreis; the Kreis has the same cases per Gemeinde in its own data (Kita-Bedarfsplanung by the
place of the Kita, the Jugendamt's Fachverfahren and the Jobcenter by Wohngemeinde). The demo
values here are CONSISTENT with the official demo exports (fis.demo.official_*): for every year
and variable the Gemeinden a Jugendamt serves sum exactly to its official value, and all eleven
to the official Kreis value, so that the warehouse's sum checks find nothing.

- Kita (22541): the Gemeinde counts the official demo adds up to its Jugendamt values.
- Tagespflege (22543): the official Jugendamt count apportioned to its Gemeinden by the
  Gemeinde expectations of the official demo (largest remainder); the part with more than
  7 hours drawn from those children (multivariate hypergeometric).
- Counts drawn per Jugendamt (HzE per Art, Inobhutnahmen, § 8a) and the Kreis count of SGB II
  Bedarfsgemeinschaften with 3+ children: split with a multinomial in proportion to each
  Gemeinde's expected count (its population times its social profile, as in the official
  rate); sub-counts (begun, with a lone parent, acute, latent) drawn from the Gemeinde's own
  cases (multivariate hypergeometric), so that a part never exceeds its whole. Siegen's values
  are those of the Jugendamt Siegen.

Fixed seeds, one stream per statistic: the same figures give the same values.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence

import numpy as np

from fis.demo import official_kita, official_social, official_youth
from fis.demo.generate import GEMEINDE_KEYS, KREIS, YEARS, apportion
from fis.demo.official_common import JA_MEMBERS, SOCIAL, Ctx, single_ages

SEED = 20260213
# variable -> (Gemeinde, year) -> count
Values = dict[str, dict[tuple[str, int], int]]

KITA_VARS = ("kita_u3", "kita_u3_gt7h", "kita_3_u6", "kita_3_u6_gt7h", "kita_kinder_insg",
             "kita_kinder_ndfs")  # fmt: skip
KTP_VARS = ("ktp_u3_ohne_kita", "ktp_u3_gt7h", "ktp_3_u6_ohne_kita", "ktp_3_u6_gt7h")
HZE_VARS = ("hze_inanspruch_ohne_eb", "hze_ambulant", "hze_begonnen", "hze_begonnen_ae",
            "hze_33", "hze_34", "ea_35a")  # fmt: skip
PROTECTION_VARS = ("inobhutnahmen_42", "kwg_verfahren", "kwg_akut", "kwg_latent")
SGB2_VARS = ("bg_3plus_kind",)
# index of each Kita variable in official_kita.kita(); of the Tagespflege pairs (all, >7h)
KITA_INDEX = {"kita_u3": 0, "kita_u3_gt7h": 1, "kita_3_u6": 2, "kita_3_u6_gt7h": 3,
              "kita_kinder_insg": 5, "kita_kinder_ndfs": 7}  # fmt: skip
KTP_PAIRS = (("ktp_u3_ohne_kita", "ktp_u3_gt7h", 0), ("ktp_3_u6_ohne_kita", "ktp_3_u6_gt7h", 2))
# Arten of official_youth.ARTS: §§ 27, 29-35 (without § 28 EB and § 35a), ambulant, 33, 34, 35a
HZE_ONLY = official_youth.HZE_ONLY
AMBULANT = [0, 2, 3, 4, 8]
ART_33, ART_34, ART_35A = 6, 7, 9
HZE_POWER = 0.6  # the social profile in the official HzE rate (all Arten but § 28)


def official_ctx(fig: dict) -> Ctx:
    """The context of the official demo exports for the same figures."""
    return Ctx(fig, single_ages(fig))


def _rng(name: str) -> np.random.Generator:
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def _split(r: np.random.Generator, total: int, weights: Sequence[float]) -> np.ndarray:
    """`total` cases over the Gemeinden: a multinomial in proportion to `weights`."""
    w = np.asarray(weights, dtype=float)
    if len(w) == 1:
        return np.array([total])
    return r.multinomial(int(total), w / w.sum())


def _part(r: np.random.Generator, whole: np.ndarray, n: int) -> np.ndarray:
    """`n` of the cases `whole` (per Gemeinde), drawn without replacement: part <= whole."""
    whole = np.asarray(whole, dtype=np.int64)
    if len(whole) == 1:
        return np.array([n])
    return r.multivariate_hypergeometric(whole, int(n))


def _by_jugendamt(
    years: Sequence[int], per_ja: Callable[[str, list[str], int], dict[str, np.ndarray]]
) -> Values:
    """Collect per_ja(jugendamt, members, year) -> {variable: counts of the members}."""
    out: Values = {}
    for y in years:
        for ja, members in JA_MEMBERS.items():
            for var, counts in per_ja(ja, members, y).items():
                for k, v in zip(members, counts, strict=True):
                    out.setdefault(var, {})[(k, y)] = int(v)
    return out


# --- Kita-Bedarfsplanung: Kita (Einrichtungsort) and Tagespflege (Ort der Tagespflegeperson) ---


def kita(octx: Ctx) -> Values:
    """Kita children and children in Tagespflege without a Kita per Gemeinde (01.03.)."""
    k = official_kita.kita(octx)
    out: Values = {var: {(g, y): int(k[(g, y)][i]) for g in GEMEINDE_KEYS for y in YEARS}
                   for var, i in KITA_INDEX.items()}  # fmt: skip
    tp = official_kita.childminding(octx)
    r = _rng("22543-01i")

    def per_ja(ja: str, members: list[str], y: int) -> dict[str, np.ndarray]:
        res = {}
        for var, var_gt7, i in KTP_PAIRS:
            counts = apportion([tp[(g, y)][i] for g in members], tp[(ja, y)][i])
            res[var] = counts
            res[var_gt7] = _part(r, counts, tp[(ja, y)][i + 1])
        return res

    return out | _by_jugendamt(YEARS, per_ja)


# --- Jugendamt-Fachverfahren: HzE, Inobhutnahmen, § 8a per Wohngemeinde ---------------------


def _weights(octx: Ctx, members: list[str], y: int, hi: int, power: float) -> list[float]:
    """Expected count of each Gemeinde up to a factor: population under `hi` × social profile."""
    return [octx.pop(g, y, 0, hi) * SOCIAL[g] ** power for g in members]


def youth(octx: Ctx) -> Values:
    """HzE, Inobhutnahmen and § 8a assessments per Wohngemeinde (Kalenderjahr)."""
    h = official_youth.hze(octx)
    fam = official_youth.hze_family(octx)
    r = _rng("22517")

    def hze(ja: str, members: list[str], y: int) -> dict[str, np.ndarray]:
        w = _weights(octx, members, y, 21, HZE_POWER)
        a = h[(ja, y)]
        n = {i: _split(r, a[i, 0], w) for i in [*HZE_ONLY, ART_35A]}  # in Anspruch genommen
        begun = sum(_part(r, n[i], a[i, 1]) for i in HZE_ONLY)
        return {
            "hze_inanspruch_ohne_eb": sum(n[i] for i in HZE_ONLY),
            "hze_ambulant": sum(n[i] for i in AMBULANT),
            "hze_begonnen": begun,
            "hze_begonnen_ae": _part(r, begun, fam[(ja, y)][2]),  # Elternteil lebt allein
            "hze_33": n[ART_33],
            "hze_34": n[ART_34],
            "ea_35a": n[ART_35A],
        }

    cust = official_youth.custody(octx)
    r_c = _rng("22523-01i")

    def custody(ja: str, members: list[str], y: int) -> dict[str, np.ndarray]:
        w = _weights(octx, members, y, 18, official_youth.CUSTODY_POWER)
        return {"inobhutnahmen_42": _split(r_c, cust[(ja, y)][0], w)}

    kwg = official_youth.assessments(octx)
    r_k = _rng("22518-01i")

    def assessments(ja: str, members: list[str], y: int) -> dict[str, np.ndarray]:
        w = _weights(octx, members, y, 18, official_youth.ASSESSMENT_POWER)
        n, acute, latent = kwg[(ja, y)][:3]
        total = _split(r_k, n, w)
        a = _part(r_k, total, acute)
        return {"kwg_verfahren": total, "kwg_akut": a, "kwg_latent": _part(r_k, total - a, latent)}

    return (_by_jugendamt(YEARS, hze) | _by_jugendamt(YEARS, custody)
            | _by_jugendamt(official_youth.KWG_YEARS, assessments))  # fmt: skip


# --- Jobcenter: Bedarfsgemeinschaften with 3+ children per Wohngemeinde ---------------------


def sgb2(octx: Ctx) -> Values:
    """SGB II Bedarfsgemeinschaften with three and more children per Gemeinde (December): the
    official Kreis count split in proportion to the Bedarfsgemeinschaften with children."""
    kreis = official_social.sgb2_kreis(octx)
    gem = official_social.sgb2(octx)
    r = _rng("22811-03i")
    out: Values = {"bg_3plus_kind": {}}
    for y in YEARS:
        counts = _split(r, kreis[(KREIS, y)][1], [gem[(g, y)][1] for g in GEMEINDE_KEYS])
        for g, v in zip(GEMEINDE_KEYS, counts, strict=True):
            out["bg_3plus_kind"][(g, y)] = int(v)
    return out


# --- the official values the Gemeinden add up to (for checks) -------------------------------


def official_totals(octx: Ctx) -> Values:
    """The official demo values per Jugendamt (kita, youth) or Kreis (all) and year."""
    k, tp = official_kita.kita(octx), official_kita.childminding(octx)
    h, fam = official_youth.hze(octx), official_youth.hze_family(octx)
    cust, kwg = official_youth.custody(octx), official_youth.assessments(octx)
    s = official_social.sgb2_kreis(octx)
    out: Values = {}
    keys = [*JA_MEMBERS, KREIS]
    for y in YEARS:
        for key in keys:
            row = {var: k[(key, y)][i] for var, i in KITA_INDEX.items()}
            for var, var_gt7, i in KTP_PAIRS:
                row[var], row[var_gt7] = tp[(key, y)][i], tp[(key, y)][i + 1]
            a = h[(key, y)]
            row |= {"hze_inanspruch_ohne_eb": a[HZE_ONLY, 0].sum(),
                    "hze_ambulant": a[AMBULANT, 0].sum(), "hze_begonnen": a[HZE_ONLY, 1].sum(),
                    "hze_begonnen_ae": fam[(key, y)][2], "hze_33": a[ART_33, 0],
                    "hze_34": a[ART_34, 0], "ea_35a": a[ART_35A, 0],
                    "inobhutnahmen_42": cust[(key, y)][0]}  # fmt: skip
            if y in official_youth.KWG_YEARS:
                row |= dict(zip(("kwg_verfahren", "kwg_akut", "kwg_latent"), kwg[(key, y)][:3],
                                strict=True))  # fmt: skip
            for var, v in row.items():
                out.setdefault(var, {})[(key, y)] = int(v)
        out.setdefault("bg_3plus_kind", {})[(KREIS, y)] = int(s[(KREIS, y)][1])
    return out


def check(octx: Ctx, values: Values) -> list[str]:
    """Disagreements of the Gemeinde values with the official ones (empty: consistent)."""
    members = JA_MEMBERS | {KREIS: GEMEINDE_KEYS}
    bad = []
    for var, tot in official_totals(octx).items():
        for (key, y), v in tot.items():
            s = sum(values[var][(g, y)] for g in members[key])
            if s != v:
                bad.append(f"{var} {key} {y}: Gemeinden {s}, amtlich {v}")
    return bad
