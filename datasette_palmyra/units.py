"""The one pint registry of the program, and cached conversions to SI base units.

pint quantities from two registries do not mix and building one costs about 0.4 s, so it is built
once, lazily, with our news units (news_units.txt) added. Conversions are cached per unit name:
the extractor converts thousands of figures and must not rebuild a quantity each time.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
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
def conversion(unit: str) -> Conversion:
    """How to turn a figure in ``unit`` (a pint expression) into SI base units."""
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
