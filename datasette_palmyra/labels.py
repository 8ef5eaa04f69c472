"""Where the charts' text goes, decided in Python on the geometry, before any SVG is written.

A browser lays SVG text out only when it draws it, so the chart cannot ask how wide a label is. Instead each
label gets a box estimated from its characters and font size (``text_box``), and the placement works on those
boxes: a label that would overlap another one, a bar, or leave its frame moves to another spot, and one that
fits nowhere is not drawn (the bar's tooltip still says it). Tick labels are thinned to an evenly spaced
subset that does not collide.

Why the estimate is safe: the pages use Datasette's font stack, ``"Helvetica Neue", sans-serif`` (the SVGs
say ``font-family: inherit``). Of the fonts that stack ends on — Helvetica Neue (macOS), Arial (Windows),
Liberation Sans and DejaVu Sans (Linux, Debian's chromium) — DejaVu Sans is the widest. Its advance widths
are at most 0.32 em for the narrow characters in ``NARROW`` except r (0.41), t (0.39), f (0.35) and brackets
(0.39), all counted 0.45 em; 0.636 em for digits and the other lower-case letters, counted 0.64; about
0.79 em for most capitals and signs, counted 0.8 (≥ and ≤ are 0.84 but always come before a space counted
0.13 em too wide); and up to 1.0 em for m, w, M, W, %, @ and …, counted 1.0. Its bold, used for notes, is at
most 12 % wider (r 0.49, n 0.71 em), hence the factor 1.12. Heights use its ascent and descent (0.93 and
0.24 em, which is the box a browser reports for a text), counted 0.95 and 0.25. Helvetica and Arial are
narrower (digits 0.556 em), so with any of these fonts the drawn text fits inside its estimated box.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in the SVG's user units (y grows downward)

NARROW = frozenset(" .,:;'|!ijlftrI()[]-·")
WIDE = frozenset("mwMW%@…")
ASCENT, DESCENT = 0.95, 0.25  # of the font size, above and below the baseline (DejaVu Sans: 0.928, 0.236)
GAP = 3.0  # pixels between a label and its bar


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An upper bound of the drawn width of ``text`` at ``size`` px (see the module docstring)."""
    em = 0.0
    for ch in text:
        if ch in NARROW:
            em += 0.45
        elif ch in WIDE:
            em += 1.0
        elif ch.isdigit() or ch.islower():
            em += 0.64
        else:
            em += 0.8
    return em * size * (1.12 if bold else 1.0)


def text_box(text: str, size: float, x: float, baseline: float, anchor: str, bold: bool = False) -> Box:
    """The box a text drawn at (x, baseline) with this ``text-anchor`` takes."""
    w = text_width(text, size, bold)
    x0 = x if anchor == "start" else x - w if anchor == "end" else x - w / 2
    return (round(x0, 2), round(baseline - ASCENT * size, 2), round(x0 + w, 2), round(baseline + DESCENT * size, 2))


def intersects(a: Box, b: Box, pad: float = 0.0) -> bool:
    """True when the boxes overlap or come closer than ``pad``."""
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and box[3] <= frame[3]


def union(boxes: Iterable[Box]) -> Box:
    bs = list(boxes)
    return (min(b[0] for b in bs), min(b[1] for b in bs), max(b[2] for b in bs), max(b[3] for b in bs))


@dataclass
class Line:
    """One line of a label block: its text, font size, weight and CSS class."""
    text: str
    size: float
    cls: str
    bold: bool = False


@dataclass
class Placed:
    """A line where it is drawn."""
    line: Line
    x: float
    y: float  # baseline
    anchor: str
    box: Box


def block_at(lines: Sequence[Line], x: float, top: float, anchor: str) -> list[Placed]:
    """The lines stacked from ``top`` down, each anchored at ``x``; consecutive boxes touch but never overlap."""
    out: list[Placed] = []
    y = top + ASCENT * lines[0].size
    for i, ln in enumerate(lines):
        if i:
            y += DESCENT * lines[i - 1].size + ASCENT * ln.size + 0.5
        y = round(y, 2)
        out.append(Placed(ln, round(x, 2), y, anchor, text_box(ln.text, ln.size, x, y, anchor, ln.bold)))
    return out


def block_height(lines: Sequence[Line]) -> float:
    placed = block_at(lines, 0.0, 0.0, "start")
    return placed[-1].box[3] - placed[0].box[1]


def candidates(lines: Sequence[Line], bar: Box, frame: Box) -> Iterable[list[Placed]]:
    """Spots for a bar's label block, best first: beside the bar at its middle (right, then left so a bar at
    the right edge is labelled inward, anchored ``end``), above it, below it, then stacked upward in half-line
    steps beside or above it until the top of the frame."""
    h = block_height(lines)
    w = max(text_width(ln.text, ln.size, ln.bold) for ln in lines)
    cx, mid = (bar[0] + bar[2]) / 2, (bar[1] + bar[3]) / 2
    # a centred block is nudged inward when it would leave the frame sideways
    cx_in = min(max(cx, frame[0] + w / 2 + 1), frame[2] - w / 2 - 1)
    yield block_at(lines, bar[2] + GAP, mid - h / 2, "start")
    yield block_at(lines, bar[0] - GAP, mid - h / 2, "end")
    yield block_at(lines, cx_in, bar[1] - GAP - h, "middle")
    yield block_at(lines, cx_in, bar[3] + GAP, "middle")
    step = 7.0
    k = 1
    while mid - h / 2 - k * step >= frame[1] or bar[1] - GAP - h - k * step >= frame[1] \
            or mid + h / 2 + k * step <= frame[3]:
        yield block_at(lines, cx_in, bar[1] - GAP - h - k * step, "middle")
        yield block_at(lines, bar[2] + GAP, mid - h / 2 - k * step, "start")
        yield block_at(lines, bar[0] - GAP, mid - h / 2 - k * step, "end")
        yield block_at(lines, bar[2] + GAP, mid - h / 2 + k * step, "start")  # and downward, beside it
        yield block_at(lines, bar[0] - GAP, mid - h / 2 + k * step, "end")
        k += 1


def place(lines: Sequence[Line], bar: Box, frame: Box, taken: list[Box], obstacles: Sequence[Box],
          soft: Sequence[Box] = (), pad: float = 1.0) -> list[Placed] | None:
    """The first candidate spot whose boxes stay in ``frame`` and clear every taken label and obstacle
    (bars) by ``pad``; None when there is none. A spot near the bar (within ``NEAR``) that also clears
    ``soft`` (the line, which would strike the text through) is preferred; a spot near the bar across the line
    still beats one moved further away. The caller adds the returned boxes to ``taken``."""
    def clear(placed: list[Placed], avoid: Sequence[Box]) -> bool:
        box = union(p.box for p in placed)
        return inside(box, frame) and not any(intersects(box, t, pad) for t in taken) \
            and not any(intersects(box, o, pad) for o in avoid)

    spots = list(candidates(lines, bar, frame))
    near = [placed for placed in spots if distance(bar, union(p.box for p in placed)) <= NEAR]
    return next((placed for placed in near if clear(placed, [*obstacles, *soft])), None) \
        or next((placed for placed in spots if clear(placed, obstacles)), None)


NEAR = 16.0  # pixels: a label this close to its bar still reads as its label


def distance(a: Box, b: Box) -> float:
    """The largest of the horizontal and vertical gaps between two boxes (0 when they overlap)."""
    return max(a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3], 0.0)


def segment_boxes(points: Sequence[tuple[float, float]], width: float) -> list[Box]:
    """Boxes around the horizontal and vertical segments of a polyline drawn ``width`` px wide."""
    half = width / 2
    return [(min(a[0], b[0]) - half, min(a[1], b[1]) - half, max(a[0], b[0]) + half, max(a[1], b[1]) + half)
            for a, b in zip(points, points[1:], strict=False)]


def leader(bar: Box, box: Box) -> tuple[float, float, float, float] | None:
    """A thin line from a label moved away from its bar back to the bar; None when the label is beside it."""
    if distance(bar, box) <= GAP + 0.5:
        return None
    cx, cy = (bar[0] + bar[2]) / 2, (bar[1] + bar[3]) / 2
    lx, ly = min(max(cx, box[0]), box[2]), min(max(cy, box[1]), box[3])
    bx, by = min(max(lx, bar[0]), bar[2]), min(max(ly, bar[1]), bar[3])
    return (round(bx, 2), round(by, 2), round(lx, 2), round(ly, 2))


def thin_ticks(ticks: list[dict], lines: Sequence[tuple[str, float, float]], frame: Box, gap: float = 8.0) -> None:
    """Label an evenly spaced subset of ``ticks`` (every k-th, k as small as it can be) so that no two tick
    labels come within ``gap``. ``lines`` are (key of the tick's text, font size, baseline). A label that would
    leave the frame sideways is anchored at the frame's edge instead of its tick (``end`` on the right). Each
    tick gains ``labelled``, ``label_x``, ``anchor`` and ``box``."""
    for t in ticks:
        texts = [(str(t[key]), size, base) for key, size, base in lines]
        w = max(text_width(s, size) for s, size, _ in texts)
        x, anchor = t["x"], "middle"
        if x + w / 2 > frame[2]:
            x, anchor = frame[2], "end"
        elif x - w / 2 < frame[0]:
            x, anchor = frame[0], "start"
        t.update({"label_x": round(x, 2), "anchor": anchor,
                  "box": union(text_box(s, size, x, base, anchor) for s, size, base in texts), "labelled": False})
    for k in range(1, len(ticks) + 1):
        chosen = ticks[::k]
        if all(not intersects(a["box"], b["box"], gap) for a, b in zip(chosen, chosen[1:], strict=False)):
            break
    for t in chosen if ticks else []:
        t["labelled"] = True


def fit_text(text: str, size: float, width: float, bold: bool = False) -> str:
    """``text`` cut with an ellipsis so its estimated width stays within ``width``."""
    if text_width(text, size, bold) <= width:
        return text
    while text and text_width(text + "…", size, bold) > width:
        text = text[:-1]
    return text.rstrip() + "…" if text else ""
