"""Dates that name a period rather than a day or a month, read as a table of small readers.

News dates results, plans and history by periods: parts of a year ("early 2014", "the end of last year",
"в начале 2014 года"), quarters and halves ("the third quarter of 2009", "Q3 2012", "tredje kvartal i
fjor", "в первом полугодии"), weekends ("over the weekend", "i helgen"), a month with a modifier ("last
June", "late last July") and centuries ("the 20th century", "AD 79", "på 1800-tallet", "в XX веке").

Each reader is one pattern built from the language's dates.yml and one function that turns a match into a
`Period`; a reader runs only when the text holds one of its gate words. A reader whose date depends on the
publication returns a resolver (a function of the publication day), so that dates.py resolves it against a
publication day, month or year exactly as it resolves every other relative date. This module imports
nothing from the dates package: find_dates calls `readers` and wraps what they find.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from ..language import Language, alternation

Interval = tuple[dt.date, dt.date]
Resolver = Callable[[dt.date], Interval | None]

_WS = r"[\s\u00a0]+"
_OWS = r"[\s\u00a0]*"
_TOKEN = re.compile(r"[^\W\d_]+")


@dataclass
class Period:
    start: int
    end: int
    value: str  # what was read, in ISO-like form ("2009-Q3", "2014 early", "XX century")
    granularity: str  # month or year: the unit of the interval's ends
    low: dt.date | None = None  # fixed ends, when the text gives the year
    high: dt.date | None = None
    resolve: Resolver | None = None  # else: the interval as a function of the publication day
    rule: str = ""  # how it was read, for the claim's basis
    qualifier: str = "exact"
    future: bool = False  # the reader asked whether its position is in the future tense, and it is


@dataclass(frozen=True)
class Reader:
    name: str
    gate: frozenset[str]  # lower-case words: the reader runs only when the text holds one
    pattern: re.Pattern
    read: Callable[[re.Match, Context], Period | None]


@dataclass
class Context:
    """What a reader may ask: the language's tables and whether a position is in the future tense."""

    tables: Tables
    future: Callable[[int], bool]
    present: Callable[[int], bool] = lambda pos: False  # "has", "is": a bare quarter is the nearest one


@dataclass(frozen=True)
class Tables:
    year_parts: dict[str, tuple[int, int]]
    relative_years: dict[str, int]
    ordinals: dict[str, int]
    quarters: frozenset[str]
    halves: frozenset[str]
    bare_halves: frozenset[str]  # a half that names a half-year alone ("første halvår"); others need a year
    weekend_modifiers: dict[str, str]
    month_modifiers: dict[str, int]
    months: dict[str, int]
    centuries: frozenset[str]
    eras: dict[str, int]
    century_ordinals: dict[str, int]  # "twentieth": the day ordinals, which run far enough
    ambiguous: frozenset[str]  # month names that are also words ("may"): only capitalised
    month_parts: dict[str, tuple[int, int]]  # "late" July: the first and last day meant
    vague_counts: dict[str, tuple[int, int]]  # "a few" years ago: the fewest and most units meant
    period_units: dict[str, str]  # "years": year


def _words(lang: Language, key: str) -> list[str]:
    return [" ".join(str(w).lower().split()) for w in (lang.get(key) or [])]


def _mapping(lang: Language, key: str) -> dict[str, object]:
    return {" ".join(str(k).lower().split()): v for k, v in (lang.get(key) or {}).items()}


def _alt(words) -> str:
    words = [w for w in words if w]
    return alternation(sorted(words, key=len, reverse=True)) if words else r"(?!x)x"


def _firsts(phrases) -> frozenset[str]:
    out = set()
    for ph in phrases:
        toks = _TOKEN.findall(str(ph).lower())
        if toks:
            out.add(toks[0])
    return frozenset(out)


def _all_tokens(phrases) -> frozenset[str]:
    return frozenset(t for ph in phrases for t in _TOKEN.findall(str(ph).lower()))


# -- calendar --------------------------------------------------------------------------------------

def _months(year: int, first: int, last: int) -> Interval:
    end = dt.date(year + (last == 12), last % 12 + 1, 1) - dt.timedelta(days=1)
    return dt.date(year, first, 1), end


def _quarter(year: int, n: int, size: int) -> Interval:
    """Quarter (size 3) or half (size 6) number n of a year."""
    return _months(year, (n - 1) * size + 1, n * size)


def _latest_complete(day: dt.date, size: int) -> Interval:
    """The last quarter or half that ended before the day: "the last quarter" in a January article."""
    n = (day.month - 1) // size  # periods of the year complete before this one
    return _quarter(day.year, n, size) if n else _quarter(day.year - 1, 12 // size, size)


def _period_of(day: dt.date, n: int, size: int, future: bool, nearest: bool = False) -> Interval:
    """Quarter n of the publication's year, or of the year before when it has not begun by publication
    (results are reported after the quarter): "the fourth quarter" in a March article is last year's,
    unless the clause looks forward; in the present tense the nearer of the two ("has announced cuts ...
    during the fourth quarter" in August is this year's)."""
    q = _quarter(day.year, n, size)
    if q[0] > day and not future:
        before = _quarter(day.year - 1, n, size)
        return q if nearest and (q[0] - day) < (day - before[1]) else before
    return q


def _weekend(day: dt.date, weeks: int) -> Interval:
    """The Saturday and Sunday of the publication's week (Monday to Sunday), moved by whole weeks."""
    sat = day + dt.timedelta(days=5 - day.weekday() + 7 * weeks)
    return sat, sat + dt.timedelta(days=1)


def _recent_weekend(day: dt.date, future: bool) -> Interval:
    """A bare "the weekend": the one on or before the publication day, or after it in a clause that
    looks forward."""
    if day.weekday() >= 5:
        return _weekend(day, 0)
    return _weekend(day, 0 if future else -1)


def _month_by_modifier(day: dt.date, month: int, offset: int) -> Interval:
    """"last June": the most recent June before the publication's month; "next June": the first after it;
    "this June": June of the publication's year."""
    if offset == 0:
        return _months(day.year, month, month)
    if offset < 0:
        year = day.year if month < day.month else day.year - 1
    else:
        year = day.year if month > day.month else day.year + 1
    return _months(year, month, month)


# -- readers ---------------------------------------------------------------------------------------

def _year_of(m: re.Match, t: Tables) -> tuple[int | None, int | None]:
    """(written year, relative offset): "of 2009" or "of last year"; neither for a bare period."""
    if m.group("y"):
        y = int(m.group("y"))
        return (y, None) if 1000 <= y <= 2199 else (-1, None)
    if m.group("rel"):
        return None, t.relative_years.get(" ".join(m.group("rel").lower().split()))
    return None, None


def _read_year_part(m: re.Match, c: Context) -> Period | None:
    t = c.tables
    first, last = t.year_parts[" ".join(m.group("part").lower().split())]
    year, offset = _year_of(m, t)
    if year == -1 or (year is None and offset is None):
        return None
    value = f"{first:02d}-{last:02d}"
    if year is not None:
        low, high = _months(year, first, last)
        return Period(m.start(), m.end(), f"{year}/{value}", "month", low, high,
                      rule=f"months {first} to {last} of {year}", qualifier="approx")
    off = offset or 0
    return Period(m.start(), m.end(), f"year{off:+d}/{value}", "month",
                  resolve=lambda d: _months(d.year + off, first, last),
                  rule=f"months {first} to {last} of the year {off:+d} from", qualifier="approx")


def _read_quarter(m: re.Match, c: Context) -> Period | None:
    t = c.tables
    noun = " ".join(m.group("q").lower().split())
    size = 3 if noun in t.quarters else 6
    n = t.ordinals.get(" ".join(m.group("ord").lower().split()))
    if n is None or n > 12 // size:
        return None
    year, offset = _year_of(m, t)
    if year == -1:
        return None
    what = "quarter" if size == 3 else "half"
    if n < 0 and (year is not None or offset is not None):
        n = 12 // size  # "the final quarter of 2009" is its fourth
    if year is not None:
        low, high = _quarter(year, n, size)
        return Period(m.start(), m.end(), f"{year}-{'Q' if size == 3 else 'H'}{n}", "month", low, high,
                      rule=f"{what} {n} of {year}")
    if offset is not None:
        return Period(m.start(), m.end(), f"year{offset:+d}-{'Q' if size == 3 else 'H'}{n}", "month",
                      resolve=lambda d: _quarter(d.year + offset, n, size),
                      rule=f"{what} {n} of the year {offset:+d} from")
    if size == 6 and noun not in t.bare_halves:
        return None  # "the first half" of a match or a film: a half of a year only with its year
    if n < 0:
        return Period(m.start(), m.end(), f"last {what}", "month", resolve=lambda d: _latest_complete(d, size),
                      rule=f"the last complete {what} before")
    ahead = c.future(m.start())
    near = not ahead and c.present(m.start())
    return Period(m.start(), m.end(), f"XXXX-{'Q' if size == 3 else 'H'}{n}", "month",
                  resolve=lambda d: _period_of(d, n, size, ahead, near),
                  rule=f"{what} {n} of the year, the year before when it had not begun by", future=ahead)


def _read_quarter_code(m: re.Match, c: Context) -> Period | None:
    """"Q3 2012", "Q4'09", "H1 2020": the year is required, a bare "Q3" being too often a name."""
    size = 3 if m.group("k") in "Qq" else 6
    n = int(m.group("n"))
    y = m.group("y")
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if n > 12 // size or not 1000 <= year <= 2199:
        return None
    low, high = _quarter(year, n, size)
    return Period(m.start(), m.end(), f"{year}-{m.group('k').upper()}{n}", "month", low, high,
                  rule=f"{'quarter' if size == 3 else 'half'} {n} of {year}")


def _read_weekend(m: re.Match, c: Context) -> Period | None:
    mod = " ".join((m.group("mod") or "").lower().split())
    how = c.tables.weekend_modifiers.get(mod, "recent") if mod else "recent"
    if how == "recent":
        ahead = c.future(m.start())
        return Period(m.start(), m.end(), "weekend", "day", resolve=lambda d: _recent_weekend(d, ahead),
                      rule="the weekend on or before" if not ahead else "the weekend after", future=ahead)
    weeks = {"this": 0, "last": -1, "next": 1}.get(how)
    if weeks is None:
        return None
    return Period(m.start(), m.end(), f"weekend{weeks:+d}", "day", resolve=lambda d: _weekend(d, weeks),
                  rule=f"the weekend of the week {weeks:+d} from")


def _read_month_modifier(m: re.Match, c: Context) -> Period | None:
    t = c.tables
    word = m.group("m")
    month = t.months.get(word.lower())
    if month is None or (not word[0].isupper() and word.lower() in t.ambiguous):
        return None
    offset = t.month_modifiers[" ".join(m.group("mod").lower().split())]
    part = t.month_parts.get(" ".join((m.group("part") or "").lower().split()))

    def resolve(d: dt.date) -> Interval:
        low, high = _month_by_modifier(d, month, offset)
        if part is None:
            return low, high
        return low.replace(day=part[0]), low.replace(day=min(part[1], high.day))

    return Period(m.start(), m.end(), f"month{offset:+d}-{month:02d}", "month", resolve=resolve,
                  rule=f"month {month} {'before' if offset < 0 else 'after' if offset else 'in the year of'}",
                  qualifier="approx" if part else "exact")


def _unit_period(day: dt.date, unit: str) -> Interval:
    """The calendar day, week (Monday to Sunday), month or year that holds the day."""
    if unit == "week":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    if unit == "month":
        return _months(day.year, day.month, day.month)
    if unit == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    return day, day


def _read_vague_ago(m: re.Match, c: Context) -> Period | None:
    """"a few years ago", "for noen år siden", "несколько лет назад": from the unit the most units back
    to the unit the fewest units back."""
    t = c.tables
    fewest, most = t.vague_counts[" ".join(m.group("v").lower().split())]
    unit = t.period_units.get(m.group("u").lower())
    if unit is None:
        return None

    def resolve(d: dt.date) -> Interval:
        back = {"day": relativedelta(days=1), "week": relativedelta(weeks=1), "month": relativedelta(months=1),
                "year": relativedelta(years=1)}[unit]
        return _unit_period(d - back * most, unit)[0], _unit_period(d - back * fewest, unit)[1]

    return Period(m.start(), m.end(), f"{fewest}-{most} {unit}s ago", unit if unit != "week" else "day",
                  resolve=resolve, rule=f"{fewest} to {most} {unit}s before", qualifier="range")


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman(s: str) -> int | None:
    total, prev = 0, 0
    for ch in reversed(s.upper()):
        v = _ROMAN.get(ch)
        if v is None:
            return None
        total += -v if v < prev else v
        prev = max(prev, v)
    return total if 0 < total <= 30 else None


def _century_period(m: re.Match, n: int, era: int) -> Period:
    if era < 0:  # before the common era: no day of the calendar the checker counts in
        return Period(m.start(), m.end(), f"{n} century BCE", "year", rule=f"century {n} before the common era")
    low = dt.date(max(1, (n - 1) * 100), 1, 1)
    return Period(m.start(), m.end(), f"{n:02d}XX", "year", low, dt.date(n * 100 - 1, 12, 31),
                  rule=f"century {n}: {low.year} to {n * 100 - 1}")


def _read_century(m: re.Match, c: Context) -> Period | None:
    g = m.groupdict()
    if g.get("r"):
        n = _roman(g["r"])
    elif g.get("d"):
        n = int(g["d"])
    else:
        n = c.tables.century_ordinals.get(" ".join(g["w"].lower().split()))
    if not n or not 1 <= n <= 22:
        return None
    era = c.tables.eras.get(" ".join((g.get("era") or "").lower().split()), 1)
    return _century_period(m, n, era)


def _read_hundreds(m: re.Match, c: Context) -> Period | None:
    """"på 1800-tallet" is the nineteenth century (a year ending in 00 before the suffix), "1990-tallet"
    a decade."""
    y = int(m.group("y"))
    if y % 100 == 0:
        return _century_period(m, y // 100 + 1, 1)
    return Period(m.start(), m.end(), f"{y // 10:03d}", "year", dt.date(y, 1, 1), dt.date(y + 9, 12, 31),
                  rule=f"the decade {y} to {y + 9}")


def _read_era_year(m: re.Match, c: Context) -> Period | None:
    """"AD 79", "79 AD", "44 BC": a year of the era; before the common era it has no calendar day here."""
    y = int(m.group("y") or m.group("y2"))
    era = c.tables.eras.get(" ".join((m.group("era") or m.group("era2")).lower().split()), 1)
    if not 1 <= y <= 2199:
        return None
    if era < 0:
        return Period(m.start(), m.end(), f"{y} BCE", "year", rule=f"the year {y} before the common era")
    return Period(m.start(), m.end(), f"{y:04d}", "year", dt.date(y, 1, 1), dt.date(y, 12, 31), rule=f"the year {y}")


def _tables(lang: Language, full_months: set[str]) -> Tables:
    ordinals = {k: int(v) for k, v in _mapping(lang, "period_ordinals").items()}
    return Tables(
        year_parts={k: (int(v[0]), int(v[1])) for k, v in _mapping(lang, "year_parts").items()},
        relative_years={k: int(v) for k, v in _mapping(lang, "relative_years").items()},
        ordinals=ordinals,
        quarters=frozenset(_words(lang, "quarter_words")),
        halves=frozenset(_words(lang, "half_words")),
        bare_halves=frozenset(_words(lang, "bare_half_words")),
        weekend_modifiers={k: str(v) for k, v in _mapping(lang, "weekend_modifiers").items()},
        month_modifiers={k: int(v) for k, v in _mapping(lang, "month_modifiers").items()},
        months={k: v for k, v in lang.months.items() if k in full_months},
        centuries=frozenset(_words(lang, "century_words")),
        eras={k: int(v) for k, v in _mapping(lang, "eras").items()},
        century_ordinals={k: int(v) for k, v in _mapping(lang, "day_words").items()},
        ambiguous=frozenset(_words(lang, "ambiguous_names")),
        month_parts={k: (int(v[0]), int(v[1])) for k, v in _mapping(lang, "month_parts").items()},
        vague_counts={k: (int(v[0]), int(v[1])) for k, v in _mapping(lang, "ago_vague_counts").items()},
        period_units={k: str(v).split()[-1] for k, v in _mapping(lang, "period_units").items()},
    )


@functools.lru_cache(maxsize=16)
def _readers_for(lang: Language, months_key: frozenset[str]) -> tuple[Tables, tuple[Reader, ...]]:
    t = _tables(lang, set(months_key))
    lb, ws, ows = r"(?<![\w])", _WS, _OWS
    articles = _alt(_words(lang, "articles"))
    art = rf"(?:(?:{articles}){ws})?"
    links = _alt(_words(lang, "period_links"))
    suffixes = _alt(_words(lang, "year_suffixes"))
    year = rf"(?P<y>\d{{4}})(?![\d\w]|[,.]\d)(?:{ws}(?:{suffixes})(?!\w))?"
    rel = rf"(?P<rel>{_alt(t.relative_years)})(?!\w)"
    out: list[Reader] = []
    if t.year_parts:
        out.append(Reader("year_part", _firsts(t.year_parts), re.compile(
            rf"{lb}(?P<part>{_alt(t.year_parts)}){ows}-?{ows}(?:{year}|{rel})", re.IGNORECASE), _read_year_part))
    nouns = t.quarters | t.halves
    if nouns and t.ordinals:
        out.append(Reader("quarter", _all_tokens(nouns), re.compile(
            rf"{lb}{art}(?P<ord>{_alt(t.ordinals)})(?:{ws}|-)(?P<q>{_alt(nouns)})(?![\w-])"
            rf"(?:(?:{ws}(?:{links}))?{ws}(?:{year}|{rel}))?", re.IGNORECASE), _read_quarter))
    if lang.get("quarter_codes"):
        out.append(Reader("quarter_code", frozenset({"q", "h"}), re.compile(
            rf"{lb}(?P<k>[QH])(?P<n>[1-4]){ows}(?:['’]|{ws}|-|/)?{ows}(?P<y>\d{{4}}|\d{{2}})(?![\w%]|[.,]\d)"),
            _read_quarter_code))
    weekend = _words(lang, "weekend_words")
    if weekend:
        out.append(Reader("weekend", _all_tokens(weekend), re.compile(
            rf"{lb}(?:(?P<mod>{_alt(t.weekend_modifiers)}){ws})?(?P<w>{_alt(weekend)})(?!\w)", re.IGNORECASE),
            _read_weekend))
    if t.month_modifiers and t.months:
        parts = _alt(_mapping(lang, "month_parts"))
        out.append(Reader("month_modifier", _firsts(t.month_modifiers), re.compile(
            rf"{lb}(?:(?P<part>{parts}){ows}-?{ows})?(?P<mod>{_alt(t.month_modifiers)}){ws}"
            rf"(?P<m>{_alt(t.months)})(?!\w)", re.IGNORECASE),
            _read_month_modifier))
    if t.centuries:
        era = rf"(?:{ws}(?P<era>{_alt(t.eras)})(?!\w))?"
        ords = _alt(t.century_ordinals)
        suffix = _alt(_words(lang, "day_suffixes"))
        out.append(Reader("century", _all_tokens(t.centuries), re.compile(
            rf"{lb}{art}(?:(?P<d>\d{{1,2}})(?:{suffix})?|(?P<w>{ords})|(?-i:(?P<r>[IVXL]{{1,6}})))(?:{ws}|-)"
            rf"(?P<c>{_alt(t.centuries)})(?!\w){era}", re.IGNORECASE), _read_century))
    if t.vague_counts and t.period_units:
        before = _alt(_words(lang, "ago_before"))
        after = _alt(_words(lang, "ago_after"))
        lead = rf"(?:{before}){ws}" if _words(lang, "ago_before") else ""
        out.append(Reader("vague_ago", _all_tokens(_words(lang, "ago_after")), re.compile(
            rf"{lb}{lead}(?P<v>{_alt(t.vague_counts)}){ws}(?P<u>{_alt(t.period_units)}){ws}(?:{after})(?!\w)",
            re.IGNORECASE), _read_vague_ago))
    hundreds = _words(lang, "century_suffixes")
    if hundreds:
        out.append(Reader("hundreds", _all_tokens(hundreds), re.compile(
            rf"{lb}(?P<y>1\d\d0|20\d0)(?:{_alt(hundreds)})(?!\w)", re.IGNORECASE), _read_hundreds))
    before = _words(lang, "era_before")
    if t.eras:
        out.append(Reader("era_year", _all_tokens(t.eras), re.compile(
            rf"{lb}(?:(?P<era2>{_alt(before)}){ws}(?P<y2>\d{{1,4}})|(?P<y>\d{{1,4}}){ws}(?P<era>{_alt(t.eras)}))"
            rf"(?![\w])", re.IGNORECASE), _read_era_year))
    return t, tuple(out)


def readers(lang: Language, full_months: set[str]) -> tuple[Tables, tuple[Reader, ...]]:
    """The language's period readers (compiled once per language)."""
    return _readers_for(lang, frozenset(full_months))


def gate_words(lang: Language, full_months: set[str]) -> frozenset[str]:
    """Every word some reader needs: a text with none of them (and no digit) holds no period."""
    return frozenset().union(*(r.gate for r in readers(lang, full_months)[1]))


def find_periods(text: str, lang: Language, full_months: set[str], words: set[str],
                 future: Callable[[int], bool], present: Callable[[int], bool] = lambda pos: False) -> list[Period]:
    """Every period the readers find, in any order and possibly overlapping (the caller keeps the longest)."""
    tables, table = readers(lang, full_months)
    ctx = Context(tables, future, present)
    found: list[Period] = []
    for r in table:
        if r.gate.isdisjoint(words):
            continue
        for m in r.pattern.finditer(text):
            p = r.read(m, ctx)
            if p is not None and p.end > p.start:
                found.append(p)
    return found
