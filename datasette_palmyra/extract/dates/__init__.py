"""Date claims: find dates in news text and resolve each to the interval of days it may mean.

A written date becomes a :class:`Claim` of kind ``date`` whose ``low``/``high`` are the first and
last day it may mean (ISO strings, inclusive), so "March 2016" is the whole month and "last Friday"
is one day once the publication date is known. Partial and relative dates are resolved against the
publication date, and ``basis`` says how, so a reader can check the inference.

Conventions (news is written in the past tense):

* A date without a year ("March 27", "MOSCOW, December 12.") takes the latest year in which it
  falls on or before the publication day. When the publication date is only a month or a year, each
  day of it is a reading: the claim is the hull of the readings on its first and last day (qualifier
  ``range``, ``extra["readings"]`` when they differ: "March 2" published 2017-03 is 2016-03-02 or
  2017-03-02), as for relative dates.
* A bare weekday or "on <weekday>" is the most recent such day on or before publication (the same
  day counts); "next <weekday>" is the nearest strictly after; "this <weekday>" is that day in the
  publication's week (Monday-Sunday).
* "last <weekday>" (en "last/previous Friday", nb "sist/forrige fredag", ru "в прошлую пятницу") has
  two readings in news use: the most recent such day strictly before publication, and that day of the
  previous Monday-Sunday week. The claim covers both: when they differ (on a Saturday, "last Friday" is
  the day before or eight days before) it is the interval from the earlier to the later, qualifier
  ``range``, with ``extra["readings"]``; when they agree (published on a Monday) it is that one day.
  "Friday of last week" is only the previous week's Friday.
* Future tense: with a future marker earlier in the sentence ("will", "'ll", "let's"; dates.yml
  ``future_markers``) and no past marker between ("said"), a date without a year, a bare weekday or
  a holiday is the nearest on or after publication, and "in 2 weeks" is a date (publication + 2
  weeks, one day); without a marker "in 3 years" is a duration and gives no date. "will be announced"
  is a passive, not a past. After "until" ("closed until Friday") a date without a year or a bare weekday
  looks forward too unless a past marker is in its sentence ("lasted until Friday"); after "since" it is
  in the past. A present marker in the date's clause ("is", "has"; not a perfect's past form, "has
  announced") makes a day and month or a month without a year, or a bare quarter, the nearest reading
  ("has a June 1 deadline"); a bare weekday stays in the past ("three are dead after a shooting on Friday").
* "N units ago" keeps the unit's granularity (a calendar month).
* Holidays (dates.yml ``holidays``; Easter from dateutil) resolve like dates without a year.
* Two dates joined ("Nov 18-Dec 19, 2015", "between 3 and 12 of Sept") are one range; a side
  without a year takes the other side's. "before 2018" / "after 2016" / "2018 or later" leave one
  bound open (None) with qualifier less_than / more_than / at_least; "since", "until" and "by" stay
  cues on the closed date written.
* All-numeric dates without a year ("5/12") take the language's first order (en: month first) and
  keep the other reading in ``extra``; two-digit years ("12/12/30") are at most ten years after
  publication (1930 for a text of 2016).
* When the publication date is only a month or a year, relative dates are resolved against every
  day of that interval and the claim covers all readings (the hull of the union).
* An all-numeric date whose day and month may be swapped (en 03/04/2016) keeps both readings: the
  interval covers both and ``extra["readings"]`` lists them; when publication falls between them, the
  one the tense allows (not after publication, or in the future tense not before it) is the interval.
* Prepositions ("since 2011", "by Sunday night") stay out of the span and do not open the interval:
  the claim is the date written; the framing word goes to ``cue``.
* Without a publication date, partial and relative dates are still found but their bounds stay
  open (None) and ``basis`` says so.

Words (prepositions, relative phrases, day parts...) come from ``languages/<code>/dates.yml``;
month and weekday names come from Babel through :mod:`datasette_palmyra.language`.

The package, in the order of the flow: vocab.py turns a language's words into pattern pieces;
readers.py is the table of patterns, one row each, with the small reader that turns a match into a
found date; patterns.py compiles the rows and the context patterns per language; core.py holds the
found date and the calendar they share. This module runs them over a text (find_dates): gates and
windows pick the patterns to run, merges join dates ("Friday, March 3", "from May to June"), the tense
places dates without a year, and the longest readings become claims.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ...claims import Claim
from ...language import Language
from .. import anaphora, periods
from ..spans import Spans
from .core import (
    _DIGIT,
    _MODE_WORDS,
    _TOKEN,
    _WS,
    GRANULARITIES,
    WEEKDAY_NAMES,
    Published,
    _alt,
    _anchor_text,
    _Found,
    _inferred,
    _LazyPattern,
    _month_interval,
    _norm,
    _over_publication,
    _partial_day,
    _partial_day_with_weekday,
    _partial_month,
    _Patterns,
    _resolve,
    _space_before,
    _valid_date,
    _weekday_day,
    parse_published,
)
from .patterns import _patterns
from .readers import _handle

__all__ = ["GRANULARITIES", "WEEKDAY_NAMES", "Published", "find_dates", "parse_published", "year_in_noun_phrase"]


# what the handlers resolve: a relative word against the publication date ("last Friday", "i fjor",
# "two days ago"), or a date written without its year (or month) placed by it, or neither
_RELATIVE_HANDLERS = frozenset({"weekday", "weekday_prefix", "relative", "ago", "anchor", "in_offset",
                                "day_relmonth", "month_rel", "deictic"})
_PARTIAL_HANDLERS = frozenset({"numeric_md", "day_only", "weekday_day", "month_only"})
_RESOLUTION_RANK = {"absolute": 0, "partial": 1, "relative": 2}


def _resolution_of(name: str, m: re.Match, found: _Found) -> str:
    """How the handler ``name`` resolved what it found: the rules read this, never the basis text."""
    g = m.groupdict()
    if name in _RELATIVE_HANDLERS:
        return "relative"
    if name == "dmy" and g.get("rel"):
        return "partial"  # "14. februar i fjor": the day as written, the year placed by a word
    if name == "holiday":
        if g.get("y"):
            return "absolute"
        return "relative" if g.get("rel") or g.get("mod") else "partial"
    if name in _PARTIAL_HANDLERS or found.md is not None:
        return "partial"
    if name in ("month_range", "week_of", "decade"):
        return "absolute" if g.get("y") or g.get("yo") else "partial"
    return "absolute"


def _least_absolute(*parts: _Found) -> str:
    """A date built from others ("two days after last Friday") is as relative as its least absolute part."""
    return max((p.resolution or "absolute" for p in parts), key=_RESOLUTION_RANK.__getitem__)



_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def _full_name_before_dot(text: str, end: int, p: _Patterns) -> bool:
    m = _LAST_TOKEN.search(text, max(0, end - 16), end - 1)
    return m is not None and m.group(0).lower() in p.full_months


_LAST_TOKEN = re.compile(r"[^\W\d_]+$")


def _parts_apart(text: str, w: _Found, gap: str, p: _Patterns) -> bool:
    """A weekday and a date that a blank line, or the full stop after a whole weekday name, parts belong
    to different sentences: "until Friday\n\nSeptember 18, 2008" is a headline and a dateline."""
    if _BLANK_LINE.search(gap):
        return True
    written = text[w.start:w.end]
    if "." not in gap and not written.endswith("."):
        return False
    last = _LAST_TOKEN.search(written.rstrip("."))
    return last is not None and last.group(0).lower() in p.full_weekdays


def _weekday_merges(candidates: list[_Found], text: str, p: _Patterns,
                    published: Published | None) -> list[_Found]:
    """ "Tuesday, March 27", "Tue May 9", "Friday 2018-7-6": the written date wins; the weekday picks
    the year of a date written without one, and a mismatch is kept in extra."""
    by_start: dict[int, list[_Found]] = {}
    for c in candidates:
        if c.tag in ("date", "partial_day"):
            by_start.setdefault(c.start, []).append(c)
    merged: list[_Found] = []
    for w in candidates:
        if w.tag != "weekday_prefix" or w.weekday is None:
            continue
        for pos in range(w.end, min(len(text), w.end + 6) + 1):
            for d in by_start.get(pos, []):
                gap = text[w.end:d.start]
                if not p.link_re.fullmatch(gap) or _parts_apart(text, w, gap, p):
                    continue
                end = d.end + 1 if "(" in gap and text[d.end:d.end + 1] == ")" else d.end
                new = _Found(w.start, end, d.value, d.granularity, d.low, d.high, d.basis, d.qualifier,
                             dict(d.extra or {}), d.tag, d.md, w.weekday, resolution=d.resolution)
                if d.tag == "partial_day" and d.md and published is not None and w.mode:
                    # "this Friday 7.6", "next Friday 5/12": the written date takes the year that puts it
                    # nearest the day the modified weekday means; the weekday is then only a check
                    near = _weekday_day(published.high, w.weekday, w.mode)
                    days = [x for x in (_valid_date(near.year + k, *d.md) for k in (-1, 0, 1)) if x is not None]
                    if days:
                        best = min(days, key=lambda x: abs((x - near).days))
                        new.low = new.high = best
                        new.basis = f"year nearest {near} ('{text[w.start:w.end].strip()}', published {published.text})"
                elif d.tag == "partial_day" and d.md and published is not None:
                    new = _partial_day_with_weekday(new, *d.md, w.weekday, published)
                if new.low is not None and new.low == new.high and new.low.weekday() != w.weekday:
                    new.extra = {**(new.extra or {}), "weekday_mismatch": WEEKDAY_NAMES[w.weekday]}
                merged.append(new)
    return merged


def _modifier_merges(candidates: list[_Found], text: str, p: _Patterns,
                     published: Published | None) -> list[_Found]:
    """ "next 6th of April", "this 5/12", "last Christmas": a modifier before a date without a year
    places it like a weekday modifier (next: strictly after publication, this: in its year)."""
    merged: list[_Found] = []
    for d in candidates:
        if d.tag != "partial_day" or not d.md or published is None or not d.standalone:
            continue
        m = p.mod_before_re.search(text, max(0, d.start - 30), d.start) if _space_before(text, d.start) else None
        if not m:
            continue
        mode = p.weekday_modifiers.get(_norm(m.group("mod")))
        moved = _partial_day(*d.md, published, d.value, mode or "past")
        if moved is None:
            continue
        merged.append(_Found(m.start(), d.end, d.value, "day", moved.low, moved.high, moved.basis, moved.qualifier,
                             moved.extra or d.extra, "partial_day_mod", d.md, resolution="relative"))
    return merged


def _explicit(c: _Found) -> bool:
    return c.tag not in ("partial_day", "partial_month", "weekday", "offset", "anchor") and c.md is None


def _in_year(c: _Found, year: int) -> tuple[dt.date, dt.date] | None:
    """A date written without a year (md), moved into a year: a day, or a whole month (day 0)."""
    assert c.md is not None
    month, day = c.md
    if day == 0:
        return _month_interval(year, month)
    d = _valid_date(year, month, day)
    return (d, d) if d else None


def _range_merges(candidates: list[_Found], text: str, p: _Patterns) -> list[_Found]:
    """ "Nov 18-Dec 19, 2015", "between 3 and 12 of Sept", "from 10/1 to 11/7": two dates joined make
    one range from the first day of the first to the last day of the second; a side written without a
    year takes the other side's ("Jan 12 - 01/22/2016")."""
    pool = sorted((c for c in candidates if c.standalone and c.low and c.high and not c.invalid
                   and (c.qualifier != "range" or c.md)), key=lambda c: c.start)
    merged: list[_Found] = []
    for i, x in enumerate(pool):
        for y in pool[i + 1:i + 4]:
            if y.start - x.end > 14:
                break
            jm = p.range_join_re.fullmatch(text, x.end, y.start)
            if not jm:
                continue
            joiner = _norm(jm.group("j"))
            om = p.range_open_re.search(text, max(0, x.start - 20), x.start) if _space_before(text, x.start) else None
            opener = _norm(om.group("o")) if om else ""
            if joiner not in p.lang.words("year_range_joiners") and joiner not in p.openers.get(opener, []):
                continue
            assert x.low and x.high and y.low and y.high
            (xl, xh), (yl, yh) = (x.low, x.high), (y.low, y.high)
            if x.md and _explicit(y):
                moved = _in_year(x, yl.year)
                if moved and moved[0] > yl:
                    moved = _in_year(x, yl.year - 1)
                if moved:
                    xl, xh = moved
            elif y.md and _explicit(x):
                moved = _in_year(y, xh.year)
                if moved and moved[1] < xl:
                    moved = _in_year(y, xh.year + 1)
                if moved:
                    yl, yh = moved
            elif x.md and y.md and yh < xl:  # "from Nov to March": the first side a year earlier
                moved = _in_year(x, xl.year - 1)
                if moved:
                    xl, xh = moved
            if yh < xl:
                continue
            start = x.start  # the opener ("from", "between") stays out of the span, like a preposition
            gran = x.granularity if x.granularity == y.granularity else "day"
            merged.append(_Found(start, y.end, f"{x.value}/{y.value}", gran, xl, yh,
                                 "; ".join(b for b in (x.basis, y.basis) if b) or None, "range", tag="range",
                                 resolution=_least_absolute(x, y)))
            break
    return merged


def _open_merges(candidates: list[_Found], text: str, p: _Patterns, befores: bool = True,
                 afters: bool = True) -> list[_Found]:
    """ "before 2018", "after Feb 2018", "2018 or later": a date with one open side (None). befores,
    afters: whether the words of "before 2018" or of "after 2016" may be in the text."""
    merged: list[_Found] = []
    for c in candidates:
        if not c.standalone or c.low is None or c.high is None or c.invalid:
            continue
        day = dt.timedelta(days=1)
        window = max(0, c.start - 25)
        before = _space_before(text, c.start)
        before_open, after_open = before and befores, before and afters
        after = c.end < len(text) and (text[c.end] == "," or text[c.end].isspace())  # what both suffixes start with
        if before_open and (m := p.open_before_re.search(text, window, c.start)) and not _measured_from(text, m.start(), p):
            merged.append(_Found(m.start(), c.end, f"<{c.value}", c.granularity, None, c.low - day,
                                 c.basis, "less_than", tag="open", resolution=c.resolution))
        elif after_open and (m := p.open_after_re.search(text, window, c.start)) and not _measured_from(text, m.start(), p):
            merged.append(_Found(m.start(), c.end, f">{c.value}", c.granularity, c.high + day, None,
                                 c.basis, "more_than", tag="open", resolution=c.resolution))
        elif after and (m := p.open_from_re.match(text, c.end)):
            merged.append(_Found(c.start, m.end(), f">={c.value}", c.granularity, c.low, None,
                                 c.basis, "at_least", tag="open", resolution=c.resolution))
        elif after and (m := p.open_until_re.match(text, c.end)):
            merged.append(_Found(c.start, m.end(), f"<={c.value}", c.granularity, None, c.high,
                                 c.basis, "up_to", tag="open", resolution=c.resolution))
    return merged


def _measured_from(text: str, at: int, p: _Patterns) -> bool:
    """ "about 30 hours after Tuesday night's derailment": the word is a duration's of hours (dates.yml
    ``hour_units``), measured from the date, which stays the day it names (not everything after it);
    "2 weeks before today" moves the day, and stays an open range."""
    return p.hours_before_re is not None and p.hours_before_re.search(text, max(0, at - 30), at) is not None


def _week_of_merges(candidates: list[_Found], text: str, p: _Patterns) -> list[_Found]:
    """ "the week of April 10th": the Monday-Sunday week that holds the day."""
    merged: list[_Found] = []
    for c in candidates:
        if not c.standalone or c.low is None or c.low != c.high:
            continue
        m = p.week_of_re.search(text, max(0, c.start - 20), c.start) if _space_before(text, c.start) else None
        if m:
            monday = c.low - dt.timedelta(days=c.low.weekday())
            merged.append(_Found(m.start(), c.end, f"week of {c.value}", "week", monday,
                                 monday + dt.timedelta(days=6), c.basis, tag="week", resolution=c.resolution))
    return merged


def _weekday_offset_merges(candidates: list[_Found], text: str, p: _Patterns) -> list[_Found]:
    """ "Monday two weeks from now", "in 3 days on Friday", "1st week of Oct. on Friday": the weekday
    in the week (Monday-Sunday) of the day the offset gives, or of the week named."""
    offsets = [c for c in candidates if c.low is not None and (
        (c.tag == "offset" and c.low == c.high) or (c.tag == "week" and c.granularity == "week"))]
    weekdays = [c for c in candidates if c.tag == "weekday" and c.weekday is not None and c.mode is None]
    merged: list[_Found] = []
    for o in offsets:
        for w in weekdays:
            if w.end <= o.start and re.fullmatch(r"[\s\u00a0]*,?[\s\u00a0]*", text[w.end:o.start]):
                s0, e0 = w.start, o.end
            elif o.end <= w.start and p.link_re.fullmatch(text[o.end:w.start]) and text[o.end:w.start].strip():
                s0, e0 = o.start, w.end
            else:
                continue
            assert o.low is not None and w.weekday is not None
            d = o.low - dt.timedelta(days=o.low.weekday()) + dt.timedelta(days=w.weekday)
            merged.append(_Found(s0, e0, f"{WEEKDAY_NAMES[w.weekday].lower()} of the week of {o.value}", "day", d, d,
                                 f"{WEEKDAY_NAMES[w.weekday]} in the week of {o.low} ({o.basis})", tag="offset",
                                 resolution=_least_absolute(o, w)))
    return merged


def _offset_merges(candidates: list[_Found], text: str, p: _Patterns, words: bool = True) -> list[_Found]:
    """ "two days after March 27", "3 days from today": shift a resolved date by the offset. words:
    whether a period unit and an offset word may be in the text (else there is nothing to find)."""
    merged: list[_Found] = []
    if not words:
        return merged
    for d in candidates:
        if not (d.standalone or d.tag == "anchor") or d.low is None or d.high is None:
            continue
        window_start = max(0, d.start - 60)
        m = p.offset_re.search(text, window_start, d.start) if _space_before(text, d.start) else None
        if not m:
            continue
        n = int(m.group("n")) if m.group("n").isdigit() else p.count_words.get(_norm(m.group("n")))
        unit = p.period_units.get(_norm(m.group("u")))
        sign = p.offsets.get(_norm(m.group("dir")))
        if n is None or unit is None or sign is None:
            continue
        n *= p.unit_mult.get(_norm(m.group("u")), 1)
        phrase = _norm(m.group(0))
        if sign == 0:  # "two weeks since 2011": counted from the first day of the date
            day = d.low + relativedelta(**{f"{unit}s": n})
            merged.append(_Found(m.start(), d.end, f"{phrase} {d.value}", "day", day, day,
                                 f"{phrase} the first day of {text[d.start:d.end]!r}", tag="offset",
                                 resolution=d.resolution))
            continue
        shift = relativedelta(**{f"{unit}s": n * sign})
        merged.append(_Found(m.start(), d.end, f"{phrase} {d.value}", d.granularity, d.low + shift, d.high + shift,
                             f"{phrase} {text[d.start:d.end]!r}" + (f"; {d.basis}" if d.basis else ""), d.qualifier,
                             d.extra, "offset", resolution=d.resolution))
    return merged


# The "mixed" gate (_patterns: a word and a number joined, "Sep/23", "2020-Sep") as a search that starts at
# its "/" or "-", which the engine skips to directly: it finds a match exactly where the gate does (at
# the separator instead of three letters or one digit before it), so the gate opens for the same texts
_MIXED_GATE = re.compile(r"[/\-](?:(?<=[^\W\d_]{3}[/\-])\d|(?<=\d[/\-])[^\W\d_]{3})")


_SENTENCE_START = re.compile(r"(?<=[.!?])[\"'”»)]*\s+(?=[\"'“«(\[–—-]?\s*[A-ZÆØÅА-ЯЁ0-9])|\n")


_PERFECT_GAP = re.compile(r"[\s\u00a0]+(?:[^\W\d_]+[\s\u00a0]+)?")  # "has announced", "has already said"
_PASSIVE_GAP = re.compile(r"[\s\u00a0]+[^\W\d_]+[\s\u00a0]+")  # "will be announced"
_CLAUSE_BREAK = re.compile(r"[,;:()–—]")


def _participle(text: str, ends: list[int], q: int, gap: re.Pattern | None = None) -> bool:
    """Whether the past form at ``q`` follows a marker (ending at one of the sorted ``ends``) across
    ``gap``: "has said", "has been scheduled" are a perfect or a passive, no past tense; after a future
    marker only a word between makes a passive ("will be announced"; "должны были" is a past)."""
    i = bisect.bisect_right(ends, q) - 1
    return i >= 0 and (gap or _PERFECT_GAP).fullmatch(text, ends[i], q) is not None


def _future_checker(text: str, p: _Patterns, words: set[str],
                    scan: Callable[[re.Pattern], Iterable[re.Match]] | None = None) -> Callable[[int], bool]:
    """Whether a position is in the future tense: a future marker ("will", "'ll") earlier in its
    sentence with no past marker ("said", "was") between, so "The army will retake the city, he said
    on Tuesday" keeps Tuesday in the past."""
    needed = p.gates["future"]
    if needed is None or needed.isdisjoint(words):
        return lambda pos: False
    state: dict[str, list] = {}

    def at(pos: int) -> bool:
        if not state:  # scanned on the first question only: most texts never ask
            find = scan or (lambda rx: rx.finditer(text))  # scan: _Scanner.finditer, near the markers only
            state["markers"] = sorted({(mk.start(), mk.end()) for mk in find(p.future_re)}, key=lambda m: m[1])
            state["ends"] = [b for _a, b in state["markers"]]
            state["starts"] = [0] + [mk.end() for mk in _SENTENCE_START.finditer(text)]
            state["pasts"] = [q for q in sorted({mk.start() for mk in find(p.past_re)}) if not _participle(
                text, state["ends"], q, _PASSIVE_GAP)] if state["markers"] else []
        markers, pasts = state["markers"], state["pasts"]
        if not markers:
            return False
        # sorted lists and bisection, so that a long text asks in log time: the markers do not overlap, so
        # the last one to end before ``pos`` is the one that could be in its sentence with no past after it
        starts, ends = state["starts"], state["ends"]
        i = bisect.bisect_right(ends, pos) - 1
        if i < 0 or markers[i][0] < starts[bisect.bisect_right(starts, pos) - 1]:
            return False
        q = bisect.bisect_left(pasts, pos) - 1  # the last past marker before pos
        return q < 0 or pasts[q] < markers[i][1]

    return at


class _Tense:
    """The tense of a date's clause beyond "will": a present marker ("is", "has") and the past markers
    around it. Scanned on the first question only, and answered by bisection."""

    def __init__(self, text: str, p: _Patterns, words: set[str],
                 scan: Callable[[re.Pattern], Iterable[re.Match]] | None = None) -> None:
        self.text, self.p = text, p
        self.scan = scan or (lambda rx: rx.finditer(text))
        self.asked = False
        needed = p.gates["present"]
        self.has_present = bool(needed) and not needed.isdisjoint(words)  # type: ignore[union-attr]

    def _scan(self) -> None:
        self.asked = True
        text = self.text
        self.starts = [0] + [mk.end() for mk in _SENTENCE_START.finditer(text)]
        presents = sorted({mk.span() for mk in self.scan(self.p.present_re)}) if self.has_present else []
        self.presents = [a for a, _ in presents]
        ends = [b for _, b in presents]  # "has announced", "has been scheduled": a perfect or a passive
        self.pasts = [q for q in sorted({mk.start() for mk in self.scan(self.p.past_re)})
                      if not _participle(text, ends, q)]
        weak = [m.start() for m in self.p.past_suffix_re.finditer(text)] if self.presents else []
        self.all_pasts = sorted(set(self.pasts) | {q for q in weak if not _participle(text, ends, q)})

    def _sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.starts[i], self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def past_in_sentence(self, pos: int) -> bool:
        """A past marker anywhere in the sentence of ``pos`` ("the strike lasted until Friday"); past forms
        by suffix do not count here: "markets stay closed until Friday" is a state that lasts."""
        if not self.asked:
            self._scan()
        s0, s1 = self._sentence(pos)
        q = bisect.bisect_left(self.pasts, s0)
        return q < len(self.pasts) and self.pasts[q] < s1

    def present(self, pos: int) -> bool:
        """A present marker in the clause of ``pos`` (no comma, colon or bracket between), with no past
        form between them or, the marker after the date, before the date in its sentence: "the deadline
        is June 1, officials said", "a June 3 hearing has been scheduled", not "troops liberated Palmyra,
        which is 240 km from Damascus, on March 27"."""
        if not self.has_present:
            return False
        if not self.asked:
            self._scan()
        s0, s1 = self._sentence(pos)
        pasts, presents = self.all_pasts, self.presents
        q = bisect.bisect_left(pasts, pos) - 1
        past = pasts[q] if q >= 0 and pasts[q] >= s0 else None  # the last past form before pos
        i = bisect.bisect_left(presents, pos) - 1
        if i >= 0 and presents[i] >= s0 and not _CLAUSE_BREAK.search(self.text, presents[i], pos):
            return past is None or past < presents[i]
        k = bisect.bisect_right(presents, pos)
        if past is not None or k >= len(presents) or presents[k] >= s1 \
                or _CLAUSE_BREAK.search(self.text, pos, presents[k]):
            return False
        r = bisect.bisect_right(pasts, pos)
        return r >= len(pasts) or pasts[r] > presents[k]


def _by_tense(candidates: list[_Found], text: str, p: _Patterns, published: Published,
              future: Callable[[int], bool], tense: _Tense) -> None:
    """Places again, in place, the dates without a year that the future test left in the past: after "until"
    they look forward unless their sentence is in the past ("closed until Friday"); in the present tense a
    day and month, or a month, is the nearest reading ("has a June 1 deadline"); after "since" they stay in
    the past. An all-numeric date of two readings with publication between them takes the one the tense
    allows."""
    for c in candidates:
        if c.low is None or not c.standalone:
            continue
        numeric = c.qualifier == "range" and c.tag == "date" and len((c.extra or {}).get("readings") or []) == 2
        partial = c.tag in ("partial_day", "partial_month") and c.md is not None
        bare_weekday = c.tag == "weekday" and c.mode is None and c.weekday is not None
        if not (numeric or partial or bare_weekday):
            continue
        ahead = future(c.start)
        if numeric:
            days = [dt.date.fromisoformat(r) for r in c.extra["readings"]]  # type: ignore[index]
            fits = [d for d in days if (d >= published.low if ahead else d <= published.high)]
            if len(fits) == 1 and published.is_day:
                c.low = c.high = fits[0]
                c.qualifier = "exact"
                c.basis = f"{c.basis}; the reading {'on or after' if ahead else 'not after'} publication {published.text}"
            continue
        spaced = _space_before(text, c.start)
        window = max(0, c.start - 25)
        if ahead or (spaced and p.since_re.search(text, window, c.start)):
            continue
        until = spaced and p.until_re.search(text, window, c.start) is not None \
            and not tense.past_in_sentence(c.start)
        if partial:
            assert c.md is not None
            mode = "until" if until else "nearest" if tense.present(c.start) else None
            if mode is None:
                continue
            if c.md[1]:
                moved = _partial_day(*c.md, published, c.value, mode)
            else:
                moved = _partial_month(c.md[0], published, c.value, mode == "until", mode == "nearest")
            if moved is not None:
                c.low, c.high, c.basis, c.qualifier, c.extra = moved.low, moved.high, moved.basis, moved.qualifier, \
                    moved.extra
        elif until:
            wd = c.weekday
            assert wd is not None
            c.low, c.high = _resolve(published, lambda a, wd=wd: (_weekday_day(a, wd, "future"),) * 2)
            c.basis = f"{_MODE_WORDS['future'].format(wd=WEEKDAY_NAMES[wd])} {_anchor_text(published)} ('until')"


# -- scanning only near anchors ----------------------------------------------------------------
# A pattern runs over the whole text only when it must. Every match of a windowed pattern contains
# one of its anchors (a digit; a month, weekday, holiday, relative, period or "ago" word), and what
# the regex engine reads from a start position, lookaheads included, is bounded: at most `reach`
# characters once each run of spaces and hyphens counts as one (_reach). So a match, and everything
# the engine looks at to find it, lies within reach (+ the text's surplus run length) of an anchor,
# and ``finditer(text, pos, endpos)`` over the stretches around anchors, merged when they touch,
# yields exactly the matches of a whole-text scan, at the same offsets (look-behinds still see the
# text before pos; no stretch ends where the engine could notice). tests/test_dates.py compares both.

_PLAIN_SCAN = False  # True: every pattern over the whole text (the reference the windows must equal)
_SHORT_TEXT = 240  # a sentence is scanned whole: windows would cover most of it and cost more than they save
_RUNS = re.compile(r"[\s\-]{2,}")
_DIGITS = re.compile(r"\d+")
_YEAR_DIGITS = re.compile(r"\d{4,}")
# patterns that cannot match without four digits in a row (a year)
_FOUR_DIGITS = frozenset({"iso", "numeric", "compact", "spaced_iso", "year_dash", "year_range", "year_paren", "year",
                          "year_suffixed"})


def _is_run_class(items) -> bool:
    """Whether a parsed single-character item matches only spaces and hyphens (a run counts as one)."""
    from re import _constants as sc

    if len(items) != 1:
        return False
    op, av = items[0]
    if op is sc.LITERAL:
        return chr(av).isspace() or chr(av) == "-"
    if op is not sc.IN:
        return False
    for iop, iav in av:
        if iop is sc.LITERAL and (chr(iav).isspace() or chr(iav) == "-"):
            continue
        if iop is sc.CATEGORY and iav in (sc.CATEGORY_SPACE, sc.CATEGORY_UNI_SPACE):
            continue
        return False
    return True


def _reach(items, groups: dict, once: bool = False) -> int | None:
    """How far the engine may read from a start (consumed text and lookaheads), runs of spaces and
    hyphens counting as one; None when unbounded or not understood. once: an unbounded repeat counts
    one time (what comes before a pattern's unbounded tail)."""
    from re import _constants as sc

    total = 0
    for op, av in items:
        if op in (sc.LITERAL, sc.NOT_LITERAL, sc.IN, sc.ANY):
            w: int | None = 1
        elif op is sc.SUBPATTERN:
            w = _reach(av[-1], groups, once)
            groups[av[0]] = w
        elif op is sc.BRANCH:
            ws = [_reach(b, groups, once) for b in av[1]]
            w = None if None in ws else max(ws, default=0)
        elif op in (sc.MAX_REPEAT, sc.MIN_REPEAT):
            lo, hi, body = av
            if _is_run_class(body):
                w = 1 if hi else 0
            elif hi == sc.MAXREPEAT and not once:
                return None
            else:
                bw = _reach(body, groups, once)
                w = None if bw is None else (max(lo, 1) if hi == sc.MAXREPEAT else hi) * bw
        elif op in (sc.ASSERT, sc.ASSERT_NOT):
            w = _reach(av[1], groups, once) if av[0] == 1 else 0  # look-behinds read before the start
        elif op is sc.AT:
            w = 0
        elif op is sc.GROUPREF:
            w = groups.get(av)
        else:
            return None
        if w is None:
            return None
        total += w
    return total


def _anchor_strings(words) -> tuple[str, ...]:
    """Strings one of which every written form contains: a form's longest word, and no string that
    contains another ("monday" goes, "mon" finds it)."""
    out = {max(str(w).split(" "), key=len) for w in words if str(w).strip()}
    out.discard("")
    return tuple(sorted(a for a in out if not any(b != a and b in a for b in out)))


@dataclass
class _Windowing:
    anchors: dict[object, tuple[str, ...] | re.Pattern]  # pattern -> its anchor strings or an anchor regex
    folds: re.Pattern  # letters whose str.lower() is not how IGNORECASE matches them ("ſ" for "s", "İ", "Σ")
    spelled: frozenset  # patterns whose year words may run on ("nineteen eighty six"), when windows can follow
    widths: dict[object, tuple[int | None, int] | None]  # parsed on first use, for texts long enough to window

    def width(self, rx: _LazyPattern | re.Pattern) -> tuple[int | None, int] | None:
        """(reach, how far before its first anchor a match may start) of a pattern; reach None: on to
        the end of a run of number words; None: the pattern is scanned whole."""
        if rx not in self.widths:
            from re import _parser as sp

            try:
                lazy = isinstance(rx, _LazyPattern)
                parsed = sp.parse(rx.source if lazy else rx.pattern, re.IGNORECASE if lazy else rx.flags).data
                full = _reach(parsed, {})
                before = full if full is not None or rx not in self.spelled else _reach(parsed, {}, once=True)
            except Exception:  # an internal module: a change there costs speed, never results
                before = None
            self.widths[rx] = None if before is None else (full, before)
        return self.widths[rx]


@functools.cache  # keyed on the language code
def _windowing(code: str) -> _Windowing:
    """Which patterns are windowed, on which anchors; patterns left out are scanned whole."""
    p = _patterns(code)
    lang = p.lang
    months = set(lang.months) | p.full_months
    weekdays = set(lang.weekdays) | p.full_weekdays
    month_rel = [k for k, v in p.relative_periods.items() if v.get("unit") == "month" and not v.get("until_published")]
    words_of: dict[str, object] = {
        "dmy": months, "mdy": months, "month_year": months, "month_range": months, "month_rel": months,
        "month_only": months, "dmy_spelled": months, "mdy_spelled": months,
        "day_list": months,  # "18 and 19 June": the month is in its lookahead
        "weekday": weekdays, "weekday_prefix": weekdays, "weekday_day": weekdays,
        "holiday": p.holidays, "day_relmonth": month_rel, "week_of": lang.words("week_words"),
        "in_offset": p.period_units, "anchor": p.anchors, "relative": list(p.relative_days) + list(p.relative_periods),
        "ago": [_norm(w) for w in lang.words("ago_after")], "deictic": p.deictic,
        "mixed": ["-", "/"],  # "2020/Sep/23": its separator, twice
    }
    for name in ("iso", "numeric", "numeric_md", "compact", "spaced_iso", "year_dash", "decade", "year_range",
                 "year_paren", "year", "year_suffixed", "year_2d", "day_only"):
        words_of[name] = None
    suffix = _alt(lang.words("day_suffixes"))
    digit_parts: list[tuple[str, tuple[str, ...] | re.Pattern, str]] = [
        ("numeric", ("/",), r"(?P<s>/)(?P<b>\d{1,2})/(?P<y2d>\d{2})"),  # "12/12/30"
        ("numeric_md", re.compile(r"\d[/.]\d"), r"(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})"),  # "22/04"
        ("decade", re.compile(r"\d0['’]?s", re.IGNORECASE), r"(?P<yy>\d0))['’]?s(?!\w)"),  # "the '90s"
        ("day_only", re.compile(rf"\d(?:{suffix})", re.IGNORECASE), rf"(?P<d>[0-3]?\d)(?:{suffix})(?!\w)"),
    ]
    anchors: dict[object, tuple[str, ...] | re.Pattern] = {}
    for name, rx in p.regexes:
        if name not in words_of:
            continue
        words = words_of[name]
        if words is not None:
            anchors[rx] = _anchor_strings(words)  # type: ignore[arg-type]
        elif name in _FOUR_DIGITS and (name != "numeric" or r"(?P<y>\d{4})" in rx.source):
            anchors[rx] = _YEAR_DIGITS
        else:  # the tighter anchors hold only while the pattern has the part they come from
            tighter = [a for n, a, part in digit_parts if n == name and part in rx.source]
            anchors[rx] = tighter[0] if tighter else _DIGITS
    for markers, key in ((p.future_re, "future_markers"), (p.past_re, "past_markers")):  # "will", "said"
        if strings := _anchor_strings(lang.words(key)):
            anchors[markers] = strings
    gate = p.gates["mixed"]  # the gate of "mixed" (a word and a number joined by "/" or "-") is a regex too
    if isinstance(gate, re.Pattern) and gate.pattern == r"[^\W\d_]{3}[/\-]\d|\d[/\-][^\W\d_]{3}":
        anchors[gate] = ("-", "/")
    # the spelled years run on through words, spaces and hyphens (_chain_windows): only while no number
    # word (_year_words_re) has any other character
    chain_words = [w for w in p.numbers if " " not in w] + lang.words("year_scale_words")
    spelled = frozenset(rx for name, rx in p.regexes if name in ("dmy_spelled", "mdy_spelled")
                        and not any(_CHAIN_END.search(w) for w in chain_words))
    chars = {ch for strings in anchors.values() if isinstance(strings, tuple) for s in strings for ch in s}
    chars.update(ch for words in p.merge_words.values() for w in words for ch in w)  # find_dates' word checks
    try:
        from re._casefix import _EXTRA_CASES  # type: ignore[import-not-found]
    except ImportError:
        folds = set(chars)  # every text with an anchor letter is scanned whole
    else:
        folds = {chr(o) for ch in chars for o in _EXTRA_CASES.get(ord(ch), ())}
    odd = {"\u0130", "\u03a3"}  # İ lowers to two characters, Σ to "ς" at a word's end
    for f in folds:  # a letter whose lower case is one of those too
        odd.update(c for c in (f, f.upper(), f.title()) if len(c) == 1 and c.lower() == f)
    return _Windowing(anchors, re.compile("[" + "".join(re.escape(c) for c in sorted(odd)) + "]"), spelled, {})


class _Surplus:
    """Where a text's runs of spaces and dashes are, so that a window is padded by the surplus near its
    anchor rather than the whole text's: at 1 MB of paragraphs every blank line had widened every
    window, until the windows merged and each pattern read the whole text (issue 13)."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.cum = [0]
        for m in _RUNS.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.cum.append(self.cum[-1] + m.end() - m.start() - 1)

    def within(self, a: int, b: int) -> int:
        """The surplus of the runs that touch [a, b)."""
        i = bisect.bisect_right(self.ends, a)
        j = bisect.bisect_left(self.starts, b)
        return self.cum[j] - self.cum[i] if j > i else 0

    def pad(self, a: int, b: int, reach: int) -> int:
        """The least pad that holds ``reach`` characters plus every surplus character within the pad: a
        match reaching further would need more spaces than the window holds."""
        pad = reach
        while True:
            wider = reach + self.within(a - pad, b + pad)
            if wider <= pad:
                return pad
            pad = wider


def _windows(positions: list[tuple[int, int]], pad: int | list[int], n: int) -> list[tuple[int, int]]:
    """Stretches of pad characters (one pad, or one per anchor) around each (start, end) anchor (sorted),
    merged when they touch."""
    out: list[list[int]] = []
    for k, (a, b) in enumerate(positions):
        p = pad if isinstance(pad, int) else pad[k]
        a, b = a - p, b + p
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(max(0, a), min(n, b)) for a, b in out]


_CHAIN_END = re.compile(r"[^\w\s\u00a0\u0345-]")  # what stops a run of number words (U+0345 folds to "ι")


def _chain_windows(text: str, positions: list[tuple[int, int]], pad: int | list[int]) -> list[tuple[int, int]]:
    """Windows for the spelled dates, whose year words may run on ("nineteen eighty six"): what the
    engine reads beyond pad is more of those words, spaces and hyphens, and the character after."""
    n = len(text)
    out: list[tuple[int, int]] = []
    for a, b in _windows(positions, pad, n):
        if b < n:
            m = _CHAIN_END.search(text, b)
            b = m.start() + 1 if m else n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


class _Scanner:
    """The matches of each pattern over one text, windowed where that finds the same (see above). A
    short text is scanned whole, but only by the patterns one of whose anchors it contains."""

    def __init__(self, text: str, low: str, code: str) -> None:
        self.text, self.low = text, low
        self.win: _Windowing | None = None
        if _PLAIN_SCAN or len(low) != len(text):
            return
        win = _windowing(code)
        if win.folds.search(text):
            return  # a letter IGNORECASE folds differently from str.lower ("ſ"): scan whole
        self.win = win
        self.short = len(text) <= _SHORT_TEXT
        self.surplus: _Surplus | None = None
        self.found: dict[tuple[str, ...] | re.Pattern, list[tuple[int, int]] | bool] = {}
        self.spans: dict[tuple, list[tuple[int, int]]] = {}

    def _present(self, strings: tuple[str, ...] | re.Pattern) -> bool:
        hit = self.found.get(strings)
        if hit is None:
            if isinstance(strings, re.Pattern):
                hit = strings.search(self.text) is not None
            else:
                low = self.low
                hit = any(s in low for s in strings)
            self.found[strings] = hit
        return bool(hit)

    def _anchors(self, strings: tuple[str, ...] | re.Pattern) -> list[tuple[int, int]]:
        hit = self.found.get(strings)
        if not isinstance(hit, list):
            if hit is False:
                return []
            if isinstance(strings, re.Pattern):
                hit = [m.span() for m in strings.finditer(self.text)]
            else:
                hit = []
                low = self.low
                for s in strings:
                    i = low.find(s)
                    while i >= 0:
                        hit.append((i, i + len(s)))
                        i = low.find(s, i + 1)
                hit.sort()
            self.found[strings] = hit
        return hit

    def finditer(self, rx: _LazyPattern | re.Pattern):
        win = self.win
        strings = None if win is None else win.anchors.get(rx)
        if strings is None:
            return rx.finditer(self.text)
        if self.short:
            return rx.finditer(self.text) if self._present(strings) else iter(())
        hits = self._anchors(strings)
        if not hits:
            return iter(())
        width = win.width(rx)  # type: ignore[union-attr]
        if width is None:
            return rx.finditer(self.text)
        if self.surplus is None:
            self.surplus = _Surplus(self.text)
        reach, lead = width
        key = (strings, reach, lead)
        spans = self.spans.get(key)
        if spans is None:
            near = lead if reach is None else reach
            pads = [self.surplus.pad(a, b, near) + 3 for a, b in hits]
            if reach is None:  # "May nineteen eighty six ...": words of numbers, as many as are written
                spans = self.spans[key] = _chain_windows(self.text, hits, pads)
            else:
                spans = self.spans[key] = _windows(hits, pads, len(self.text))
        if len(spans) == 1:
            return rx.finditer(self.text, *spans[0])
        return (m for a, b in spans for m in rx.finditer(self.text, a, b))


def find_dates(text: str, lang: Language, published: Published | None) -> list[Claim]:
    """Every date claim in text, sorted by start and non-overlapping (the longest reading wins)."""
    if not text:
        return []
    p = _patterns(lang.code)
    low = text.lower()
    words = set(_TOKEN.findall(low))
    digit = _DIGIT.search(text) is not None
    if not digit and p.all_gate_words.isdisjoint(words):
        return []  # the pre-check: no digit, month, weekday, relative or holiday word
    scanner = _Scanner(text, low, lang.code)
    future = _future_checker(text, p, words, scanner.finditer)
    candidates = _pattern_candidates(text, p, _plan(text, p, words, digit), scanner, published, future)
    tense = _Tense(text, p, words, scanner.finditer)
    candidates += _period_candidates(text, p, words, published, future, tense.present)
    candidates += _coordinated_months(candidates, text, p, published, future)
    if published is not None and candidates:
        _by_tense(candidates, text, p, published, future, tense)
    refs = anaphora.find_references(text, lang, words)  # "the same day": resolved once the dates are chosen
    if not candidates and not refs:  # every merge below builds on a candidate
        return _years_in_noun_phrases(text, lang, []) if digit else []
    # the phrases the merges look for before a date need their first word in the text; the word set is
    # exact where the scanner windows (no letter that IGNORECASE folds otherwise than lower case)
    exact = scanner.win is not None
    seen = {k: not exact or not first.isdisjoint(words) for k, first in p.merge_words.items()}
    chosen = _since_starts(_choose(_merged(candidates, text, p, published, seen)), text, p)
    if refs:
        chosen = _with_references(chosen, refs, text, published)
    claims = [_to_claim(f, text, p, seen["cue"], seen["approx"]) for f in chosen]
    if digit:
        claims = sorted(claims + _years_in_noun_phrases(text, lang, claims), key=lambda c: c.start)
    for c in claims:
        if not c.cue and future(c.start):
            c.cue = "future: future tense"  # "will meet on Thursday": after publication on purpose
    return claims


def _plan(text: str, p: _Patterns, words: set[str], digit: bool) -> list:
    """The steps (patterns) a text's open gates let through: its digits, its gate words (each opens the
    gates that hold it, so a gate opens when a word of its set is in the text), and "mixed"; the steps
    of each set of open gates are listed once per language."""
    plain = _PLAIN_SCAN  # the reference scan runs every pattern its gate lets through
    opened = {"digit"} if digit else set()
    for w in words & p.gate_words:
        opened.update(p.word_gates[w])
    if ("-" in text or "/" in text) and (p.gates["mixed"] if plain else _MIXED_GATE).search(text):  # type: ignore[union-attr]
        opened.add("mixed")  # a word and a number joined by "/" or "-" (the gate needs one of them)
    key = frozenset(opened)
    steps = p.plans.get(key)
    if steps is None:
        steps = p.plans[key] = [step for step in p.steps if step[2] in key]
    return steps


def _pattern_candidates(text: str, p: _Patterns, steps: list, scanner: _Scanner, published: Published | None,
                        future: Callable[[int], bool]) -> list[_Found]:
    """What each pattern's reader makes of its matches; a pattern whose need is not in the text is skipped."""
    plain = _PLAIN_SCAN
    candidates: list[_Found] = []
    needs: dict[re.Pattern, bool] = {}
    for name, rx, _, need, parent in steps:
        if need is not None and not plain:
            ok = needs.get(need)
            if ok is None:
                if parent is not None:
                    ok = needs.get(parent)
                    if ok is None:
                        ok = needs[parent] = parent.search(text) is not None
                ok = needs[need] = ok is not False and need.search(text) is not None
            if not ok:
                continue
        for m in scanner.finditer(rx):
            found = _read(name, m, p, text, published, future)
            if found is not None:
                candidates.append(found)
    return candidates


def _read(name: str, m: re.Match, p: _Patterns, text: str, published: Published | None,
          future: Callable[[int], bool]) -> _Found | None:
    """One match read by its pattern's reader, its span trimmed and its resolution named."""
    try:
        found = _handle(name, m, p, text, published, future)
    except (ValueError, OverflowError):  # dates beyond the calendar: not a date
        return None
    if found is None:
        return None
    if found.end == 0:
        found.start, found.end = m.start(), m.end()
    if text[found.end - 1:found.end] == "." and _full_name_before_dot(text, found.end, p):
        found.end -= 1  # "in June." ends a sentence; only "Jun." is written with its dot
    if found.resolution is None:
        found.resolution = _resolution_of(name, m, found)
    return found if found.end > found.start else None


def _merged(candidates: list[_Found], text: str, p: _Patterns, published: Published | None,
            seen: dict[str, bool]) -> list[_Found]:
    """The candidates and the dates built from them ("Friday, March 3", "two days after", ranges)."""
    candidates += _weekday_merges(candidates, text, p, published)
    candidates += _modifier_merges(candidates, text, p, published)
    candidates += _offset_merges(candidates, text, p, seen["offset_units"] and seen["offset_dirs"])
    candidates += _week_of_merges(candidates, text, p)
    candidates += _weekday_offset_merges(candidates, text, p)
    candidates += _range_merges(candidates, text, p)
    candidates += _open_merges(candidates, text, p, seen["open_before"], seen["open_after"])
    return [c for c in candidates if c.standalone]


def _since_starts(chosen: list[_Found], text: str, p: _Patterns) -> list[_Found]:
    """ "since the start of the year", "с начала года": the day the period starts, from which a figure is
    counted, not its first months (dates.yml since_words, start_parts)."""
    if p.since_before_re is None or p.start_part_re is None:
        return chosen
    for f in chosen:
        if f.low is None or f.high is None or f.low == f.high or (f.extra or {}).get("readings") \
                or not p.start_part_re.match(text, f.start) \
                or not p.since_before_re.search(text, max(0, f.start - 20), f.start):
            continue
        f.high, f.granularity, f.qualifier = f.low, "day", "exact"
        f.basis = f"{f.basis}; after \"since\", its first day" if f.basis else "after \"since\", its first day"
    return chosen


def _choose(candidates: list[_Found]) -> list[_Found]:
    """The longest candidates that do not overlap (the earlier of two as long), valid, in text order."""
    chosen: list[_Found] = []
    taken = Spans()
    for f in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if taken.overlaps(f.start, f.end):
            continue
        taken.add(f.start, f.end)
        chosen.append(f)
    return sorted((f for f in chosen if not f.invalid), key=lambda f: f.start)


def _with_references(chosen: list[_Found], refs: list[anaphora.Reference], text: str,
                     published: Published | None) -> list[_Found]:
    """ "the same day", "the previous year", "the same period last year" (anaphora.py), resolved in text order
    against the dates before them; one replaces the dates inside its span ("last year" in "the same period
    last year") when it resolves, and leaves them when it does not. One pass over both sorted lists."""
    pub = (published.low, published.high) if published is not None else None
    out: list[_Found] = []
    dated: list[anaphora.Dated] = []  # the dates before the reference at hand, in text order

    def keep(f: _Found) -> None:
        out.append(f)
        if f.low is not None and f.high is not None:
            dated.append(anaphora.Dated(f.start, f.end, f.low, f.high, f.granularity, text[f.start:f.end]))

    i = 0
    for ref in refs:
        while i < len(chosen) and chosen[i].end <= ref.start:
            keep(chosen[i])
            i += 1
        j = i
        while j < len(chosen) and ref.start <= chosen[j].start and chosen[j].end <= ref.end:
            j += 1
        if (i < len(chosen) and chosen[i].start < ref.start) or (j < len(chosen) and chosen[j].start < ref.end):
            continue  # it overlaps a date it does not hold ("the previous week on Tuesday")
        got = anaphora.resolve(ref, text, dated, pub)
        if got is None:
            continue
        low, high, basis, gran = got
        qualifier = "range" if gran == "day" and low != high else "exact"
        keep(_Found(ref.start, ref.end, _norm(text[ref.start:ref.end]), gran, low, high, basis, qualifier,
                    tag="reference", resolution="relative"))
        i = j
    for f in chosen[i:]:
        out.append(f)
    return out


@functools.lru_cache(maxsize=16)
def _coordination_re(code: str) -> re.Pattern | None:
    """A month name after "and", "or" or a comma: "in April and June" names two months."""
    p = _patterns(code)
    words = p.lang.words("date_coordinators")
    if not words:
        return None
    return re.compile(rf"{_WS}*(?:,{_WS}*(?:(?:{_alt(words)}){_WS}+)?|{_WS}+(?:{_alt(words)}){_WS}+)"
                      rf"(?P<m>{_alt(p.full_months)})(?![\w-])(?!{_WS}+\d)", re.IGNORECASE)


def _coordinated_months(candidates: list[_Found], text: str, p: _Patterns, published: Published | None,
                        future: Callable[[int], bool]) -> list[_Found]:
    """The months coordinated with a month read without its year ("in April and June", "in May, June or
    July"): each is a date of its own, placed in its year the same way (a range needs "between" or "from")."""
    rx = _coordination_re(p.lang.code)
    if rx is None:
        return []
    out: list[_Found] = []
    todo = [c for c in candidates if c.tag == "partial_month" and c.standalone]
    while todo:
        c = todo.pop()
        m = rx.match(text, c.end)
        word = m.group("m") if m else ""
        month = p.lang.months.get(word.lower())
        if m is None or month is None or (word.lower() in p.ambiguous and not word[0].isupper()):
            continue
        f = _partial_month(month, published, f"XXXX-{month:02d}", future(m.start("m")))
        f.start, f.end, f.tag, f.md, f.resolution = m.start("m"), m.end("m"), "partial_month", (month, 0), "partial"
        out.append(f)
        todo.append(f)
    return out


def _period_candidates(text: str, p: _Patterns, words: set[str], published: Published | None,
                       future: Callable[[int], bool], present: Callable[[int], bool] = lambda pos: False,
                       ) -> list[_Found]:
    """Quarters, parts of years, weekends, months with a modifier and centuries (periods.py), resolved
    against the publication date like every other relative date."""
    out: list[_Found] = []
    for per in periods.find_periods(text, p.lang, p.full_months, words, future, present):
        if per.resolve is None:
            f = _Found(per.start, per.end, per.value, per.granularity, per.low, per.high, per.rule or None,
                       per.qualifier, resolution="absolute")
        elif published is None:
            f = _Found(per.start, per.end, per.value, per.granularity, None, None,
                       "no publication date: not resolved", per.qualifier, resolution="relative")
        else:
            readings = _over_publication(published, lambda a, resolve=per.resolve: resolve(a.high))
            found = _inferred(per.value, per.granularity, readings, per.rule, published, prefix="")
            if found is None:
                continue
            f = found
            f.start, f.end, f.resolution = per.start, per.end, "relative"
            if f.qualifier == "exact":
                f.qualifier = per.qualifier
        if per.future:
            f.mode = "future"
        out.append(f)
    return out


def year_in_noun_phrase(text: str, start: int, lang: Language) -> bool:
    """Whether the number at ``start`` follows a determiner ("the 2004 tsunami", "her 2016 campaign")."""
    words = lang.words("year_determiners")
    if not words:
        return False
    before = text[max(0, start - 12):start]
    m = _LAST_WORD.search(before)
    return bool(m) and m.group(1).lower() in words


_LAST_WORD = re.compile(r"(?:^|[^\w'’])([^\W\d_]+)[ \t\u00a0]+$")


_YEAR_BEFORE_NOUN = re.compile(r"(?<![\w.,])(1[6-9]\d\d|20\d\d)(?=[ \t\u00a0]+(?!\d)[^\W_A-ZÀ-ÞА-ЯЁ])")


def _years_in_noun_phrases(text: str, lang: Language, claims: list[Claim]) -> list[Claim]:
    """Years that date a noun ("the 2004 tsunami", "a 2019 raid"): dates of year granularity, which the
    grouping then reads as another time than the story's."""
    if not lang.words("year_determiners"):
        return []
    taken = Spans((c.start, c.end) for c in claims)
    out = []
    for m in _YEAR_BEFORE_NOUN.finditer(text):
        s, e = m.span(1)
        if taken.overlaps(s, e) or not year_in_noun_phrase(text, s, lang):
            continue
        y = int(m.group(1))
        out.append(Claim("date", m.group(1), s, e, str(y), None, "exact", f"{y:04d}-01-01", f"{y:04d}-12-31",
                         "day", None, "year", resolution="absolute"))
    return out


def _to_claim(f: _Found, text: str, p: _Patterns, cues: bool = True, approx: bool = True) -> Claim:
    """cues, approx: whether a cue or an approximation word may be in the text (else not searched)."""
    spaced = _space_before(text, f.start)
    before = text[max(0, f.start - 40):f.start] if spaced else ""
    cue_m = p.cue_re.search(before) if spaced and cues else None
    qualifier = f.qualifier
    if qualifier == "exact" and spaced and approx and p.approx_re.search(before):
        qualifier = "approx"
    return Claim(
        kind="date",
        text=text[f.start:f.end],
        start=f.start,
        end=f.end,
        value=f.value,
        unit=None,
        qualifier=qualifier,
        low=f.low.isoformat() if f.low else None,
        high=f.high.isoformat() if f.high else None,
        norm_unit="day",
        granularity=f.granularity,
        basis=f.basis,
        resolution=f.resolution or "absolute",
        cue=_norm(cue_m.group("w")) if cue_m else None,
        extra=f.extra or {},
    )
