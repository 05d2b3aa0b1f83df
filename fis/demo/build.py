"""`fis demo`: build the demo warehouse from the bundled demo exports in data/demo/."""

from __future__ import annotations

from fis.config import Config
from fis.errors import FisError
from fis.warehouse import schema
from fis.warehouse.refresh import RefreshReport, refresh


def build_demo(cfg: Config, progress=None) -> tuple[RefreshReport, str]:
    """Refresh the demo files into the warehouse and summarise what it now holds.

    Refuses to touch a warehouse that holds anything but demo sources, so that `fis demo`
    never mixes demo figures into a planner's real data.
    """
    if not cfg.demo.is_dir() or not any(cfg.demo.iterdir()):
        raise FisError(f"{cfg.demo}: no demo data; run 'python -m fis.demo.generate'")
    if cfg.warehouse.exists():
        con = schema.connect(cfg.warehouse)
        foreign = con.execute(
            "SELECT path FROM sources WHERE NOT starts_with(path, ?)", [str(cfg.demo)]
        ).fetchall()
        con.close()
        if foreign:
            raise FisError(
                f"{cfg.warehouse} holds non-demo data (e.g. {foreign[0][0]}); "
                "set another [paths] warehouse in fis.toml for the demo"
            )
    report = refresh(cfg, [cfg.demo], progress=progress)
    return report, summarise(cfg)


def summarise(cfg: Config) -> str:
    """A few lines on what the warehouse holds."""
    con = schema.connect(cfg.warehouse, read_only=True)
    try:
        n_reg, n_gem = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE parent_key = ? AND level = 'gemeinde') FROM regions",
            [cfg.focus],
        ).fetchone()
        n_obs, p0, p1 = con.execute(
            "SELECT count(*), min(period), max(period) FROM observations"
        ).fetchone()
        n_ind, n_val = con.execute(
            "SELECT count(DISTINCT indicator_id), count(*) FROM indicator_values WHERE value IS NOT NULL"
        ).fetchone()
    finally:
        con.close()
    return (
        f"Warehouse {cfg.warehouse}: {n_reg} Gebiete ({n_gem} Gemeinden im Kreis {cfg.focus}), "
        f"{n_obs} Beobachtungen {p0}–{p1}, {n_ind} Indikatoren mit {n_val} Werten.\n"
        'Weiter: fis show Siegen · fis table share_under18 · fis query "SELECT ..."'
    )
