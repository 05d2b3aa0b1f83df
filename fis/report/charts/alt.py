"""German alt texts of the charts: what a chart shows, in sentences a screen reader reads aloud."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fis.report.charts.layout import fmt, join_de, with_unit


def _unit_part(unit: str) -> str:
    return f" ({unit})" if unit.strip() and unit.strip() != "%" else ""


def alt_time_series(
    clean: Mapping[str, list[tuple[int, float | None]]],
    highlight: str,
    unit: str,
    title: str,
    decimals: int,
) -> str:
    """First and last value of each line, the highlighted region first, and its gaps."""
    years = sorted({y for pts in clean.values() for y, _ in pts})
    parts = [f"Liniendiagramm: {title}{_unit_part(unit)}, {years[0]} bis {years[-1]}."]
    order = [highlight, *[n for n in clean if n != highlight]]
    for name in order:
        known = [(y, v) for y, v in clean[name] if v is not None]
        if not known:
            parts.append(f"{name}: keine Werte.")
            continue
        (ya, va), (yb, vb) = known[0], known[-1]
        a = with_unit(fmt(va, decimals), unit)
        b = with_unit(fmt(vb, decimals), unit)
        parts.append(
            f"{name}: {b} ({yb})." if ya == yb else f"{name}: von {a} ({ya}) auf {b} ({yb})."
        )
        missing = [str(y) for y, v in clean[name] if v is None and ya < y < yb]
        if missing:
            parts.append(f"Für {name} fehlen Werte für {join_de(missing)}.")
    return " ".join(parts)


def alt_bars(
    known: list[tuple[str, float]],
    unknown: list[str],
    highlight: str,
    reference: float | None,
    reference_label: str,
    unit: str,
    decimals: int,
    title: str,
) -> str:
    """The highlighted Gemeinde's value and rank, the highest and lowest, the Kreis, the gaps."""
    n = len(known) + len(unknown)

    def f(v: float) -> str:
        return with_unit(fmt(v, decimals), unit)

    parts = [f"Balkendiagramm: {title}{_unit_part(unit)} in den {n} Gemeinden des Kreises."]
    ranks = {name: i + 1 for i, (name, _) in enumerate(known)}
    if highlight in ranks:
        value = dict(known)[highlight]
        parts.append(
            f"{highlight}: {f(value)}, Rang {ranks[highlight]} von {len(known)} "
            "(höchster Wert zuerst)."
        )
    elif highlight in unknown:
        parts.append(f"Für {highlight} liegt kein Wert vor.")
    if known:
        (top, vt), (bottom, vb) = known[0], known[-1]
        parts.append(f"Höchster Wert: {top} ({f(vt)}); niedrigster Wert: {bottom} ({f(vb)}).")
    if reference is not None:
        parts.append(f"{reference_label}: {f(reference)}.")
    if unknown:
        parts.append(f"Keine Angabe für {join_de(unknown)}.")
    return " ".join(parts)


def alt_age(
    groups: Sequence[str],
    reg: list[float | None],
    ref: list[float | None],
    region_label: str,
    reference_label: str,
    decimals: int,
    title: str,
) -> str:
    """Every age group's share in the region and in the Kreis."""

    def pct(v: float | None) -> str:
        return "k. A." if v is None else with_unit(fmt(v, decimals), "%")

    pairs = [f"{g}: {pct(r)} (Kreis {pct(k)})" for g, r, k in zip(groups, reg, ref)]
    return (
        f"Säulendiagramm: {title}, Anteile an der Bevölkerung in {region_label} "
        f"als Säulen, {reference_label} als Markierung zum Vergleich. " + "; ".join(pairs) + "."
    )
