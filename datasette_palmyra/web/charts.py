"""The fact and flag pages' pictures: the interval strip (each source's interval on one axis) and the as-of
chart of a fact that changes over time. ``build_*`` compute the geometry (tested on its own: no text
overlaps), ``*_svg`` draw it as inline SVG, every text escaped by Markup.format."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .. import labels
from ..store import plain
from .findings import FINDING_GROUP
from .formats import fmt_interval, fmt_number, sev_class

# -- the strip ---------------------------------------------------------------------------------------------


def as_axis_value(value: Any, is_date: bool) -> float | None:
    """A bound on the common axis: day ordinals for dates, plain numbers otherwise; None when open."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    try:
        if is_date:
            return float(dt.date.fromisoformat(str(value)[:10]).toordinal())
        return float(value)
    except (TypeError, ValueError):
        return None


def build_strip(claims: list[dict[str, Any]], kind: str | None, conf: dict[str, Any]) -> dict[str, Any]:
    """Geometry of the comparison strip: one bar per claim on a shared axis (day numbers for dates)."""
    is_date = kind == "date" or any(c["kind"] == "date" for c in claims)
    width = int(conf["strip_width"])
    label_w, pad, row_h = 190, 14, 28
    plot_w = max(120, width - label_w - 2 * pad)
    bounds = []
    for c in claims:
        lo, hi = as_axis_value(c["low"], is_date), as_axis_value(c["high"], is_date)
        if is_date and hi is not None:
            hi += 1  # a day is a span: [low, high + 1) on the axis
        bounds.append((lo, hi))
    finite = [v for b in bounds for v in b if v is not None]
    if finite:
        amin, amax = min(finite), max(finite)
    else:
        amin, amax = 0.0, 1.0
    if amax - amin < 1e-9:
        spread = 1.0 if is_date else max(abs(amin) * 0.1, 1.0)
        amin, amax = amin - spread, amax + spread
    span = amax - amin
    # open bounds need room to show that they go on
    if any(hi is None for _, hi in bounds):
        amax += span * 0.3
    if any(lo is None for lo, _ in bounds):
        amin -= span * 0.3
    margin = (amax - amin) * 0.06
    amin, amax = amin - margin, amax + margin
    unit = "day" if is_date else next((c["norm_unit"] for c in claims if c["norm_unit"]), None)

    def x(v: float) -> float:
        return round(label_w + pad + (v - amin) / (amax - amin) * plot_w, 2)

    bars = []
    for i, (c, (lo, hi)) in enumerate(zip(claims, bounds, strict=True)):
        x0 = x(lo) if lo is not None else label_w + pad
        x1 = x(hi) if hi is not None else label_w + pad + plot_w
        if x1 - x0 < 4:  # points stay visible
            mid = (x0 + x1) / 2
            x0, x1 = mid - 2, mid + 2
        label = f"{c['source'] or '?'} · {c['published'] or '?'}"
        bars.append({
            "claim_id": c["id"],
            "label": label,
            # drawn right-aligned before the plot: a long source name is cut there (the row's title has it all)
            "label_text": labels.fit_text(label, STRIP_LABEL_SIZE, label_w - 4),
            "y": 24 + i * row_h,
            "x0": round(x0, 2),
            "x1": round(x1, 2),
            "open_low": lo is None,
            "open_high": hi is None,
            "severity": c["severity"],
            "interval": c["interval"],
            "text": c["text"],
        })
    ticks = []
    for v in nice_ticks(amin, amax, 5):
        label = dt.date.fromordinal(int(round(v))).isoformat() if is_date else fmt_number(v)
        ticks.append({"x": x(v), "label": label})
    height = 24 + len(claims) * row_h + 30
    # dates are wide ("2016-03-01"): on a narrow strip every k-th tick is labelled, the last one kept inside
    labels.thin_ticks(ticks, [("label", TICK_SIZE, height - 8)], (2, 0, width - 2, height))
    return {
        "width": width,
        "height": height,
        "label_width": label_w,
        "plot_x0": label_w + pad,
        "plot_x1": label_w + pad + plot_w,
        "row_height": row_h,
        "axis": {"min": amin, "max": amax, "unit": unit, "is_date": is_date},
        "ticks": ticks,
        "bars": bars,
    }


STRIP_LABEL_SIZE = 12  # px, .pm-strip .pm-bar-label in palmyra.css


def nice_ticks(lo: float, hi: float, n: int) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    out = []
    v = first
    while v <= hi + 1e-9 and len(out) < 20:
        out.append(v)
        v += step
    return out


def strip_svg(strip: dict[str, Any], colors: dict[str, str]) -> Markup:
    """The strip as inline SVG; every text is escaped by Markup.format."""
    h = strip["height"]
    parts: list[Markup] = [Markup(
        '<svg class="pm-strip" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' role="img" aria-label="Each source\'s interval on a common axis">'
        '<defs><linearGradient id="pm-fade-r" x1="0" x2="1" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        '</linearGradient><linearGradient id="pm-fade-l" x1="1" x2="0" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        "</linearGradient></defs>"
    ).format(w=strip["width"], h=h)]
    x0, x1 = strip["plot_x0"], strip["plot_x1"]
    axis_y = h - 24
    for t in strip["ticks"]:
        parts.append(Markup('<line class="pm-grid" x1="{x}" x2="{x}" y1="14" y2="{y}"/>').format(x=t["x"], y=axis_y))
        if t.get("labelled", True):
            parts.append(Markup('<text class="pm-tick" x="{x}" y="{ty}" text-anchor="{a}">{label}</text>').format(
                x=t.get("label_x", t["x"]), a=t.get("anchor", "middle"), ty=axis_y + 16, label=t["label"]))
    parts.append(Markup('<line class="pm-axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(x0, x1, y=axis_y))
    if strip["axis"]["unit"]:
        parts.append(Markup('<text class="pm-unit" x="{}" y="12" text-anchor="end">{}</text>').format(
            x1, "days" if strip["axis"]["is_date"] else strip["axis"]["unit"]))
    for b in strip["bars"]:
        color = colors.get(b["severity"] or "", "#4a6fa5")
        y = b["y"]
        parts.append(Markup(
            '<g class="pm-bar-row" data-claim="{cid}"><title>{label}: {text} = {interval}</title>'
            '<text class="pm-bar-label" x="{lx}" y="{ty}" text-anchor="end">{shown}</text>'
            '<rect class="pm-bar {cls}" x="{bx}" y="{by}" width="{bw}" height="14" rx="3" fill="{color}"/>'
        ).format(cid=b["claim_id"], label=b["label"], shown=b.get("label_text", b["label"]), text=b["text"],
                 interval=b["interval"],
                 lx=strip["label_width"], ty=y + 11, cls=sev_class(b["severity"]), bx=b["x0"], by=y,
                 bw=round(b["x1"] - b["x0"], 2), color=color))
        if b["open_high"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="40" height="14" fill="url(#pm-fade-r)"/>'
                '<path class="pm-arrow" d="M{a} {y1} L{t} {ym} L{a} {y2}" fill="{c}"/>'
            ).format(x=b["x1"] - 40, y=y, a=b["x1"], t=b["x1"] + 8, y1=y - 1, ym=y + 7, y2=y + 15, c=color))
        if b["open_low"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="40" height="14" fill="url(#pm-fade-l)"/>'
                '<path class="pm-arrow" d="M{a} {y1} L{t} {ym} L{a} {y2}" fill="{c}"/>'
            ).format(x=b["x0"], y=y, a=b["x0"], t=b["x0"] - 8, y1=y - 1, ym=y + 7, y2=y + 15, c=color))
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


# -- the as-of chart of a fact that changes over time ---------------------------------------------------


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# what a claim is on the chart, strongest first: the colour and label come from the strongest
ROLE_RANK = {"lower_than_earlier": 5, "disagreement": 4, "correction": 3, "corrected": 2, "earlier": 1, "": 0}
DEFAULT_BAR = "#4a6fa5"
OPEN_REACH = 64  # pixels an open-ended bar reaches beyond its one bound


def day_of(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(plain(value))[:10]).toordinal()
    except ValueError:
        return None


def number_of(value: Any) -> float | None:
    value = plain(value)
    if value is None or isinstance(value, str) and not value.strip():
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def day_label(ordinal: int) -> str:
    d = dt.date.fromordinal(ordinal)
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"


def claim_roles(claims: list[dict[str, Any]], flags: list[dict[str, Any]]
                ) -> tuple[dict[str, tuple[str, str | None]], list[dict[str, Any]]]:
    """Each flagged claim's part in its flags: the later, lower figure of a "lower than earlier" flag and the
    earlier one it falls below, a correction and what it corrects, or one side of a disagreement; and the
    (earlier, later) pairs of the "lower than earlier" flags, drawn as a connector."""
    by_id = {c["id"]: c for c in claims}
    roles: dict[str, tuple[str, str | None]] = {}
    links: list[dict[str, Any]] = []

    def give(cid: str, role: str, severity: str | None) -> None:
        if cid in by_id and ROLE_RANK[role] > ROLE_RANK[roles.get(cid, ("", None))[0]]:
            roles[cid] = (role, severity)

    for f in flags:
        members = [by_id[c] for c in f["claim_ids"] if c in by_id]
        if not members:
            continue
        finding = f["finding"]
        if finding == "lower_than_earlier":
            def when(c: dict[str, Any]) -> tuple[int, float]:
                d = day_of(c.get("as_of_high")) or day_of(c.get("as_of_low")) or 0
                return d, -(number_of(c.get("low")) or 0.0)
            later = max(members, key=when)
            links.extend({"from": c["id"], "to": later["id"], "severity": f["severity"], "flag": f["id"]}
                         for c in members if c is not later)
            for c in members:
                give(c["id"], "lower_than_earlier" if c is later else "earlier", f["severity"])
        elif finding == "correction":
            for c in members:
                is_fix = str(c.get("cue") or "").startswith("correction")
                give(c["id"], "correction" if is_fix else "corrected", f["severity"])
        elif FINDING_GROUP.get(finding) == "disagreement":
            for c in members:
                give(c["id"], "disagreement", f["severity"])
    return roles, links


def build_chart(claims: list[dict[str, Any]], varies: str | None, flags: list[dict[str, Any]],
                conf: dict[str, Any]) -> dict[str, Any] | None:
    """Geometry of the as-of chart for a fact whose figure changes over time (``varies`` cumulative or
    snapshot): x the date each figure refers to, y the figure, one bar per claim's interval, and a line —
    for a running total, the running maximum of the lower bounds (what the total had at least reached by
    each date; a stated correction resets it); for a snapshot, the best estimate (middle of the interval,
    the median of a day's claims). Fixed facts get no chart (None): the strip shows them."""
    if varies not in ("cumulative", "snapshot"):
        return None
    roles, links = claim_roles(claims, flags)
    points, undated = chart_points(claims, roles)
    line = running_line(points, varies)
    width = int(conf["strip_width"])
    height = 380
    left, right, top, bottom = 72, 24, 34, 58
    chart: dict[str, Any] = {
        "varies": varies,
        "line_kind": "running maximum of the lower bounds" if varies == "cumulative"
        else "best estimate (median of the interval middles) per date",
        "width": width, "height": height, "plot": {"x0": left, "x1": width - right, "y0": top, "y1": height - bottom},
        "unit": next((c.get("norm_unit") for c in claims if c.get("norm_unit")), None),
        "points": points, "line": line, "undated": undated, "x_ticks": [], "y_ticks": [], "links": links,
    }
    if not points:
        place_chart_labels(chart)
        return chart
    scale = chart_axes(chart, points)
    place_points(points, scale)
    for seg in line:  # the line rises at the date of the figure that raised it
        seg["x"] = scale.x(seg["_day"])
        seg["y"] = scale.y(seg["level"])
    chart["x_end"] = scale.x(max(p["_d1"] for p in points) + 0.45)
    place_chart_labels(chart)
    for p in points:
        for k in ("_d0", "_d1", "_mid"):
            p.pop(k, None)
    for seg in line:
        seg.pop("_day", None)
    return chart


def chart_points(claims: list[dict[str, Any]], roles: dict[str, tuple[str, str | None]]
                 ) -> tuple[list[dict[str, Any]], list[str]]:
    """One point per claim with a figure and an as-of date (its interval, its part in the flags), by date and
    lower bound; and the ids of the claims that have no place on the chart (date claims, no figure or date).
    ``_d0``, ``_d1`` and ``_mid`` are the as-of days as ordinals, for the layout only."""
    points: list[dict[str, Any]] = []
    undated: list[str] = []
    for c in claims:
        a0, a1 = day_of(c.get("as_of_low")), day_of(c.get("as_of_high"))
        lo, hi = number_of(c.get("low")), number_of(c.get("high"))
        if c.get("kind") == "date" or (a0 is None and a1 is None) or (lo is None and hi is None):
            undated.append(c["id"])
            continue
        a0 = a1 if a0 is None else a0
        a1 = a0 if a1 is None else a1
        role, role_sev = roles.get(c["id"], ("", None))
        points.append({
            "claim_id": c["id"], "source": c.get("source"), "published": c.get("published"),
            "article_url": c.get("article_url"), "text": c.get("text"),
            "as_of": dt.date.fromordinal((a0 + a1) // 2).isoformat(),
            "as_of_low": dt.date.fromordinal(a0).isoformat(), "as_of_high": dt.date.fromordinal(a1).isoformat(),
            "low": lo, "high": hi, "interval": c.get("interval"), "cue": c.get("cue"),
            "role": role or None, "severity": role_sev,
            "_d0": a0, "_d1": a1, "_mid": (a0 + a1) / 2,
        })
    points.sort(key=lambda p: (p["_mid"], p["low"] if p["low"] is not None else -math.inf, p["claim_id"]))
    return points, undated


@dataclass(frozen=True)
class ChartScale:
    """Days and figures to pixels: days ``xmin``..``xmax`` across ``px0``..``px1``, figures ``ymin``..``ymax``
    up from ``py1`` to ``py0``."""

    xmin: float
    xmax: float
    ymin: float
    ymax: float
    px0: float
    px1: float
    py0: float
    py1: float

    def x(self, day: float) -> float:
        return round(self.px0 + (day - self.xmin) / (self.xmax - self.xmin) * (self.px1 - self.px0), 2)

    def y(self, v: float) -> float:
        return round(self.py1 - (v - self.ymin) / (self.ymax - self.ymin) * (self.py1 - self.py0), 2)


def chart_axes(chart: dict[str, Any], points: list[dict[str, Any]]) -> ChartScale:
    """The axes of a chart with points: the days they refer to, 0.6 of a day to spare a side; the figures from
    0 (or the lowest, when negative) to 8% over the highest, up to the last tick. Sets the chart's ticks (a
    day tick per day up to 16 days, fewer beyond) and widens the left margin for wide figures."""
    plot = chart["plot"]
    dmin = min(p["_d0"] for p in points)
    dmax = max(p["_d1"] for p in points)
    values = [v for p in points for v in (p["low"], p["high"]) if v is not None]
    vmin, vmax = min(values), max(values)
    ymin = 0.0 if vmin >= 0 else vmin
    ymax = vmax if vmax > ymin else ymin + 1.0
    ymax += (ymax - ymin) * 0.08
    y_ticks = nice_ticks(ymin, ymax, 5)
    ymax = max(ymax, y_ticks[-1] if y_ticks else ymax)
    # the y tick labels end 8 px left of the plot: a wide figure ("12,500,000") widens the margin
    widest = max((labels.text_width(fmt_number(v), TICK_SIZE) for v in y_ticks), default=0.0)
    plot["x0"] = max(plot["x0"], math.ceil(widest + 8 + 4))
    scale = ChartScale(dmin - 0.6, dmax + 0.6, ymin, ymax, plot["x0"], plot["x1"], plot["y0"], plot["y1"])
    day_span = dmax - dmin
    step = 1 if day_span <= 16 else max(1, int(nice_ticks(0, day_span, 8)[1]) if day_span else 1)
    chart["x_ticks"] = [{"x": scale.x(d), "label": day_label(d), "iso": dt.date.fromordinal(d).isoformat()}
                        for d in range(dmin, dmax + 1, step)]
    chart["y_ticks"] = [{"y": scale.y(v), "label": fmt_number(v)} for v in y_ticks if ymin <= v <= ymax]
    for t in chart["y_ticks"]:
        t["box"] = labels.text_box(t["label"], TICK_SIZE, scale.px0 - 8, t["y"] + 4, "end")
    return scale


def place_points(points: list[dict[str, Any]], scale: ChartScale) -> None:
    """Each point's bar: at its as-of date, claims as of the same day side by side (not on top of each
    other), from its lower to its upper bound; an open bound reaches a short way on and fades."""
    same_day: dict[float, list[dict[str, Any]]] = {}
    for p in points:
        same_day.setdefault(p["_mid"], []).append(p)
    x, y = scale.x, scale.y
    slot = min(18.0, max(8.0, (scale.px1 - scale.px0) / max(1.0, scale.xmax - scale.xmin) / 4))
    for group in same_day.values():
        for i, p in enumerate(group):
            cx = x(p["_mid"]) + (i - (len(group) - 1) / 2) * slot
            # an open bound ("at least 40") reaches a short way on and fades, as on the strip
            top_y = y(p["high"]) if p["high"] is not None else max(scale.py0, y(p["low"]) - OPEN_REACH)
            bot_y = y(p["low"]) if p["low"] is not None else min(scale.py1, y(p["high"]) + OPEN_REACH)
            if bot_y - top_y < 6:  # a point stays a visible block
                mid = (top_y + bot_y) / 2
                top_y, bot_y = mid - 3, mid + 3
            p.update({"x": round(cx, 2), "y0": round(top_y, 2), "y1": round(bot_y, 2),
                      "x_from": x(p["_d0"]), "x_to": x(p["_d1"]),
                      "open_low": p["low"] is None, "open_high": p["high"] is None,
                      "bar_w": 12 if p["role"] in FLAGGED_ROLES else 9})


TICK_SIZE, ISO_SIZE, VALUE_SIZE, NOTE_SIZE = 11, 10, 11, 10.5  # px, as in palmyra.css (.pm-chart ...)
FLAGGED_ROLES = ("lower_than_earlier", "disagreement", "correction")
LABEL_RANK = {"lower_than_earlier": 0, "disagreement": 0, "correction": 0, "corrected": 1, "earlier": 1}


def bar_box(p: dict[str, Any]) -> labels.Box:
    """The box a chart bar takes, with the arrow of an open bound (8 px beyond the bar)."""
    half = p["bar_w"] / 2
    return (round(p["x"] - half - 1, 2), round(p["y0"] - (8 if p["open_high"] else 0), 2),
            round(p["x"] + half + 1, 2), round(p["y1"] + (8 if p["open_low"] else 0), 2))


def place_chart_labels(chart: dict[str, Any]) -> None:
    """Put every text of the chart where it reads: the captions and tick labels outside the plot (date ticks
    thinned so they do not collide), each bar's value and note inside the plot, clear of other labels, of
    bars and of the axis. Flagged figures are placed first; a note that does not fit is dropped before its
    value, and a label dropped is still in the bar's tooltip. Adds ``captions``, ``labels``, ``leaders`` and
    ``dropped`` to the chart; ``text_boxes`` lists all boxes drawn."""
    w, h, p = chart["width"], chart["height"], chart["plot"]
    unit = f"figure ({chart['unit']})" if chart.get("unit") else "figure"
    caption = "as of (date the figure refers to)"
    if labels.text_width(caption, TICK_SIZE) > p["x1"] - 4:
        caption = "as of"
    chart["captions"] = [
        {"cls": "pm-unit", "text": labels.fit_text(unit, TICK_SIZE, w - p["x0"] - 4), "x": p["x0"],
         "y": p["y0"] - 14, "anchor": "start"},
        {"cls": "pm-unit", "text": caption, "x": p["x1"], "y": h - 6, "anchor": "end"},
    ]
    for c in chart["captions"]:
        c["box"] = labels.text_box(c["text"], TICK_SIZE, c["x"], c["y"], c["anchor"])
    labels.thin_ticks(chart["x_ticks"], [("label", TICK_SIZE, p["y1"] + 18), ("iso", ISO_SIZE, p["y1"] + 32)],
                      (2, 0, w - 2, h))
    # the plot, less a pixel at the axis and the left edge, and the free band above it (below the unit
    # caption, which stays clear) is where bar labels may go: figures near the top need that room
    frame = (p["x0"] + 2, p["y0"] - 10, p["x1"], p["y1"] - 1)
    drawn = [pt for pt in chart["points"] if "x" in pt]
    bars = {pt["claim_id"]: bar_box(pt) for pt in drawn}
    order = sorted(range(len(drawn)), key=lambda i: (LABEL_RANK.get(drawn[i]["role"] or "", 2), i))
    taken: list[labels.Box] = [c["box"] for c in chart["captions"]]
    corners: list[tuple[float, float]] = []  # the step line as chart_svg draws it: H to each x, then V
    for seg in chart["line"]:
        if corners:
            corners.append((seg["x"], corners[-1][1]))
        corners.append((seg["x"], seg["y"]))
    if corners:
        corners.append((chart.get("x_end", corners[-1][0]), corners[-1][1]))
    line_boxes = labels.segment_boxes(corners, 2)
    chart["labels"], chart["leaders"], chart["dropped"] = [], [], []
    for i in order:
        pt = drawn[i]
        value = labels.Line(fmt_interval(pt["low"], pt["high"], None), VALUE_SIZE, "pm-cbar-value")
        note_text = ROLE_LABEL.get(pt["role"] or "", "")
        lines = [value] + ([labels.Line(note_text, NOTE_SIZE, "pm-cbar-note", bold=True)] if note_text else [])
        others = [b for cid, b in bars.items() if cid != pt["claim_id"]]
        placed = None
        while lines and placed is None:
            placed = labels.place(lines, bars[pt["claim_id"]], frame, taken, others, line_boxes)
            if placed is None:
                chart["dropped"].append({"claim_id": pt["claim_id"], "text": lines[-1].text})
                lines = lines[:-1]
        if not placed:
            continue
        box = labels.union(pl.box for pl in placed)
        taken.append(box)
        chart["labels"].extend({"claim_id": pt["claim_id"], "cls": pl.line.cls, "text": pl.line.text,
                                "x": pl.x, "y": pl.y, "anchor": pl.anchor, "box": pl.box} for pl in placed)
        lead = labels.leader(bars[pt["claim_id"]], box)
        if lead:
            chart["leaders"].append({"claim_id": pt["claim_id"], "x1": lead[0], "y1": lead[1],
                                     "x2": lead[2], "y2": lead[3]})


def text_boxes(chart: dict[str, Any]) -> list[labels.Box]:
    """Every text box the chart draws (captions, labelled ticks, bar labels): none may overlap another."""
    boxes = [c["box"] for c in chart.get("captions", [])] + [t["box"] for t in chart["y_ticks"]]
    boxes += [t["box"] for t in chart["x_ticks"] if t.get("labelled")]
    return boxes + [lb["box"] for lb in chart.get("labels", [])]


def running_line(points: list[dict[str, Any]], varies: str) -> list[dict[str, Any]]:
    """The chart's line as (date, level) steps; see ``build_chart`` for what the level means."""
    days: dict[int, list[dict[str, Any]]] = {}
    for p in points:
        days.setdefault(int(p["_mid"]), []).append(p)
    steps: list[dict[str, Any]] = []
    level: float | None = None
    for day in sorted(days):
        group = days[day]
        if varies == "cumulative":
            lows = [p["low"] for p in group if p["low"] is not None and p["role"] != "corrected"
                    and not str(p.get("cue") or "").startswith("previous")]
            fixes = [p["low"] for p in group if p["role"] == "correction" and p["low"] is not None]
            if fixes:  # a stated correction replaces the figures before it
                new = max(fixes + [v for v in lows if v is not None])
            else:
                new = max([level] + lows) if level is not None else (max(lows) if lows else None)
        else:
            mids = sorted((p["low"] + p["high"]) / 2 if p["low"] is not None and p["high"] is not None
                          else (p["low"] if p["low"] is not None else p["high"]) for p in group)
            new = mids[len(mids) // 2] if mids else level
        if new is None:
            continue
        if level is None or new != level or not steps:
            steps.append({"as_of": dt.date.fromordinal(day).isoformat(), "level": new, "_day": day})
        level = new
    return steps


ROLE_LABEL = {"lower_than_earlier": "lower than earlier", "correction": "correction", "disagreement": "disagrees",
              "corrected": "corrected", "earlier": ""}


def chart_svg(chart: dict[str, Any], colors: dict[str, str]) -> Markup:
    """The as-of chart as inline SVG (no script, no external file); every text is escaped by Markup.format."""
    parts = chart_frame_svg(chart) + chart_line_svg(chart, colors)
    placed: dict[str, list[dict[str, Any]]] = {}
    for lb in chart.get("labels", []):
        placed.setdefault(lb["claim_id"], []).append(lb)
    leaders = {ld["claim_id"]: ld for ld in chart.get("leaders", [])}
    for pt in chart["points"]:
        if "x" in pt:
            parts += chart_bar_svg(pt, colors, placed.get(pt["claim_id"], []), leaders.get(pt["claim_id"]))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


def chart_frame_svg(chart: dict[str, Any]) -> list[Markup]:
    """The opening of the chart's SVG: gradients, grid lines and tick labels, the axis, the captions."""
    w, h = chart["width"], chart["height"]
    p = chart["plot"]
    parts: list[Markup] = [Markup(
        '<svg class="pm-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' role="img" aria-label="{label}">'
        '<defs><linearGradient id="pm-fade-up" x1="0" x2="0" y1="1" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        '</linearGradient><linearGradient id="pm-fade-down" x1="0" x2="0" y1="0" y2="1">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        "</linearGradient></defs>"
    ).format(w=w, h=h, label=f"Each source's figure at the date it refers to; line: {chart['line_kind']}")]
    for t in chart["y_ticks"]:
        parts.append(Markup(
            '<line class="pm-grid" x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/>'
            '<text class="pm-tick" x="{tx}" y="{ty}" text-anchor="end">{label}</text>'
        ).format(x0=p["x0"], x1=p["x1"], y=t["y"], tx=p["x0"] - 8, ty=t["y"] + 4, label=t["label"]))
    for t in chart["x_ticks"]:
        parts.append(Markup('<line class="pm-grid pm-grid-day" x1="{x}" x2="{x}" y1="{y0}" y2="{y1}"/>').format(
            x=t["x"], y0=p["y0"], y1=p["y1"]))
        if t.get("labelled"):  # thinned: every k-th day so the labels do not collide
            parts.append(Markup(
                '<text class="pm-tick" x="{x}" y="{ty}" text-anchor="{a}">{label}</text>'
                '<text class="pm-tick pm-tick-iso" x="{x}" y="{ty2}" text-anchor="{a}">{iso}</text>'
            ).format(x=t["label_x"], a=t["anchor"], ty=p["y1"] + 18, ty2=p["y1"] + 32, label=t["label"],
                     iso=t["iso"]))
    parts.append(Markup('<line class="pm-axis" x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/>').format(
        x0=p["x0"], x1=p["x1"], y=p["y1"]))
    for c in chart.get("captions", []):
        parts.append(Markup('<text class="{cls}" x="{x}" y="{y}" text-anchor="{a}">{t}</text>').format(
            cls=c["cls"], x=c["x"], y=c["y"], a=c["anchor"], t=c["text"]))
    return parts


def chart_line_svg(chart: dict[str, Any], colors: dict[str, str]) -> list[Markup]:
    """The step line, and a connector from each earlier figure down to the later, lower one."""
    parts: list[Markup] = []
    line = chart["line"]
    if line:
        d = [f"M{line[0]['x']} {line[0]['y']}"]
        for seg in line[1:]:
            d.append(f"H{seg['x']} V{seg['y']}")
        d.append(f"H{chart.get('x_end', line[-1]['x'])}")
        parts.append(Markup('<path class="pm-step pm-step-{kind}" d="{d}"><title>{title}</title></path>').format(
            kind=chart["varies"], d=" ".join(d), title=chart["line_kind"]))
    at = {pt["claim_id"]: pt for pt in chart["points"] if "x" in pt}
    for link in chart.get("links", []):
        a, b = at.get(link["from"]), at.get(link["to"])
        if a and b:
            parts.append(Markup('<line class="pm-fall" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}">'
                                "<title>lower than this earlier figure</title></line>").format(
                x1=a["x"], y1=a["y0"] if a["y0"] > b["y0"] else a["y1"], x2=b["x"],
                y2=b["y0"], c=colors.get(link["severity"] or "", "#667085")))
    return parts


def chart_bar_svg(pt: dict[str, Any], colors: dict[str, str], placed: list[dict[str, Any]],
                  lead: dict[str, Any] | None) -> list[Markup]:
    """One figure on the chart, as a link to its claim: its as-of span, its bar (coloured by its part in the
    flags, the open bound fading into an arrow), its leader line and labels."""
    parts: list[Markup] = []
    bar_w = pt["bar_w"]
    color = colors.get(pt["severity"] or "", DEFAULT_BAR) if pt["role"] in FLAGGED_ROLES else DEFAULT_BAR
    cls = "pm-cbar" + (f" pm-role-{pt['role']}" if pt["role"] else "")
    x0 = round(pt["x"] - bar_w / 2, 2)
    title = (f"{pt['source'] or '?'} (published {pt['published'] or '?'}), as of {pt['as_of']}: "
             f"{pt['text']} = {pt['interval']}" + (f" — {ROLE_LABEL[pt['role']]}" if pt["role"] else "")
             + (f" ({pt['cue']})" if pt["cue"] else ""))
    parts.append(Markup('<a class="pm-cbar-link" href="{href}"><g class="{cls}" data-claim="{cid}"'
                        ' data-as-of="{asof}"><title>{title}</title>').format(
        href=pt["article_url"] or "#", cls=cls, cid=pt["claim_id"], asof=pt["as_of"], title=title))
    if pt["x_to"] - pt["x_from"] > 1:  # the figure refers to a span of days
        parts.append(Markup('<line class="pm-asof-span" x1="{a}" x2="{b}" y1="{y}" y2="{y}" stroke="{c}"/>').format(
            a=pt["x_from"], b=pt["x_to"], y=round((pt["y0"] + pt["y1"]) / 2, 2), c=color))
    # the earlier figure a flag compares with: outlined in the flag's colour; a corrected one: faded
    outline = Markup("")
    if pt["role"] == "earlier":
        outline = Markup(' stroke="{}" stroke-width="2.5"').format(colors.get(pt["severity"] or "", "#667085"))
    elif pt["role"] == "corrected":
        outline = Markup(' stroke="{}" stroke-width="1.5" stroke-dasharray="3 2" fill-opacity="0.35"').format(
            colors.get("info", "#667085"))
    parts.append(Markup('<rect class="pm-cbar-rect" x="{x}" y="{y}" width="{bw}" height="{bh}" rx="2"'
                        ' fill="{c}"{outline}/>').format(
        x=x0, y=pt["y0"], bw=bar_w, bh=round(pt["y1"] - pt["y0"], 2), c=color, outline=outline))
    if pt["open_high"]:
        parts.append(Markup(
            '<rect x="{x}" y="{y}" width="{bw}" height="{fh}" fill="url(#pm-fade-up)"/>'
            '<path class="pm-arrow" d="M{l} {a} L{cx} {t} L{r} {a}" fill="{c}"/>'
        ).format(x=x0, y=pt["y0"], bw=bar_w, fh=round((pt["y1"] - pt["y0"]) * 0.7, 2), l=x0 - 1, r=x0 + bar_w + 1, cx=pt["x"], a=pt["y0"],
                 t=round(pt["y0"] - 8, 2), c=color))
    if pt["open_low"]:
        parts.append(Markup(
            '<rect x="{x}" y="{y}" width="{bw}" height="{fh}" fill="url(#pm-fade-down)"/>'
            '<path class="pm-arrow" d="M{l} {a} L{cx} {t} L{r} {a}" fill="{c}"/>'
        ).format(x=x0, y=round(pt["y1"] - (pt["y1"] - pt["y0"]) * 0.7, 2), bw=bar_w,
                 fh=round((pt["y1"] - pt["y0"]) * 0.7, 2), l=x0 - 1, r=x0 + bar_w + 1, cx=pt["x"], a=pt["y1"],
                 t=round(pt["y1"] + 8, 2), c=color))
    # labels where build_chart placed them; one that fits nowhere is only in the <title> above
    if lead:
        parts.append(Markup('<line class="pm-leader" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>').format(**lead))
    for lb in placed:
        fill = Markup(' fill="{}"').format(color if color != DEFAULT_BAR else "#667085") \
            if lb["cls"] == "pm-cbar-note" else Markup("")
        parts.append(Markup('<text class="{cls}" x="{x}" y="{y}" text-anchor="{a}"{fill}>{t}</text>').format(
            cls=lb["cls"], x=lb["x"], y=lb["y"], a=lb["anchor"], fill=fill, t=lb["text"]))
    parts.append(Markup("</g></a>"))
    return parts
