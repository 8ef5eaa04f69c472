"""A language's date patterns, compiled once: the rows of readers.py written from its vocabulary, the
gates and needs that keep a pattern from running on a text it cannot match, and the context patterns
the merges, the tense test and the claim builder read (all in :class:`~.core._Patterns`)."""

from __future__ import annotations

import functools
import re

from ...language import load_language
from .. import anaphora, periods
from .core import _TOKEN, _alt, _LazyPattern, _norm, _Patterns
from .readers import READERS
from .vocab import Vocab, vocabulary

Step = tuple[str, _LazyPattern, str, "re.Pattern | None", "re.Pattern | None"]


@functools.cache  # keyed on the language code
def _patterns(code: str) -> _Patterns:
    lang = load_language(code)
    v = vocabulary(lang)
    gates = _gates(v)
    word_gates: dict[str, tuple[str, ...]] = {}
    for gate, needed in gates.items():
        if isinstance(needed, frozenset):
            for w in needed:
                word_gates[w] = word_gates.get(w, ()) + (gate,)
    assert [k for k, x in gates.items() if isinstance(x, re.Pattern)] == ["mixed"], "find_dates reads one regex gate"
    steps = _steps(v)
    cues = [_norm(w) for w in lang.words("date_cues")]
    approx = [_norm(w) for w in lang.words("approx_words")]
    blocked = [_norm(w) for w in lang.words("deictic_non_references")]
    return _Patterns(
        lang=lang,
        regexes=[(name, rx) for name, rx, *_ in steps],
        steps=steps,
        full_months=v.full_months,
        full_weekdays=v.full_weekdays,
        ambiguous={w.lower() for w in lang.words("ambiguous_names")},
        day_words=v.day_words,
        month_parts=v.month_parts,
        month_year_relative=v.myrel,
        relative_days=v.rel_days,
        relative_periods=v.rel_periods,
        weekday_modifiers=v.wd_mods,
        weekday_week_words=v.wd_weeks,
        weekday_week_prefixes=v.wd_week_pre,
        period_units=v.period_units,
        count_words=v.count_words,
        ago_single_units={_norm(w) for w in lang.words("ago_single_units")},
        ago_before=bool(v.ago_before),
        numeric_orders=[str(o) for o in (lang.get("numeric_date_orders") or ["dmy"])],
        strong_preps=set(v.preps),
        offset_re=re.compile(_offset(v), re.IGNORECASE),
        gates=gates,
        word_gates=word_gates,
        gate_words=frozenset(word_gates),
        plans={},
        merge_words={
            "offset_units": _firsts(v.period_units), "offset_dirs": _firsts(v.offsets),
            "open_before": _firsts(lang.words("open_before_words")),
            "open_after": _firsts(lang.words("open_after_words")),
            "cue": _firsts(cues), "approx": _firsts(approx),
        },
        # every date needs a digit or one of these: a month, weekday, relative, holiday or period word
        all_gate_words=frozenset().union(*(gates[k] or frozenset() for k in ("month", "weekday", "relative", "holiday",
                                                                             "ago", "deictic")), _firsts(v.period_units),
                                         periods.gate_words(lang, v.full_months), anaphora.gate_words(lang)),
        offsets=v.offsets,
        unitish=_unitish(v),
        partitive={_norm(w) for w in lang.words("partitive_words")},
        stopwords={_norm(w) for w in lang.words("stopwords")},
        unit_mult=v.unit_mult,
        cardinal_days=set(v.cardinal_days) - set(lang.get("day_words") or {}),
        numbers=v.numbers,
        holidays=v.holidays,
        anchors=v.anchors,
        openers=v.openers,
        not_dates={_norm(w) for w in lang.words("numeric_non_dates")},
        deictic=v.deictic,
        deictic_clause_final={_norm(w) for w in lang.words("deictic_clause_final")},
        deictic_blocked_re=re.compile(rf"(?<![\w])(?:{_alt(blocked)})(?!\w)", re.IGNORECASE) if blocked else None,
        **_claim_context(v, cues, approx),
        **_tense_context(v),
        **_merge_context(v),
    )


def _steps(v: Vocab) -> list[Step]:
    """The rows of readers.py as find_dates runs them: name, pattern, gate, need and the need's own need.
    A need is a piece of the pattern that every match contains (the digits of "2016-03-27", the "-"
    joining two years), so a text that lacks it cannot match and the pattern is not run. Each is a run
    of the pattern's own items, searched with its flags, so it is found wherever a match is; most start
    with a digit, which the engine skips to directly (the patterns start with a look-behind)."""
    no_suffix = not v.year_suffix or v.year_suffix == r"(?!x)x"
    need_rx: dict[str, re.Pattern] = {}

    def need(src: str | None) -> re.Pattern | None:
        return None if src is None else need_rx.setdefault(src, re.compile(src, re.IGNORECASE))

    steps: list[Step] = []
    for row in READERS:
        if row.name == "year_suffixed" and no_suffix:
            continue
        src, parent = row.need(v) if row.need else (None, None)
        steps.append((row.name, _LazyPattern(row.pattern(v)), row.gate, need(src), need(parent)))
    return steps


def _offset(v: Vocab) -> str:
    """ "two days after" right before a date (the offset merge reads it at the end of the text before)."""
    ws = v.ws
    return (rf"{v.lb}(?P<n>\d{{1,3}}|{_alt(v.count_words)}){ws}(?P<u>{_alt(v.period_units)}){ws}(?P<dir>{_alt(v.offsets)}){ws}"
            rf"(?:(?:{_alt(v.lang.words('offset_fillers'))}){ws})?$")


def _firsts(phrases, last: bool = False) -> frozenset[str]:
    """The first word (or the last) of each phrase."""
    out = set()
    for ph in phrases:
        toks = _TOKEN.findall(str(ph).lower())
        if toks:
            out.add(toks[-1] if last else toks[0])
    return frozenset(out)


def _gates(v: Vocab) -> dict[str, frozenset[str] | re.Pattern | None]:
    """Cheap gates: the words a pattern cannot match without (its first word, or for "the 15th day of
    next month" its last), looked up in the set of the text's words, computed once per text; most
    sentences have no month, weekday or "ago" word, so the patterns that need one are skipped."""
    lang = v.lang
    return {
        "digit": None,  # a digit anywhere
        "month": _firsts(lang.months),
        "weekday": _firsts(lang.weekdays),
        "ago": _firsts(v.ago_after),
        "holiday": _firsts(v.holidays),
        "in": _firsts(v.in_words),
        "anchor": _firsts(v.anchors),
        "deictic": _firsts(v.deictic),
        "relative": _firsts(list(v.rel_days) + list(v.rel_periods), last=True),
        "relmonth": _firsts(v.month_rel_periods, last=True),
        "week": _firsts(lang.words("week_words")),
        "future": _firsts(lang.words("future_markers")),
        "present": _firsts(lang.words("present_markers")),
        "spelled": frozenset(w for w in _firsts(list(v.numbers) + list(v.day_words)) if w not in ("a", "an")),
        "mixed": re.compile(r"[^\W\d_]{3}[/\-]\d|\d[/\-][^\W\d_]{3}"),  # a word and a number joined
    }


def _unitish(v: Vocab) -> set[str]:
    """Words that make a number before them a quantity: units, currencies, scale and period words."""
    unitish: set[str] = set()
    for key in ("units", "durations", "currencies", "scale_words"):
        unitish.update(_norm(k) for k in (v.lang.get(key) or {}))
    unitish.update(_norm(w) for w in v.lang.words("percent_words"))
    unitish.update(v.period_units)
    return unitish


def _claim_context(v: Vocab, cues: list[str], approx: list[str]) -> dict[str, re.Pattern]:
    """What the claim builder and the numeric readers read around a date."""
    ws, ows, art, lang = v.ws, v.ows, v.art, v.lang
    return dict(
        link_re=re.compile(rf"\.?{ows}(?:,{ows}|\({ows}|-{ows}|(?:{_alt(lang.words('weekday_date_links'))}){ws})?",
                           re.IGNORECASE),
        cue_re=re.compile(rf"(?<![\w])(?P<w>{_alt(cues)}){ws}{art}$", re.IGNORECASE),
        approx_re=re.compile(rf"(?<![\w])(?P<w>{_alt(approx)}){ws}(?:(?:{_alt(v.preps)}){ws})?$", re.IGNORECASE),
        follower_re=re.compile(rf"{ows}(?P<sym>%)|{ws}(?P<word>[^\W\d_][\w.\-]*)"),
        # no article between: "following the September 11th attacks" is "after", no modifier
        mod_before_re=re.compile(rf"(?<![\w])(?P<mod>{v.mods}){ws}$", re.IGNORECASE),
        named_day_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('named_weekday_words'))}){ws}$", re.IGNORECASE),
        md_context_re=re.compile(
            rf"(?:^|[?!:;,(]|(?<![\d\w])\.){ows}$|(?<![\w])(?:{_alt(v.preps + list(v.wd_mods) + lang.words('numeric_date_context'))}|{_alt(lang.weekdays)}){ows},?{ws}$",
            re.IGNORECASE),
        dotted_context_re=re.compile(
            rf"(?<![\w])(?:{_alt(list(v.wd_mods) + lang.words('day_only_prepositions'))}|{_alt(lang.weekdays)}){ows},?{ws}$",
            re.IGNORECASE),
    )


def _tense_context(v: Vocab) -> dict[str, re.Pattern]:
    """The markers of tense and direction the year of a partial date is chosen by."""
    ws, art, lang = v.ws, v.art, v.lang
    return dict(
        future_re=_markers_re(lang.words("future_markers")),
        past_re=_markers_re(lang.words("past_markers")),
        present_re=_markers_re(lang.words("present_markers"), 0),  # lower case: "IS" is the Islamic State
        past_suffix_re=_suffix_re(lang.words("past_suffixes")),
        until_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('future_pointing_words'))}){ws}{art}$", re.IGNORECASE),
        since_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('past_pointing_words'))}){ws}{art}$", re.IGNORECASE),
    )


def _merge_context(v: Vocab) -> dict[str, re.Pattern | None]:
    """The words the merges look for between and around two dates (ranges, open ends, "the week of")."""
    ws, ows, art, lang = v.ws, v.ows, v.art, v.lang
    return dict(
        range_join_re=re.compile(rf"{ows}(?P<j>{v.range_joiners}){ows}", re.IGNORECASE),
        range_open_re=re.compile(rf"(?<![\w])(?P<o>{_alt(v.openers)}){ws}{art}$", re.IGNORECASE),
        open_before_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('open_before_words'))}){ws}{art}$", re.IGNORECASE),
        open_after_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('open_after_words'))}){ws}{art}$", re.IGNORECASE),
        hours_before_re=re.compile(rf"\d[\d.,]*{ws}(?:{_alt(lang.words('hour_units'))}){ws}$", re.IGNORECASE)
        if lang.words("hour_units") else None,
        # "2018 or later." ends its phrase; "on 1/1/2016 and after my work is done" is a clause
        open_from_re=re.compile(rf"{ows},?{ws}(?:{_alt(lang.words('open_from_suffixes'))})(?={ows}(?:[,.;:!?)]|$))",
                                re.IGNORECASE),
        open_until_re=re.compile(rf"{ows},?{ws}(?:{_alt(lang.words('open_until_suffixes'))})(?={ows}(?:[,.;:!?)]|$))",
                                 re.IGNORECASE),
        since_before_re=re.compile(rf"(?<![\w])(?:{_alt(lang.words('since_words'))}){ws}$", re.IGNORECASE)
        if lang.words("since_words") else None,
        start_part_re=re.compile(rf"(?:{_alt(lang.words('start_parts'))})(?!\w)", re.IGNORECASE)
        if lang.words("start_parts") else None,
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

