"""The claim: one numeric or date statement in a text, as an interval on a normalized scale.

Every later stage (store, rules, plugin, CLI) speaks of claims through this one dataclass, so its
fields are the contract between them. Quantities are normalized to SI base units (metres, seconds,
kilograms), percentages to 0-100, counts to plain numbers; dates are ISO ``YYYY-MM-DD`` strings
for the first and last day they may mean (inclusive). ``None`` as a bound means "open".
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

KINDS_NOT_COMPARED = {"identifier", "ordinal", "time_of_day"}

QUALIFIERS = (
    "exact",
    "approx",
    "more_than",
    "at_least",
    "less_than",
    "up_to",
    "range",
    "nearly",
)


@dataclass
class Claim:
    kind: str  # count, percent, date, duration, age, money, or a pint dimension name (length, mass, ...)
    text: str  # the exact span: input[start:end] == text
    start: int
    end: int
    value: float | str | None  # the number as written (dates: the ISO form of what was written)
    unit: str | None  # the unit as written ("kilometers", "%", "miles"), None for counts and dates
    qualifier: str = "exact"
    low: float | str | None = None
    high: float | str | None = None
    norm_unit: str | None = None  # unit of low/high: "m", "s", "kg", "percent", "count", "day", currency code
    precision: float | None = None  # half a unit of the last written digit, in norm_unit (rounding-aware rules)
    granularity: str | None = None  # dates: day, week, month, year
    basis: str | None = None  # how a partial or relative date was resolved
    subject: str | None = None  # counted noun, "from Damascus", event word near a date
    sentence: str = ""
    pair: int | None = None  # index (in the same extraction) of the other side of "240 km (150 miles)"
    pair_role: str | None = None  # "stated" or "conversion"
    as_of_low: str | None = None  # the date interval the figure refers to (issue: cumulative facts)
    as_of_high: str | None = None
    as_of_basis: str | None = None
    cue: str | None = None  # words that frame the figure: "rose to", "revised down to", "so far"
    resolution: str | None = None  # dates: absolute, partial (year inferred) or relative
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The fields in their order, ``extra`` left out when empty: what ``dataclasses.asdict`` gave
        (a copy, ``extra`` deep), built directly: asdict's recursion into every field cost three times
        the JSON encoding of ``palmyra extract``'s output (issue 13)."""
        d = {name: getattr(self, name) for name in _FIELD_NAMES}
        if d["extra"]:
            d["extra"] = copy.deepcopy(d["extra"])
        else:
            d.pop("extra")
        return d


_FIELD_NAMES = tuple(f.name for f in fields(Claim))


DAY_SECONDS = 86400.0  # durations are normalized to seconds
YEAR_SECONDS = 365.25 * DAY_SECONDS  # a Julian year, as pint's "year" is


# -- intervals ---------------------------------------------------------------------------------

def date_ordinal(iso: str | None) -> int | None:
    """Dates compare as day numbers; None stays open."""
    if iso is None:
        return None
    return dt.date.fromisoformat(iso).toordinal()


def numeric_bounds(claim: Claim | dict) -> tuple[float, float]:
    """The claim's interval as two floats (dates as day ordinals), open bounds as +-inf."""
    get = claim.get if isinstance(claim, dict) else lambda k: getattr(claim, k)
    low, high = get("low"), get("high")
    if get("kind") == "date":
        low = date_ordinal(low) if isinstance(low, str) else low
        high = date_ordinal(high) if isinstance(high, str) else high
    return (
        float("-inf") if low is None else float(low),
        float("inf") if high is None else float(high),
    )


def gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two closed intervals; 0 when they overlap."""
    if a[1] < b[0]:
        return b[0] - a[1]
    if b[1] < a[0]:
        return a[0] - b[1]
    return 0.0
