"""The date patterns and their readers: one row of :data:`READERS` per pattern.

Each row names a pattern, the gate that must be open for it to run (a digit in the text, a month or
weekday word...: see patterns.py), the function that writes its regex from the language's
:class:`~.vocab.Vocab`, the reader that turns a match into a :class:`~.core._Found` (or None: not a
date after all), and its need (a piece of the pattern every match holds, searched first). The rows run
in order; where two readings overlap, find_dates keeps the longest. A reader is called as
``read(m, p, text, published, future)``: the match, the language's patterns, the whole text, the
publication date and the future-tense test for a position.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from .core import (
    _MD_WORDS,
    _MODE_WORDS,
    _NOUN_AFTER,
    _WS,
    _YEAR_END,
    WEEKDAY_NAMES,
    Published,
    _ago_period,
    _alt,
    _anchor_text,
    _apply_part,
    _ends_clause,
    _Found,
    _holiday_by_mode,
    _holiday_date,
    _inferred,
    _invalid,
    _last_weekday,
    _month_end,
    _month_interval,
    _norm,
    _nth_week,
    _ordinal,
    _over_publication,
    _partial_day,
    _partial_month,
    _Patterns,
    _relative_period,
    _relative_year,
    _resolve,
    _space_before,
    _two_digit_year,
    _valid_date,
    _weekday_and_day,
    _weekday_day,
    _year_context_ok,
    _year_of,
    _year_ok,
)
from .vocab import Vocab

Future = Callable[[int], bool]
Reader = Callable[[re.Match, _Patterns, str, "Published | None", Future], "_Found | None"]


@dataclass(frozen=True)
class Row:
    name: str
    gate: str  # the gate (patterns.py) that lets the pattern run
    pattern: Callable[[Vocab], str]
    read: Reader
    need: Callable[[Vocab], tuple[str, str | None]] | None = None  # (need, the shorter need it holds)


_YEAR, _SEP = r"\d{4}", r"\d[/.]\d"  # searched first for the needs that hold them


def _future_mode(future: Future, start: int) -> str:
    return "future" if future(start) else "past"


# -- all-numeric dates -------------------------------------------------------------------------

def _iso(v: Vocab) -> str:
    return r"(?<![\d.,/])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d|[/.]\d)"


def _read_iso(m: re.Match, p: _Patterns, text: str, published: Published | None, future: Future) -> _Found | None:
    g = m.groupdict()
    d = _valid_date(int(g["y"]), int(g["m"]), int(g["d"]))
    if d is None:
        return _invalid(m.start(), m.end())
    return _Found(m.start(), m.end(), d.isoformat(), "day", d, d)


def _numeric(v: Vocab) -> str:
    return r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?![\w/]|[.\-,]\d)"


def _numeric_2d(v: Vocab) -> str:  # "12/12/30": a two-digit year, only with slashes ("1.2.10" is a version)
    return r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>/)(?P<b>\d{1,2})/(?P<y2d>\d{2})(?![\w/%]|[.\-,]\d)"


def _read_numeric(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    a, b = int(g["a"]), int(g["b"])
    y = int(g["y"]) if g.get("y") else _two_digit_year(int(g["y2d"]), published)
    readings: list[tuple[str, dt.date]] = []
    for order in p.numeric_orders:
        d = _valid_date(y, a, b) if order == "mdy" else _valid_date(y, b, a)
        if d is not None and all(d != r for _, r in readings):
            readings.append((order, d))
    if not readings:
        return None
    first = readings[0][1]
    if len(readings) == 1:
        return _Found(start, end, first.isoformat(), "day", first, first)
    days = sorted(r for _, r in readings)
    basis = "ambiguous day/month order: " + ", ".join(f"{o} {d.isoformat()}" for o, d in readings)
    return _Found(start, end, first.isoformat(), "day", days[0], days[-1], basis, "range",
                  {"readings": [d.isoformat() for _, d in readings]})


def _numeric_md(v: Vocab) -> str:  # "22/04", "on 5.12": no year; the context is checked by the reader
    return r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})(?![\w/%]|[.,\-/]\d)"


def _read_numeric_md(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    if _norm(m.group(0)) in p.not_dates:
        return None
    ctx = p.md_context_re.search(text, max(0, start - 40), start)
    if ctx is None or ctx.end() != start:
        return None
    if g["s"] == "." and not p.dotted_context_re.search(ctx.group(0)):
        return None  # "rose by 2.3": a decimal unless "on", a weekday or a modifier comes before
    follow = p.follower_re.match(text, end)
    if follow and (follow.group("sym") or _norm(follow.group("word") or "") in p.unitish | p.partitive):
        return None
    a, b = int(g["a"]), int(g["b"])
    readings = [(o, (a, b) if o == "mdy" else (b, a)) for o in p.numeric_orders]
    readings = [(o, md) for o, md in readings if _valid_date(2000, *md) is not None]
    if not readings:
        return None
    order, (month, day) = readings[0]
    found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}", _future_mode(future, start))
    if found is None:
        return None
    if len(readings) > 1 and readings[1][1] != (month, day):
        found.extra = {**(found.extra or {}),
                       "other_reading": f"{readings[1][0]} XXXX-{readings[1][1][0]:02d}-{readings[1][1][1]:02d}"}
        found.basis = (found.basis or "") + f"; {order} read first (no year: one order only)"
    found.start, found.end, found.tag, found.md = start, end, "partial_day", (month, day)
    return found


def _compact(v: Vocab) -> str:  # "20161016"
    return r"(?<![\d.,$€£¥+])(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?![\d%]|[.,]\d)"


def _spaced_iso(v: Vocab) -> str:  # "On 2016 10 16, the": only before punctuation ("in 2016 10 people died")
    return (rf"(?<![\d.,])(?P<y>(?:19|20)\d\d){_WS}(?P<m>0[1-9]|1[0-2]){_WS}(?P<d>0[1-9]|[12]\d|3[01])"
            rf"(?={v.ows}(?:[,.;:!?)]|$))")


def _read_spaced_iso(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    d = _valid_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return _Found(m.start(), m.end(), d.isoformat(), "day", d, d) if d else None


def _read_compact(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    if not _year_context_ok(True, text, m.end(), p):
        return None
    return _read_spaced_iso(m, p, text, published, future)


def _mixed(v: Vocab) -> str:  # "2020/Sep/23", "September-2020-23": a month name, a year and a day in any order
    return (r"(?<![\w/.\-])(?P<p1>\d{1,4}|[^\W\d_]{3,9})(?P<s>[/\-])(?P<p2>\d{1,4}|[^\W\d_]{3,9})(?P=s)"
            r"(?P<p3>\d{1,4}|[^\W\d_]{3,9})(?![\w/]|[.\-]\d)")


def _read_mixed(m: re.Match, p: _Patterns, text: str, published: Published | None, future: Future) -> _Found | None:
    parts = [m.group("p1"), m.group("p2"), m.group("p3")]
    months = [p.lang.months.get(x.lower()) for x in parts]
    years = [int(x) for x in parts if x.isdigit() and len(x) == 4]
    days = [int(x) for x in parts if x.isdigit() and len(x) <= 2]
    if sum(mo is not None for mo in months) != 1 or len(years) != 1 or len(days) != 1:
        return None
    month = next(mo for mo in months if mo is not None)
    d = _valid_date(years[0], month, days[0])
    return _Found(m.start(), m.end(), d.isoformat(), "day", d, d) if d else _invalid(m.start(), m.end())


# -- holidays, days of a relative month, lists and ranges of days and months ------------------

def _holiday(v: Vocab) -> str:  # "Christmas", "easter 2018", "next easter", "independence day of this year"
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?:(?P<mod>{v.mods}){ws}{v.art})?(?P<h>{_alt(v.holidays)})(?!\w)"
            rf"(?:(?:{ows},)?{ws}(?:(?:{v.month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END}|{ws}(?P<rel>{_alt(v.myrel)})(?!\w))?")


def _read_holiday(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    spec = p.holidays.get(_norm(g["h"]))
    if not spec or (_norm(g["h"]) in p.ambiguous and not g["h"][0].isupper()):
        return None  # "in the new year" is the coming year, "New Year" the holiday
    value = _norm(m.group(0))
    s0 = m.start("h") if g.get("mod") and p.weekday_modifiers.get(_norm(g["mod"])) == "past" else start
    if g.get("y"):
        d = _holiday_date(spec, int(g["y"]))
        return _Found(s0, end, value, "day", d, d) if d else None
    if published is None:
        return _Found(s0, end, value, "day", None, None, "no publication date: year not inferred")
    if g.get("rel"):
        offset = p.month_year_relative.get(_norm(g["rel"]), 0)
        d = _holiday_date(spec, published.high.year + offset)
        how = f"{g['h']} of {_relative_year(offset, published)}"
        return _Found(s0, end, value, "day", d, d, how, tag="holiday") if d else None
    mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
    mode = mode or _future_mode(future, start)

    def at(a: Published) -> tuple[dt.date, dt.date] | None:
        day = _holiday_by_mode(spec, a, mode)
        return (day, day) if day else None

    rule = _MD_WORDS.get(mode, _MD_WORDS["past"]).format(what=g["h"])
    found = _inferred(value, "day", _over_publication(published, at), rule, published, prefix="")
    if found is None:
        return None
    found.start, found.end, found.tag = s0, end, "holiday"
    return found


def _day_relmonth(v: Vocab) -> str:  # "the 15th day of next month", "the 21st this month"
    ws = v.ws
    return (rf"{v.lb}{v.art}(?:(?P<d>[0-3]?\d)(?P<suf>{v.day_suffix})|(?P<dw>{v.day_words_re}))"
            rf"(?:{ws}(?:{_alt(v.lang.words('day_nouns'))}))?"
            rf"(?:{ws}(?:{v.day_month_link}))?{ws}(?P<rel>{_alt(v.month_rel_periods)})(?!\w)")


def _read_day_relmonth(m: re.Match, p: _Patterns, text: str, published: Published | None,
                       future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    day = int(g["d"]) if g.get("d") else p.day_words.get(_norm(g["dw"] or "").replace(" ", "-"))
    spec = p.relative_periods.get(_norm(g["rel"]))
    if not day or not spec:
        return None
    value = _norm(m.group(0))
    if published is None:
        return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
    off = int(spec.get("offset", 0))

    def on_day(a: dt.date) -> tuple[dt.date, dt.date]:
        base = a + relativedelta(months=off)
        d = dt.date(base.year, base.month, day)  # ValueError: no such day, no claim
        return d, d

    low, high = _resolve(published, on_day)
    return _Found(start, end, value, "day", low, high, f"day {day} of the month {off:+d} from {_anchor_text(published)}")


def _day_list(v: Vocab) -> str:  # "18 and 19 June": the first day takes the month (and year) of the second
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?P<d>[0-3]?\d)(?:{v.day_suffix})?(?={ows}(?:{_alt(v.lang.words('day_list_joiners'))}){ows}[0-3]?\d"
            rf"(?:{v.day_suffix})?{ws}(?:(?:{v.day_month_link}){ws})?(?P<m>{v.month_any})(?!\w)\.?(?:{v.year_tail})?)")


def _year_written_or_placed(g: dict, p: _Patterns, published: Published | None) -> int | None:
    """The year after a day and month, or the one a word places it in ("14. februar i fjor")."""
    y = _year_of(g, p, published)
    if y is None and g.get("rel") and published is not None \
            and published.low.year == published.high.year:
        y = published.low.year + p.month_year_relative.get(_norm(g["rel"]), 0)
    return y


def _read_day_list(m: re.Match, p: _Patterns, text: str, published: Published | None,
                   future: Future) -> _Found | None:
    g = m.groupdict()
    month = p.lang.months.get(g["m"].lower())
    day = int(g["d"])
    if month is None or not 1 <= day <= 31:
        return None
    s0, e0 = m.start("d"), m.end("d")
    y = _year_written_or_placed(g, p, published)
    if y is not None:
        d = _valid_date(y, month, day)
        return _Found(s0, e0, d.isoformat(), "day", d, d) if d else None
    if g["m"].lower() in p.ambiguous and not g["m"][0].isupper():
        return None
    found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}", _future_mode(future, m.start()))
    if found is not None:
        found.start, found.end, found.tag, found.md = s0, e0, "partial_day", (month, day)
    return found


def _month_range(v: Vocab) -> str:  # "Jan-Feb 2017", "from May to Oct 2020", "between August and October"
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?P<m1>{v.month_any})(?!\w)\.?{ows}(?P<j>{v.range_joiners}){ows}"
            rf"(?P<m2>{v.month_any})(?!\w)\.?(?:,?{ws}(?:(?:{v.month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END})?")


def _read_month_range(m: re.Match, p: _Patterns, text: str, published: Published | None,
                      future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    m1, m2 = p.lang.months.get(g["m1"].lower()), p.lang.months.get(g["m2"].lower())
    if m1 is None or m2 is None or m1 == m2:
        return None
    om = p.range_open_re.search(text, max(0, start - 20), start)
    opener, joiner = (_norm(om.group("o")) if om else ""), _norm(g["j"])
    if joiner not in p.lang.words("year_range_joiners") and (not opener or joiner not in p.openers.get(opener, [])):
        return None
    for word in (g["m1"], g["m2"]):
        if word.lower() in p.ambiguous and not word[0].isupper():
            return None
    value = _norm(text[start:end])
    if not g.get("y"):
        if published is None:
            return _Found(start, end, value, "month", None, None, "no publication date: year not inferred",
                          qualifier="range")
        # the second month's year, over every reading of it
        last = _partial_month(m2, published, "", future(start))
        assert last.low is not None and last.high is not None
        y1 = last.low.year if m1 < m2 else last.low.year - 1
        return _Found(start, end, value, "month", dt.date(y1, m1, 1), last.high, last.basis, "range")
    y2 = int(g["y"])
    y1 = y2 if m1 < m2 else y2 - 1
    return _Found(start, end, value, "month", dt.date(y1, m1, 1), _month_interval(y2, m2)[1], None, "range")


def _decade(v: Vocab) -> str:  # "the 1990s", "the '90s"
    return rf"{v.lb}(?:(?P<y>\d{{3}}0)|['’]?(?P<yy>\d0))['’]?s(?!\w)"


def _read_decade(m: re.Match, p: _Patterns, text: str, published: Published | None,
                 future: Future) -> _Found | None:
    g = m.groupdict()
    if g.get("y"):
        y = int(g["y"])
    elif published is not None:
        top = published.high.year
        y = top - (top - int(g["yy"])) % 100  # "the '90s": the latest such decade that has begun
    else:
        y = 1900 + int(g["yy"])
    if not 1000 <= y <= 2190:
        return None
    return _Found(m.start(), m.end(), f"{y}s", "year", dt.date(y, 1, 1), dt.date(y + 9, 12, 31), qualifier="range")


def _week_of(v: Vocab) -> str:  # "the first week of 2015", "3rd week of Jan", "last week of July"
    ws = v.ws
    lang = v.lang
    return (rf"{v.lb}{v.art}(?:(?P<nd>\d)(?:{v.day_suffix})|(?P<nw>{_alt(list(v.day_words) + lang.words('last_words'))}))"
            rf"{ws}(?:{_alt(lang.words('week_words'))}){ws}(?:{_alt(lang.words('week_of_links'))}){ws}"
            rf"(?:(?P<m>{v.month_any})(?!\w)\.?(?:,?{ws}(?P<y>\d{{4}}){_YEAR_END})?|(?P<yo>\d{{4}}){_YEAR_END})")


_WEEK_RULE = "weeks (Monday-Sunday) belong to the period that holds four of their days"


def _read_week_of(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    if g.get("nd"):
        n = int(g["nd"])
    else:
        word = _norm(g["nw"]).replace(" ", "-")
        n = -1 if word in p.lang.words("last_words") else p.day_words.get(word, 0)
    if not n or n > 5:
        return None
    if g.get("yo") or g.get("y"):
        y = int(g.get("yo") or g["y"])
        if g.get("m"):
            month = p.lang.months.get(g["m"].lower())
            if month is None:
                return None
            low, high = _month_interval(y, month)
        else:
            low, high = dt.date(y, 1, 1), dt.date(y, 12, 31)
    else:
        month = p.lang.months.get(g["m"].lower())
        if month is None or (g["m"].lower() in p.ambiguous and not g["m"][0].isupper()):
            return None
        found = _partial_month(month, published, "", future(start))
        if found.low is None or found.high is None:
            return _Found(start, end, _norm(m.group(0)), "week", None, None, found.basis, tag="week")
        if found.qualifier == "range":  # two readings of the month: the week in each
            first = _nth_week(found.low, _month_end(found.low), n)
            last = _nth_week(found.high.replace(day=1), found.high, n)
            return _Found(start, end, _norm(m.group(0)), "week", first, last + dt.timedelta(days=6),
                          f"{found.basis}; {_WEEK_RULE}", "range", tag="week")
        low, high = found.low, found.high
    week = _nth_week(low, high, n)
    return _Found(start, end, _norm(m.group(0)), "week", week, week + dt.timedelta(days=6), _WEEK_RULE, tag="week")


# -- offsets from publication ------------------------------------------------------------------

def _in_offset(v: Vocab) -> str:  # "in 2 weeks", "in a fortnight's time": a date only in the future tense or with "time"
    ws = v.ws
    return (rf"{v.lb}(?:{_alt(v.in_words)}){ws}(?P<n>\d{{1,3}}|{_alt(v.count_words)}){ws}(?P<u>{_alt(v.period_units)})"
            rf"(?P<time>['’]?s?{ws}time)?(?!\w)")


def _read_in_offset(m: re.Match, p: _Patterns, text: str, published: Published | None,
                    future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    if not (g.get("time") or future(start)):
        return None  # "the highest in 3 years" is a duration
    n = int(g["n"]) if g["n"].isdigit() else p.count_words.get(_norm(g["n"]))
    unit = p.period_units.get(_norm(g["u"]))
    if n is None or unit is None:
        return None
    n *= p.unit_mult.get(_norm(g["u"]), 1)
    value = _norm(m.group(0))
    if published is None:
        return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
    low, high = _resolve(published, lambda a: (a + relativedelta(**{f"{unit}s": n}),) * 2)
    return _Found(start, end, value, "day", low, high, f"{n} {unit}(s) after {_anchor_text(published)}",
                  tag="offset")


def _anchor(v: Vocab) -> str:  # "now" in "two weeks from now": only an anchor for an offset
    return rf"{v.lb}(?P<a>{_alt(v.anchors)})(?!\w)"


def _read_anchor(m: re.Match, p: _Patterns, text: str, published: Published | None,
                 future: Future) -> _Found | None:
    if published is None:
        return None
    off = p.anchors.get(_norm(m.group("a")), 0)
    low, high = _resolve(published, lambda a: (a + dt.timedelta(days=off),) * 2)
    return _Found(m.start(), m.end(), _norm(m.group("a")), "day", low, high, _anchor_text(published), tag="anchor",
                  standalone=False)


# -- a day and a month, with or without a year ------------------------------------------------

def _dmy(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?<![$€£¥])(?<![$€£¥]\s){v.day_any}(?:{ows}[-/]?{ows})"
            rf"(?:(?:{v.day_month_link}){ws})?(?P<m>{v.month_any})(?!\w)\.?"
            rf"(?:{v.year_tail}|{ws}(?P<rel>{_alt(v.myrel)})(?!\w))?")  # "14. februar i fjor" keeps its day


def _mdy(v: Vocab) -> str:
    return (rf"{v.lb}(?P<m>{v.month_any})(?![^\W\d_])\.?(?:{v.ows}[,/-]?{v.ows})"
            rf"{v.day_any}(?!\w)(?:{v.year_tail})?")


def _dmy_spelled(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}{v.spelled_day_any}(?:{ows}[-/]?{ows})"
            rf"(?:(?:{v.day_month_link}){ws})?(?P<m>{v.month_any})(?!\w)\.?(?:{v.spelled_year_tail})?")


def _mdy_spelled(v: Vocab) -> str:
    return (rf"{v.lb}(?P<m>{v.month_any})(?![^\W\d_])\.?(?:{v.ows}[,/-]?{v.ows})"
            rf"{v.spelled_day_any}(?!\w)(?:{v.spelled_year_tail})?")


def _read_day_month(m: re.Match, p: _Patterns, text: str, published: Published | None,
                    future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    month_word = g["m"]
    month = p.lang.months.get(month_word.lower())
    if month is None:
        return None
    day = int(g["d"]) if g.get("d") else p.day_words.get(_norm(g["dw"] or "").replace(" ", "-"))
    if day is None:
        day = p.day_words.get(_norm(g["dw"] or ""))
    if not day or day > 31:
        return None
    y = _year_written_or_placed(g, p, published)
    if y is not None:
        d = _valid_date(y, month, day)
        if d is None:
            return _invalid(start, end)
        return _Found(start, end, d.isoformat(), "day", d, d)
    if g.get("yw"):
        return None
    if month_word.lower() in p.ambiguous and not month_word[0].isupper():
        return None
    if _norm(g.get("dw") or "").replace(" ", "-") in p.cardinal_days and not _ends_clause(text, end):
        return None  # "in March five soldiers died": a count
    if m.start("m") > start:  # day first: "27. mars." ends a sentence; the point belongs to the month only if abbreviated
        end = m.end("m")
        if month_word.lower() not in p.full_months and text[end:end + 1] == ".":
            end += 1
    found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}", _future_mode(future, start))
    if found is None:
        return None
    found.start, found.end, found.tag, found.md = start, end, "partial_day", (month, day)
    return found


# -- months ------------------------------------------------------------------------------------

def _month_year(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?:(?P<part>{v.month_part_re}){ows}-?{ows})?(?P<m>{v.month_any})(?!\w)\.?,?{ws}"
            rf"(?:(?:{v.month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END}(?:{ows}(?P<ys>{v.year_suffix})(?!\w))?")


def _read_month_year(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    g = m.groupdict()
    month = p.lang.months.get(g["m"].lower())
    y = int(g["y"])
    if month is None or not 1000 <= y <= 2199:
        return None
    low, high = _month_interval(y, month)
    found = _Found(m.start("part") if g.get("part") else m.start("m"), m.end(), f"{y:04d}-{month:02d}",
                   "month", low, high)
    return _apply_part(found, g.get("part"), p)


def _month_rel(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return rf"{v.lb}(?:(?P<part>{v.month_part_re}){ows}-?{ows})?(?P<m>{v.month_full}){ws}(?P<rel>{_alt(v.myrel)})(?!\w)"


def _read_month_rel(m: re.Match, p: _Patterns, text: str, published: Published | None,
                    future: Future) -> _Found | None:
    g = m.groupdict()
    month = p.lang.months.get(g["m"].lower())
    offset = p.month_year_relative.get(_norm(g["rel"]))
    if month is None or offset is None:
        return None
    s = m.start("part") if g.get("part") else m.start("m")
    value = f"{_norm(g['m'])} {_norm(g['rel'])}"
    if published is None:
        found = _Found(s, m.end(), value, "month", None, None, "no publication date: not resolved")
    else:
        low = _month_interval(published.low.year + offset, month)[0]
        high = _month_interval(published.high.year + offset, month)[1]
        found = _Found(s, m.end(), value, "month", low, high,
                       f"{calendar.month_name[month]} of {_relative_year(offset, published)}")
    return _apply_part(found, g.get("part"), p)


def _month_only(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"(?:{v.lb}(?P<part>{v.month_part_re}){ows}-?{ows}|{v.lb}(?:{_alt(v.preps)}){ws}{v.art}|{v.lb}(?P<det>{v.dets}){ws})"
            rf"(?P<m>{v.month_full})(?!\w)")


def _read_month_only(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    g = m.groupdict()
    word = g["m"]
    month = p.lang.months.get(word.lower())
    if month is None or (word.lower() in p.ambiguous and not word[0].isupper()):
        return None
    if g.get("det") and not (word[0].isupper() and _NOUN_AFTER.match(text, m.end())):
        return None  # after a determiner only "the June storms": a capitalised month before a noun
    s = m.start("part") if g.get("part") else m.start("m")
    found = _partial_month(month, published, f"XXXX-{month:02d}", future(m.start()))
    found.start, found.end = s, m.end()
    if not g.get("part"):
        found.tag, found.md = "partial_month", (month, 0)
    return _apply_part(found, g.get("part"), p)


# -- years -------------------------------------------------------------------------------------

def _years(m: re.Match, start: int, end: int) -> _Found | None:
    """One year ("in 2015") or two joined as a range ("2014-2018")."""
    y = int(m.group("y"))
    y2 = int(m.group("y2")) if m.groupdict().get("y2") else None
    if not _year_ok(y) or (y2 is not None and (not _year_ok(y2) or y2 <= y)):
        return None
    if y2 is None:
        return _Found(start, end, f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
    return _Found(start, end, f"{y:04d}/{y2:04d}", "year", dt.date(y, 1, 1), dt.date(y2, 12, 31),
                  qualifier="range")


def _year_dash(v: Vocab) -> str:  # "2014-2018", "2014~2018": two years joined, as a range
    return rf"(?<![\w.,\-/])(?P<y>\d{{4}}){v.ows}(?:{_alt(v.joiners)}){v.ows}(?P<y2>\d{{4}}){_YEAR_END}"


def _read_year_dash(m: re.Match, p: _Patterns, text: str, published: Published | None,
                    future: Future) -> _Found | None:
    found = _years(m, m.start(), m.end())
    if found is not None and not _year_context_ok(False, text, m.end(), p):
        return None  # "1900-2000 fighters": a count
    return found


def _year_range(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?P<open>{_alt(v.openers)}){ws}(?P<y>\d{{4}})(?:{ows}(?:{v.year_suffix}))?{ws}"
            rf"(?P<join>{_alt(j for js in v.openers.values() for j in js)}){ws}(?P<y2>\d{{4}})"
            rf"{_YEAR_END}(?:{ows}(?P<ys>{v.year_suffix})(?!\w))?")


def _read_year_range(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    return _years(m, m.start("y"), m.end())


def _year_paren(v: Vocab) -> str:
    return rf"\((?P<y>\d{{4}}){v.ows}(?:{_alt(v.joiners)}){v.ows}(?P<y2>\d{{4}})\)"


def _read_year_paren(m: re.Match, p: _Patterns, text: str, published: Published | None,
                     future: Future) -> _Found | None:
    return _years(m, m.start("y"), m.end("y2"))


def _year(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?P<prep>{_alt(v.preps + v.weak)}){ws}{v.art}(?P<y>\d{{4}})"
            rf"(?:{ows}(?:{_alt(v.joiners)}){ows}(?P<y2>\d{{4}}))?{_YEAR_END}(?:{ows}(?P<ys>{v.year_suffix})(?!\w))?")


def _read_year(m: re.Match, p: _Patterns, text: str, published: Published | None, future: Future) -> _Found | None:
    found = _years(m, m.start("y"), m.end())
    if found is not None and not m.group("ys") \
            and not _year_context_ok(_norm(m.group("prep")) in p.strong_preps, text, m.end(), p):
        return None
    return found


def _year_suffixed(v: Vocab) -> str:
    return rf"{v.lb}(?P<y>\d{{4}}){v.ows}(?P<ys>{v.year_suffix})(?!\w)"


def _read_year_suffixed(m: re.Match, p: _Patterns, text: str, published: Published | None,
                        future: Future) -> _Found | None:
    return _years(m, m.start(), m.end())


def _year_2d(v: Vocab) -> str:  # "since '82", "in '98": two digits after an apostrophe, only after a (strong) date preposition
    return rf"{v.lb}(?:{_alt(v.preps)}){v.ws}(?P<y2d>['’]\d{{2}})(?![\w%'’]|[.,]\d)"


def _read_year_2d(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    y = _two_digit_year(int(m.group("y2d")[1:]), published)
    return _Found(m.start("y2d"), m.end(), f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))


# -- weekdays and days of the month ------------------------------------------------------------

def _weekday(v: Vocab) -> str:
    ws, ows = v.ws, v.ows
    lang = v.lang
    return (rf"{v.lb}(?:(?P<weekpre>{_alt(v.wd_week_pre)})(?:{ows}-{ows}|{ws}(?:{_alt(lang.words('weekday_date_links'))}){ws}|{ws}))?"
            rf"(?:(?P<mod>{_alt(v.wd_mods)}){ws})?(?:(?P<prepart>{_alt(lang.words('day_parts_before'))}){ws})?"
            rf"(?P<w>{v.weekday_full}|{_alt(v.abbr_ok)})(?!\w)"
            rf"(?:{ws}(?P<week>{_alt(v.wd_weeks)})(?!\w))?(?:{ws}(?P<part>{_alt(v.day_parts)})(?!\w))?")


def _weekday_mode(g: dict, p: _Patterns) -> str | None:
    """The mode a word gives a weekday ("last Friday", "Friday next week", "this week's Friday")."""
    mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
    if g.get("week"):
        mode = p.weekday_week_words.get(_norm(g["week"]), mode)
    if g.get("weekpre"):
        mode = p.weekday_week_prefixes.get(_norm(g["weekpre"]), mode)
    return mode


def _read_weekday(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    wd = p.lang.weekdays.get(g["w"].lower())
    ambiguous = g["w"].lower() in p.ambiguous or g["w"].lower() not in p.full_weekdays
    if wd is None or (ambiguous and not g["w"][0].isupper() and not (g.get("mod") or g.get("weekpre")
                                                                      or g.get("prepart"))):
        return None
    if not g.get("mod") and _space_before(text, start) and p.named_day_re.search(text, max(0, start - 20), start):
        return None  # "Black Monday", "Super Tuesday": the name of a day, not the last Monday
    explicit = _weekday_mode(g, p)
    mode = explicit or _future_mode(future, start)
    value = _norm(m.group(0))
    if published is None:
        return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
    if mode == "last":
        return _last_weekday(start, end, value, wd, published)
    low, high = _resolve(published, lambda a: (_weekday_day(a, wd, mode),) * 2)
    rule = _MODE_WORDS[mode].format(wd=WEEKDAY_NAMES[wd])
    return _Found(start, end, value, "day", low, high, f"{rule} {_anchor_text(published)}", tag="weekday",
                  weekday=wd, mode=explicit)


def _weekday_prefix(v: Vocab) -> str:
    return rf"{v.lb}(?:(?P<mod>{_alt(v.wd_mods)}){v.ws})?(?P<w>{v.weekday_prefix})(?!\w)\.?"


def _read_weekday_prefix(m: re.Match, p: _Patterns, text: str, published: Published | None,
                         future: Future) -> _Found | None:
    g = m.groupdict()
    wd = p.lang.weekdays.get(g["w"].lower())
    if wd is None:
        return None
    mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
    return _Found(m.start(), m.end(), _norm(m.group(0)), "day", None, None, tag="weekday_prefix", weekday=wd,
                  standalone=False, mode=mode)


def _weekday_then_day(v: Vocab) -> str:
    # "Sunday the 31st", "Friday, 2": only ordinal day words follow a weekday ("Tuesday, two jets" is a
    # weekday and a count)
    ws, ows = v.ws, v.ows
    return (rf"{v.lb}(?:(?P<mod>{_alt(v.wd_mods)}){ws})?(?P<w>{v.weekday_prefix})(?!\w)\.?,?{ws}(?:(?P<the>{v.arts}){ws})?"
            rf"(?:(?P<d>[0-3]?\d)(?P<suf>{v.day_suffix})?(?!\d|[,.]\d)|(?P<dw>{v.basic_day_words_re}))(?!\w)"
            rf"(?P<fin>{ows}(?:[.!?,;:)]|$))?")


def _read_weekday_day(m: re.Match, p: _Patterns, text: str, published: Published | None,
                      future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    wd = p.lang.weekdays.get(g["w"].lower())
    day = int(g["d"]) if g.get("d") else p.day_words.get(_norm(g["dw"] or "").replace(" ", "-"))
    if wd is None or not day or day > 31:
        return None
    if g.get("d") and not (g.get("suf") or g.get("the")):
        if not g.get("fin"):  # "on Sunday 31 people died": a count, not a day
            return None
    end = m.end("fin") - len(g["fin"]) if g.get("fin") else end
    end = start + len(text[start:end].rstrip())
    if g.get("dw") and _NOUN_AFTER.match(text, end):
        return None  # "on Sunday, the first success": an ordinal of a noun, not a day
    value = _norm(text[start:end])
    if published is None:
        return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
    ahead = future(start)

    def on(a: Published) -> tuple[dt.date, dt.date] | None:
        d = _weekday_and_day(wd, day, a.high, forward_from=a.low if ahead else None)
        return (d, d) if d else None

    what = f"{WEEKDAY_NAMES[wd]} the {_ordinal(day)}"
    rule = (f"the first {what} on or after (future tense)" if ahead else f"the most recent {what} on or before")
    found = _inferred(value, "day", _over_publication(published, on), rule, published, prefix="", between=True)
    if found is not None:
        found.start, found.end = start, end
    return found


def _day_only(v: Vocab) -> str:
    ws = v.ws
    return (rf"{v.lb}(?:{_alt(v.lang.words('day_only_prepositions'))}){ws}(?:{v.arts}){ws}(?P<d>[0-3]?\d)(?:{v.day_suffix})(?!\w)"
            rf"(?!{ws}(?:{v.day_month_link}|[^\W\d_]))")


def _read_day_only(m: re.Match, p: _Patterns, text: str, published: Published | None,
                   future: Future) -> _Found | None:
    day = int(m.group("d"))
    if published is None or not 1 <= day <= 31:
        return None

    def latest(a: Published) -> tuple[dt.date, dt.date] | None:
        d = a.high
        for _ in range(3):
            cand = _valid_date(d.year, d.month, day)
            if cand is not None and cand <= a.high:
                return cand, cand
            d = d.replace(day=1) - dt.timedelta(days=1)
        return None

    found = _inferred(f"XXXX-XX-{day:02d}", "day", _over_publication(published, latest),
                      f"the most recent {_ordinal(day)} of a month on or before", published, prefix="month inferred: ",
                      between=True)
    if found is not None:
        found.start, found.end = m.start("d"), m.end()
    return found


# -- words relative to publication -------------------------------------------------------------

def _relative(v: Vocab) -> str:
    return (rf"{v.lb}(?P<phrase>{_alt(list(v.rel_days) + list(v.rel_periods))})(?!\w)"
            rf"(?:{v.ws}(?P<part>{_alt(v.day_parts)})(?!\w))?")


def _read_relative(m: re.Match, p: _Patterns, text: str, published: Published | None,
                   future: Future) -> _Found | None:
    g = m.groupdict()
    start, end = m.start(), m.end()
    phrase = _norm(g["phrase"])
    value = _norm(m.group(0))
    if phrase in p.relative_days:
        off = p.relative_days[phrase]
        if published is None:
            return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
        low, high = _resolve(published, lambda a: (a + dt.timedelta(days=off),) * 2)
        return _Found(start, end, value, "day", low, high, f"{_anchor_text(published)} {off:+d} day(s)")
    spec = p.relative_periods.get(phrase)
    if not spec:
        return None
    if g.get("part"):  # "this week" takes no day part: keep the period alone
        end, value = m.end("phrase"), phrase
    unit, off = str(spec.get("unit", "day")), int(spec.get("offset", 0))
    until, since = bool(spec.get("until_published")), bool(spec.get("from_published"))
    gran = unit if unit in ("week", "month", "year") else "day"
    if published is None:
        return _Found(start, end, value, gran, None, None, "no publication date: not resolved")
    low, high = _relative_period(published, unit, off, until, since)
    how = f"the {unit} {off:+d} from {_anchor_text(published)}" + (
        ", up to publication" if until else ", from publication" if since else "")
    return _Found(start, end, value, gran, low, high, how)


def _ago(v: Vocab) -> str:
    ws = v.ws
    return (rf"{v.lb}(?:(?P<before>{_alt(v.ago_before)}){ws})?(?:(?P<n>\d{{1,3}}|{_alt(v.count_words)}){ws})?"
            rf"(?P<u>{_alt(v.period_units)}){ws}(?P<after>{_alt(v.ago_after)})(?!\w)")


def _read_ago(m: re.Match, p: _Patterns, text: str, published: Published | None, future: Future) -> _Found | None:
    g = m.groupdict()
    if p.ago_before and not g.get("before"):
        return None
    unit = p.period_units.get(_norm(g["u"]))
    if unit is None:
        return None
    if g.get("n"):
        n = int(g["n"]) if g["n"].isdigit() else p.count_words.get(_norm(g["n"]))
    elif _norm(g["u"]) in p.ago_single_units:
        n = 1
    else:
        return None
    if n is None:
        return None
    n *= p.unit_mult.get(_norm(g["u"]), 1)
    value = _norm(m.group(0))
    if published is None:
        return _Found(m.start(), m.end(), value, unit, None, None, "no publication date: not resolved")
    low, high = _ago_period(published, unit, n)
    return _Found(m.start(), m.end(), value, unit, low, high, f"{n} {unit}(s) before {_anchor_text(published)}")


# -- the time of publication itself: "now", "recently", "soon" --------------------------------

def _deictic(v: Vocab) -> str:
    return rf"{v.lb}(?P<w>{_alt(v.deictic)})(?!\w)"


_COMPOUND = re.compile(r"[-‐][^\W\d_]")
_CLAUSE_END = re.compile(r"[ \t\u00a0]*(?:[,.;:!?)\"'”»]|$)")
_DEICTIC_READINGS = {
    "present": ("exact", "the publication day ({})"),
    "past": ("up_to", "before publication ({}); how long before is not said"),
    "future": ("at_least", "after publication ({}); how long after is not said"),
}


def _refers_to_publication(m: re.Match, p: _Patterns, text: str) -> bool:
    """Whether "now", "the past", "soon" is the time of publication: not inside a phrase that refers to
    none ("as soon as", "now and then"), and at a clause's end where the word needs one ("of the past,")."""
    word = _norm(m.group("w"))
    if _COMPOUND.match(text, m.end()) or (m.start() > 0 and text[m.start() - 1] in "-‐"):
        return False  # "the now-defunct mine", "the soon-to-open terminal": a compound adjective, no time
    if word in p.deictic_clause_final and not _CLAUSE_END.match(text, m.end()):
        return False
    if p.deictic_blocked_re is not None:
        for b in p.deictic_blocked_re.finditer(text, max(0, m.start() - 30), min(len(text), m.end() + 30)):
            if b.start() <= m.start() and m.end() <= b.end():
                return False
    return True


def _read_deictic(m: re.Match, p: _Patterns, text: str, published: Published | None,
                  future: Future) -> _Found | None:
    ref = p.deictic.get(_norm(m.group("w")))
    if ref not in _DEICTIC_READINGS or not _refers_to_publication(m, p, text):
        return None
    value = _norm(m.group(0))
    qualifier, how = _DEICTIC_READINGS[ref]
    if published is None:
        return _Found(m.start(), m.end(), value, "day", None, None, "no publication date: not resolved",
                      qualifier=qualifier, extra={"deictic": ref}, tag="deictic")
    low = None if ref == "past" else published.low
    high = None if ref == "future" else published.high
    qualifier = "range" if ref == "present" and low != high else qualifier
    return _Found(m.start(), m.end(), value, "day", low, high, how.format(_anchor_text(published)), qualifier,
                  extra={"deictic": ref}, tag="deictic")


# -- the table ---------------------------------------------------------------------------------

def _four(piece: str) -> Callable[[Vocab], tuple[str, str | None]]:
    """A need that holds a year's four digits (searched first)."""
    return lambda v: (piece, _YEAR)


READERS: tuple[Row, ...] = (
    Row("iso", "digit", _iso, _read_iso, _four(r"\d{4}[-/.]\d")),
    Row("numeric", "digit", _numeric, _read_numeric, _four(r"\d[./-]\d\d?[./-]\d{4}")),  # "5/12/2016"
    Row("numeric", "digit", _numeric_2d, _read_numeric, lambda v: (r"\d/\d\d?/\d\d", _SEP)),  # "12/12/30"
    Row("numeric_md", "digit", _numeric_md, _read_numeric_md, lambda v: (_SEP, None)),
    Row("compact", "digit", _compact, _read_compact, _four(r"\d{8}")),
    Row("spaced_iso", "digit", _spaced_iso, _read_spaced_iso, _four(rf"\d{{4}}{_WS}\d\d{_WS}\d\d")),
    Row("mixed", "mixed", _mixed, _read_mixed),
    Row("holiday", "holiday", _holiday, _read_holiday),
    Row("day_relmonth", "relmonth", _day_relmonth, _read_day_relmonth),
    Row("day_list", "month", _day_list, _read_day_list, lambda v: (
        rf"\d(?:{v.day_suffix})?{v.ows}(?:{_alt(v.lang.words('day_list_joiners'))}){v.ows}\d", None)),
    Row("month_range", "month", _month_range, _read_month_range),
    Row("year_dash", "digit", _year_dash, _read_year_dash,
        lambda v: (rf"\d{{4}}{v.ows}(?:{_alt(v.joiners)}){v.ows}\d{{4}}", _YEAR)),
    Row("decade", "digit", _decade, _read_decade, lambda v: (r"\d0['’]?s", None)),
    Row("week_of", "week", _week_of, _read_week_of),
    Row("in_offset", "in", _in_offset, _read_in_offset),
    Row("anchor", "anchor", _anchor, _read_anchor),
    Row("dmy", "month", _dmy, _read_day_month),
    Row("mdy", "month", _mdy, _read_day_month),
    Row("dmy_spelled", "spelled", _dmy_spelled, _read_day_month),
    Row("mdy_spelled", "spelled", _mdy_spelled, _read_day_month),
    Row("month_year", "month", _month_year, _read_month_year, lambda v: (_YEAR, None)),
    Row("month_rel", "month", _month_rel, _read_month_rel,
        lambda v: (rf"(?:{v.month_full}){v.ws}(?:{_alt(v.myrel)})(?!\w)", None)),
    Row("month_only", "month", _month_only, _read_month_only),
    Row("year_range", "digit", _year_range, _read_year_range, lambda v: (_YEAR, None)),
    Row("year_paren", "digit", _year_paren, _read_year_paren, _four(r"\(\d{4}")),
    Row("year", "digit", _year, _read_year, lambda v: (_YEAR, None)),
    Row("year_suffixed", "digit", _year_suffixed, _read_year_suffixed,
        lambda v: (rf"\d{{4}}{v.ows}(?:{v.year_suffix})", _YEAR)),
    Row("year_2d", "digit", _year_2d, _read_year_2d),
    Row("weekday", "weekday", _weekday, _read_weekday),
    Row("weekday_prefix", "weekday", _weekday_prefix, _read_weekday_prefix),
    Row("weekday_day", "weekday", _weekday_then_day, _read_weekday_day),
    Row("day_only", "digit", _day_only, _read_day_only, lambda v: (rf"\d(?:{v.day_suffix})", None)),
    Row("relative", "relative", _relative, _read_relative),
    Row("ago", "ago", _ago, _read_ago),
    Row("deictic", "deictic", _deictic, _read_deictic),
)
_READ = {row.name: row.read for row in READERS}


def _handle(name: str, m: re.Match, p: _Patterns, text: str, published: Published | None,
            future: Future = lambda pos: False) -> _Found | None:
    """The reading of a match of the pattern ``name`` (None: not a date after all)."""
    return _READ[name](m, p, text, published, future)
