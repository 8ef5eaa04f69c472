"""How the pages say things: numbers, intervals, gaps and as-of dates in words; severities ranked and as CSS
classes. Pure functions of values, shared by the page data, the charts and the table cells."""

from __future__ import annotations

import math
from typing import Any

from ..store import plain

SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}


def worst(severities) -> str | None:
    best = None
    for s in severities:
        if s and (best is None or SEVERITY_RANK.get(s, 0) > SEVERITY_RANK.get(best, 0)):
            best = s
    return best


def sev_class(severity: str | None) -> str:
    return f"pm-sev-{severity}" if severity in SEVERITY_RANK else "pm-sev-other"


def kind_class(kind: str | None) -> str:
    known = {"count", "date", "percent", "duration", "age", "money"}
    return f"pm-kind-{kind}" if kind in known else "pm-kind-other"


def fmt_number(x: Any) -> str:
    if isinstance(x, (bytes, bytearray)):
        x = x.decode("utf-8", "replace")
    if isinstance(x, float):
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return f"{x:,.6g}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def fmt_interval(low: Any, high: Any, unit: str | None) -> str:
    """[low, high] as people read it: one value when equal, open sides as 'at least' / 'at most'."""
    u = f" {unit}" if unit and unit not in ("count", "day") else ""
    if low is None and high is None:
        return "unbounded"
    if low is None:
        return f"≤ {fmt_number(high)}{u}"
    if high is None:
        return f"≥ {fmt_number(low)}{u}"
    if low == high:
        return f"{fmt_number(low)}{u}"
    return f"{fmt_number(low)} – {fmt_number(high)}{u}"


def fmt_gap(gap: Any, unit: str | None) -> str | None:
    """How far apart two claims are, as a reader says it: "12 days", "30 km", "1,500"."""
    gap = plain(gap)
    if not isinstance(gap, (int, float)) or isinstance(gap, bool):
        return None if gap is None else str(gap)
    if unit == "day":
        n = round(gap)
        return f"{n:,} day{'s' if n != 1 else ''}"
    if unit == "m" and abs(gap) >= 1000:
        return f"{fmt_number(round(gap / 1000, 3))} km"
    value = fmt_number(round(gap, 6) if isinstance(gap, float) else gap)
    return value if unit in (None, "", "count") else f"{value} {unit}"


def as_of_text(low: Any, high: Any) -> str | None:
    """The date a figure refers to, as people read it."""
    low, high = plain(low), plain(high)
    if low is None and high is None:
        return None
    if low is None:
        return f"on or before {high}"
    if high is None or low == high:
        return str(low)
    return f"{low} – {high}"
