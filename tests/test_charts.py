"""Label placement of the as-of chart and the strip, checked on the geometry ``build_chart`` and ``build_strip``
return (no browser): no two drawn text boxes intersect, all stay inside the SVG, bar labels inside the plot,
and a label left out is still in its bar's tooltip."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest

from datasette_palmyra import labels
from datasette_palmyra.web import charts, formats, options

COLORS = options.DEFAULT_SETTINGS["severity_colors"]


def conf(width: int = 960) -> dict:
    return {**options.DEFAULT_SETTINGS, "strip_width": width}


def claim(cid: str, low, high, as_of: str | None, source: str = "S", cue: str | None = None) -> dict:
    return {"id": cid, "kind": "count", "low": low, "high": high, "as_of_low": as_of, "as_of_high": as_of,
            "cue": cue, "source": source, "published": as_of, "article_url": "/a", "text": "t",
            "interval": formats.fmt_interval(low, high, "count"), "norm_unit": "count"}


def day(i: int) -> str:
    return (dt.date(2024, 4, 1) + dt.timedelta(days=i)).isoformat()


def lower_flag(earlier: str, later: str) -> dict:
    return {"id": f"f-{later}", "finding": "lower_than_earlier", "severity": "warning", "claim_ids": [earlier, later]}


def disagreement(*ids: str) -> dict:
    return {"id": "f-" + "-".join(ids), "finding": "disagreement", "severity": "error", "claim_ids": list(ids)}


CASES = {
    # long values on consecutive days: each label wider than a day
    "one day apart, long values": (
        [claim(f"c{i}", 1_234_567 + i * 10_000, 1_299_999 + i * 10_000, day(i)) for i in range(8)], [], 960),
    # 40 bars over 20 days in the narrowest chart the settings allow
    "many bars, narrow chart": (
        [claim(f"c{i}", 100 + i, 100 + i, day(i // 2)) for i in range(40)], [], 200),
    "many bars, 430 wide": (
        [claim(f"c{i}", 100 + 3 * i, 120 + 3 * i, day(i // 3)) for i in range(30)], [], 430),
    # the last bar is the highest, at the plot's right edge, with a long open interval
    "bar at the right edge": (
        [claim("a", 10, 10, day(0)), claim("b", 20, 20, day(1)), claim("c", 1_000_000, None, day(2))], [], 960),
    # figures that differ by 1, several the same day, with notes from flags
    "values differ by 1": (
        [claim(f"c{i}", 100 + i, 100 + i, day(i // 5)) for i in range(15)],
        [lower_flag("c4", "c5"), disagreement("c6", "c7", "c8")], 960),
    "ten outlets over three days": (
        [claim(f"c{i}", 230 + i, 230 + i if i % 3 else None, day(i % 3), source=f"Outlet {i}") for i in range(10)],
        [lower_flag("c2", "c3"), disagreement("c4", "c7")], 960),
    "a 16-day span in a narrow chart": (
        [claim(f"c{i}", 10 * i, 10 * i, day(i)) for i in range(17)], [], 300),
    "large figures widen the margin": (
        [claim("a", 12_500_000, 12_500_000, day(0)), claim("b", 99_000_000, 99_000_000, day(1))], [], 960),
}


def titles(svg: str) -> dict[str, str]:
    """Each bar's tooltip by claim id, from the rendered SVG."""
    return dict(re.findall(r'data-claim="([^"]+)" data-as-of="[^"]*"><title>([^<]*)</title>', svg))


@pytest.mark.parametrize("name", list(CASES))
def test_chart_labels_never_overlap_and_stay_inside(name):
    claims, flags, width = CASES[name]
    chart = charts.build_chart(claims, "cumulative", flags, conf(width))
    w, h, p = chart["width"], chart["height"], chart["plot"]
    boxes = charts.text_boxes(chart)
    assert boxes and len(chart["labels"]) >= 1
    for a, b in itertools.combinations(boxes, 2):
        assert not labels.intersects(a, b), (name, a, b)
    for box in boxes:
        assert labels.inside(box, (0, 0, w, h)), (name, box)
    plot = (p["x0"], p["y0"] - 10, p["x1"], p["y1"])  # the plot and the free band above it
    bars = {pt["claim_id"]: charts.bar_box(pt) for pt in chart["points"]}
    for lb in chart["labels"]:
        assert labels.inside(lb["box"], plot), (name, lb)  # above the axis, right of the y labels
        assert not any(labels.intersects(lb["box"], bar) for bar in bars.values()), (name, lb)
    # every bar's value is drawn or left to its tooltip, which says it; so is a note left out
    svg = str(charts.chart_svg(chart, COLORS))
    tips = titles(svg)
    drawn = {(lb["claim_id"], lb["text"]) for lb in chart["labels"]}
    dropped = {(d["claim_id"], d["text"]) for d in chart["dropped"]}
    assert not drawn & dropped
    for pt in chart["points"]:
        value = formats.fmt_interval(pt["low"], pt["high"], None)
        assert (pt["claim_id"], value) in drawn | dropped, (name, pt)
    for cid, text in dropped:
        assert text in tips[cid], (name, cid, text)
    assert svg.count("<text") == len(boxes) + sum(1 for t in chart["x_ticks"] if t.get("labelled"))


def test_chart_tick_labels_are_thinned_evenly():
    claims = [claim(f"c{i}", i, i, day(i)) for i in range(17)]
    chart = charts.build_chart(claims, "cumulative", [], conf(300))
    shown = [i for i, t in enumerate(chart["x_ticks"]) if t["labelled"]]
    assert shown[0] == 0 and 1 < len(shown) < len(chart["x_ticks"])
    assert len({b - a for a, b in itertools.pairwise(shown)}) == 1  # every k-th day
    wide = charts.build_chart(claims[:7], "cumulative", [], conf(960))
    assert all(t["labelled"] for t in wide["x_ticks"])  # a week at full width keeps every day
    last = wide["x_ticks"][-1]
    assert last["box"][2] <= wide["width"] - 2


@pytest.mark.asyncio
async def test_the_toll_keeps_its_labels(toll_db):
    """The toll at full width, through the fact page's JSON: every value and every note is drawn."""
    from test_plugin import toll_datasette, toll_fact, toll_path

    ds = await toll_datasette(toll_db)
    chart = (await ds.client.get(toll_path(toll_fact(toll_db), ".json"))).json()["chart"]
    assert chart["dropped"] == []
    assert {lb["claim_id"] for lb in chart["labels"]} == {pt["claim_id"] for pt in chart["points"]}
    notes = {lb["text"] for lb in chart["labels"] if lb["cls"] == "pm-cbar-note"}
    assert {"lower than earlier", "correction", "disagrees"} <= notes
    boxes = charts.text_boxes(chart)
    assert not any(labels.intersects(a, b) for a, b in itertools.combinations(boxes, 2))


@pytest.mark.parametrize("width", [200, 430, 960])
def test_strip_ticks_and_labels_fit(width):
    """Dates over a year on a narrow strip, a source name longer than the label column."""
    claims = [{"id": f"d{i}", "kind": "date", "low": day(40 * i), "high": day(40 * i + 3),
               "source": "The Extremely Long Name of a Regional Evening Newspaper" if i == 0 else f"S{i}",
               "published": day(40 * i), "severity": None, "interval": "x", "text": "t", "norm_unit": "day"}
              for i in range(10)]
    strip = charts.build_strip(claims, "date", conf(width))
    shown = [t for t in strip["ticks"] if t["labelled"]]
    assert shown
    for a, b in itertools.pairwise(shown):
        assert not labels.intersects(a["box"], b["box"])
    for t in shown:
        assert labels.inside(t["box"], (0, 0, strip["width"], strip["height"])), t
    long_bar = strip["bars"][0]
    assert long_bar["label_text"].endswith("…") and long_bar["label_text"] != long_bar["label"]
    for b in strip["bars"]:
        box = labels.text_box(b["label_text"], charts.STRIP_LABEL_SIZE, strip["label_width"], b["y"] + 11, "end")
        assert box[0] >= 0
    svg = str(charts.strip_svg(strip, COLORS))
    assert long_bar["label"] in svg  # the full name stays in the row's title
    assert svg.count('class="pm-tick"') == len(shown)


def test_text_width_bounds_the_usual_fonts():
    """The estimate is at least DejaVu Sans's advance width (the widest of the stack) for typical labels."""
    dejavu = {**dict.fromkeys("0123456789", 0.636), " ": 0.318, ",": 0.318, "–": 0.5, "≥": 0.838, "-": 0.361,
              "M": 0.863, "o": 0.612, "n": 0.634, "A": 0.684, "p": 0.635, "r": 0.411, "…": 1.0}
    for text in ("1,234,567 – 1,299,999", "≥ 40", "Mon 1 Apr", "2024-04-01", "Mon…"):
        real = sum(dejavu[ch] for ch in text) * 11
        assert labels.text_width(text, 11) >= real, text
