"""Accuracy on test suites written by other projects, side by side with the peer tools.

Our own answer keys are written by us; these cases are not. Each suite is read at run time from
``../shared/peer-suites`` (never copied into this repository: the suites keep their own licences) and
turned into gold items in our terms: a kind, a span, and an interval on our normalized scale. Our
extractor and the peers (quantulum3 for quantities, dateparser for dates) are scored with the same
matching rules:

- a predicted item matches a gold item when their spans overlap, their kinds are equal and their values
  agree (relative tolerance 1e-6 after normalization); each prediction matches at most one gold item;
- a gold point matches a prediction whose interval has that point as a stated bound (the exact value, a
  "more than" or "up to" bound, the middle of an "about" band); a gold interval needs both bounds;
- a no-year date (two resolutions, past and future) matches either; we report which one matched;
- precision counts only predictions of the kinds the suite annotates (a date found in the Currency suite is
  neither right nor wrong there).

Speed ("x faster" = peer seconds / our seconds) is the time of each tool's extraction call alone, timed the
same way for every tool: the clock is read around ``extract_claims``, quantulum3's ``parser.parse`` and
dateparser's ``search_dates``, with their arguments built beforehand; turning the output into Items and
scoring it are not timed. Each suite is timed over ``--repeat`` passes (default 3) and the best pass counts,
after one warm-up call per tool (loading models and registries is not per-sentence work).

    python bench/run.py accuracy [--suite NAME] [--misses PATH] [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SUITES_DIR = REPO.parent / "shared" / "peer-suites"
TOLERANCE = 1e-6

# -- items and cases --------------------------------------------------------------------------------------


@dataclass
class Item:
    """One quantity or date, gold or predicted, in our normalized terms."""

    start: int
    end: int  # exclusive
    kind: str
    # acceptable readings: (low, high); for predictions the interval first, then (dates) each reading
    # an ambiguous date lists in extra["readings"]. Dates are ISO strings.
    readings: list[tuple[Any, Any]]
    text: str = ""
    label: str = ""  # where it came from: the gold unit or type, or the predicted claim's qualifier
    points: tuple[float, ...] = ()  # predictions: the values stated by the text (see module doc)
    reading_tags: list[str] = field(default_factory=list)  # gold: "past"/"future"/"" per reading


@dataclass
class Case:
    suite: str
    text: str
    gold: list[Item]
    published: str | None = None
    kinds: Callable[[str], bool] = lambda kind: True  # predictions of these kinds are scored
    policy: bool = False  # the gold had to be restated by our interval policy


@dataclass
class Suite:
    name: str
    cases: list[Case]
    tools: tuple[str, ...]  # which tools are scored on it
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    negatives: int = 0  # gold mentions that must give no claim (invalid dates): scored via precision
    dropped: int = 0  # gold results with a unit but no number ("in dollars"): not scored
    note: str = ""


# -- normalization ----------------------------------------------------------------------------------------

_units_mod = None


def _units():
    """The project's one pint registry and conversions (datasette_palmyra.extract.units)."""
    global _units_mod
    if _units_mod is None:
        from datasette_palmyra.extract import units

        _units_mod = units
    return _units_mod


def quantity(value: float, unit: str) -> tuple[str, float]:
    """(kind, value in SI base units) for a pint unit expression, as the extractor normalizes it."""
    conv = _units().conversion(unit)
    return conv.dimension, conv.to_base(value)


def pint_expr(name: str) -> str:
    """A unit name as written in the suites ("square kilometre", "Kilometer per hour") as a pint expression."""
    s = name.strip().lower().replace("-", " ")
    special = {"pound mass": "pound", "barrel": "oil_barrel", "metric ton": "metric_ton", "ton": "ton",
               "minute of arc": "arcminute", "second of arc": "arcsecond", "british thermal unit": "BTU",
               "degree celsius": "degC", "degree fahrenheit": "degF", "c": "degC", "f": "degF"}
    if s in special:
        return special[s]
    parts = re.split(r"\s+per\s+", s)
    out = []
    for i, part in enumerate(parts):
        words = part.split()
        power = ""
        if words and words[0] in ("square", "cubic"):
            power = "**2" if words[0] == "square" else "**3"
            words = words[1:]
        inverse = bool(words) and words[0] == "inverse"
        if inverse:
            words = words[1:]
        unit = "*".join(special.get(w, w) for w in words)
        if len(words) > 1 and not power:
            unit = f"({unit})"
        term = f"{unit}{power}"
        if inverse:
            term = f"1/{term}"
        out.append(term if i == 0 else f"/{term}")
    return "".join(out)


# Currency names (Recognizers-Text and quantulum3) -> (ISO code, factor). Sub-units are fractions.
CURRENCIES: dict[str, tuple[str, float]] = {
    "dollar": ("USD", 1), "united states dollar": ("USD", 1), "euro": ("EUR", 1), "pound": ("GBP", 1),
    "british pound": ("GBP", 1), "pound sterling": ("GBP", 1), "cent": ("USD", 0.01), "pence": ("GBP", 0.01),
    "penny": ("GBP", 0.01), "dime": ("USD", 0.1), "chinese yuan": ("CNY", 1), "canadian dollar": ("CAD", 1),
    "japanese yen": ("JPY", 1), "australian dollar": ("AUD", 1), "bitcoin": ("BTC", 1),
    "satoshi": ("BTC", 1e-8), "turkish lira": ("TRY", 1), "rupee": ("INR", 1), "mexican peso": ("MXN", 1),
    "finnish markka": ("FIM", 1), "hong kong dollar": ("HKD", 1), "peseta": ("ESP", 1),
    "netherlands guilder": ("NLG", 1), "swiss franc": ("CHF", 1), "franc": ("FRF", 1),
    "costa rican colón": ("CRC", 1), "georgian lari": ("GEL", 1), "lao kip": ("LAK", 1),
    "sri lankan rupee": ("LKR", 1), "sen": ("JPY", 0.01), "new zealand dollar": ("NZD", 1),
    "ruble": ("RUB", 1), "rouble": ("RUB", 1), "krone": ("NOK", 1),
}

COUNT_UNITS = {"dimensionless": 1, "dozen": 12, "baker's dozen": 13, "gross": 144}


def normalize(value: float, unit: str, money: bool = True) -> list[tuple[str, float]]:
    """Every (kind, normalized value) reading of a gold or peer figure; empty when the unit is unknown.

    ``money=False`` where the suite measures things: Recognizers-Text's Dimension "Pound" is a weight.
    """
    key = unit.strip().lower()
    if not money and key in CURRENCIES:
        key = {"pound": "pound mass"}.get(key, key)
        return [quantity(value, pint_expr(key))] if key != unit.strip().lower() else []
    if key in COUNT_UNITS:
        return [("count", value * COUNT_UNITS[key])]
    if key in ("percentage", "percent"):
        return [("percent", value)]
    if key in CURRENCIES:
        code, factor = CURRENCIES[key]
        return [(f"money:{code}", value * factor)]
    cur, sep, per = key.partition(" per ")
    if sep and cur in CURRENCIES:  # "dollar per kilogram": a price, kind money:USD/kg
        code, factor = CURRENCIES[cur]
        try:
            per_kind, per_base = quantity(1, pint_expr(per))
        except Exception:
            return []
        return [(f"money:{code}/{per_kind}", value * factor / per_base)]
    if key == "ton":  # short ton or tonne: news writes "tons" for both
        return [quantity(value, "ton"), quantity(value, "metric_ton")]
    try:
        return [quantity(value, pint_expr(unit))]
    except Exception:  # pint cannot read it: the item cannot be matched by value
        return []


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=TOLERANCE, abs_tol=1e-300)


def claim_item(c: Any) -> Item:
    """Our Claim as an Item: money kinds carry their currency, everything else as the claim says."""
    kind = c.kind
    if kind == "money":
        kind = f"money:{c.norm_unit}"
    low, high = c.low, c.high
    if c.kind not in ("date", "count", "percent", "money", "age") and c.norm_unit:
        # compare in SI base units whatever unit the extractor normalized to ("day" for durations)
        try:
            conv = _units().conversion(c.norm_unit)
            low, high = (None if x is None else conv.to_base(x) for x in (low, high))
        except Exception:
            pass
    points: list[float] = []
    if c.kind != "date":
        nums = [x for x in (low, high) if isinstance(x, (int, float))]
        points = list(nums)
        if len(nums) == 2:
            points.append((nums[0] + nums[1]) / 2)
    readings = [(low, high)]
    if c.kind == "date":
        # an ambiguous date ("last Wednesday": the day before, or a week earlier) lists its readings;
        # like gold with two resolutions, it matches when one of them does
        for r in (getattr(c, "extra", None) or {}).get("readings") or ():
            reading = (r, r) if isinstance(r, str) else tuple(r)[:2]
            if len(reading) == 2 and reading not in readings:
                readings.append(reading)
    return Item(c.start, c.end, kind, readings, c.text, c.qualifier or "", tuple(points))


# -- matching and scores ----------------------------------------------------------------------------------


def value_matches(gold: Item, pred: Item) -> int | None:
    """Index of the gold reading the prediction agrees with, or None."""
    plow, phigh = pred.readings[0]
    for i, (glow, ghigh) in enumerate(gold.readings):
        if gold.kind == "date":
            if any(plow == glow and phigh == ghigh for plow, phigh in pred.readings):
                return i
        elif glow is not None and glow == ghigh:
            if any(_close(glow, p) for p in pred.points):
                return i
        elif _close(glow, plow) and _close(ghigh, phigh):
            return i
    return None


def overlaps(a: Item, b: Item) -> bool:
    return a.start < b.end and b.start < a.end


@dataclass
class Score:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    seconds: float = 0.0
    sentences: int = 0
    errors: int = 0
    reading_tags: Counter = field(default_factory=Counter)
    misses: list[tuple[Case, Item, str]] = field(default_factory=list)  # (case, gold, why)
    false: list[tuple[Case, Item]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def per_1000(self) -> float:
        return 1000 * self.seconds / self.sentences if self.sentences else 0.0


def score_case(case: Case, preds: list[Item], score: Score) -> None:
    """Greedy one-to-one matching in text order; misses keep the reason for the report."""
    preds = [p for p in preds if case.kinds(p.kind)]
    used: set[int] = set()
    score.n_pred += len(preds)
    score.n_gold += len(case.gold)
    for g in case.gold:
        hit = None
        for j, p in enumerate(preds):
            if j in used or not overlaps(g, p) or p.kind != g.kind:
                continue
            r = value_matches(g, p)
            if r is not None:
                hit = (j, r)
                break
        if hit is not None:
            used.add(hit[0])
            score.tp += 1
            if g.reading_tags:
                score.reading_tags[g.reading_tags[hit[1]] or "only"] += 1
            continue
        near = [p for p in preds if overlaps(g, p)]
        if not near:
            why = "not found"
        elif not any(p.kind == g.kind for p in near):
            why = "kind " + "/".join(sorted({p.kind for p in near}))
        else:
            p = next(p for p in near if p.kind == g.kind)
            why = f"value {p.readings[0][0]}..{p.readings[0][1]} ({p.label}, {p.text!r})"
        score.misses.append((case, g, why))
    for j, p in enumerate(preds):
        if j not in used:
            score.false.append((case, p))


# -- the suites -------------------------------------------------------------------------------------------


def _load(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _type(result: dict) -> str:
    return result.get("TypeName") or result.get("Typename") or ""


def _reference(case: dict) -> str | None:
    ref = (case.get("Context") or {}).get("ReferenceDateTime")
    return ref[:10] if ref else None


def _tag(iso: str, ref: str | None) -> str:
    if ref is None:
        return ""
    return "past" if iso <= ref else "future"


def _minus_day(iso: str) -> str:
    return (dt.date.fromisoformat(iso) - dt.timedelta(days=1)).isoformat()


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TWO_ENDS = re.compile(r"\b(?:to|till|until|through|thru|and)\b|\d\s*[-~–]\s*\w|[a-z]\s*[-~–]\s*[a-z]", re.I)
_PERIOD = re.compile(r"^\(.*,P(?:\d+|X)([YMWD])\)$")


def _inclusive_end(text: str, timex: str, end: str) -> str | None:
    """The inclusive end when the written last item of a two-ended range is read as included."""
    m = _PERIOD.match(timex)
    if not m or not _TWO_ENDS.search(text):
        return None
    from dateutil.relativedelta import relativedelta

    step = {"Y": relativedelta(years=1), "M": relativedelta(months=1), "W": relativedelta(weeks=1),
            "D": relativedelta(days=1)}[m.group(1)]
    return (dt.date.fromisoformat(end) + step - dt.timedelta(days=1)).isoformat()


def _date_gold(result: dict, ref: str | None) -> Item | None:
    """A datetimeV2.date or .daterange result as an inclusive date interval with its readings."""
    readings: list[tuple[Any, Any]] = []
    tags: list[str] = []
    for v in result["Resolution"]["values"]:
        if _ISO.match(v.get("value", "")):  # a date, or "around the 21st" (a daterange with one value)
            readings.append((v["value"], v["value"]))
            tags.append(_tag(v["value"], ref) if len(result["Resolution"]["values"]) > 1 else "")
        elif v.get("type") == "daterange":
            start, end = v.get("start"), v.get("end")
            if (start and not _ISO.match(start)) or (end and not _ISO.match(end)) or not (start or end):
                continue
            tag = _tag(start or end, ref) if len(result["Resolution"]["values"]) > 1 else ""
            readings.append((start, _minus_day(end) if end else None))
            tags.append(tag)
            # Recognizers-Text makes the written last item of "2014 to 2018", "Jan-Feb 2017", "between 3 and
            # 12 of Sept" the exclusive end (timex "(2014-01-01,2018-01-01,P4Y)"); news means it inclusively,
            # as we do: for a range with two written ends, also accept the whole last item as the end
            lenient = _inclusive_end(result["Text"], v.get("timex", ""), end) if end else None
            if lenient:
                readings.append((start, lenient))
                tags.append(tag + "+lenient-end" if tag else "lenient-end")
    if not readings:
        return None
    start = result["Start"]
    return Item(start, result["End"] + 1, "date", readings, result["Text"], _type(result), (), tags)


def _invalid_day(result: dict) -> bool:
    """A gold date Recognizers-Text found but could not resolve because the day does not exist."""
    for v in result["Resolution"]["values"]:
        for m in re.finditer(r"(\d{4}|XXXX)-(\d{2})-(\d{2})", v.get("timex", "")):
            try:
                dt.date(2016 if m.group(1) == "XXXX" else int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                if not (m.group(1) == "XXXX" and m.group(2) == "02" and m.group(3) == "29"):
                    return True
    return False


def datetime_suites(root: Path) -> list[Suite]:
    """DateTimeModel: the cases whose gold is only dates, then the cases with date ranges."""
    data = _load(root / "recognizers-text/DateTime/English/DateTimeModel.json")
    dates = Suite("RT DateTime: dates", [], ("ours", "dateparser"),
                  note="cases whose gold is only datetimeV2.date")
    ranges = Suite("RT DateTime: date ranges", [], ("ours", "dateparser"),
                   note="cases whose gold is date ranges (and dates)")
    is_date = lambda k: k == "date"  # noqa: E731
    for x in data:
        types = {_type(r) for r in x.get("Results", [])}
        if not types:
            continue
        if types == {"datetimeV2.date"}:
            suite = dates
        elif types <= {"datetimeV2.date", "datetimeV2.daterange"}:
            suite = ranges
        else:
            continue
        ref = _reference(x)
        if ref is None:
            suite.skipped["no ReferenceDateTime"] += 1
            continue
        gold = []
        for r in x["Results"]:
            item = _date_gold(r, ref)
            if item is not None:
                gold.append(item)
            elif _invalid_day(r):
                # "feb 30", "2/29/2019": no such day, so the right answer is no date at all
                suite.negatives += 1
            else:
                gold = None
                break
        if gold is None:
            suite.skipped["gold not resolved by Recognizers-Text (seasons, school and fiscal years)"] += 1
            continue
        suite.cases.append(Case(suite.name, x["Input"], gold, ref, is_date))  # type: ignore[arg-type]
    return [dates, ranges]


NWU_KINDS: dict[str, Callable[[str], bool]] = {
    "Age": lambda k: k == "age",
    "Currency": lambda k: k.startswith("money"),
    "Temperature": lambda k: k == "temperature",
    "Dimension": lambda k: k not in ("count", "percent", "date", "age", "duration", "temperature", "ordinal",
                                     "identifier", "time_of_day") and not k.startswith("money"),
}


def _nwu_gold(model: str, r: dict) -> Item | None:
    res = r.get("Resolution") or {}
    try:
        value = float(res["value"])
    except (KeyError, TypeError, ValueError):
        return None
    unit = res.get("unit") or ""
    if model == "Age":
        years = {"year": 1, "age": 1, "month": 1 / 12, "week": 7 / 365.25, "day": 1 / 365.25}.get(unit.lower())
        if years is None:
            return None
        readings = [("age", value * years)]
    elif model == "Temperature":
        scales = {"c": ["degC"], "f": ["degF"], "degree": ["degC", "degF"]}.get(unit.lower(), [])
        readings = [quantity(value, s) for s in scales]
    else:
        readings = normalize(value, unit, money=model == "Currency")
    if not readings:
        return None
    kind = readings[0][0]
    vals = [(v, v) for k, v in readings if k == kind]
    return Item(r["Start"], r["End"] + 1, kind, vals, r["Text"], unit)


def numberwithunit_suites(root: Path) -> list[Suite]:
    out = []
    for model in ("Age", "Dimension", "Currency", "Temperature"):
        data = _load(root / f"recognizers-text/NumberWithUnit/English/{model}Model.json")
        suite = Suite(f"RT NumberWithUnit: {model.lower()}", [], ("ours", "quantulum3"))
        for x in data:
            results = x.get("Results", [])
            valued = [r for r in results if (r.get("Resolution") or {}).get("value") is not None]
            suite.dropped += len(results) - len(valued)
            gold = [_nwu_gold(model, r) for r in valued]
            if any(g is None for g in gold):
                suite.skipped["gold unit not convertible"] += 1
                continue
            suite.cases.append(Case(suite.name, x["Input"], gold, None, NWU_KINDS[model]))  # type: ignore[arg-type]
        out.append(suite)
    return out


def _is_year(text: str, r: dict) -> bool:
    v = r["value"]
    return (r["unit"] == "dimensionless" and float(v).is_integer() and 1000 <= v <= 2100
            and re.fullmatch(r"\d{4}", r["surface"].strip()) is not None)


def _quantulum_gold(text: str, r: dict, pos: int) -> tuple[Item | None, bool, int]:
    """(item, restated by our policy, search position). Years become dates, ranges intervals."""
    surface = r["surface"]
    start = text.find(surface, pos)
    if start < 0:
        start = text.lower().find(surface.lower())
    if start < 0:
        return None, False, pos
    end = start + len(surface)
    if _is_year(text, r):
        y = int(r["value"])
        if text[end:end + 1] == "s":  # "the 1960s": a decade
            return Item(start, end + 1, "date", [(f"{y}-01-01", f"{y + 9}-12-31")], surface, "decade"), True, end
        return Item(start, end, "date", [(f"{y}-01-01", f"{y}-12-31")], surface, "year"), True, end
    unc = r.get("uncertainty")
    value = float(r["value"])
    if r["unit"] == "dimensionless" and 0 < value < 1 and not any(ch.isdigit() for ch in surface) \
            and re.match(r"\s+of\b", text[end:]):
        # "two thirds of the cake": a fraction in words of a whole is a share, a percentage (issue 13)
        return Item(start, end, "percent", [(value * 100, value * 100)], surface, "percent"), True, end
    lows = normalize(value - unc, r["unit"]) if unc else []
    highs = normalize(value + unc, r["unit"]) if unc else []
    points = normalize(value, r["unit"])
    if not points:
        return None, False, end
    kind = points[0][0]
    if unc:
        return Item(start, end, kind, [(lows[0][1], highs[0][1])], surface, r["unit"]), True, end
    return Item(start, end, kind, [(v, v) for _, v in points], surface, r["unit"]), False, end


def _quantulum_kinds(dates: bool) -> Callable[[str], bool]:
    """quantulum3's gold has no dates: ours count only where a year was restated as one."""
    def kinds(kind: str) -> bool:
        return kind not in ("ordinal", "identifier", "time_of_day") and (dates or kind != "date")

    return kinds


def quantulum_suites(root: Path) -> list[Suite]:
    out = []
    for fname, name in (("quantities.json", "quantulum3 cases"), ("quantities.ambiguity.json", "quantulum3 ambiguity")):
        data = _load(root / "quantulum3" / fname)
        plain = Suite(name, [], ("ours", "quantulum3"))
        policy = Suite(name + " (by our policy)", [], ("ours", "quantulum3"),
                       note="gold restated: years as dates, ranges and ± as intervals, shares as percentages")
        for x in data:
            gold: list[Item] = []
            restated = False
            pos = 0
            bad = False
            for r in x["res"]:
                item, by_policy, pos = _quantulum_gold(x["req"], r, pos)
                if item is None:
                    bad = True
                    break
                gold.append(item)
                restated = restated or by_policy
            if bad:
                (policy if restated else plain).skipped["gold surface or unit not found"] += 1
                continue
            has_date = any(g.kind == "date" for g in gold)
            kinds = _quantulum_kinds(has_date)
            (policy if restated else plain).cases.append(Case(name, x["req"], gold, None, kinds, restated))
        out += [plain, policy]
    return out


def load_suites(root: Path = SUITES_DIR) -> list[Suite]:
    return datetime_suites(root) + numberwithunit_suites(root) + quantulum_suites(root)


# -- tools ------------------------------------------------------------------------------------------------

@dataclass
class Tool:
    """A tool as the harness runs it. Only ``extract`` is timed: the tool's own extraction call (our
    ``extract_claims``, quantulum3's ``parser.parse``, dateparser's ``search_dates``) on the arguments
    ``args`` built from the case beforehand; ``convert`` then turns its output into Items, untimed, as
    scoring is. Calling the tool does all three (the smoke tests and the warm-up call it so)."""

    args: Callable[[Case], tuple]
    extract: Callable[..., Any]
    convert: Callable[[Case, Any], list[Item]]

    def __call__(self, case: Case) -> list[Item]:
        return self.convert(case, self.extract(*self.args(case)))


def ours() -> Tool:
    from datasette_palmyra.extract import extract_claims

    def convert(case: Case, claims: list) -> list[Item]:
        return [claim_item(c) for c in claims]

    return Tool(lambda case: (case.text, "en", case.published), extract_claims, convert)


def quantulum3_tool() -> Tool:
    warnings.filterwarnings("ignore", module="quantulum3")
    from quantulum3 import parser  # noqa: PLC0415

    def convert(case: Case, quantities: list) -> list[Item]:
        out = []
        for q in quantities:
            unc = q.uncertainty
            unit = q.unit.name
            if q.unit.entity.name == "currency" and unit.lower() not in CURRENCIES:
                continue
            readings = normalize(q.value, unit)
            if not readings:
                continue
            kind, v = readings[0]
            if unc:
                lo, hi = normalize(q.value - unc, unit)[0][1], normalize(q.value + unc, unit)[0][1]
                item = Item(q.span[0], q.span[1], kind, [(lo, hi)], q.surface, unit, (lo, hi, v))
            else:
                item = Item(q.span[0], q.span[1], kind, [(v, v)], q.surface, unit, (v,))
            out.append(item)
        return out

    return Tool(lambda case: (case.text,), parser.parse, convert)


def dateparser_tool() -> Tool:
    warnings.filterwarnings("ignore", module="dateparser")
    from dateparser.search import search_dates  # noqa: PLC0415

    def args(case: Case) -> tuple:
        return case.text, ({"RELATIVE_BASE": dt.datetime.fromisoformat(case.published)} if case.published else {})

    def extract(text: str, settings: dict) -> Any:
        return search_dates(text, languages=["en"], settings=settings)

    def convert(case: Case, found: Any) -> list[Item]:
        out, pos = [], 0
        for text, when in found or []:
            start = case.text.find(text, pos)
            if start < 0:
                continue
            pos = start + len(text)
            iso = when.date().isoformat()
            out.append(Item(start, pos, "date", [(iso, iso)], text, "point"))
        return out

    return Tool(args, extract, convert)


TOOLS: dict[str, tuple[Callable[[], Tool], str]] = {
    "ours": (ours, "the extractor did not import"),
    "quantulum3": (quantulum3_tool, "quantulum3 not installed: pip install -e '.[bench]'"),
    "dateparser": (dateparser_tool, "dateparser not installed: pip install -e '.[bench]'"),
}


def load_tools(names: Iterable[str]) -> tuple[dict[str, Tool], dict[str, str]]:
    """The tools that import, and for the others the one line that says why not."""
    tools, missing = {}, {}
    for name in names:
        factory, hint = TOOLS[name]
        try:
            tools[name] = factory()
        except ImportError as e:
            missing[name] = f"{hint} ({e})" if name == "ours" else hint
    return tools, missing


_FAILED = object()  # the extraction call raised
CLOCK = time.perf_counter  # read around each extraction call


def run_suite(suite: Suite, tool: Tool, repeat: int = 1) -> Score:
    """Score one tool on one suite. ``seconds`` is the time of the extraction calls alone, summed over the
    cases (the clock is read around each call): the best of ``repeat`` passes over the suite, so a burst
    of load on a shared machine does not decide a ratio. The first pass's output is scored."""
    score = Score()
    args = [tool.args(case) for case in suite.cases]
    outputs: list[Any] = []
    best = math.inf
    clock = CLOCK
    for run in range(max(1, repeat)):
        seconds = 0.0
        for a in args:
            t0 = clock()
            try:
                out = tool.extract(*a)
            except Exception:  # a peer crashing on one sentence scores nothing on it
                out = _FAILED
            seconds += clock() - t0
            if run == 0:
                outputs.append(out)
        best = min(best, seconds)
    for case, out in zip(suite.cases, outputs, strict=True):
        preds: list[Item] = []
        if out is _FAILED:
            score.errors += 1
        else:
            try:
                preds = tool.convert(case, out)
            except Exception:
                score.errors += 1
        score_case(case, preds, score)
    score.seconds = best
    score.sentences = len(suite.cases)
    return score


def warm_up(tools: dict[str, Tool]) -> dict[str, float]:
    """First call of each tool, timed apart: loading models and registries is not per-sentence cost."""
    probe = Case("warm-up", "About 5 km (3 miles) from Palmyra on 27 March 2016, 80% of $2 million, aged 40, 40°C.",
                 [], "2016-11-07")
    out = {}
    for name, tool in tools.items():
        t0 = time.perf_counter()
        try:
            tool(probe)
        except Exception:
            pass
        out[name] = time.perf_counter() - t0
    return out


# -- report -----------------------------------------------------------------------------------------------


def _fmt(score: Score | None) -> str:
    if score is None:
        return f"{'—':>5} {'—':>5} {'—':>5} {'—':>7}"
    return f"{score.precision:5.2f} {score.recall:5.2f} {score.f1:5.2f} {score.per_1000:7.2f}"


def table(suites: list[Suite], results: dict[str, dict[str, Score]]) -> str:
    """One row per suite: ours, then the peer scored on it (quantulum3 or dateparser)."""
    head = (f"{'suite':36} {'cases':>5} {'gold':>5} | {'ours P':>6} {'R':>5} {'F1':>5} {'s/1k':>7} | "
            f"{'peer':10} {'P':>5} {'R':>5} {'F1':>5} {'s/1k':>7} | x faster")
    lines = [head, "-" * len(head)]
    for s in suites:
        ours_s = results.get("ours", {}).get(s.name)
        peer = next((t for t in s.tools if t != "ours"), "")
        peer_s = results.get(peer, {}).get(s.name)
        n_gold = sum(len(c.gold) for c in s.cases)
        ratio = (f"{peer_s.seconds / ours_s.seconds:7.1f}"
                 if ours_s and peer_s and ours_s.seconds > 0 else f"{'—':>7}")
        lines.append(f"{s.name:36} {len(s.cases):5d} {n_gold:5d} | {_fmt(ours_s):>26} | {peer:10} "
                     f"{_fmt(peer_s)} | {ratio}")
    return "\n".join(lines)


def misses_report(suites: list[Suite], results: dict[str, dict[str, Score]], tool: str = "ours") -> str:
    """Every miss and false positive of one tool, grouped by suite and reason, for the people fixing it."""
    out = [f"# Misses of {tool}\n"]
    for s in suites:
        score = results.get(tool, {}).get(s.name)
        if score is None:
            continue
        out.append(f"## {s.name}: {len(score.misses)} missed, {len(score.false)} false\n")
        by_why: dict[str, list] = {}
        for case, g, why in score.misses:
            key = "value differs" if why.startswith("value") else why
            by_why.setdefault(key, []).append((case, g, why))
        for why, rows in sorted(by_why.items(), key=lambda kv: -len(kv[1])):
            out.append(f"### {why} ({len(rows)})\n")
            for case, g, full in rows:
                gold = "; ".join(f"{lo}..{hi}" for lo, hi in g.readings)
                out.append(f"- `{g.text}` [{g.kind} {gold}] {full} — {case.text[:160]!r}")
            out.append("")
        if score.false:
            out.append(f"### false positives ({len(score.false)})\n")
            for case, p in score.false:
                out.append(f"- `{p.text}` [{p.kind} {p.readings[0][0]}..{p.readings[0][1]} {p.label}] — "
                           f"{case.text[:160]!r}")
            out.append("")
    return "\n".join(out)


def evaluate(suites: list[Suite], tool_names: Iterable[str], repeat: int = 1) -> tuple[dict[str, dict[str, Score]],
                                                                                       dict[str, str], dict[str, float]]:
    tools, missing = load_tools(tool_names)
    cold = warm_up(tools)
    results: dict[str, dict[str, Score]] = {}
    for name, tool in tools.items():
        for s in suites:
            if name in s.tools:
                results.setdefault(name, {})[s.name] = run_suite(s, tool, repeat)
    return results, missing, cold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py accuracy", description=__doc__.splitlines()[0])
    ap.add_argument("--suites-dir", type=Path, default=SUITES_DIR)
    ap.add_argument("--suite", action="append", help="only suites whose name contains this (repeatable)")
    ap.add_argument("--tools", default="ours,quantulum3,dateparser")
    ap.add_argument("--repeat", type=int, default=3,
                    help="time each tool's extraction calls over this many passes of a suite and keep the best")
    ap.add_argument("--misses", type=Path, default=REPO / "bench" / "out" / "accuracy-misses.md",
                    help="where to write every miss of our extractor")
    args = ap.parse_args(argv)
    if not args.suites_dir.is_dir():
        print(f"peer suites not found at {args.suites_dir}: pass --suites-dir", file=sys.stderr)
        return 2
    suites = load_suites(args.suites_dir)
    if args.suite:
        suites = [s for s in suites if any(w.lower() in s.name.lower() for w in args.suite)]
    results, missing, cold = evaluate(suites, args.tools.split(","), args.repeat)
    for name, why in missing.items():
        print(f"{name}: {why}")
    print(table(suites, results))
    print("\nP, R, F1 over gold items; s/1k = seconds per 1,000 sentences in the tool's extraction call alone "
          f"(after a warm-up call; best of {args.repeat} passes); x faster = peer seconds / our seconds on the "
          "same sentences.")
    print("first call (load) seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in cold.items()))
    for s in suites:
        notes = [s.note] if s.note else []
        notes += [f"skipped {n} cases: {why}" for why, n in s.skipped.items()]
        if s.negatives:
            notes.append(f"{s.negatives} gold dates name no real day (Feb 30): any date there is a false positive")
        if s.dropped:
            notes.append(f"{s.dropped} gold units with no number ('in dollars') not scored")
        for name, sc in results.items():
            if s.name in sc and sc[s.name].reading_tags:
                tags = ", ".join(f"{k} {v}" for k, v in sorted(sc[s.name].reading_tags.items()))
                notes.append(f"{name} matched readings: {tags}")
            if s.name in sc and sc[s.name].errors:
                notes.append(f"{name} raised on {sc[s.name].errors} sentences")
        if notes:
            print(f"  {s.name}: " + "; ".join(notes))
    if "ours" in results:
        args.misses.parent.mkdir(parents=True, exist_ok=True)
        args.misses.write_text(misses_report(suites, results), encoding="utf-8")
        print(f"\nour misses: {args.misses}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
