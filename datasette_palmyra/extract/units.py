"""The one pint registry of the program, and cached conversions to SI base units.

pint quantities from two registries do not mix and building one costs about 0.4 s, so it is built
once, lazily, with our news units (news_units.txt) added. Conversions are cached per unit name:
the extractor converts thousands of figures and must not rebuild a quantity each time.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

NEWS_UNITS = Path(__file__).parent / "news_units.txt"

# pint dimensionality -> the kind name claims carry
DIMENSION_NAMES = {
    "[length]": "length",
    "[length] ** 2": "area",
    "[length] ** 3": "volume",
    "[mass]": "mass",
    "[time]": "duration",
    "[temperature]": "temperature",
    "[length] / [time]": "speed",
    "[mass] * [length] ** 2 / [time] ** 3": "power",
    "[mass] * [length] ** 2 / [time] ** 2": "energy",
    "[]": "count",
}


@functools.lru_cache(maxsize=1)
def registry():
    import pint

    ureg = pint.UnitRegistry()
    ureg.load_definitions(str(NEWS_UNITS))
    return ureg


@dataclass(frozen=True)
class Conversion:
    unit: str  # the pint expression
    dimension: str  # kind name, e.g. "length"
    base_unit: str  # e.g. "m"
    factor: float
    offset: float  # only for temperatures: base = value * factor + offset

    def to_base(self, value: float) -> float:
        return value * self.factor + self.offset


@functools.cache
def _cache_file() -> Path:
    """Where conversions persist between runs: keyed on pint's version and our definitions."""
    import hashlib  # here, not at the top: a text without units never asks, and the two cost 20 ms at start-up
    from importlib.metadata import version

    key = hashlib.sha256(version("pint").encode() + NEWS_UNITS.read_bytes()).hexdigest()[:12]
    base = os.environ.get("PALMYRA_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "datasette-palmyra" / f"conversions-{key}.json"


@functools.cache
def _persisted() -> dict[str, dict]:
    try:
        return json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _persist(unit: str, conv: Conversion) -> None:
    """Best effort: a read-only home only costs the next run the 0.4 s of building pint's registry."""
    table = _persisted()
    table[unit] = asdict(conv)
    path = _cache_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as f:
            json.dump(table, f)
        os.replace(f.name, path)
    except OSError:
        pass


@functools.cache
def conversion(unit: str) -> Conversion:
    """How to turn a figure in ``unit`` (a pint expression) into SI base units.

    pint answers the first time; the answer is kept on disk, so later runs start without pint.
    """
    hit = _persisted().get(unit)
    if hit is not None:
        return Conversion(**hit)
    conv = _convert_with_pint(unit)
    _persist(unit, conv)
    return conv


def _convert_with_pint(unit: str) -> Conversion:
    ureg = registry()
    zero = ureg.Quantity(0, unit).to_base_units()
    one = ureg.Quantity(1, unit).to_base_units()
    dim = str(one.dimensionality)
    base = f"{one.units:~}".replace(" ", "") or "1"
    return Conversion(unit, DIMENSION_NAMES.get(dim, dim), base, float(one.magnitude - zero.magnitude),
                      float(zero.magnitude))


def dimension_of(unit: str) -> str:
    return conversion(unit).dimension


def to_base(value: float, unit: str) -> float:
    return conversion(unit).to_base(value)


def from_base(value: float, unit: str) -> float:
    c = conversion(unit)
    return (value - c.offset) / c.factor
