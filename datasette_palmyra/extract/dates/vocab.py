"""The words of a language's dates.yml (and its month and weekday names) as the pieces the date patterns
are written with: alternations ("January|February|..."), tables (relative phrase -> offset) and the shared
fragments (a day, a year after a month). Built once per language; readers.py writes its patterns from it."""

from __future__ import annotations

from types import SimpleNamespace

from ...language import Language, alternation
from .core import _WS, _YEAR_END, _alt, _norm

_NEVER = r"(?!x)x"  # an alternation of no words: matches nothing


class Vocab(SimpleNamespace):
    """The pieces of one language's date patterns, by name (see :func:`vocabulary`)."""


def vocabulary(lang: Language) -> Vocab:
    v = Vocab(lang=lang)
    _names(v, lang)
    _tables(v, lang)
    _fragments(v, lang)
    return v


def _names(v: Vocab, lang: Language) -> None:
    """Month, weekday and day names and the words joined to them."""
    wide_months, wide_days = set(lang.wide_months), set(lang.wide_weekdays)  # CLDR's, with the language
    v.full_months = wide_months | {str(k).lower() for k in (lang.get("extra_month_names") or {})}
    v.full_weekdays = wide_days | {str(k).lower() for k in (lang.get("extra_weekday_names") or {})}
    v.month_any = _alt(lang.months)
    v.month_full = _alt(v.full_months)
    v.weekday_full = _alt(v.full_weekdays)
    v.weekday_prefix = _alt(lang.weekdays) if lang.get("abbreviated_weekday_prefix") else v.weekday_full
    v.day_suffix = _alt(lang.words("day_suffixes"))
    day_words = {str(k).lower(): int(n) for k, n in (lang.get("day_words") or {}).items()}
    v.basic_day_words_re = alternation(day_words, dash_or_space=True) if day_words else _NEVER
    v.numbers = {
        _norm(k): int(n)
        for k, n in (lang.get("number_words") or {}).items()
        if isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool) and 0 < n < 100
    }
    v.cardinal_days = _cardinal_days(v.numbers) if lang.get("spelled_out_dates") else {}
    day_words.update({k: n for k, n in v.cardinal_days.items() if k not in day_words})
    v.day_words = day_words
    v.day_words_re = alternation(day_words, dash_or_space=True) if day_words else _NEVER
    v.year_words = _year_words_re(v.numbers, lang) if lang.get("spelled_out_dates") else _NEVER
    v.day_month_link = _alt(lang.words("day_month_links"))
    v.month_year_link = _alt(lang.words("month_year_links"))
    v.year_suffix = _alt(lang.words("year_suffixes"))
    v.month_parts = {_norm(k): x for k, x in (lang.get("month_parts") or {}).items()}
    v.month_part_re = _alt(v.month_parts)
    v.abbr_ok = [w for w in lang.words("standalone_weekday_abbreviations") if w in lang.weekdays]


def _tables(v: Vocab, lang: Language) -> None:
    """Relative words and what they mean: offsets, modes, units, counts."""
    v.myrel = {_norm(k): int(n) for k, n in (lang.get("month_year_relative") or {}).items()}
    v.preps = [_norm(w) for w in lang.words("date_prepositions")]
    v.weak = [_norm(w) for w in lang.words("weak_date_prepositions")]
    v.openers = {_norm(k): [_norm(x) for x in xs] for k, xs in (lang.get("year_range_openers") or {}).items()}
    v.joiners = lang.words("year_range_joiners") or ["-"]
    v.rel_days = {_norm(k): int(n) for k, n in (lang.get("relative_days") or {}).items()}
    v.rel_periods = {_norm(k): x for k, x in (lang.get("relative_periods") or {}).items()}
    v.wd_mods = {_norm(k): str(x) for k, x in (lang.get("weekday_modifiers") or {}).items()}
    v.wd_weeks = {_norm(k): str(x) for k, x in (lang.get("weekday_week_words") or {}).items()}
    v.wd_week_pre = {_norm(k): str(x) for k, x in (lang.get("weekday_week_prefixes") or {}).items()}
    v.day_parts = [_norm(w) for w in lang.words("day_parts")]
    v.period_units, v.unit_mult = {}, {}
    for k, x in (lang.get("period_units") or {}).items():  # "fortnight: 2 week"
        n, _, unit = str(x).rpartition(" ")
        v.period_units[_norm(k)] = unit
        v.unit_mult[_norm(k)] = int(n) if n else 1
    v.count_words = {
        _norm(k): int(n)
        for k, n in (lang.get("number_words") or {}).items()
        if isinstance(k, str) and isinstance(n, int) and not isinstance(n, bool)
    }
    v.count_words.update({_norm(k): int(n) for k, n in (lang.get("ago_count_words") or {}).items()})
    v.ago_before = [_norm(w) for w in lang.words("ago_before")]
    v.ago_after = [_norm(w) for w in lang.words("ago_after")]
    v.holidays = {_norm(k): x for k, x in (lang.get("holidays") or {}).items()}
    v.month_rel_periods = [k for k, x in v.rel_periods.items()
                           if x.get("unit") == "month" and not x.get("until_published")]
    v.anchors = {_norm(k): int(n) for k, n in (lang.get("offset_anchors") or {}).items()}
    v.in_words = [_norm(w) for w in lang.words("in_offset_words")]
    v.offsets = {_norm(k): int(n) for k, n in (lang.get("offset_words") or {}).items()}
    v.offsets.update({_norm(k): 0 for k in lang.words("offset_from_start_words")})
    v.deictic = {_norm(k): str(x) for k, x in (lang.get("deictic_words") or {}).items()}


def _fragments(v: Vocab, lang: Language) -> None:
    """The pieces several patterns share: spaces, an optional article, a day, a year after a month."""
    v.ws, v.ows = ws, ows = _WS + "+", _WS + "*"
    # "their January sales": a determiner dates the noun after a capitalised month name, as it does after a year
    v.dets = _alt(w for w in lang.words("year_determiners") if w not in lang.words("last_words"))
    v.arts = _alt(lang.words("articles"))  # "the" in English, none in nb/ru
    v.art = rf"(?:(?:{v.arts}){ws})?"
    v.mods = _alt(v.wd_mods)
    v.range_joiners = _alt(lang.words("year_range_joiners") + [j for js in v.openers.values() for j in js])
    v.day_num = rf"(?P<d>[0-3]?\d)(?:{v.day_suffix})?(?!\d|[,.]\d)"
    v.day_any = rf"(?:{v.day_num}|{v.art}(?P<dw>{v.basic_day_words_re}))"
    v.year_tail = (
        rf"(?:{ows},{ows}|{ws}|{ows}[-/]{ows})(?:(?:{v.month_year_link}){ws})?"
        rf"(?P<y>\d{{4}}){_YEAR_END}(?:{ows}(?P<ys>{v.year_suffix})(?!\w))?"
        rf"|(?:{ws}(?:{v.month_year_link}){ws}|{ows}['’])(?P<y2d>\d{{2}})(?![\w%]|[.,]\d)"
    )
    # spelled-out days and years ("May twenty nine", "nineteen eighty six") in patterns of their own,
    # tried only when the text has a number word: the long word alternations are slow everywhere else
    v.spelled_day_any = rf"(?:{v.day_num}|{v.art}(?P<dw>{v.day_words_re}))"
    v.spelled_year_tail = v.year_tail + (rf"|{ws}(?:(?:{v.month_year_link}){ws})?(?P<yw>{v.year_words})"
                                         rf"(?={ows}(?:[,.;:!?)]|$))")
    v.lb = r"(?<![\w])"


def _cardinal_days(numbers: dict[str, int]) -> dict[str, int]:
    """ "twenty nine": days written as cardinals, from the number words (1-31)."""
    out = {w: n for w, n in numbers.items() if 1 <= n <= 31 and " " not in w}
    tens = {w: n for w, n in out.items() if n in (20, 30)}
    units = {w: n for w, n in numbers.items() if 1 <= n <= 9 and " " not in w}
    for t, tv in tens.items():
        for u, uv in units.items():
            if tv + uv <= 31:
                out[f"{t}-{u}"] = tv + uv
    return out


def _year_words_re(numbers: dict[str, int], lang: Language) -> str:
    """ "nineteen eighty six", "two thousand and thirty two": number words and the scale words."""
    tokens = _alt([w for w in numbers if " " not in w] + lang.words("year_scale_words"))
    return rf"(?:{tokens})(?:[\s\u00a0-]+(?:{tokens}))+"
