"""What the date readers share: the publication date, the found date (:class:`_Found`), a language's
compiled patterns (:class:`_Patterns`, built by patterns.py) and the calendar: month and week intervals,
the year of a date written without one, weekdays, holidays, resolution against the publication date."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as rd_weekday

from ...language import Language, alternation

GRANULARITIES = ("day", "month", "year", "range")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# -- publication date --------------------------------------------------------------------------

@dataclass(frozen=True)
class Published:
    """The publication date as an interval: "2017-03" is every day of March 2017."""

    text: str
    low: dt.date
    high: dt.date
    granularity: str

    @property
    def is_day(self) -> bool:
        return self.granularity == "day"


_PUBLISHED_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2})(?:[T ]\S*)?)?)?")


@functools.lru_cache(maxsize=4096)  # a corpus has few distinct dates; a Published is immutable
def parse_published(s: str) -> Published:
    """Parse "YYYY", "YYYY-MM", "YYYY-MM-DD", an ISO datetime (its date is kept), or an ISO 8601
    interval of two of those, "2016-03-27/2016-04": what is known of a date is often a span."""
    text = str(s).strip()
    if text.count("/") > 1:
        raise ValueError(f"published date {s!r}: an interval has two ends, START/END")
    if "/" in text:
        first, _, last = text.partition("/")
        a, b = parse_published(first), parse_published(last)
        if b.high < a.low:
            raise ValueError(f"published date {s!r}: the interval ends before it starts")
        return Published(text, a.low, b.high, "day" if a.low == b.high else "range")
    m = _PUBLISHED_RE.fullmatch(text)
    if not m:
        raise ValueError(f"published date {s!r}: expected YYYY, YYYY-MM, YYYY-MM-DD or an interval of two")
    year = int(m.group(1))
    try:
        if m.group(3):
            if "T" in text or " " in text:
                dt.datetime.fromisoformat(text)  # reject a malformed time part too
            day = dt.date(year, int(m.group(2)), int(m.group(3)))
            return Published(day.isoformat(), day, day, "day")
        if m.group(2):
            first = dt.date(year, int(m.group(2)), 1)
            return Published(f"{year:04d}-{first.month:02d}", first, _month_end(first), "month")
        return Published(f"{year:04d}", dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    except ValueError as e:
        raise ValueError(f"published date {s!r}: {e}") from None


# -- date arithmetic ---------------------------------------------------------------------------

def _month_end(d: dt.date) -> dt.date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _month_interval(year: int, month: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, month, 1)
    return first, _month_end(first)


def _unit_interval(d: dt.date, unit: str) -> tuple[dt.date, dt.date]:
    """The calendar day, week (Monday-Sunday), month or year that contains d."""
    if unit == "week":
        monday = d - dt.timedelta(days=d.weekday())
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        return _month_interval(d.year, d.month)
    if unit == "year":
        return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31)
    return d, d


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _latest_year_not_after(month: int, day: int, limit: dt.date) -> dt.date | None:
    """The latest date with this month and day on or before limit (Feb 29 looks back to a leap year)."""
    for year in range(limit.year, limit.year - 9, -1):
        d = _valid_date(year, month, day)
        if d is not None and d <= limit:
            return d
    return None


# The resolvers below are pure functions of the publication date and the words, and dateutil's
# arithmetic is slow next to the rest of a sentence's work: a corpus has few distinct publication
# dates, so they are cached (an exception, a date beyond the calendar, is raised again every time).

@functools.lru_cache(maxsize=4096)
def _relative_period(published: Published, unit: str, off: int, until: bool,
                     since: bool = False) -> tuple[dt.date, dt.date]:
    """ "last week", "this month": the unit offset from publication (up to publication when until, from
    it when since: "later this year")."""
    def period(a: dt.date) -> tuple[dt.date, dt.date]:
        low_, high_ = _unit_interval(a + relativedelta(**{f"{unit}s": off}), unit)
        return (low_, min(high_, a)) if until else (max(low_, a), high_) if since else (low_, high_)

    return _resolve(published, period)


@functools.lru_cache(maxsize=4096)
def _ago_period(published: Published, unit: str, n: int) -> tuple[dt.date, dt.date]:
    """ "two months ago": the calendar unit n units before publication."""
    return _resolve(published, lambda a: _unit_interval(a - relativedelta(**{f"{unit}s": n}), unit))


# weekday modes: anchor day -> the day meant
@functools.lru_cache(maxsize=4096)
def _weekday_day(anchor: dt.date, weekday: int, mode: str) -> dt.date:
    wd = rd_weekday(weekday)
    if mode == "last":
        return anchor - dt.timedelta(days=1) + relativedelta(weekday=wd(-1))
    if mode == "next":
        return anchor + dt.timedelta(days=1) + relativedelta(weekday=wd(+1))
    monday = anchor - dt.timedelta(days=anchor.weekday())
    if mode == "week":
        return monday + dt.timedelta(days=weekday)
    if mode == "last_week":
        return monday - dt.timedelta(days=7 - weekday)
    if mode == "next_week":
        return monday + dt.timedelta(days=7 + weekday)
    if mode == "future":
        return anchor + relativedelta(weekday=wd(+1))
    return anchor + relativedelta(weekday=wd(-1))  # past: on or before


_MODE_WORDS = {
    "past": "most recent {wd} on or before",
    "future": "nearest {wd} on or after (future tense)",
    "last": "most recent {wd} strictly before",
    "next": "nearest {wd} strictly after",
    "week": "{wd} in the week of",
    "last_week": "{wd} of the week before",
    "next_week": "{wd} of the week after",
}


def _resolve(published: Published, fn: Callable[[dt.date], tuple[dt.date, dt.date]]) -> tuple[dt.date, dt.date]:
    """Resolve against every day of the publication interval; every resolver here is monotone in
    its anchor, so the hull of the union is [fn(first day).low, fn(last day).high]."""
    return fn(published.low)[0], fn(published.high)[1]


def _anchor_text(published: Published) -> str:
    if published.is_day:
        return f"published {published.text}"
    return f"published {published.text} (every day of it)"


# -- per-language patterns ---------------------------------------------------------------------

_WS = r"[\s\u00a0]"
_TOKEN = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")
_YEAR_END = r"(?![\d\w]|[,.]\d)"


def _alt(words) -> str:
    return alternation(words)


@dataclass
class _Patterns:
    lang: Language
    regexes: list[tuple[str, _LazyPattern]]
    steps: list[tuple[str, _LazyPattern, str, re.Pattern | None, re.Pattern | None]]  # find_dates: name,
    # pattern, gate, need (a piece every match holds) and the need's own need
    full_months: set[str]
    full_weekdays: set[str]
    ambiguous: set[str]
    day_words: dict[str, int]
    month_parts: dict[str, list[int]]
    month_year_relative: dict[str, int]
    relative_days: dict[str, int]
    relative_periods: dict[str, dict]
    weekday_modifiers: dict[str, str]
    weekday_week_words: dict[str, str]
    weekday_week_prefixes: dict[str, str]
    period_units: dict[str, str]
    count_words: dict[str, int]
    ago_single_units: set[str]
    ago_before: bool
    numeric_orders: list[str]
    strong_preps: set[str]
    cue_re: re.Pattern
    gates: dict[str, frozenset[str] | re.Pattern | None]
    word_gates: dict[str, tuple[str, ...]]  # a gate word -> the gates it opens
    gate_words: frozenset[str]
    plans: dict[frozenset[str], list]  # the open gates of a text -> its steps (filled as texts come)
    merge_words: dict[str, frozenset[str]]  # first words of the phrases the merges and _to_claim look for
    all_gate_words: frozenset[str]
    offset_re: re.Pattern
    offsets: dict[str, int]
    link_re: re.Pattern
    approx_re: re.Pattern
    follower_re: re.Pattern
    unitish: set[str]
    partitive: set[str]  # "3/4 of the city": a fraction before these words (numbers.yml partitive_words)
    stopwords: set[str]
    unit_mult: dict[str, int]
    cardinal_days: set[str]
    numbers: dict[str, int]
    holidays: dict[str, dict]
    anchors: dict[str, int]
    future_re: re.Pattern
    past_re: re.Pattern
    present_re: re.Pattern  # "is", "has": a date without a year is then the nearest reading
    past_suffix_re: re.Pattern  # "attacked": a past form the present test reads (not the "until" test)
    until_re: re.Pattern  # "until" before a date: it looks forward unless its sentence is in the past
    since_re: re.Pattern  # "since" before a date: it is before publication whatever the tense
    mod_before_re: re.Pattern
    named_day_re: re.Pattern  # "Black" in "Black Monday": a word that makes a weekday a name
    md_context_re: re.Pattern
    not_dates: set[str]
    dotted_context_re: re.Pattern
    range_join_re: re.Pattern
    range_open_re: re.Pattern
    openers: dict[str, list[str]]
    open_before_re: re.Pattern
    open_after_re: re.Pattern
    hours_before_re: re.Pattern | None  # "30 hours" right before "after": a duration measured from the date
    open_from_re: re.Pattern
    open_until_re: re.Pattern
    week_of_re: re.Pattern
    deictic: dict[str, str]  # "now" -> present, "recently" -> past, "soon" -> future (dates.yml deictic_words)
    deictic_clause_final: set[str]  # of those, the ones that refer to publication only at a clause's end
    deictic_blocked_re: re.Pattern | None  # "as soon as": a phrase holding one that refers to no time
    since_before_re: re.Pattern | None  # "since " right before a date (dates.yml since_words)
    start_part_re: re.Pattern | None  # "the start of" at a date's start (dates.yml start_parts)


def _norm(s: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", s.strip().lower())


def _parse_year_words(s: str, p: _Patterns) -> int | None:
    """The year of a spelled-out year: a cardinal with hundred/thousand ("nineteen hundred ninety
    three"), or two two-digit groups ("nineteen eighty six"). None when it is neither."""
    toks = [t for t in re.split(r"[\s\u00a0-]+", s.lower()) if t]
    scales = {str(k).lower(): int(v) for k, v in (p.lang.get("year_scale_words") or {}).items()}
    if any(t in scales for t in toks):
        total = cur = 0
        for t in toks:
            if t in scales:
                if scales[t] == 100:
                    cur = (cur or 1) * 100
                elif scales[t]:
                    total += (cur or 1) * scales[t]
                    cur = 0
            elif t in p.numbers:
                cur += p.numbers[t]
            else:
                return None
        y = total + cur
    else:
        groups: list[int] = []
        for t in toks:
            v = p.numbers.get(t)
            if v is None:
                return None
            if groups and groups[-1] in range(20, 100, 10) and 1 <= v <= 9:
                groups[-1] += v
            else:
                groups.append(v)
        if len(groups) != 2 or groups[0] < 10:
            return None
        y = groups[0] * 100 + groups[1]
    return y if 1000 <= y <= 2199 else None


# -- building claims ---------------------------------------------------------------------------

@dataclass
class _Found:
    start: int
    end: int
    value: str
    granularity: str
    low: dt.date | None
    high: dt.date | None
    basis: str | None = None
    qualifier: str = "exact"
    extra: dict | None = None
    tag: str = "date"  # date (explicit), partial_day, weekday, weekday_prefix, relative, ...
    md: tuple[int, int] | None = None  # month and day of a date written without its year
    weekday: int | None = None
    standalone: bool = True  # False: only a part of a longer date ("Tue" in "Tue May 9")
    invalid: bool = False  # an impossible date ("30 February 2016"): wins its span, then is dropped
    mode: str | None = None  # weekday or partial date: the modifier's mode ("next", "week", ...)
    resolution: str | None = None  # absolute | partial (year or month inferred) | relative (from publication)


def _md_date(month: int, day: int, published: Published, mode: str) -> dt.date | None:
    """A month and day without a year, by mode: past (latest on or before publication, the news
    default), future or until (earliest on or after), nearest (the nearer of those two: present tense),
    last/next (strictly before/after), week ("this 5/12": in the publication's year)."""
    mode = {"last_week": "last", "next_week": "next", "until": "future"}.get(mode, mode)
    if mode == "week":
        return _valid_date(published.high.year, month, day)
    if mode == "nearest":  # present tense: the reading nearer publication, before or after it
        days = [d for d in (_md_date(month, day, published, "past"), _md_date(month, day, published, "future")) if d]
        return min(days, key=lambda d: abs((d - published.high).days)) if days else None
    if mode in ("future", "next"):
        after = published.low if mode == "future" else published.high + dt.timedelta(days=1)
        for year in range(after.year, after.year + 9):
            d = _valid_date(year, month, day)
            if d is not None and d >= after:
                return d
        return None
    limit = published.high if mode == "past" else published.low - dt.timedelta(days=1)
    return _latest_year_not_after(month, day, limit)


_MD_WORDS = {
    "past": "the most recent {what} on or before", "future": "the first {what} on or after (future tense)",
    "next": "the first {what} after", "last": "the most recent {what} before", "week": "{what} of the year of",
    "nearest": "the {what} nearest (present tense)", "until": "the first {what} on or after ('until')",
}


def _relative_year(offset: int, published: Published) -> str:
    """ "the year before it was published (2016)": the year a phrase like "last year" names, in words."""
    year = published.high.year + offset
    if offset == 0:
        return f"the year it was published ({year})"
    n = abs(offset)
    side = "before" if offset < 0 else "after"
    return f"{'the year' if n == 1 else f'{n} years'} {side} it was published ({year})"


def _day_of(d: dt.date) -> Published:
    return Published(d.isoformat(), d, d, "day")


def _over_publication(published: Published,
                      fn: Callable[[Published], tuple[dt.date, dt.date] | None]) -> list[tuple[dt.date, dt.date]]:
    """The readings of a date resolved against the publication date: one for a day, and for a month or
    a year the readings on its first and last day (every resolver here is monotone in the day, so the
    days between give one of these or a date between them)."""
    if published.is_day:
        anchors = [published]
    else:
        anchors = [_day_of(published.low), _day_of(published.high)]
    out: list[tuple[dt.date, dt.date]] = []
    for a in anchors:
        r = fn(a)
        if r is not None and r not in out:
            out.append(r)
    return out


def _show(r: tuple[dt.date, dt.date]) -> str:
    """A reading as ISO: a day, a whole month ("2016-12") or an interval of days."""
    if r[0] == r[1]:
        return r[0].isoformat()
    if r == _month_interval(r[0].year, r[0].month):
        return r[0].isoformat()[:7]
    return f"{r[0].isoformat()}/{r[1].isoformat()}"


def _inferred(value: str, granularity: str, readings: list[tuple[dt.date, dt.date]], rule: str,
              published: Published, prefix: str = "year inferred: ", between: bool = False) -> _Found | None:
    """A date written without its year (or month): one reading, or, when the publication date is only a
    month or a year, the hull of the readings on its first and last day (qualifier range, the readings
    in extra), so a check says "possibly" where the unknown day decides. between: the days of the
    publication between its first and last may give readings between these two, so none are listed."""
    if not readings:
        return None
    if published.is_day:
        return _Found(0, 0, value, granularity, readings[0][0], readings[0][1],
                      f"{prefix}{rule} {published.text}, the day it was published")
    low, high = min(r[0] for r in readings), max(r[1] for r in readings)
    if len(readings) == 1:
        return _Found(0, 0, value, granularity, low, high,
                      f"{prefix}{rule} any day of {published.text}, when it was published")
    if between:
        return _Found(0, 0, value, granularity, low, high,
                      f"{prefix}{rule} the day it was published: from {_show(readings[0])} to {_show(readings[-1])}, "
                      f"depending on the day of {published.text}", "range")
    return _Found(0, 0, value, granularity, low, high,
                  f"{prefix}{rule} the day it was published: {' or '.join(_show(r) for r in readings)}, "
                  f"depending on the day of {published.text}", "range", {"readings": [_show(r) for r in readings]})


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def _month_day_name(month: int, day: int) -> str:
    return f"{calendar.month_name[month]} {day}" if day else calendar.month_name[month]


def _copy(found: _Found) -> _Found:
    """A shallow copy: a third of copy.copy (its reduce protocol), a tenth of dataclasses.replace."""
    copy = object.__new__(_Found)
    copy.__dict__.update(found.__dict__)
    return copy


def _partial_day(month: int, day: int, published: Published | None, value: str,
                 mode: str = "past") -> _Found | None:
    """A day and month without a year, placed by ``mode`` against the publication date. A text of many
    dates repeats a few (month, day) pairs: each is placed once, and every caller gets its own copy."""
    found = _placed_day(month, day, published, value, mode)
    if found is None:
        return None
    copy = _copy(found)
    if found.extra:
        copy.extra = dict(found.extra)
    return copy


@functools.lru_cache(maxsize=4096)
def _placed_day(month: int, day: int, published: Published | None, value: str, mode: str) -> _Found | None:
    if _valid_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 stays possible
        return None
    if published is None:
        return _Found(0, 0, value, "day", None, None, "no publication date: year not inferred")

    def at(a: Published) -> tuple[dt.date, dt.date] | None:
        d = _md_date(month, day, a, mode)
        return (d, d) if d else None

    rule = _MD_WORDS.get(mode, _MD_WORDS["past"]).format(what=_month_day_name(month, day))
    return _inferred(value, "day", _over_publication(published, at), rule, published)


def _month_at(month: int, a: Published, future: bool) -> tuple[dt.date, dt.date]:
    """The month without a year that a day-precise publication gives: in the past the latest that has
    begun by then, in the future tense the first that is not over."""
    if future:  # "will open in May": the first such month not over before publication
        low, high = _month_interval(a.low.year, month)
        return _month_interval(a.low.year + 1, month) if high < a.low else (low, high)
    low, high = _month_interval(a.high.year, month)
    return _month_interval(a.high.year - 1, month) if low > a.high else (low, high)


def _nearest_month(month: int, a: Published) -> tuple[dt.date, dt.date]:
    """The month without a year nearer publication, the one begun by then or the first not over."""
    past, ahead = _month_at(month, a, False), _month_at(month, a, True)
    return past if (a.low - past[1]).days <= (ahead[0] - a.high).days else ahead


def _partial_month(month: int, published: Published | None, value: str, future: bool = False,
                   nearest: bool = False) -> _Found:
    if published is None:
        return _Found(0, 0, value, "month", None, None, "no publication date: year not inferred")
    if nearest and not future:
        readings = _over_publication(published, lambda a: _nearest_month(month, a))
    else:
        readings = _over_publication(published, lambda a: _month_at(month, a, future))
    rule = _MD_WORDS["future" if future else "nearest" if nearest else "past"].format(what=_month_day_name(month, 0))
    found = _inferred(value, "month", readings, rule, published)
    assert found is not None
    return found


def _apply_part(found: _Found, part: str | None, p: _Patterns) -> _Found:
    """ "early March" keeps the month's granularity but narrows the interval; qualifier approx."""
    if not part or found.low is None or found.high is None:
        if part:
            found.qualifier = "approx"
        return found
    first, last = p.month_parts.get(_norm(part), [1, 31])
    low = found.low.replace(day=min(int(first), found.high.day))
    high = found.low.replace(day=min(int(last), found.high.day))
    found.low, found.high, found.qualifier = low, high, "approx"
    found.value = f"{found.value} ({_norm(part)})"
    return found


def _invalid(start: int, end: int) -> _Found:
    return _Found(start, end, "", "day", None, None, invalid=True)


def _year_ok(y: int) -> bool:
    return 1900 <= y <= 2099


def _two_digit_year(yy: int, published: Published | None) -> int:
    """ "12/12/30": the year ending in yy that is at most ten years after publication (1930 for a
    text of 2016); without a publication date, 00-49 are 2000-2049."""
    if published is None:
        return 2000 + yy if yy < 50 else 1900 + yy
    top = published.high.year + 10
    return top - (top - yy) % 100


def _holiday_date(spec: dict, year: int) -> dt.date | None:
    """A holiday in a year: fixed (month, day), Easter-based (days from Easter Sunday) or the nth
    weekday of a month (nth -1 = the last), plus an optional offset in days."""
    from dateutil.easter import easter

    off = dt.timedelta(days=int(spec.get("offset", 0)))
    if "easter" in spec:
        return easter(year) + dt.timedelta(days=int(spec["easter"])) + off
    month = int(spec["month"])
    if "weekday" in spec:
        wd, nth = int(spec["weekday"]), int(spec.get("nth", 1))
        if nth > 0:
            d = dt.date(year, month, 1) + relativedelta(weekday=rd_weekday(wd)(+nth))
        else:
            d = _month_end(dt.date(year, month, 1)) + relativedelta(weekday=rd_weekday(wd)(nth))
        return d + off if d.month == month else None
    d = _valid_date(year, month, int(spec["day"]))
    return d + off if d else None


def _holiday_by_mode(spec: dict, published: Published, mode: str) -> dt.date | None:
    mode = {"last_week": "last", "next_week": "next"}.get(mode, mode)
    years = range(published.low.year - 2, published.high.year + 3)
    days = [d for d in (_holiday_date(spec, y) for y in years) if d is not None]
    if mode == "week":
        days = [d for d in days if d.year == published.high.year]
        return days[0] if days else None
    pick = {
        "past": (max, lambda d: d <= published.high), "last": (max, lambda d: d < published.low),
        "future": (min, lambda d: d >= published.low), "next": (min, lambda d: d > published.high),
    }
    fn, keep = pick.get(mode, pick["past"])
    days = [d for d in days if keep(d)]
    return fn(days) if days else None


def _space_before(text: str, pos: int) -> bool:
    """Whether a space ends the text before pos. The word patterns read backwards from a date (cue_re,
    approx_re, open_before_re, offset_re...) all end in a space run before ``$``, so without one they
    cannot match and are not searched."""
    return pos > 0 and text[pos - 1].isspace()


def _ends_clause(text: str, end: int) -> bool:
    return re.match(r"[\s\u00a0]*(?:[,.;:!?)]|$)", text[end:]) is not None


def _last_weekday(start: int, end: int, value: str, wd: int, published: Published) -> _Found:
    """ "last Friday" has two readings in news use: the most recent Friday strictly before publication,
    or the Friday of the week (Monday-Sunday) before the publication's week. The claim covers both
    (qualifier range, ``extra["readings"]``) unless they are the same day."""
    readings = []
    for mode in ("last", "last_week"):
        low, high = _resolve(published, lambda a, mode=mode: (_weekday_day(a, wd, mode),) * 2)
        readings.append((low, high))
    low, high = min(r[0] for r in readings), max(r[1] for r in readings)
    name = WEEKDAY_NAMES[wd]
    when = (f"{published.text} (the day it was published)" if published.is_day
            else f"the day it was published (any day of {published.text})")
    if readings[0] == readings[1]:
        basis = f"the most recent {name} before {when}, also the {name} of the week before"
        return _Found(start, end, value, "day", low, high, basis, tag="weekday", weekday=wd, mode="last")
    basis = (f"two readings: the most recent {name} before {when}, {_show(readings[0])}, "
             f"or the {name} of the week before, {_show(readings[1])}")
    return _Found(start, end, value, "day", low, high, basis, "range", {"readings": [_show(r) for r in readings]},
                  tag="weekday", weekday=wd, mode="last")


def _weekday_and_day(wd: int, day: int, limit: dt.date, forward_from: dt.date | None = None) -> dt.date | None:
    """ "Sunday the 31st": the latest such date on or before limit (within three years); in the
    future tense the earliest on or after forward_from."""
    if forward_from is not None:
        year, month = forward_from.year, forward_from.month
        for _ in range(40):
            d = _valid_date(year, month, day)
            if d is not None and d >= forward_from and d.weekday() == wd:
                return d
            year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        return None
    year, month = limit.year, limit.month
    for _ in range(40):
        d = _valid_date(year, month, day)
        if d is not None and d <= limit and d.weekday() == wd:
            return d
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _nth_week(low: dt.date, high: dt.date, n: int) -> dt.date:
    """Monday of the nth (or, n = -1, the last) Monday-Sunday week of a period; as in ISO 8601, a week
    belongs to the period that holds at least four of its days."""
    if n > 0:
        monday = low - dt.timedelta(days=low.weekday())
        if (monday + dt.timedelta(days=3)) < low:
            monday += dt.timedelta(days=7)
        return monday + dt.timedelta(days=7 * (n - 1))
    monday = high - dt.timedelta(days=high.weekday())
    if (monday + dt.timedelta(days=3)) > high:
        monday -= dt.timedelta(days=7)
    return monday


def _year_of(g: dict, p: _Patterns, published: Published | None) -> int | None:
    """The year written after a day and month: digits, words ("nineteen eighty six") or two digits."""
    if g.get("y"):
        return int(g["y"])
    if g.get("yw"):
        return _parse_year_words(g["yw"], p)
    if g.get("y2d"):
        return _two_digit_year(int(g["y2d"]), published)
    return None


def _partial_day_with_weekday(found: _Found, month: int, day: int, wd: int | None,
                              published: Published | None) -> _Found:
    """ "Tue May 9": prefer the latest year, not after publication, in which that day is that weekday;
    of two readings (a vague publication date), the one on that weekday."""
    readings = (found.extra or {}).get("readings") or []
    if wd is not None and len(readings) > 1:
        fits = [d for d in (dt.date.fromisoformat(r) for r in readings if len(r) == 10) if d.weekday() == wd]
        if len(fits) == 1:
            found.low = found.high = fits[0]
            found.qualifier, found.extra = "exact", {}
            found.basis = f"year inferred: of the readings {' and '.join(readings)}, the one on a {WEEKDAY_NAMES[wd]}"
        return found
    if wd is None or published is None or found.low is None or found.low.weekday() == wd:
        return found
    # the year before, or the coming one ("Rain is forecast for Saturday, February 11" on Thursday 9
    # February 2023 is two days ahead), whichever is nearer publication; a mismatch further off is a slip
    limit = published.high + dt.timedelta(days=366)
    fits = [d for d in (_valid_date(y, month, day) for y in (found.low.year - 1, found.low.year + 1))
            if d is not None and d <= limit and d.weekday() == wd]
    if fits:
        d = min(fits, key=lambda d: abs((d - published.high).days))
        found.low = found.high = d
        found.basis = f"year inferred from published {published.text} and the weekday"
    return found


# a word right after a spelled ordinal: it counts that noun ("the first success"); "of" and
# punctuation leave it a day ("Sunday the first of July", "Sunday, the first.")
_NOUN_AFTER = re.compile(r"[ \t\u00a0]+(?!of\b|av\b)[^\W\d_]")


def _year_context_ok(strong: bool, text: str, end: int, p: _Patterns) -> bool:
    """A year after a preposition is a year unless a unit or counted noun follows it ("2015
    militants", "2015 km"); after a weak word (not strong: "of", "from" in dates.yml
    weak_date_prepositions) any lowercase word that is no stop word disqualifies it."""
    m = p.follower_re.match(text, end)
    if not m:
        return True
    if m.group("sym"):
        return False
    word = m.group("word").rstrip(".").lower()
    if word in p.unitish:
        return False
    if not strong and m.group("word")[0].islower() and word not in p.stopwords:
        return False
    return True


class _LazyPattern:
    """A pattern compiled on first use: a cold start pays only for the patterns its text needs."""

    __slots__ = ("source", "_compiled")

    def __init__(self, source: str) -> None:
        self.source = source
        self._compiled: re.Pattern | None = None

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if self._compiled is None:
            self._compiled = re.compile(self.source, re.IGNORECASE)
        if endpos is None:
            return self._compiled.finditer(text, pos)
        return self._compiled.finditer(text, pos, endpos)
