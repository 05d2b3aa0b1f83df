"""Load the catalogue folder (indicators/) into models, and check it as a whole.

Layout: `variables/*.yaml` each hold `variables: [ {id: …, …}, … ]`;
`<handlungsfeld_slug>/<indicator_id>.yaml` each hold one indicator mapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from fis.catalog.models import HANDLUNGSFELDER, LEVELS, REQUIRED_LEVEL, Indicator, Variable
from fis.errors import CatalogError

VARIABLES_DIR = "variables"


@dataclass(frozen=True)
class Catalog:
    """Every variable and indicator by id, in file order (Handlungsfeld order for indicators)."""

    variables: dict[str, Variable]
    indicators: dict[str, Indicator]


# libyaml's C parser where PyYAML was built with it (about 10× faster on the ~190 files).
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CatalogError(f"{path}: cannot read: {err}") from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(err, "problem", None) or str(err)
        raise CatalogError(
            f"{where}: YAML syntax error: {' '.join(str(problem).split())}"
        ) from None


def _validation_message(err: ValidationError) -> str:
    """Pydantic's errors as one line: `unknown key 'foo'; decimals: Input should be …`."""
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"])
        if e["type"] == "extra_forbidden":
            parts.append(f"unknown key {loc!r}")
        elif e["type"] == "missing":
            parts.append(f"missing key {loc!r}")
        else:
            msg = e["msg"].removeprefix("Value error, ")
            parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def _build(model: type[BaseModel], data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise CatalogError(f"{where}: expected a mapping of keys, got {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise CatalogError(f"{where}: {_validation_message(err)}") from None


def _load_variables(folder: Path) -> tuple[dict[str, Variable], dict[str, Path]]:
    variables: dict[str, Variable] = {}
    origin: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = _read_yaml(path)
        if not isinstance(data, dict) or set(data) != {"variables"}:
            keys = sorted(data) if isinstance(data, dict) else type(data).__name__
            raise CatalogError(
                f"{path}: expected exactly one top-level key 'variables', got {keys}"
            )
        items = data["variables"]
        if not isinstance(items, list):
            raise CatalogError(f"{path}: 'variables' must be a list of mappings")
        for n, item in enumerate(items, start=1):
            name = item.get("id") if isinstance(item, dict) else None
            var = _build(Variable, item, f"{path}: variable #{n}" + (f" ({name})" if name else ""))
            if var.id in origin:
                raise CatalogError(
                    f"{path}: duplicate variable id {var.id!r} (also in {origin[var.id]})"
                )
            variables[var.id] = var
            origin[var.id] = path
    return variables, origin


def _indicator_files(root: Path) -> list[Path]:
    """Indicator files in Handlungsfeld order, then by file name; unknown folders are errors."""
    slugs = list(HANDLUNGSFELDER.values())
    for sub in root.iterdir():
        if sub.is_dir() and sub.name != VARIABLES_DIR and sub.name not in slugs:
            raise CatalogError(f"{sub}: unknown Handlungsfeld folder; one of: {', '.join(slugs)}")
    return [p for slug in slugs for p in sorted((root / slug).glob("*.yaml"))]


def load_catalog(root: Path) -> Catalog:
    """Load variables and indicators from the catalogue folder; CatalogError names the file."""
    root = Path(root)
    if not root.is_dir():
        raise CatalogError(f"{root}: catalogue folder not found")
    if not (root / VARIABLES_DIR).is_dir():
        raise CatalogError(f"{root / VARIABLES_DIR}: variables folder not found")
    variables, _ = _load_variables(root / VARIABLES_DIR)
    indicators: dict[str, Indicator] = {}
    origin: dict[str, Path] = {}
    for path in _indicator_files(root):
        ind = _build(Indicator, _read_yaml(path), str(path))
        if ind.id in origin:
            raise CatalogError(
                f"{path}: duplicate indicator id {ind.id!r} (also in {origin[ind.id]})"
            )
        if path.stem != ind.id:
            raise CatalogError(f"{path}: file name must be the indicator id ({ind.id}.yaml)")
        if path.parent.name != ind.slug:
            raise CatalogError(
                f"{path}: Handlungsfeld {ind.handlungsfeld!r} belongs in folder {ind.slug}/"
            )
        unknown = sorted({name for name, _ in ind.variables()} - variables.keys())
        if unknown:
            raise CatalogError(f"{path}: formula names unknown variable(s): {', '.join(unknown)}")
        indicators[ind.id] = ind
        origin[ind.id] = path
    return Catalog(variables=variables, indicators=indicators)


def check_catalog(cat: Catalog) -> list[str]:
    """Every fault of a catalogue as a message (empty list: all is well).

    Catches what single files cannot show: formulas naming unknown variables, entries filed
    under another id, an indicator and a variable sharing an id, and metadata that is present
    but meaningless (empty unit, empty or reversed range, a share above 100 %, levels without
    the Kreis, a level below the official one without the local source that allows it).
    Variables never reference indicators, so formulas cannot form cycles.
    """
    faults: list[str] = []
    for key, var in cat.variables.items():
        if key != var.id:
            faults.append(f"variable {var.id!r} is filed under id {key!r}")
        if not var.unit.strip():
            faults.append(f"variable {var.id!r}: unit missing")
    variable_ids = {var.id for var in cat.variables.values()} | set(cat.variables)
    for key, ind in cat.indicators.items():
        where = f"indicator {ind.id!r}"
        if key != ind.id:
            faults.append(f"{where} is filed under id {key!r}")
        if ind.id in variable_ids:
            faults.append(f"{where}: id is also a variable id")
        for name in sorted({name for name, _ in ind.variables()} - cat.variables.keys()):
            faults.append(f"{where}: formula names unknown variable {name!r}")
        if not ind.unit.strip():
            faults.append(f"{where}: unit missing")
        if ind.range is None or len(ind.range) != 2 or not ind.range[0] < ind.range[1]:
            faults.append(f"{where}: range missing or empty")
        elif (
            ind.unit == "%"
            and ind.range[0] >= 0
            and ind.range[1] > 100
            and not ("/" in ind.numerator and "/" in (ind.denominator or ""))
        ):  # a ratio of two rates in % (women's rate of men's) is no share: it may pass 100
            faults.append(f"{where}: a share cannot exceed 100 %, range is {list(ind.range)}")
        if not ind.short.strip():
            faults.append(f"{where}: short label missing")
        faults.extend(_level_faults(ind, where))
    return faults


def _level_faults(ind: Indicator, where: str) -> list[str]:
    """Levels: known, once each, in order, with the Kreis; local levels need their source."""
    faults = []
    levels = list(ind.levels)
    if REQUIRED_LEVEL not in levels:
        faults.append(f"{where}: levels must include {REQUIRED_LEVEL!r}, got {levels}")
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown:
        return [*faults, f"{where}: unknown level(s) {unknown}; one of: {', '.join(LEVELS)}"]
    if len(set(levels)) != len(levels) or levels != sorted(levels, key=LEVELS.index):
        faults.append(f"{where}: levels must be distinct and in the order {', '.join(LEVELS)}")
    try:
        local = ind.local_levels()
    except ValueError as err:
        return [*faults, f"{where}: lowest_level: {err}"]
    if local and not ind.level_note.strip():
        faults.append(
            f"{where}: levels {list(local)} lie below the official level "
            f"({ind.lowest_level}); level_note must name the local source"
        )
    if ind.level_note.strip() and not local:
        faults.append(
            f"{where}: level_note given, but no level lies below the official level "
            f"({ind.lowest_level})"
        )
    return faults
