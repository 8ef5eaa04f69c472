"""Dates named from the date the text spoke of last: "the same day", "the following day", "later in the day",
"the previous year", "the same period last year" (nb "dagen etter", "samme periode i fjor"; ru "на следующий
день", "аналогичный период прошлого года").

News counts time from the event it reports, not only from publication: "police arrested him on Monday and
released him the next day", "sales rose 43% in February compared to the same period last year", "the Dow ended
the day at 8,017". Read from publication, each of these is wrong or no date at all; read from the date written
before it, each is the day, month or year the figures beside it describe.

Three readers, their words in dates.yml: ``anaphoric_dates`` (whole phrases, a unit and an offset),
``the_day_contexts`` + ``the_day_words`` ("the day" alone is the day spoken of only after "ended", "for", "the
start of"...; elsewhere it is a noun like any other), and ``same_period_openers`` + ``same_period_nouns`` +
``same_period_shifts`` ("the same month a year ago"). What they find is resolved in text order against the
dates before it, so "the next day" after "the same day" counts from the day that phrase named.

The anchor a phrase counts from: for a day, the last day written before it within ``DAY_REACH`` characters
(else, for a phrase of offset 0, the publication day: "for the day" in a market report with no other day);
for a week, month or year, and for "the same period", the last date before it in its own sentence (else the
phrase keeps the reading it has from publication, if any: "the previous year" alone is the year before
publication); for "at the time", the last date of its sentence or the one before, as written. A phrase with
nothing to count from is no date. This module imports nothing from the dates package.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ..language import Language, alternation

DAY_REACH = 1000  # characters back to the day "the same day" means: a paragraph or two of news
_WS = r"[\s\u00a0]+"
_TOKEN = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"'”»)]*\s+(?=[\"'“«(\[–—-]?\s*[A-ZÆØÅА-ЯЁ0-9])|\n")
_CLAUSE_END = re.compile(r"[\s\u00a0]*(?:[,.;:!?)\"'”»]|$)")
_UNITS = ("day", "week", "month", "year", "any")  # any: the date before it as written ("at the time")
_KINDS = ("any", "day", "week", "month", "quarter")


@dataclass
class Reference:
    """A phrase found, before it is resolved: unit and offset ("the following day": day, +1), or for "the
    same period last year" the kind of date it repeats (kind) and the years it moves it by (offset)."""

    start: int
    end: int
    unit: str  # day, week, month, year; "same" for "the same period last year"
    offset: int
    kind: str = "any"  # same: the kind of anchor it repeats (any, day, week, month, quarter)


@dataclass(frozen=True)
class Dated:
    """A date found before a reference: where it is and the days it means (the anchor it may count from)."""

    start: int
    end: int
    low: dt.date
    high: dt.date
    granularity: str
    text: str


@dataclass(frozen=True)
class _Readers:
    phrases: re.Pattern | None
    the_day: re.Pattern | None
    same: re.Pattern | None
    idioms: re.Pattern | None
    table: dict[str, tuple[str, int]]
    nouns: dict[str, str]
    shifts: dict[str, int]
    gate: frozenset[str]
    ends: frozenset[str]  # phrases that end in an offset word ("the day before"): only at a clause end


def _norm(s: str) -> str:
    return " ".join(str(s).lower().split())


def _alt(words) -> str:
    words = [w for w in words if w]
    return alternation(sorted(words, key=len, reverse=True)) if words else r"(?!x)x"


def _gate_token(phrase: str, common: set[str]) -> str | None:
    """A word every match of the phrase holds, the rarest-looking: the last longest that is no article or
    determiner ("day" for "that day", not "that"), so that the gate stays shut for most texts."""
    toks = [t for t in _TOKEN.findall(phrase.lower()) if t not in common] or _TOKEN.findall(phrase.lower())
    return max(reversed(toks), key=len) if toks else None


@functools.lru_cache(maxsize=16)
def _readers(lang: Language) -> _Readers:
    table: dict[str, tuple[str, int]] = {}
    for k, v in (lang.get("anaphoric_dates") or {}).items():
        unit, off = str(v.get("unit", "day")), int(v.get("offset", 0))
        if unit in _UNITS:
            table[_norm(k)] = (unit, off)
    befores = [_norm(w) for w in lang.words("the_day_contexts")]
    days = [_norm(w) for w in lang.words("the_day_words")]
    openers = [_norm(w) for w in lang.words("same_period_openers")]
    nouns = {_norm(k): str(v) for k, v in (lang.get("same_period_nouns") or {}).items() if str(v) in _KINDS}
    shifts = {_norm(k): int(v) for k, v in (lang.get("same_period_shifts") or {}).items()}
    stops = _alt(_norm(w) for w in lang.words("anaphoric_stops"))
    not_after = rf"(?![\w-])(?!{_WS}(?:{stops})(?!\w))"
    lb = r"(?<![\w])"
    phrases = re.compile(rf"{lb}(?P<ph>{_alt(table)}){not_after}", re.IGNORECASE) if table else None
    offset_words = {_norm(w) for w in (lang.get("offset_words") or {})}
    # "ended the day before at 8,000", "for the day after the vote": a bare "the day" then counts from elsewhere
    bare_after = rf"{not_after}(?!{_WS}(?:{_alt(offset_words)})(?!\w))"
    the_day = re.compile(rf"{lb}(?:{_alt(befores)}){_WS}(?P<ph>{_alt(days)}){bare_after}", re.IGNORECASE) \
        if befores and days else None
    same = re.compile(rf"{lb}(?:{_alt(openers)}){_WS}(?P<n>{_alt(nouns)}){_WS}(?P<s>{_alt(shifts)})(?!\w)",
                      re.IGNORECASE) if openers and nouns and shifts else None
    idioms = [_norm(w) for w in lang.words("anaphoric_idioms")]
    idiom_re = re.compile(rf"{lb}(?:{_alt(idioms)})(?!\w)", re.IGNORECASE) if idioms else None
    common = {_norm(w) for w in lang.words("articles") + lang.words("year_determiners")}
    gate = {t for t in (_gate_token(k, common) for k in table) if t}
    gate |= {t for t in (_gate_token(d, common) for d in days) if t} if befores else set()
    gate |= {t for t in (_gate_token(k, common) for k in shifts) if t} if same is not None else set()
    ends = frozenset(k for k in table if k.split()[-1] in offset_words)
    return _Readers(phrases, the_day, same, idiom_re, table, nouns, shifts, frozenset(gate), ends)


def gate_words(lang: Language) -> frozenset[str]:
    """Every word some reader needs: a text with none of them holds no reference."""
    return _readers(lang).gate


def find_references(text: str, lang: Language, words: set[str]) -> list[Reference]:
    """The references of a text, in text order; an idiom ("at the end of the day") holds none."""
    r = _readers(lang)
    if r.gate.isdisjoint(words):
        return []
    out: list[Reference] = []
    if r.phrases is not None:
        for m in r.phrases.finditer(text):
            ph = _norm(m.group("ph"))
            if ph in r.ends and not _CLAUSE_END.match(text, m.end()):
                continue  # "the day before the vote": counted from the vote, which is no date here
            unit, off = r.table[ph]
            out.append(Reference(m.start("ph"), m.end("ph"), unit, off))
    if r.the_day is not None:
        out += [Reference(m.start("ph"), m.end("ph"), "day", 0) for m in r.the_day.finditer(text)]
    if r.same is not None:
        out += [Reference(m.start(), m.end(), "same", r.shifts[_norm(m.group("s"))], r.nouns[_norm(m.group("n"))])
                for m in r.same.finditer(text)]
    if r.idioms is not None and out:
        idioms = [m.span() for m in r.idioms.finditer(text)]  # in order, never overlapping
        starts = [a for a, _ in idioms]

        def in_idiom(x: Reference) -> bool:
            k = bisect.bisect_right(starts, x.start) - 1
            return k >= 0 and x.end <= idioms[k][1]

        out = [x for x in out if not in_idiom(x)]
    out.sort(key=lambda x: (x.start, -x.end))
    kept: list[Reference] = []
    for x in out:  # the longest of overlapping references ("later that day" over "that day")
        if kept and x.start < kept[-1].end:
            continue
        kept.append(x)
    return kept


def _sentence_start(text: str, pos: int, reach: int = 2000) -> int:
    """Where the sentence of ``pos`` starts, looking back at most ``reach`` characters."""
    start = max(0, pos - reach)
    for m in _SENTENCE_START.finditer(text, start, pos):
        start = m.end()
    return start


def _fits(kind: str, d: Dated) -> bool:
    """Whether an earlier date is the kind of period "the same <noun>" repeats."""
    if kind == "any":
        return True
    if kind == "day":
        return d.granularity == "day" and d.low == d.high
    if kind == "week":
        return d.low.weekday() == 0 and (d.high - d.low).days == 6
    whole_months = d.low.day == 1 and d.high.day == calendar.monthrange(d.high.year, d.high.month)[1]
    months = (d.high.year - d.low.year) * 12 + d.high.month - d.low.month + 1
    if kind == "month":
        return whole_months and months == 1
    return whole_months and months == 3 and d.low.month % 3 == 1  # quarter


def _move(d: Dated, unit: str, off: int) -> tuple[dt.date, dt.date]:
    """The day, week, month or year of an anchor, moved by ``off`` of them (from its first day when
    moved back, from its last when moved on)."""
    base = d.low if off < 0 else d.high
    if unit == "day":
        return d.low + dt.timedelta(days=off), d.high + dt.timedelta(days=off)
    if unit == "week":
        monday = base - dt.timedelta(days=base.weekday()) + dt.timedelta(weeks=off)
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        first = base.replace(day=1) + relativedelta(months=off)
        return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])
    y = base.year + off
    return dt.date(y, 1, 1), dt.date(y, 12, 31)


def _what(unit: str, off: int) -> str:
    if off == 0:
        return f"the {unit} of"
    n = abs(off)
    return f"{n} {unit}{'s' if n > 1 else ''} {'after' if off > 0 else 'before'}"


def _last(earlier: Sequence[Dated], ref: Reference, since: int, fits) -> Dated | None:
    """The last date before the reference that starts at ``since`` or later and fits; the walk back stops at
    ``since``, so a long text costs no more per reference than its stretch."""
    for d in reversed(earlier):
        if d.start < since:
            return None
        if d.end <= ref.start and fits(d):
            return d
    return None


def resolve(ref: Reference, text: str, earlier: Sequence[Dated],
            published: tuple[dt.date, dt.date] | None) -> tuple[dt.date, dt.date, str, str] | None:
    """(low, high, basis, granularity) of a reference, from the last fitting date before it (``earlier``
    in text order); None when it has nothing to count from (the caller then keeps any other reading)."""
    if ref.unit == "day":
        day = _last(earlier, ref, ref.start - DAY_REACH,
                    lambda d: d.granularity == "day" and (d.high - d.low).days <= 8)
        if day is not None:
            low, high = _move(day, "day", ref.offset)
            return low, high, f"{_what('day', ref.offset)} '{day.text}' ({_show(day)}), the day written before it", "day"
        if ref.offset == 0 and published is not None:
            return published[0], published[1], "the day of publication: no day written before it", "day"
        return None
    start = _sentence_start(text, ref.start)
    if ref.unit == "any":  # "at the time", "by that time": the date of this sentence or the one before
        d = _last(earlier, ref, _sentence_start(text, max(0, start - 1)) if start else 0, lambda d: True)
        if d is None:
            return None
        return d.low, d.high, f"the time of '{d.text}' ({_show(d)}), the date written before it", d.granularity
    if ref.unit == "same":
        d = _last(earlier, ref, start, lambda d: _fits(ref.kind, d))
        if d is None:
            return None
        low, high = d.low + relativedelta(years=ref.offset), d.high + relativedelta(years=ref.offset)
        if _fits("month", d) or _fits("quarter", d):
            high = high.replace(day=calendar.monthrange(high.year, high.month)[1])
        return low, high, f"'{d.text}' ({_show(d)}) moved by {ref.offset:+d} year(s)", d.granularity
    d = _last(earlier, ref, start, lambda d: True)
    if d is None:
        return None
    low, high = _move(d, ref.unit, ref.offset)
    return low, high, f"{_what(ref.unit, ref.offset)} '{d.text}' ({_show(d)}), the date written before it", ref.unit


def _show(d: Dated) -> str:
    return d.low.isoformat() if d.low == d.high else f"{d.low.isoformat()}/{d.high.isoformat()}"
