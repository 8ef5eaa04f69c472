"""Date claims: find dates in news text and resolve each to the interval of days it may mean.

A written date becomes a :class:`Claim` of kind ``date`` whose ``low``/``high`` are the first and
last day it may mean (ISO strings, inclusive), so "March 2016" is the whole month and "last Friday"
is one day once the publication date is known. Partial and relative dates are resolved against the
publication date, and ``basis`` says how, so a reader can check the inference.

Conventions (news is written in the past tense):

* A date without a year ("March 27", "MOSCOW, December 12.") takes the latest year in which it
  falls on or before the end of the publication interval.
* A bare weekday or "on <weekday>" is the most recent such day on or before publication (the same
  day counts); "last <weekday>" is the most recent strictly before; "next <weekday>" strictly after;
  "this <weekday>" is that day in the publication's week (Monday-Sunday).
* When the publication date is only a month or a year, relative dates are resolved against every
  day of that interval and the claim covers all readings (the hull of the union).
* An all-numeric date whose day and month may be swapped (en 03/04/2016) keeps both readings: the
  interval covers both and ``extra["readings"]`` lists them.
* Prepositions ("since 2011", "by Sunday night") stay out of the span and do not open the interval:
  the claim is the date written; the framing word goes to ``cue``.
* Without a publication date, partial and relative dates are still found but their bounds stay
  open (None) and ``basis`` says so.

Words (prepositions, relative phrases, day parts...) come from ``languages/<code>/dates.yml``;
month and weekday names come from Babel through :mod:`datasette_palmyra.language`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.relativedelta import weekday as rd_weekday

from .claims import Claim
from .language import Language, alternation, load_language

GRANULARITIES = ("day", "month", "year")
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


def parse_published(s: str) -> Published:
    """Parse "YYYY", "YYYY-MM", "YYYY-MM-DD" or an ISO datetime (its date is kept)."""
    text = str(s).strip()
    m = _PUBLISHED_RE.fullmatch(text)
    if not m:
        raise ValueError(f"published date {s!r}: expected YYYY, YYYY-MM or YYYY-MM-DD")
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


# weekday modes: anchor day -> the day meant
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
    return anchor + relativedelta(weekday=wd(-1))  # past: on or before


_MODE_WORDS = {
    "past": "most recent {wd} on or before",
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
_YEAR_END = r"(?![\d\w]|[,.]\d)"


def _alt(words) -> str:
    return alternation(words)


@dataclass
class _Patterns:
    lang: Language
    regexes: list[tuple[str, re.Pattern]]
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
    gates: dict[str, re.Pattern]
    offset_re: re.Pattern
    offsets: dict[str, int]
    link_re: re.Pattern
    approx_re: re.Pattern
    follower_re: re.Pattern
    unitish: set[str]
    stopwords: set[str]


def _norm(s: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", s.strip().lower())


def _babel_full_names(code: str) -> tuple[set[str], set[str]]:
    """Wide (unabbreviated) month and weekday names; abbreviations only count inside full dates."""
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    locale = Locale.parse(code)
    months: set[str] = set()
    days: set[str] = set()
    for context in ("format", "stand-alone"):
        months.update(n.lower() for n in get_month_names("wide", context=context, locale=locale).values())
        days.update(n.lower() for n in get_day_names("wide", context=context, locale=locale).values())
    return months, days


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
    day_words_re = _alt(day_words).replace(r"\-", r"[\s\u00a0-]") if day_words else r"(?!x)x"
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
    period_units = {_norm(k): str(v) for k, v in (lang.get("period_units") or {}).items()}
    count_words = {
        _norm(k): int(v)
        for k, v in (lang.get("number_words") or {}).items()
        if isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool)
    }
    count_words.update({_norm(k): int(v) for k, v in (lang.get("ago_count_words") or {}).items()})
    ago_before = [_norm(w) for w in lang.words("ago_before")]
    ago_after = [_norm(w) for w in lang.words("ago_after")]

    ws, ows = _WS + "+", _WS + "*"
    day_num = rf"(?P<d>[0-3]?\d)(?:{day_suffix})?(?!\d|[,.]\d)"
    day_any = rf"(?:{day_num}|(?:the{ws})?(?P<dw>{day_words_re}))"
    year_tail = (
        rf"(?:{ows},{ows}|{ws}|{ows}[-/]{ows})(?:(?:{month_year_link}){ws})?"
        rf"(?P<y>\d{{4}}){_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?"
    )
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
        (
            "dmy",
            rf"{lb}(?<![$€£¥])(?<![$€£¥]\s){day_any}(?:{ows}[-/]?{ows})"
            rf"(?:(?:{day_month_link}){ws})?(?P<m>{month_any})(?!\w)\.?(?:{year_tail})?",
        ),
        (
            "mdy",
            rf"{lb}(?P<m>{month_any})(?![^\W\d_])\.?(?:{ows}[,/-]?{ows})"
            rf"{day_any}(?!\w)(?:{year_tail})?",
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
            rf"(?:{lb}(?P<part>{month_part_re}){ows}-?{ows}|{lb}(?:{_alt(preps)}){ws}(?:the{ws})?)"
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
            rf"{lb}(?P<prep>{_alt(preps + weak)}){ws}(?:the{ws})?(?P<y>\d{{4}})"
            rf"(?:{ows}(?:{_alt(joiners)}){ows}(?P<y2>\d{{4}}))?{_YEAR_END}(?:{ows}(?P<ys>{year_suffix})(?!\w))?",
        ),
        (
            "year_suffixed",
            rf"{lb}(?P<y>\d{{4}}){ows}(?P<ys>{year_suffix})(?!\w)",
        ),
        (
            "weekday",
            rf"{lb}(?:(?P<weekpre>{_alt(wd_week_pre)})(?:{ows}-{ows}|{ws}(?:{_alt(lang.words('weekday_date_links'))}){ws}|{ws}))?"
            rf"(?:(?P<mod>{_alt(wd_mods)}){ws})?(?P<w>{weekday_full})(?!\w)"
            rf"(?:{ws}(?P<week>{_alt(wd_weeks)})(?!\w))?(?:{ws}(?P<part>{_alt(day_parts)})(?!\w))?",
        ),
        (
            "weekday_prefix",
            rf"{lb}(?:(?P<mod>{_alt(wd_mods)}){ws})?(?P<w>{weekday_prefix})(?!\w)\.?",
        ),
        (
            "weekday_day",
            rf"{lb}(?:(?P<mod>{_alt(wd_mods)}){ws})?(?P<w>{weekday_prefix})(?!\w)\.?,?{ws}(?:(?P<the>the){ws})?"
            rf"(?:(?P<d>[0-3]?\d)(?P<suf>{day_suffix})?(?!\d|[,.]\d)|(?P<dw>{day_words_re}))(?!\w)"
            rf"(?P<fin>{ows}(?:[.!?,;:)]|$))?",
        ),
        (
            "day_only",
            rf"{lb}(?:{_alt(lang.words('day_only_prepositions'))}){ws}the{ws}(?P<d>[0-3]?\d)(?:{day_suffix})(?!\w)"
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
    regexes.append((
        "offset",
        rf"{lb}(?P<n>\d{{1,3}}|{_alt(count_words)}){ws}(?P<u>{_alt(period_units)}){ws}(?P<dir>{_alt(offsets)}){ws}$",
    ))
    if not year_suffix or year_suffix == r"(?!x)x":
        regexes = [r for r in regexes if r[0] != "year_suffixed"]
    compiled = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in regexes if name != "offset"]
    # cheap gates: most sentences have no month, weekday or "ago" word, so skip the patterns that need one
    gates = {
        "month": re.compile(rf"{lb}(?:{month_any})(?![^\W\d_])", re.IGNORECASE),
        "weekday": re.compile(rf"{lb}(?:{weekday_prefix})(?!\w)", re.IGNORECASE),
        "ago": re.compile(rf"{lb}(?:{_alt(ago_after)})(?!\w)", re.IGNORECASE),
        "digit": re.compile(r"\d"),
    }
    offset_re = re.compile(dict(regexes)["offset"], re.IGNORECASE)

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
        offsets=offsets,
        link_re=re.compile(rf"\.?{ows}(?:,{ows}|\({ows}|-{ows}|(?:{_alt(lang.words('weekday_date_links'))}){ws})?",
                           re.IGNORECASE),
        cue_re=re.compile(rf"(?<![\w])(?P<w>{_alt(cues)}){ws}(?:the{ws})?$", re.IGNORECASE),
        approx_re=re.compile(rf"(?<![\w])(?P<w>{_alt(approx)}){ws}(?:(?:{_alt(preps)}){ws})?$", re.IGNORECASE),
        follower_re=re.compile(rf"{ows}(?P<sym>%)|{ws}(?P<word>[^\W\d_][\w.\-]*)"),
        unitish=unitish,
        stopwords={_norm(w) for w in lang.words("stopwords")},
    )


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


def _partial_day(month: int, day: int, published: Published | None, value: str) -> _Found | None:
    if _valid_date(2000, month, day) is None:  # 2000 is a leap year: Feb 29 stays possible
        return None
    if published is None:
        return _Found(0, 0, value, "day", None, None, "no publication date: year not inferred")
    d = _latest_year_not_after(month, day, published.high)
    if d is None:
        return None
    limit = published.high.isoformat()
    return _Found(0, 0, value, "day", d, d,
                  f"year inferred from published {published.text} (latest not after {limit})")


def _partial_month(month: int, published: Published | None, value: str) -> _Found:
    if published is None:
        return _Found(0, 0, value, "month", None, None, "no publication date: year not inferred")
    year = published.high.year
    low, high = _month_interval(year, month)
    if low > published.high:
        low, high = _month_interval(year - 1, month)
    return _Found(0, 0, value, "month", low, high,
                  f"year inferred from published {published.text} (latest not after {published.high})")


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


def _handle(name: str, m: re.Match, p: _Patterns, text: str, published: Published | None) -> _Found | None:
    g = m.groupdict()
    lang = p.lang
    start, end = m.start(), m.end()

    if name == "iso":
        d = _valid_date(int(g["y"]), int(g["m"]), int(g["d"]))
        if d is None:
            return _invalid(start, end)
        return _Found(start, end, d.isoformat(), "day", d, d)

    if name == "numeric":
        a, b, y = int(g["a"]), int(g["b"]), int(g["y"])
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

    if name in ("dmy", "mdy"):
        month_word = g["m"]
        month = lang.months.get(month_word.lower())
        if month is None:
            return None
        day = int(g["d"]) if g.get("d") else p.day_words.get(_norm(g["dw"] or "").replace(" ", "-"))
        if day is None:
            day = p.day_words.get(_norm(g["dw"] or ""))
        if not day or day > 31:
            return None
        if g.get("y"):
            y = int(g["y"])
            d = _valid_date(y, month, day)
            if d is None:
                return _invalid(start, end)
            return _Found(start, end, d.isoformat(), "day", d, d)
        if month_word.lower() in p.ambiguous and not month_word[0].isupper():
            return None
        if name == "dmy":  # "27. mars." ends a sentence: the point belongs to the month only if abbreviated
            end = m.end("m")
            if month_word.lower() not in p.full_months and text[end:end + 1] == ".":
                end += 1
        found = _partial_day(month, day, published, f"XXXX-{month:02d}-{day:02d}")
        if found is None:
            return None
        found.start, found.end, found.tag, found.md = start, end, "partial_day", (month, day)
        return found

    if name == "weekday_prefix":
        wd = lang.weekdays.get(g["w"].lower())
        if wd is None:
            return None
        return _Found(start, end, _norm(m.group(0)), "day", None, None, tag="weekday_prefix", weekday=wd,
                      standalone=False)

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
        value = _norm(text[start:end])
        if published is None:
            return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
        d = _weekday_and_day(wd, day, published.high)
        if d is None:
            return None
        return _Found(start, end, value, "day", d, d,
                      f"latest {WEEKDAY_NAMES[wd]} the {day} not after {published.high} (published {published.text})")

    if name == "day_only":
        day = int(g["d"])
        if published is None or not 1 <= day <= 31:
            return None
        d = published.high
        for _ in range(3):
            cand = _valid_date(d.year, d.month, day)
            if cand is not None and cand <= published.high:
                return _Found(m.start("d"), end, f"XXXX-XX-{day:02d}", "day", cand, cand,
                              f"month inferred from published {published.text} (latest not after {published.high})")
            d = d.replace(day=1) - dt.timedelta(days=1)
        return None

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
                           f"{_norm(g['m'])} of the year {offset:+d} from {_anchor_text(published)}")
        return _apply_part(found, g.get("part"), p)

    if name == "month_only":
        word = g["m"]
        month = lang.months.get(word.lower())
        if month is None or (word.lower() in p.ambiguous and not word[0].isupper()):
            return None
        s = m.start("part") if g.get("part") else m.start("m")
        found = _partial_month(month, published, f"XXXX-{month:02d}")
        found.start, found.end = s, end
        return _apply_part(found, g.get("part"), p)

    if name in ("year", "year_range", "year_paren", "year_suffixed"):
        y = int(g["y"])
        y2 = int(g["y2"]) if g.get("y2") else None
        if not _year_ok(y) or (y2 is not None and (not _year_ok(y2) or y2 <= y)):
            return None
        if name == "year_paren":
            start, end = m.start("y"), m.end("y2")
        elif name == "year":
            start = m.start("y")
            if not g.get("ys") and not _year_context_ok(g["prep"], text, end, p):
                return None
        elif name == "year_range":
            start = m.start("y")
        if y2 is None:
            return _Found(start, end, f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31))
        return _Found(start, end, f"{y:04d}/{y2:04d}", "year", dt.date(y, 1, 1), dt.date(y2, 12, 31),
                      qualifier="range")

    if name == "weekday":
        wd = lang.weekdays.get(g["w"].lower())
        if wd is None or (g["w"].lower() in p.ambiguous and not g["w"][0].isupper() and not g.get("mod")):
            return None
        mode = p.weekday_modifiers.get(_norm(g["mod"])) if g.get("mod") else None
        if g.get("week"):
            mode = p.weekday_week_words.get(_norm(g["week"]), mode)
        if g.get("weekpre"):
            mode = p.weekday_week_prefixes.get(_norm(g["weekpre"]), mode)
        mode = mode or "past"
        value = _norm(m.group(0))
        if published is None:
            return _Found(start, end, value, "day", None, None, "no publication date: not resolved")
        low, high = _resolve(published, lambda a: (_weekday_day(a, wd, mode),) * 2)
        rule = _MODE_WORDS[mode].format(wd=WEEKDAY_NAMES[wd])
        return _Found(start, end, value, "day", low, high, f"{rule} {_anchor_text(published)}", tag="weekday")

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
        until = bool(spec.get("until_published"))
        gran = unit if unit in ("week", "month", "year") else "day"
        if published is None:
            return _Found(start, end, value, gran, None, None, "no publication date: not resolved")

        def period(a: dt.date) -> tuple[dt.date, dt.date]:
            low_, high_ = _unit_interval(a + relativedelta(**{f"{unit}s": off}), unit)
            return (low_, min(high_, a)) if until else (low_, high_)

        low, high = _resolve(published, period)
        how = f"the {unit} {off:+d} from {_anchor_text(published)}" + (", up to publication" if until else "")
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
        value = _norm(m.group(0))
        gran = unit
        if published is None:
            return _Found(start, end, value, gran, None, None, "no publication date: not resolved")
        low, high = _resolve(published, lambda a: _unit_interval(a - relativedelta(**{f"{unit}s": n}), unit))
        return _Found(start, end, value, gran, low, high, f"{n} {unit}(s) before {_anchor_text(published)}")
    return None


def _weekday_and_day(wd: int, day: int, limit: dt.date) -> dt.date | None:
    """ "Sunday the 31st": the latest such date on or before limit (within three years)."""
    year, month = limit.year, limit.month
    for _ in range(40):
        d = _valid_date(year, month, day)
        if d is not None and d <= limit and d.weekday() == wd:
            return d
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _partial_day_with_weekday(found: _Found, month: int, day: int, wd: int | None,
                              published: Published | None) -> _Found:
    """ "Tue May 9": prefer the latest year, not after publication, in which that day is that weekday."""
    if wd is None or published is None or found.low is None or found.low.weekday() == wd:
        return found
    limit = published.high
    for year in range(found.low.year - 1, found.low.year - 3, -1):  # a mismatch further back is a slip
        d = _valid_date(year, month, day)
        if d is not None and d <= limit and d.weekday() == wd:
            found.low = found.high = d
            found.basis = f"year inferred from published {published.text} and the weekday"
            break
    return found


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
                if not p.link_re.fullmatch(gap):
                    continue
                end = d.end + 1 if "(" in gap and text[d.end:d.end + 1] == ")" else d.end
                new = _Found(w.start, end, d.value, d.granularity, d.low, d.high, d.basis, d.qualifier,
                             dict(d.extra or {}), d.tag, d.md, w.weekday)
                if d.tag == "partial_day" and d.md and published is not None:
                    new = _partial_day_with_weekday(new, *d.md, w.weekday, published)
                if new.low is not None and new.low == new.high and new.low.weekday() != w.weekday:
                    new.extra = {**(new.extra or {}), "weekday_mismatch": WEEKDAY_NAMES[w.weekday]}
                merged.append(new)
    return merged


def _offset_merges(candidates: list[_Found], text: str, p: _Patterns) -> list[_Found]:
    """ "two days after March 27", "3 days from today": shift a resolved date by the offset."""
    merged: list[_Found] = []
    for d in candidates:
        if not d.standalone or d.low is None or d.high is None:
            continue
        window_start = max(0, d.start - 60)
        m = p.offset_re.search(text, window_start, d.start)
        if not m:
            continue
        n = int(m.group("n")) if m.group("n").isdigit() else p.count_words.get(_norm(m.group("n")))
        unit = p.period_units.get(_norm(m.group("u")))
        sign = p.offsets.get(_norm(m.group("dir")))
        if n is None or unit is None or sign is None:
            continue
        shift = relativedelta(**{f"{unit}s": n * sign})
        phrase = _norm(m.group(0))
        merged.append(_Found(m.start(), d.end, f"{phrase} {d.value}", d.granularity, d.low + shift, d.high + shift,
                             f"{phrase} {text[d.start:d.end]!r}" + (f"; {d.basis}" if d.basis else ""), d.qualifier,
                             d.extra, "offset"))
    return merged


def _year_context_ok(prep: str, text: str, end: int, p: _Patterns) -> bool:
    """A year after a preposition is a year unless a unit or counted noun follows it ("2015
    militants", "2015 km"); after a weak word ("of", "from") any lowercase word disqualifies it."""
    m = p.follower_re.match(text, end)
    if not m:
        return True
    if m.group("sym"):
        return False
    word = m.group("word").rstrip(".").lower()
    if word in p.unitish:
        return False
    if _norm(prep) not in p.strong_preps and m.group("word")[0].islower() and word not in p.stopwords:
        return False
    return True


_GATES = {
    "iso": "digit", "numeric": "digit", "dmy": "month", "mdy": "month", "month_year": "month",
    "month_rel": "month", "month_only": "month", "year_range": "digit", "year_paren": "digit", "year": "digit",
    "year_suffixed": "digit", "weekday": "weekday", "weekday_prefix": "weekday", "weekday_day": "weekday",
    "day_only": "digit", "ago": "ago",
}


def find_dates(text: str, lang: Language, published: Published | None) -> list[Claim]:
    """Every date claim in text, sorted by start and non-overlapping (the longest reading wins)."""
    if not text:
        return []
    p = _patterns(lang.code)
    candidates: list[_Found] = []
    open_gates: dict[str, bool] = {}
    for name, rx in p.regexes:
        gate = _GATES.get(name)
        if gate:
            if gate not in open_gates:
                open_gates[gate] = p.gates[gate].search(text) is not None
            if not open_gates[gate]:
                continue
        for m in rx.finditer(text):
            try:
                found = _handle(name, m, p, text, published)
            except (ValueError, OverflowError):  # dates beyond the calendar: not a date
                found = None
            if found is None:
                continue
            if found.end == 0:
                found.start, found.end = m.start(), m.end()
            if found.end > found.start:
                candidates.append(found)
    candidates += _weekday_merges(candidates, text, p, published)
    candidates += _offset_merges(candidates, text, p)
    candidates = [c for c in candidates if c.standalone]
    chosen: list[_Found] = []
    taken: list[tuple[int, int]] = []
    for f in sorted(candidates, key=lambda f: (-(f.end - f.start), f.start)):
        if any(f.start < e and s < f.end for s, e in taken):
            continue
        taken.append((f.start, f.end))
        chosen.append(f)
    chosen = sorted((f for f in chosen if not f.invalid), key=lambda f: f.start)
    return [_to_claim(f, text, p) for f in chosen]


def _to_claim(f: _Found, text: str, p: _Patterns) -> Claim:
    before = text[max(0, f.start - 40):f.start]
    cue_m = p.cue_re.search(before)
    qualifier = f.qualifier
    if qualifier == "exact" and p.approx_re.search(before):
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
        cue=_norm(cue_m.group("w")) if cue_m else None,
        extra=f.extra or {},
    )
