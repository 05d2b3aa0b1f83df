"""The instance configuration (fis.toml): focus Kreis, comparison regions, paths."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fis.errors import ConfigError

CONFIG_NAME = "fis.toml"


@dataclass(frozen=True)
class Config:
    """One FIS instance; paths are absolute."""

    root: Path
    name: str
    focus: str
    comparison: tuple[str, ...]
    warehouse: Path
    indicators: Path
    pipelines: Path
    demo: Path
    raw: Path
    out: Path
    jugendaemter: Path | None = None
    report: dict = field(default_factory=dict)
    rules_path: Path | None = None

    @cached_property
    def rules(self):
        """The validation rules of rules.yaml (defaults where it says nothing), read once."""
        from fis.rules import load_rules

        return load_rules(self.rules_path)


def find_project(start: Path | None = None) -> Path:
    """The folder holding fis.toml, searched upward from `start` (default: the working dir)."""
    here = (start or Path.cwd()).resolve()
    for d in (here, *here.parents):
        if (d / CONFIG_NAME).is_file():
            return d
    raise ConfigError(f"no {CONFIG_NAME} found in {here} or above; use --project DIR")


def load_config(project: Path | None = None) -> Config:
    """Read and check fis.toml of `project` (or the one found upward from the working dir)."""
    root = Path(project).resolve() if project else find_project()
    path = root / CONFIG_NAME
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found") from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(f"{path}: {e}") from None
    known = {"instance", "regions", "paths", "report"}
    unknown = set(raw) - known
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    regions = raw.get("regions", {})
    focus = str(regions.get("focus", ""))
    if not focus.isdigit() or len(focus) != 5:
        raise ConfigError(f"{path}: [regions] focus must be a 5-digit Kreis key, got {focus!r}")
    paths = raw.get("paths", {})

    def p(name: str, default: str) -> Path:
        return (root / paths.get(name, default)).resolve()

    return Config(
        root=root,
        name=raw.get("instance", {}).get("name", "FIS"),
        focus=focus,
        comparison=tuple(str(k) for k in regions.get("comparison", [focus])),
        warehouse=p("warehouse", "data/fis.duckdb"),
        indicators=p("indicators", "indicators"),
        pipelines=p("pipelines", "pipelines"),
        demo=p("demo", "data/demo"),
        raw=p("raw", "data/raw"),
        out=p("out", "data/out"),
        jugendaemter=p("jugendaemter", "data/regions/jugendaemter.csv"),
        report=raw.get("report", {}),
        rules_path=p("rules", "rules.yaml"),
    )
