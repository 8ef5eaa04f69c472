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
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as rd_weekday

from ..claims import Claim
from ..language import Language, alternation, load_language
from . import anaphora, periods
from .spans import Spans

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


def _norm(s: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", s.strip().lower())


def _babel_full_names(code: str) -> tuple[set[str], set[str]]:
    """Wide (unabbreviated) month and weekday names; abbreviations only count inside full dates. From
    the language (CLDR's, cached with its data files), so extraction need not import Babel."""
    lang = load_language(code)
    return set(lang.wide_months), set(lang.wide_weekdays)


@functools.cache  # keyed on the language code
def _patterns(code: str) -> _Patterns:
    lang = load_language(code)
    wide_months, wide_days = _babel_full_names(code)
    full_months = wide_months | {str(k).lower() for k in (lang.get("extra_month_names") or {})}
    full_weekdays = wide_days | {str(k).lower() for k in (lang.get("extra_weekday_names") or {})}

    month_any = _alt(lang.months)
    month_full = _alt(full_months)
    weekday_full = _alt(full_weekdays)
    weekday_prefix = _alt(lang.weekdays) if lang.get("abbreviated_weekday_prefix") else weekday_full
    day_suffix = _alt(lang.words("day_suffixes"))
    day_words = {str(k).lower(): int(v) for k, v in (lang.get("day_words") or {}).items()}
    basic_day_words_re = alternation(day_words, dash_or_space=True) if day_words else r"(?!x)x"
    numbers = {
        _norm(k): int(v)
        for k, v in (lang.get("number_words") or {}).items()
        if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and 0 < v < 100
    }
    cardinal_days = _cardinal_days(numbers) if lang.get("spelled_out_dates") else {}
    day_words.update({k: v for k, v in cardinal_days.items() if k not in day_words})
    day_words_re = alternation(day_words, dash_or_space=True) if day_words else r"(?!x)x"
    year_words = _year_words_re(numbers, lang) if lang.get("spelled_out_dates") else r"(?!x)x"
    day_month_link = _alt(lang.words("day_month_links"))
    month_year_link = _alt(lang.words("month_year_links"))
    year_suffix = _alt(lang.words("year_suffixes"))
    month_parts = {_norm(k): v for k, v in (lang.get("month_parts") or {}).items()}
    month_part_re = _alt(month_parts)
    myrel = {_norm(k): int(v) for k, v in (lang.get("month_year_relative") or {}).items()}
    preps = [_norm(w) for w in lang.words("date_prepositions")]
    weak = [_norm(w) for w in lang.words("weak_date_prepositions")]
    openers = {_norm(k): [_norm(x) for x in v] for k, v in (lang.get("year_range_openers") or {}).items()}
    joiners = lang.words("year_range_joiners") or ["-"]
    rel_days = {_norm(k): int(v) for k, v in (lang.get("relative_days") or {}).items()}
    rel_periods = {_norm(k): v for k, v in (lang.get("relative_periods") or {}).items()}
    wd_mods = {_norm(k): str(v) for k, v in (lang.get("weekday_modifiers") or {}).items()}
    wd_weeks = {_norm(k): str(v) for k, v in (lang.get("weekday_week_words") or {}).items()}
    wd_week_pre = {_norm(k): str(v) for k, v in (lang.get("weekday_week_prefixes") or {}).items()}
    day_parts = [_norm(w) for w in lang.words("day_parts")]
    period_units: dict[str, str] = {}
    unit_mult: dict[str, int] = {}
    for k, v in (lang.get("period_units") or {}).items():  # "fortnight: 2 week"
        n, _, unit = str(v).rpartition(" ")
        period_units[_norm(k)] = unit
        unit_mult[_norm(k)] = int(n) if n else 1
    count_words = {
        _norm(k): int(v)
        for k, v in (lang.get("number_words") or {}).items()
        if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
    }
    count_words.update({_norm(k): int(v) for k, v in (lang.get("ago_count_words") or {}).items()})
    ago_before = [_norm(w) for w in lang.words("ago_before")]
    ago_after = [_norm(w) for w in lang.words("ago_after")]

    ws, ows = _WS + "+", _WS + "*"
    # "their January sales": a determiner dates the noun after a capitalised month name, as it does after a year
    dets = _alt(w for w in lang.words("year_determiners") if w not in lang.words("last_words"))
    arts = _alt(lang.words("articles"))  # "the" in English, none in nb/ru
    art = rf"(?:(?:{arts}){ws})?"
    mods = _alt(wd_mods)
    holidays = {_norm(k): v for k, v in (lang.get("holidays") or {}).items()}
    range_joiners = _alt(lang.words("year_range_joiners") + [j for v in openers.values() for j in v])
    month_rel_periods = [k for k, v in rel_periods.items() if v.get("unit") == "month" and not v.get("until_published")]
    anchors = {_norm(k): int(v) for k, v in (lang.get("offset_anchors") or {}).items()}
    in_words = [_norm(w) for w in lang.words("in_offset_words")]
    abbr_ok = [w for w in lang.words("standalone_weekday_abbreviations") if w in lang.weekdays]
    day_num = rf"(?P<d>[0-3]?\d)(?:{day_suffix})?(?!\d|[,.]\d)"
    day_any = rf"(?:{day_num}|{art}(?P<dw>{basic_day_words_re}))"
    year_tail = (
        rf"(?:{ows},{ows}|{ws}|{ows}[-/]{ows})(?:(?:{month_year_link}){ws})?"
        rf"(?P<y>\d{{4}}){_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?"
        rf"|(?:{ws}(?:{month_year_link}){ws}|{ows}['’])(?P<y2d>\d{{2}})(?![\w%]|[.,]\d)"
    )
    # spelled-out days and years ("May twenty nine", "nineteen eighty six") in patterns of their own,
    # tried only when the text has a number word: the long word alternations are slow everywhere else
    spelled_day_any = rf"(?:{day_num}|{art}(?P<dw>{day_words_re}))"
    spelled_year_tail = year_tail + rf"|{ws}(?:(?:{month_year_link}){ws})?(?P<yw>{year_words})(?={ows}(?:[,.;:!?)]|$))"
    lb = r"(?<![\w])"
    regexes: list[tuple[str, str]] = [
        (
            "iso",
            r"(?<![\d.,/])(?P<y>\d{4})(?P<s>[-/.])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?!\d|[/.]\d)",
        ),
        (
            "numeric",
            r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>[./-])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?![\w/]|[.\-,]\d)",
        ),
        (  # "12/12/30": a two-digit year, only with slashes ("1.2.10" is a version)
            "numeric",
            r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>/)(?P<b>\d{1,2})/(?P<y2d>\d{2})(?![\w/%]|[.\-,]\d)",
        ),
        (  # "22/04", "on 5.12": no year; the context is checked in _handle
            "numeric_md",
            r"(?<![\w.\-/,])(?P<a>\d{1,2})(?P<s>[/.])(?P<b>\d{1,2})(?![\w/%]|[.,\-/]\d)",
        ),
        (  # "20161016"
            "compact",
            r"(?<![\d.,$€£¥+])(?P<y>(?:19|20)\d\d)(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?![\d%]|[.,]\d)",
        ),
        (  # "On 2016 10 16, the": only before punctuation ("in 2016 10 people died")
            "spaced_iso",
            rf"(?<![\d.,])(?P<y>(?:19|20)\d\d){_WS}(?P<m>0[1-9]|1[0-2]){_WS}(?P<d>0[1-9]|[12]\d|3[01])"
            rf"(?={ows}(?:[,.;:!?)]|$))",
        ),
        (  # "2020/Sep/23", "September-2020-23": a month name, a year and a day in any order
            "mixed",
            r"(?<![\w/.\-])(?P<p1>\d{1,4}|[^\W\d_]{3,9})(?P<s>[/\-])(?P<p2>\d{1,4}|[^\W\d_]{3,9})(?P=s)"
            r"(?P<p3>\d{1,4}|[^\W\d_]{3,9})(?![\w/]|[.\-]\d)",
        ),
        (  # "Christmas", "easter 2018", "next easter", "independence day of this year"
            "holiday",
            rf"{lb}(?:(?P<mod>{mods}){ws}{art})?(?P<h>{_alt(holidays)})(?!\w)"
            rf"(?:(?:{ows},)?{ws}(?:(?:{month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END}|{ws}(?P<rel>{_alt(myrel)})(?!\w))?",
        ),
        (  # "the 15th day of next month", "the 21st this month"
            "day_relmonth",
            rf"{lb}{art}(?:(?P<d>[0-3]?\d)(?P<suf>{day_suffix})|(?P<dw>{day_words_re}))(?:{ws}(?:{_alt(lang.words('day_nouns'))}))?"
            rf"(?:{ws}(?:{day_month_link}))?{ws}(?P<rel>{_alt(month_rel_periods)})(?!\w)",
        ),
        (  # "18 and 19 June": the first day takes the month (and year) of the second
            "day_list",
            rf"{lb}(?P<d>[0-3]?\d)(?:{day_suffix})?(?={ows}(?:{_alt(lang.words('day_list_joiners'))}){ows}[0-3]?\d"
            rf"(?:{day_suffix})?{ws}(?:(?:{day_month_link}){ws})?(?P<m>{month_any})(?!\w)\.?(?:{year_tail})?)",
        ),
        (  # "Jan-Feb 2017", "from May to Oct 2020", "between August and October"
            "month_range",
            rf"{lb}(?P<m1>{month_any})(?!\w)\.?{ows}(?P<j>{range_joiners}){ows}"
            rf"(?P<m2>{month_any})(?!\w)\.?(?:,?{ws}(?:(?:{month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END})?",
        ),
        (  # "2014-2018", "2014~2018": two years joined, as a range
            "year_dash",
            rf"(?<![\w.,\-/])(?P<y>\d{{4}}){ows}(?:{_alt(joiners)}){ows}(?P<y2>\d{{4}}){_YEAR_END}",
        ),
        (  # "the 1990s", "the '90s"
            "decade",
            rf"{lb}(?:(?P<y>\d{{3}}0)|['’]?(?P<yy>\d0))['’]?s(?!\w)",
        ),
        (  # "the first week of 2015", "3rd week of Jan", "last week of July"
            "week_of",
            rf"{lb}{art}(?:(?P<nd>\d)(?:{day_suffix})|(?P<nw>{_alt(list(day_words) + lang.words('last_words'))}))"
            rf"{ws}(?:{_alt(lang.words('week_words'))}){ws}(?:{_alt(lang.words('week_of_links'))}){ws}"
            rf"(?:(?P<m>{month_any})(?!\w)\.?(?:,?{ws}(?P<y>\d{{4}}){_YEAR_END})?|(?P<yo>\d{{4}}){_YEAR_END})",
        ),
        (  # "in 2 weeks", "in a fortnight's time": a date only in the future tense or with "time"
            "in_offset",
            rf"{lb}(?:{_alt(in_words)}){ws}(?P<n>\d{{1,3}}|{_alt(count_words)}){ws}(?P<u>{_alt(period_units)})"
            rf"(?P<time>['’]?s?{ws}time)?(?!\w)",
        ),
        (  # "now" in "two weeks from now": only an anchor for an offset
            "anchor",
            rf"{lb}(?P<a>{_alt(anchors)})(?!\w)",
        ),
        (
            "dmy",
            rf"{lb}(?<![$€£¥])(?<![$€£¥]\s){day_any}(?:{ows}[-/]?{ows})"
            rf"(?:(?:{day_month_link}){ws})?(?P<m>{month_any})(?!\w)\.?"
            rf"(?:{year_tail}|{ws}(?P<rel>{_alt(myrel)})(?!\w))?",  # "14. februar i fjor" keeps its day
        ),
        (
            "mdy",
            rf"{lb}(?P<m>{month_any})(?![^\W\d_])\.?(?:{ows}[,/-]?{ows})"
            rf"{day_any}(?!\w)(?:{year_tail})?",
        ),
        (
            "dmy_spelled",
            rf"{lb}{spelled_day_any}(?:{ows}[-/]?{ows})"
            rf"(?:(?:{day_month_link}){ws})?(?P<m>{month_any})(?!\w)\.?(?:{spelled_year_tail})?",
        ),
        (
            "mdy_spelled",
            rf"{lb}(?P<m>{month_any})(?![^\W\d_])\.?(?:{ows}[,/-]?{ows})"
            rf"{spelled_day_any}(?!\w)(?:{spelled_year_tail})?",
        ),
        (
            "month_year",
            rf"{lb}(?:(?P<part>{month_part_re}){ows}-?{ows})?(?P<m>{month_any})(?!\w)\.?,?{ws}"
            rf"(?:(?:{month_year_link}){ws})?(?P<y>\d{{4}}){_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?",
        ),
        (
            "month_rel",
            rf"{lb}(?:(?P<part>{month_part_re}){ows}-?{ows})?(?P<m>{month_full}){ws}(?P<rel>{_alt(myrel)})(?!\w)",
        ),
        (
            "month_only",
            rf"(?:{lb}(?P<part>{month_part_re}){ows}-?{ows}|{lb}(?:{_alt(preps)}){ws}{art}|{lb}(?P<det>{dets}){ws})"
            rf"(?P<m>{month_full})(?!\w)",
        ),
        (
            "year_range",
            rf"{lb}(?P<open>{_alt(openers)}){ws}(?P<y>\d{{4}})(?:{ows}(?:{year_suffix}))?{ws}"
            rf"(?P<join>{_alt(j for v in openers.values() for j in v)}){ws}(?P<y2>\d{{4}})"
            rf"{_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?",
        ),
        (
            "year_paren",
            rf"\((?P<y>\d{{4}}){ows}(?:{_alt(joiners)}){ows}(?P<y2>\d{{4}})\)",
        ),
        (
            "year",
            rf"{lb}(?P<prep>{_alt(preps + weak)}){ws}{art}(?P<y>\d{{4}})"
            rf"(?:{ows}(?:{_alt(joiners)}){ows}(?P<y2>\d{{4}}))?{_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?",
        ),
        (
            "year_suffixed",
            rf"{lb}(?P<y>\d{{4}}){ows}(?P<ys>{year_suffix})(?!\w)",
        ),
        (  # "since '82", "in '98": two digits after an apostrophe, only after a (strong) date preposition
            "year_2d",
            rf"{lb}(?:{_alt(preps)}){ws}(?P<y2d>['’]\d{{2}})(?![\w%'’]|[.,]\d)",
        ),
        (
            "weekday",
            rf"{lb}(?:(?P<weekpre>{_alt(wd_week_pre)})(?:{ows}-{ows}|{ws}(?:{_alt(lang.words('weekday_date_links'))}){ws}|{ws}))?"
            rf"(?:(?P<mod>{_alt(wd_mods)}){ws})?(?:(?P<prepart>{_alt(lang.words('day_parts_before'))}){ws})?"
            rf"(?P<w>{weekday_full}|{_alt(abbr_ok)})(?!\w)"
            rf"(?:{ws}(?P<week>{_alt(wd_weeks)})(?!\w))?(?:{ws}(?P<part>{_alt(day_parts)})(?!\w))?",
        ),
        (
            "weekday_prefix",
            rf"{lb}(?:(?P<mod>{_alt(wd_mods)}){ws})?(?P<w>{weekday_prefix})(?!\w)\.?",
        ),
        (  # "Sunday the 31st", "Friday, 2": only ordinal day words follow a weekday ("Tuesday, two
            # jets" is a weekday and a count)
            "weekday_day",
            rf"{lb}(?:(?P<mod>{_alt(wd_mods)}){ws})?(?P<w>{weekday_prefix})(?!\w)\.?,?{ws}(?:(?P<the>{arts}){ws})?"
            rf"(?:(?P<d>[0-3]?\d)(?P<suf>{day_suffix})?(?!\d|[,.]\d)|(?P<dw>{basic_day_words_re}))(?!\w)"
            rf"(?P<fin>{ows}(?:[.!?,;:)]|$))?",
        ),
        (
            "day_only",
            rf"{lb}(?:{_alt(lang.words('day_only_prepositions'))}){ws}(?:{arts}){ws}(?P<d>[0-3]?\d)(?:{day_suffix})(?!\w)"
            rf"(?!{ws}(?:{day_month_link}|[^\W\d_]))",
        ),
        (
            "relative",
            rf"{lb}(?P<phrase>{_alt(list(rel_days) + list(rel_periods))})(?!\w)"
            rf"(?:{ws}(?P<part>{_alt(day_parts)})(?!\w))?",
        ),
        (
            "ago",
            rf"{lb}(?:(?P<before>{_alt(ago_before)}){ws})?(?:(?P<n>\d{{1,3}}|{_alt(count_words)}){ws})?"
            rf"(?P<u>{_alt(period_units)}){ws}(?P<after>{_alt(ago_after)})(?!\w)",
        ),
    ]
    offsets = {_norm(k): int(v) for k, v in (lang.get("offset_words") or {}).items()}
    offsets.update({_norm(k): 0 for k in lang.words("offset_from_start_words")})
    regexes.append((
        "offset",
        rf"{lb}(?P<n>\d{{1,3}}|{_alt(count_words)}){ws}(?P<u>{_alt(period_units)}){ws}(?P<dir>{_alt(offsets)}){ws}"
        rf"(?:(?:{_alt(lang.words('offset_fillers'))}){ws})?$",
    ))
    if not year_suffix or year_suffix == r"(?!x)x":
        regexes = [r for r in regexes if r[0] != "year_suffixed"]
    compiled = [(name, _LazyPattern(rx)) for name, rx in regexes if name != "offset"]
    # needs: a piece of the pattern that every match contains (the digits of "2016-03-27", the "-"
    # joining two years), so a text that lacks it cannot match and the pattern is not run. Each is a
    # run of the pattern's own items, searched with its flags, so it is found wherever a match is; most
    # start with a digit, which the engine skips to directly (the patterns start with a look-behind)
    month_full_rel = rf"(?:{month_full}){ws}(?:{_alt(myrel)})(?!\w)"
    year, sep = r"\d{4}", r"\d[/.]\d"  # searched first for the needs that hold them
    need_src: dict[str, tuple[str, str | None]] = {  # name -> (need, the shorter need it holds)
        "iso": (r"\d{4}[-/.]\d", year),
        "numeric": (r"\d[./-]\d\d?[./-]\d{4}", year),  # "5/12/2016"
        "numeric2": (r"\d/\d\d?/\d\d", sep),  # "12/12/30"
        "compact": (r"\d{8}", year),
        "spaced_iso": (rf"\d{{4}}{_WS}\d\d{_WS}\d\d", year),
        "year_dash": (rf"\d{{4}}{ows}(?:{_alt(joiners)}){ows}\d{{4}}", year),
        "decade": (r"\d0['’]?s", None),
        "year_range": (year, None), "year": (year, None), "month_year": (year, None),
        "year_paren": (r"\(\d{4}", year),
        "year_suffixed": (rf"\d{{4}}{ows}(?:{year_suffix})", year),
        "numeric_md": (sep, None),
        "day_list": (rf"\d(?:{day_suffix})?{ows}(?:{_alt(lang.words('day_list_joiners'))}){ows}\d", None),
        "day_only": (rf"\d(?:{day_suffix})", None),
        "month_rel": (month_full_rel, None),
    }
    need_rx: dict[str, re.Pattern] = {}

    def need(src: str | None) -> re.Pattern | None:
        return None if src is None else need_rx.setdefault(src, re.compile(src, re.IGNORECASE))

    steps: list[tuple[str, _LazyPattern, str, re.Pattern | None, re.Pattern | None]] = []
    for name, rx in compiled:
        key = "numeric2" if name == "numeric" and r"(?P<y>\d{4})" not in rx.source else name
        src, parent = need_src.get(key, (None, None))
        steps.append((name, rx, _GATES[name], need(src), need(parent)))
    # cheap gates: most sentences have no month, weekday or "ago" word, so skip the patterns that need one
    # cheap gates: the words a pattern cannot match without (its first word, or for "the 15th day of
    # next month" its last), looked up in the set of the text's words, computed once per text
    def firsts(phrases, last: bool = False) -> frozenset[str]:
        out = set()
        for ph in phrases:
            toks = _TOKEN.findall(str(ph).lower())
            if toks:
                out.add(toks[-1] if last else toks[0])
        return frozenset(out)

    months_w = firsts(lang.months)
    gates: dict[str, frozenset[str] | re.Pattern | None] = {
        "digit": None,  # a digit anywhere
        "month": months_w,
        "weekday": firsts(lang.weekdays),
        "ago": firsts(ago_after),
        "holiday": firsts(holidays),
        "in": firsts(in_words),
        "anchor": firsts(anchors),
        "relative": firsts(list(rel_days) + list(rel_periods), last=True),
        "relmonth": firsts(month_rel_periods, last=True),
        "week": firsts(lang.words("week_words")),
        "future": firsts(lang.words("future_markers")),
        "present": firsts(lang.words("present_markers")),
        "spelled": frozenset(w for w in firsts(list(numbers) + list(day_words)) if w not in ("a", "an")),
        "mixed": re.compile(r"[^\W\d_]{3}[/\-]\d|\d[/\-][^\W\d_]{3}"),  # a word and a number joined
    }
    offset_re = re.compile(dict(regexes)["offset"], re.IGNORECASE)
    word_gates: dict[str, tuple[str, ...]] = {}
    for gate, needed in gates.items():
        if isinstance(needed, frozenset):
            for w in needed:
                word_gates[w] = word_gates.get(w, ()) + (gate,)
    assert [k for k, v in gates.items() if isinstance(v, re.Pattern)] == ["mixed"], "find_dates reads one regex gate"

    cues = [_norm(w) for w in lang.words("date_cues")]
    approx = [_norm(w) for w in lang.words("approx_words")]
    unitish: set[str] = set()
    for key in ("units", "durations", "currencies", "scale_words"):
        unitish.update(_norm(k) for k in (lang.get(key) or {}))
    unitish.update(_norm(w) for w in lang.words("percent_words"))
    unitish.update(period_units)
    return _Patterns(
        lang=lang,
        regexes=compiled,
        steps=steps,
        full_months=full_months,
        full_weekdays=full_weekdays,
        ambiguous={w.lower() for w in lang.words("ambiguous_names")},
        day_words=day_words,
        month_parts=month_parts,
        month_year_relative=myrel,
        relative_days=rel_days,
        relative_periods=rel_periods,
        weekday_modifiers=wd_mods,
        weekday_week_words=wd_weeks,
        weekday_week_prefixes=wd_week_pre,
        period_units=period_units,
        count_words=count_words,
        ago_single_units={_norm(w) for w in lang.words("ago_single_units")},
        ago_before=bool(ago_before),
        numeric_orders=[str(o) for o in (lang.get("numeric_date_orders") or ["dmy"])],
        strong_preps=set(preps),
        offset_re=offset_re,
        gates=gates,
        word_gates=word_gates,
        gate_words=frozenset(word_gates),
        plans={},
        merge_words={
            "offset_units": firsts(period_units), "offset_dirs": firsts(offsets),
            "open_before": firsts(lang.words("open_before_words")), "open_after": firsts(lang.words("open_after_words")),
            "cue": firsts(cues), "approx": firsts(approx),
        },
        # every date needs a digit or one of these: a month, weekday, relative, holiday or period word
        all_gate_words=frozenset().union(*(gates[k] or frozenset() for k in ("month", "weekday", "relative", "holiday",
                                                                             "ago")), firsts(period_units),
                                         periods.gate_words(lang, full_months), anaphora.gate_words(lang)),
        offsets=offsets,
        link_re=re.compile(rf"\.?{ows}(?:,{ows}|\({ows}|-{ows}|(?:{_alt(lang.words('weekday_date_links'))}){ws})?",
                           re.IGNORECASE),
        cue_re=re.compile(rf"(?<![\w])(?P<w>{_alt(cues)}){ws}{art}$", re.IGNORECASE),
        approx_re=re.compile(rf"(?<![\w])(?P<w>{_alt(approx)}){ws}(?:(?:{_alt(preps)}){ws})?$", re.IGNORECASE),
        follower_re=re.compile(rf"{ows}(?P<sym>%)|{ws}(?P<word>[^\W\d_][\w.\-]*)"),
        unitish=unitish,
        partitive={_norm(w) for w in lang.words("partitive_words")},
        stopwords={_norm(w) for w in lang.words("stopwords")},
        unit_mult=unit_mult,
        cardinal_days=set(cardinal_days) - set(lang.get("day_words") or {}),
        numbers=numbers,
        holidays=holidays,
        anchors=anchors,
        future_re=_markers_re(lang.words("future_markers")),
        past_re=_markers_re(lang.words("past_markers")),
        present_re=_markers_re(lang.words("present_markers"), 0),  # lower case: "IS" is the Islamic State
        past_suffix_re=_suffix_re(lang.words("past_suffixes")),
        until_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('future_pointing_words'))}){ws}{art}$", re.IGNORECASE),
        since_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('past_pointing_words'))}){ws}{art}$", re.IGNORECASE),
        # no article between: "following the September 11th attacks" is "after", no modifier
        mod_before_re=re.compile(rf"(?<![\w])(?P<mod>{mods}){ws}$", re.IGNORECASE),
        named_day_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('named_weekday_words'))}){ws}$", re.IGNORECASE),
        md_context_re=re.compile(
            rf"(?:^|[?!:;,(]|(?<![\d\w])\.){ows}$|(?<![\w])(?:{_alt(preps + list(wd_mods) + lang.words('numeric_date_context'))}|{_alt(lang.weekdays)}){ows},?{ws}$",
            re.IGNORECASE),
        not_dates={_norm(w) for w in lang.words("numeric_non_dates")},
        dotted_context_re=re.compile(
            rf"(?<![\w])(?:{_alt(list(wd_mods) + lang.words('day_only_prepositions'))}|{_alt(lang.weekdays)}){ows},?{ws}$",
            re.IGNORECASE),
        range_join_re=re.compile(rf"{ows}(?P<j>{range_joiners}){ows}", re.IGNORECASE),
        range_open_re=re.compile(rf"(?<![\w])(?P<o>{_alt(openers)}){ws}{art}$", re.IGNORECASE),
        openers=openers,
        open_before_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('open_before_words'))}){ws}{art}$", re.IGNORECASE),
        open_after_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('open_after_words'))}){ws}{art}$", re.IGNORECASE),
        hours_before_re=re.compile(rf"\d[\d.,]*{ws}(?:{_alt(lang.words('hour_units'))}){ws}$", re.IGNORECASE)
        if lang.words("hour_units") else None,
        # "2018 or later." ends its phrase; "on 1/1/2016 and after my work is done" is a clause
        open_from_re=re.compile(rf"{ows},?{ws}(?:{_alt(lang.words('open_from_suffixes'))})(?={ows}(?:[,.;:!?)]|$))",
                                re.IGNORECASE),
        open_until_re=re.compile(rf"{ows},?{ws}(?:{_alt(lang.words('open_until_suffixes'))})(?={ows}(?:[,.;:!?)]|$))",
                                 re.IGNORECASE),
        week_of_re=re.compile(rf"(?<![\w]){art}(?:{_alt(lang.words('week_words'))}){ws}"
                              rf"(?:{_alt(lang.words('week_of_links'))}){ws}{art}$", re.IGNORECASE),
    )


def _markers_re(words: list[str], flags: int = re.IGNORECASE) -> re.Pattern:
    """Whole words; a marker that starts with an apostrophe ("'ll") attaches to the word before it."""
    clitics = [w for w in words if w[:1] in "'’"]
    plain = [w for w in words if w not in clitics]
    return re.compile(rf"(?<![\w'’])(?:{_alt(plain)})(?!\w)|(?<=\w)(?:{_alt(clitics)})(?!\w)", flags)


def _suffix_re(suffixes: list[str]) -> re.Pattern:
    """Lower-case words of three letters or more before one of the suffixes ("attacked", not "United")."""
    return re.compile(rf"(?<![\w'’])[^\W\d_A-ZÆØÅА-ЯЁ][^\W\d_]{{2,}}(?:{_alt(suffixes)})(?!\w)")


def _cardinal_days(numbers: dict[str, int]) -> dict[str, int]:
    """ "twenty nine": days written as cardinals, from the number words (1-31)."""
    out = {w: v for w, v in numbers.items() if 1 <= v <= 31 and " " not in w}
    tens = {w: v for w, v in out.items() if v in (20, 30)}
    units = {w: v for w, v in numbers.items() if 1 <= v <= 9 and " " not in w}
    for t, tv in tens.items():
        for u, uv in units.items():
            if tv + uv <= 31:
                out[f"{t}-{u}"] = tv + uv
    return out


def _year_words_re(numbers: dict[str, int], lang: Language) -> str:
    """ "nineteen eighty six", "two thousand and thirty two": number words and the scale words."""
    tokens = _alt([w for w in numbers if " " not in w] + lang.words("year_scale_words"))
    return rf"(?:{tokens})(?:[\s\u00a0-]+(?:{tokens}))+"


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


def _handle(name: str, m: re.Match, p: _Patterns, text: str, published: Published | None,
            future: Callable[[int], bool] = lambda pos: False) -> _Found | None:
    g = m.groupdict()
    lang = p.lang
    start, end = m.start(), m.end()

    if name == "iso":
        d = _valid_date(int(g["y"]), int(g["m"]), int(g["d"]))
        if d is None:
            return _invalid(start, end)
        return _Found(start, end, d.isoformat(), "day", d, d)

    if name in ("compact", "spaced_iso"):
        if name == "compact" and not _year_context_ok(True, text, end, p):
            return None
        d = _valid_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return _Found(start, end, d.isoformat(), "day", d, d) if d else None

    if name == "mixed":
        parts = [g["p1"], g["p2"], g["p3"]]
        months = [lang.months.get(x.lower()) for x in parts]
        years = [int(x) for x in parts if x.isdigit() and len(x) == 4]
        days = [int(x) for x in parts if x.isdigit() and len(x) <= 2]
        if sum(mo is not None for mo in months) != 1 or len(years) != 1 or len(days) != 1:
            return None
        month = next(mo for mo in months if mo is not None)
        d = _valid_date(years[0], month, days[0])
        return _Found(start, end, d.isoformat(), "day", d, d) if d else _invalid(start, end)

    if name == "numeric_md":
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
        found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}",
                             "future" if future(start) else "past")
        if found is None:
            return None
        if len(readings) > 1 and readings[1][1] != (month, day):
            found.extra = {**(found.extra or {}),
                           "other_reading": f"{readings[1][0]} XXXX-{readings[1][1][0]:02d}-{readings[1][1][1]:02d}"}
            found.basis = (found.basis or "") + f"; {order} read first (no year: one order only)"
        found.start, found.end, found.tag, found.md = start, end, "partial_day", (month, day)
        return found

    if name == "holiday":
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
        else:
            mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
            mode = mode or ("future" if future(start) else "past")

            def at(a: Published) -> tuple[dt.date, dt.date] | None:
                day = _holiday_by_mode(spec, a, mode)
                return (day, day) if day else None

            rule = _MD_WORDS.get(mode, _MD_WORDS["past"]).format(what=g["h"])
            found = _inferred(value, "day", _over_publication(published, at), rule, published, prefix="")
            if found is None:
                return None
            found.start, found.end, found.tag = s0, end, "holiday"
            return found
        return _Found(s0, end, value, "day", d, d, how, tag="holiday") if d else None

    if name == "day_relmonth":
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

    if name == "day_list":
        month = lang.months.get(g["m"].lower())
        day = int(g["d"])
        if month is None or not 1 <= day <= 31:
            return None
        s0, e0 = m.start("d"), m.end("d")
        y = _year_of(g, p, published)
        if y is None and g.get("rel") and published is not None \
                and published.low.year == published.high.year:
            y = published.low.year + p.month_year_relative.get(_norm(g["rel"]), 0)
        if y is not None:
            d = _valid_date(y, month, day)
            return _Found(s0, e0, d.isoformat(), "day", d, d) if d else None
        if g["m"].lower() in p.ambiguous and not g["m"][0].isupper():
            return None
        found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}", "future" if future(start) else "past")
        if found is not None:
            found.start, found.end, found.tag, found.md = s0, e0, "partial_day", (month, day)
        return found

    if name == "in_offset":
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

    if name == "month_range":
        m1, m2 = lang.months.get(g["m1"].lower()), lang.months.get(g["m2"].lower())
        if m1 is None or m2 is None or m1 == m2:
            return None
        om = p.range_open_re.search(text, max(0, start - 20), start)
        opener, joiner = (_norm(om.group("o")) if om else ""), _norm(g["j"])
        if joiner not in lang.words("year_range_joiners") and (not opener or joiner not in p.openers.get(opener, [])):
            return None
        for word in (g["m1"], g["m2"]):
            if word.lower() in p.ambiguous and not word[0].isupper():
                return None
        value = _norm(text[start:end])
        if g.get("y"):
            y2 = int(g["y"])
            how = None
        elif published is None:
            return _Found(start, end, value, "month", None, None, "no publication date: year not inferred",
                          qualifier="range")
        else:  # the second month's year, over every reading of it
            last = _partial_month(m2, published, "", future(start))
            assert last.low is not None and last.high is not None
            y1 = last.low.year if m1 < m2 else last.low.year - 1
            return _Found(start, end, value, "month", dt.date(y1, m1, 1), last.high, last.basis, "range")
        y1 = y2 if m1 < m2 else y2 - 1
        return _Found(start, end, value, "month", dt.date(y1, m1, 1), _month_interval(y2, m2)[1], how, "range")

    if name == "decade":
        if g.get("y"):
            y = int(g["y"])
        elif published is not None:
            top = published.high.year
            y = top - (top - int(g["yy"])) % 100  # "the '90s": the latest such decade that has begun
        else:
            y = 1900 + int(g["yy"])
        if not 1000 <= y <= 2190:
            return None
        return _Found(start, end, f"{y}s", "year", dt.date(y, 1, 1), dt.date(y + 9, 12, 31), qualifier="range")

    if name == "week_of":
        if g.get("nd"):
            n = int(g["nd"])
        else:
            word = _norm(g["nw"]).replace(" ", "-")
            n = -1 if word in lang.words("last_words") else p.day_words.get(word, 0)
        if not n or n > 5:
            return None
        if g.get("yo") or g.get("y"):
            y = int(g.get("yo") or g["y"])
            if g.get("m"):
                month = lang.months.get(g["m"].lower())
                if month is None:
                    return None
                low, high = _month_interval(y, month)
            else:
                low, high = dt.date(y, 1, 1), dt.date(y, 12, 31)
        else:
            month = lang.months.get(g["m"].lower())
            if month is None or (g["m"].lower() in p.ambiguous and not g["m"][0].isupper()):
                return None
            found = _partial_month(month, published, "", future(start))
            if found.low is None or found.high is None:
                return _Found(start, end, _norm(m.group(0)), "week", None, None, found.basis, tag="week")
            if found.qualifier == "range":  # two readings of the month: the week in each
                first = _nth_week(found.low, _month_end(found.low), n)
                last = _nth_week(found.high.replace(day=1), found.high, n)
                return _Found(start, end, _norm(m.group(0)), "week", first, last + dt.timedelta(days=6),
                              f"{found.basis}; weeks (Monday-Sunday) belong to the period that holds four of their "
                              "days", "range", tag="week")
            low, high = found.low, found.high
        week = _nth_week(low, high, n)
        return _Found(start, end, _norm(m.group(0)), "week", week, week + dt.timedelta(days=6),
                      "weeks (Monday-Sunday) belong to the period that holds four of their days", tag="week")

    if name == "anchor":
        if published is None:
            return None
        off = p.anchors.get(_norm(g["a"]), 0)
        low, high = _resolve(published, lambda a: (a + dt.timedelta(days=off),) * 2)
        return _Found(start, end, _norm(g["a"]), "day", low, high, _anchor_text(published), tag="anchor",
                      standalone=False)

    if name == "numeric":
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

    if name in ("dmy", "mdy", "dmy_spelled", "mdy_spelled"):
        month_word = g["m"]
        month = lang.months.get(month_word.lower())
        if month is None:
            return None
        day = int(g["d"]) if g.get("d") else p.day_words.get(_norm(g["dw"] or "").replace(" ", "-"))
        if day is None:
            day = p.day_words.get(_norm(g["dw"] or ""))
        if not day or day > 31:
            return None
        y = _year_of(g, p, published)
        if y is None and g.get("rel") and published is not None \
                and published.low.year == published.high.year:
            y = published.low.year + p.month_year_relative.get(_norm(g["rel"]), 0)
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
        if name.startswith("dmy"):  # "27. mars." ends a sentence: the point belongs to the month only if abbreviated
            end = m.end("m")
            if month_word.lower() not in p.full_months and text[end:end + 1] == ".":
                end += 1
        found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}",
                             "future" if future(start) else "past")
        if found is None:
            return None
        found.start, found.end, found.tag, found.md = start, end, "partial_day", (month, day)
        return found

    if name == "weekday_prefix":
        wd = lang.weekdays.get(g["w"].lower())
        if wd is None:
            return None
        mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
        return _Found(start, end, _norm(m.group(0)), "day", None, None, tag="weekday_prefix", weekday=wd,
                      standalone=False, mode=mode)

    if name == "weekday_day":
        wd = lang.weekdays.get(g["w"].lower())
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

    if name == "day_only":
        day = int(g["d"])
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
            found.start, found.end = m.start("d"), end
        return found

    if name == "month_year":
        month = lang.months.get(g["m"].lower())
        y = int(g["y"])
        if month is None or not 1000 <= y <= 2199:
            return None
        low, high = _month_interval(y, month)
        found = _Found(m.start("part") if g.get("part") else m.start("m"), end, f"{y:04d}-{month:02d}",
                       "month", low, high)
        return _apply_part(found, g.get("part"), p)

    if name == "month_rel":
        month = lang.months.get(g["m"].lower())
        offset = p.month_year_relative.get(_norm(g["rel"]))
        if month is None or offset is None:
            return None
        s = m.start("part") if g.get("part") else m.start("m")
        value = f"{_norm(g['m'])} {_norm(g['rel'])}"
        if published is None:
            found = _Found(s, end, value, "month", None, None, "no publication date: not resolved")
        else:
            low = _month_interval(published.low.year + offset, month)[0]
            high = _month_interval(published.high.year + offset, month)[1]
            found = _Found(s, end, value, "month", low, high,
                           f"{calendar.month_name[month]} of {_relative_year(offset, published)}")
        return _apply_part(found, g.get("part"), p)

    if name == "month_only":
        word = g["m"]
        month = lang.months.get(word.lower())
        if month is None or (word.lower() in p.ambiguous and not word[0].isupper()):
            return None
        if g.get("det") and not (word[0].isupper() and _NOUN_AFTER.match(text, end)):
            return None  # after a determiner only "the June storms": a capitalised month before a noun
        s = m.start("part") if g.get("part") else m.start("m")
        found = _partial_month(month, published, f"XXXX-{month:02d}", future(start))
        found.start, found.end = s, end
        if not g.get("part"):
            found.tag, found.md = "partial_month", (month, 0)
        return _apply_part(found, g.get("part"), p)

    if name == "year_2d":
        y = _two_digit_year(int(g["y2d"][1:]), published)
        return _Found(m.start("y2d"), end, f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))

    if name in ("year", "year_range", "year_paren", "year_suffixed", "year_dash"):
        y = int(g["y"])
        y2 = int(g["y2"]) if g.get("y2") else None
        if not _year_ok(y) or (y2 is not None and (not _year_ok(y2) or y2 <= y)):
            return None
        if name == "year_dash" and not _year_context_ok(False, text, end, p):
            return None  # "1900-2000 fighters": a count
        if name == "year_paren":
            start, end = m.start("y"), m.end("y2")
        elif name == "year":
            start = m.start("y")
            if not g.get("ys") and not _year_context_ok(_norm(g["prep"]) in p.strong_preps, text, end, p):
                return None
        elif name == "year_range":
            start = m.start("y")
        if y2 is None:
            return _Found(start, end, f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
        return _Found(start, end, f"{y:04d}/{y2:04d}", "year", dt.date(y, 1, 1), dt.date(y2, 12, 31),
                      qualifier="range")

    if name == "weekday":
        wd = lang.weekdays.get(g["w"].lower())
        ambiguous = g["w"].lower() in p.ambiguous or g["w"].lower() not in p.full_weekdays
        if wd is None or (ambiguous and not g["w"][0].isupper() and not (g.get("mod") or g.get("weekpre")
                                                                          or g.get("prepart"))):
            return None
        if not g.get("mod") and _space_before(text, start) and p.named_day_re.search(text, max(0, start - 20), start):
            return None  # "Black Monday", "Super Tuesday": the name of a day, not the last Monday
        mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
        if g.get("week"):
            mode = p.weekday_week_words.get(_norm(g["week"]), mode)
        if g.get("weekpre"):
            mode = p.weekday_week_prefixes.get(_norm(g["weekpre"]), mode)
        explicit = mode
        mode = mode or ("future" if future(start) else "past")
        value = _norm(m.group(0))
        if published is None:
            return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
        if mode == "last":
            return _last_weekday(start, end, value, wd, published)
        low, high = _resolve(published, lambda a: (_weekday_day(a, wd, mode),) * 2)
        rule = _MODE_WORDS[mode].format(wd=WEEKDAY_NAMES[wd])
        return _Found(start, end, value, "day", low, high, f"{rule} {_anchor_text(published)}", tag="weekday",
                      weekday=wd, mode=explicit)

    if name == "relative":
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

    if name == "ago":
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
        gran = unit
        if published is None:
            return _Found(start, end, value, gran, None, None, "no publication date: not resolved")
        low, high = _ago_period(published, unit, n)
        return _Found(start, end, value, gran, low, high, f"{n} {unit}(s) before {_anchor_text(published)}")
    return None


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


# what the handlers resolve: a relative word against the publication date ("last Friday", "i fjor",
# "two days ago"), or a date written without its year (or month) placed by it, or neither
_RELATIVE_HANDLERS = frozenset({"weekday", "weekday_prefix", "relative", "ago", "anchor", "in_offset",
                                "day_relmonth", "month_rel"})
_PARTIAL_HANDLERS = frozenset({"numeric_md", "day_only", "weekday_day", "month_only"})
_RESOLUTION_RANK = {"absolute": 0, "partial": 1, "relative": 2}


# a word right after a spelled ordinal: it counts that noun ("the first success"); "of" and
# punctuation leave it a day ("Sunday the first of July", "Sunday, the first.")
_NOUN_AFTER = re.compile(r"[ \t\u00a0]+(?!of\b|av\b)[^\W\d_]")


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


_GATES = {
    "iso": "digit", "numeric": "digit", "dmy": "month", "mdy": "month", "month_year": "month",
    "month_rel": "month", "month_only": "month", "year_range": "digit", "year_paren": "digit", "year": "digit",
    "year_suffixed": "digit", "weekday": "weekday", "weekday_prefix": "weekday", "weekday_day": "weekday",
    "day_only": "digit", "ago": "ago", "numeric_md": "digit", "compact": "digit", "spaced_iso": "digit",
    "mixed": "mixed", "holiday": "holiday", "dmy_spelled": "spelled", "mdy_spelled": "spelled", "day_relmonth": "relmonth", "day_list": "month", "in_offset": "in",
    "anchor": "anchor", "relative": "relative", "month_range": "month", "year_dash": "digit", "decade": "digit",
    "week_of": "week", "year_2d": "digit",
}


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
        "ago": [_norm(w) for w in lang.words("ago_after")],
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
    candidates: list[_Found] = []
    scanner = _Scanner(text, low, lang.code)
    future = _future_checker(text, p, words, scanner.finditer)
    plain = _PLAIN_SCAN  # the reference scan runs every pattern its gate lets through
    # the gates a text opens, all at once: its digits, its gate words (each opens the gates that hold
    # it, so a gate opens when a word of its set is in the text), and "mixed"; the steps of each set of
    # open gates are listed once per language
    opened = {"digit"} if digit else set()
    for w in words & p.gate_words:
        opened.update(p.word_gates[w])
    if ("-" in text or "/" in text) and (p.gates["mixed"] if plain else _MIXED_GATE).search(text):  # type: ignore[union-attr]
        opened.add("mixed")  # a word and a number joined by "/" or "-" (the gate needs one of them)
    key = frozenset(opened)
    steps = p.plans.get(key)
    if steps is None:
        steps = p.plans[key] = [step for step in p.steps if step[2] in key]
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
            try:
                found = _handle(name, m, p, text, published, future)
            except (ValueError, OverflowError):  # dates beyond the calendar: not a date
                found = None
            if found is None:
                continue
            if found.end == 0:
                found.start, found.end = m.start(), m.end()
            if text[found.end - 1:found.end] == "." and _full_name_before_dot(text, found.end, p):
                found.end -= 1  # "in June." ends a sentence; only "Jun." is written with its dot
            if found.resolution is None:
                found.resolution = _resolution_of(name, m, found)
            if found.end > found.start:
                candidates.append(found)
    tense = _Tense(text, p, words, scanner.finditer)
    candidates += _period_candidates(text, p, words, published, future, tense.present)
    candidates += _coordinated_months(candidates, text, p, published, future)
    if published is not None and candidates:
        _by_tense(candidates, text, p, published, future, tense)
    refs = anaphora.find_references(text, lang, words)  # "the same day": resolved once the dates are chosen
    if not candidates and not refs:  # every merge below builds on a candidate
        return _years_in_noun_phrases(text, lang, []) if digit else []
    candidates += _weekday_merges(candidates, text, p, published)
    candidates += _modifier_merges(candidates, text, p, published)
    # the phrases the merges look for before a date need their first word in the text; the word set is
    # exact where the scanner windows (no letter that IGNORECASE folds otherwise than lower case)
    exact = scanner.win is not None
    seen = {k: not exact or not first.isdisjoint(words) for k, first in p.merge_words.items()}
    candidates += _offset_merges(candidates, text, p, seen["offset_units"] and seen["offset_dirs"])
    candidates += _week_of_merges(candidates, text, p)
    candidates += _weekday_offset_merges(candidates, text, p)
    candidates += _range_merges(candidates, text, p)
    candidates += _open_merges(candidates, text, p, seen["open_before"], seen["open_after"])
    candidates = [c for c in candidates if c.standalone]
    chosen: list[_Found] = []
    taken = Spans()
    for f in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if taken.overlaps(f.start, f.end):
            continue
        taken.add(f.start, f.end)
        chosen.append(f)
    chosen = sorted((f for f in chosen if not f.invalid), key=lambda f: f.start)
    if refs:
        chosen = _with_references(chosen, refs, text, published)
    claims = [_to_claim(f, text, p, seen["cue"], seen["approx"]) for f in chosen]
    if digit:
        claims = sorted(claims + _years_in_noun_phrases(text, lang, claims), key=lambda c: c.start)
    for c in claims:
        if not c.cue and future(c.start):
            c.cue = "future: future tense"  # "will meet on Thursday": after publication on purpose
    return claims


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
