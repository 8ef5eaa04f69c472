"""Find numeric quantities in text: counts, units, percentages, durations, ages, money.

One compiled pattern per language finds number expressions (digits with the locale's separators,
scientific notation, fractions, number words joined into one number, scale words, and the readings that
are no plain number: vague multiples "several thousand", shares "one in five" / "halvparten", the one of
"a week" / "почти год"); small anchored patterns then read the qualifier before, the unit after (with powers, "per" compounds and compound
amounts such as "5 ft 2 in"), a range, and a parenthetical conversion. The text is scanned once, left
to right; every pattern and word table is built once per language (``patterns``). Every figure becomes an interval (see claims.Claim). The
words come from the language's data files (languages/<code>/numbers.yml), never from code.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from ..claims import YEAR_SECONDS, Claim
from ..language import Language, alternation
from .spans import Spans
from .units import conversion

APPROX_BAND = 0.10  # "about 300" is [270, 330]
NEARLY_BAND = 0.10  # "nearly 300" is [270, 300]
WS = r"[ \t\u00a0\u202f]"
NOT_LETTER = r"(?![^\W\d_])"
VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
QUOTE_UNITS = {'"', "″", "”"}  # the inch mark is no unit after a number that opens with a quote


@dataclass(frozen=True)
class Unit:
    category: str  # unit | duration | percent | currency
    target: str  # pint expression, "percent", or an ISO currency code
    factor: float = 1.0  # currencies: "cents" are 0.01 USD


@dataclass
class Patterns:
    number: re.Pattern  # one number expression
    number_start: re.Pattern  # matches wherever ``number`` may (and more): a figure, or the first word of one
    number_plain: re.Pattern  # the same without the extra readings (shares, vague multiples, "a week")
    one_article: re.Pattern  # "an " of "half an hour", "a third of a mile"
    word_token: re.Pattern  # the tokens inside a number written in words
    qualifier_before: re.Pattern  # anchored at the end of the left context
    qualifier_after: re.Pattern
    range_after: re.Pattern  # "- 5,000", "to 5,000" right after a number
    range_opener: re.Pattern  # "between " right before a number
    unit_after: re.Pattern
    per_after: re.Pattern  # "/h", " per hour", " an hour" after a unit
    compound_join: re.Pattern  # ", ", " and " between "5 feet" and "2 inches"
    scale_after_currency: re.Pattern  # "75 USD million"
    cents_end: re.Pattern  # what may follow the bare cents of "15 dollars 50"
    currency_before: re.Pattern
    age_before: re.Pattern
    age_after: re.Pattern
    identifier_before: re.Pattern
    call_before: re.Pattern  # "call 112": a telephone number after a call verb
    era_before: re.Pattern | None  # "AD 79": a year
    era_after: re.Pattern | None  # "79 AD", "500 f.Kr."
    share_join: re.Pattern  # " in ", " out of " between the two numbers of "one in five"
    one_unit_not_before: re.Pattern | None  # "a week ago": a relative date, no duration
    one_unit_not_after: re.Pattern | None  # "twice a day": a frequency, no duration
    one_unit_inner: re.Pattern | None  # "en drøy uke": a qualifier between the article and the unit
    not_after: re.Pattern
    subject_word: re.Pattern
    place_after: re.Pattern
    of_lead: re.Pattern  # "of (the)" before the counted thing: "80% of (the) residents"
    conversion_gap: re.Pattern  # "240 kilometers (about 150 miles)": what may stand between a figure and its conversion
    time_before: re.Pattern  # "kl. 8.50": a time word before a dotted number makes it a time of day
    # "10:30", "5.30 local time", "2 pm": a time of day, "123-45-67" a local phone number, or (group
    # "dot") "8.50", a time only after a time word: one match at the number's start answers all four
    time_or_phone: re.Pattern
    negative_before: re.Pattern
    spaced_minus: re.Pattern  # "- 20 degrees": a minus sign with a space, read for temperatures only
    scale_suffix: re.Pattern | None
    money_suffix: re.Pattern | None
    temperature_cue: re.Pattern
    units: dict[str, Unit]  # surface word (lower case, single spaces) -> Unit
    symbols: dict[str, Unit]  # case-sensitive symbols
    cue_before: re.Pattern  # "rose to", "revised down to", "up from" right before the figure
    cue_kinds: dict[str, str]  # cue phrase (lower case) -> rising, falling, correction, previous
    cue_heading: re.Pattern | None  # "Correction:", "Данные уточнили:": a correction word heading the clause
    perfect_before: re.Pattern | None  # "has burned", "har drept": a perfect before the figure, a total so far
    age_subject: re.Pattern | None  # "he was", "hun er" right before a bare number: a person's age
    number_words: dict[str, object]
    scales: dict[str, float]
    fractions: dict[str, int]
    # fraction words that are ordinals too ("third", "fifth"): before a unit ("a third day") the ordinal
    ordinal_fractions: frozenset[str]
    multipliers: frozenset[str]  # "several", "a few" before a scale word: a vague count
    shares: dict[str, float]  # share word -> the share of the whole in percent ("halvparten" 50)
    share_ordinals: dict[str, int]  # "fifth" -> 5 after share_every_words ("every fifth")
    partitives: frozenset[str]
    one_unit_words: frozenset[str]
    one_unit_qualifiers: dict[str, str]
    one_unit_alone_after: frozenset[str]
    rate_phrases: frozenset[str]  # cues.yml rate_after: "a day" after a figure is a rate
    articles: frozenset[str]
    joiners: frozenset[str]
    weak: frozenset[str]
    qualifiers_before: dict[str, str]
    qualifiers_after: dict[str, str]
    range_openers: dict[str, str]
    closers: dict[str, re.Pattern]  # opener -> the pattern of its closer ("between" -> " and ")
    age_units: dict[str, str]
    scale_suffixes: dict[str, float]
    money_suffixes: dict[str, float]
    power_before: dict[str, int]
    power_after: dict[str, int]
    ambiguous_units: frozenset[str]
    cue_symbols: frozenset[str]  # "C", "F": units only where the sentence speaks of temperature
    scaled_money: dict[str, Unit]  # "pounds" after "million" is sterling
    # the last words of each kind of phrase looked for before a number (identifier, call, era, negative,
    # qualifier, cue, opener, age, perfect): each pattern is searched only where one of them stands there
    phrase_ends: dict[str, frozenset[str]]
    participle_endings: tuple[str, ...]  # "has burned": a perfect may end in any such word
    currency_reach: int  # characters a currency before a number takes, its space included
    currency_words: frozenset[str]  # last words of the currencies that may stand before a number
    ambiguous_degrees: frozenset[str]
    default_temperature: str
    stopwords: frozenset[str]
    months: frozenset[str]
    group_symbols: tuple[str, ...]
    decimal_symbol: str


def _norm(s: str) -> str:
    return " ".join(s.lower().split())


def _currency(value: object) -> Unit:
    """"USD" or "0.01 USD" (a fraction of the currency, such as cents)."""
    parts = str(value).split()
    if len(parts) == 2:
        return Unit("currency", parts[1], float(parts[0]))
    return Unit("currency", parts[0])


def _unit_table(lang: Language) -> dict[str, Unit]:
    """surface word (lower case) -> Unit: category unit|percent|duration|currency."""
    table: dict[str, Unit] = {}
    for word, unit in lang.mapping("units").items():
        table[_norm(word)] = Unit("unit", str(unit))
    for word, unit in lang.mapping("durations").items():
        table[_norm(word)] = Unit("duration", str(unit))
    for word in lang.words("percent_words"):
        table[_norm(word)] = Unit("percent", "percent")
    for word, code in lang.mapping("currencies").items():
        table[_norm(word)] = _currency(code)
    return table


def _last_words(phrases) -> set[str]:
    """Every form the last token before a number takes when one of ``phrases`` ends there ("$" ends "c $";
    "$" glued to the digits leaves the token before it, "costs $5")."""
    out: set[str] = set()
    for ph in phrases:
        toks = str(ph).lower().split()
        if toks:
            out.add(toks[-1].lstrip(_TRIM))
            out.add(toks[-1])
    return out


def _first_signs(*word_lists) -> str:
    """The first characters of the words that are no word characters, escaped for a character class."""
    signs = {str(w)[0] for words in word_lists for w in words if str(w) and not re.match(r"\w", str(w)[0])}
    return "".join(re.escape(c) for c in sorted(signs))


def _phrase_ends(lang: Language, qualifiers, cues, openers) -> dict[str, frozenset[str]]:
    """The last words of each kind of phrase looked for right before a number (see Patterns)."""
    phrases = {"identifier": lang.words("identifier_before"), "call": lang.words("call_verbs"),
               "era": [str(w) for w in lang.get("era_before") or []], "negative": lang.words("negative_words"),
               "qualifier": list(qualifiers), "cue": list(cues) + list(qualifiers), "opener": list(openers),
               "age": lang.words("age_before"),
               "perfect": lang.words("irregular_participles") + list(qualifiers)}
    ends = {k: frozenset(_last_words(v)) for k, v in phrases.items()}
    ends["negative"] |= {"-", "−"}
    return ends


def _case_alt(words) -> str:
    return alternation(list(words)) if words else r"(?!x)x"


def _cue_pattern(cues: list[str]) -> re.Pattern:
    """Temperature cue words as one pattern: a word written with a final ``*`` is a stem that takes any
    ending ("temperatur*": temperaturen, temperaturene; "температур*": every case form), the others
    whole words; a written scale symbol (°C, °F) is a cue too."""
    stems = [w[:-1] for w in cues if w.endswith("*")]
    whole = [w for w in cues if not w.endswith("*")]
    return re.compile(rf"(?<!\w)(?:(?:{_case_alt(whole)})(?!\w)|(?:{_case_alt(stems)})\w*)|°[CF]", re.IGNORECASE)


@functools.cache
def patterns(lang: Language) -> Patterns:
    groups = "".join(re.escape(g) for g in lang.group_symbols)
    dec = re.escape(lang.decimal_symbol)
    digits = (
        rf"(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{dec}\d+)?|\d+(?:{dec}\d+)?)"
        if groups
        else rf"\d+(?:{dec}\d+)?"
    )
    # "9.83e-3", "2.48×10−5", "5.5x10-3", "4×10⁵"
    sci = rf"(?:[eE][-+−]?\d+|{WS}?[×x]{WS}?10(?:\^[-−]?\d+|[-−]\d+|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    number_words = lang.mapping("number_words")
    vague = [w for w, v in number_words.items() if isinstance(v, dict)]
    plain = [w for w, v in number_words.items() if not isinstance(v, dict)]
    scales_map = {k: float(v) for k, v in lang.mapping("scale_words").items()}
    fractions = {k: int(v) for k, v in lang.mapping("fraction_words").items()}
    articles = lang.words("articles_before_scale")
    joiners = lang.words("number_joiners")
    scales = _case_alt(scales_map)
    words_alt, frac_alt, art_alt = _case_alt(plain), _case_alt(fractions), _case_alt(articles)
    tok = rf"(?:{words_alt}|{scales}|{frac_alt}|{art_alt}){NOT_LETTER}"
    join = rf"(?:{WS}*-{WS}*|,?{WS}+(?:(?:{_case_alt(joiners)}){WS}+)?)"
    first = rf"(?:(?:{art_alt}){WS}+(?:{scales}|{frac_alt})|(?:{frac_alt})(?={WS}+(?:{scales}))|{words_alt}){NOT_LETTER}"
    word_expr = rf"(?:(?:{_case_alt(vague)}){NOT_LETTER}|{first}(?:{join}{tok})*)"
    word_head = rf"(?:(?:{_case_alt(vague)}){NOT_LETTER}|{first})"  # its first token: where a number starts
    multipliers = lang.words("vague_multipliers")
    shares = {_norm(k): float(Fraction(str(v))) * 100 for k, v in lang.mapping("share_words").items()}
    share_ordinals = {_norm(k): int(v) for k, v in lang.mapping("share_ordinals").items()}
    one_words = lang.words("one_unit_words")
    one_q = {_norm(k): str(v) for k, v in lang.mapping("one_unit_qualifiers").items()}
    one_alone = lang.words("one_unit_alone_after")
    one_alt = _case_alt(one_words)
    inner = rf"(?:(?:{_case_alt(one_q)}){WS}+)?" if one_q else ""
    # extra readings, before the plain ones: a vague word before a scale ("several thousand"), a share
    # ("halvparten", "every fifth", "one in five"), one of a duration ("a week"; "почти год" without article)
    extra = []
    if multipliers:
        extra.append(rf"(?P<mult>(?:{_case_alt(multipliers)}){WS}+(?P<mscale>{scales})){NOT_LETTER}")
    if shares:
        extra.append(rf"(?P<share>{_case_alt(shares)}){NOT_LETTER}")
    if share_ordinals and lang.words("share_every_words"):
        extra.append(rf"(?P<every>(?:{_case_alt(lang.words('share_every_words'))}){WS}+"
                     rf"(?P<ord>{_case_alt(share_ordinals)})){NOT_LETTER}")
    if lang.words("share_joiners"):
        ratio_tok = rf"(?:\d{{1,3}}|(?:{words_alt}){NOT_LETTER})"
        extra.append(rf"(?P<ratio>(?P<rn>{ratio_tok}){WS}+(?:{_case_alt(lang.words('share_joiners'))}){WS}+"
                     rf"(?P<rd>{ratio_tok}))(?!\d|[.,]\d|{WS}*-)")
    if one_words and lang.words("one_unit_articles"):
        extra.append(rf"(?P<one>(?:{_case_alt(lang.words('one_unit_articles'))})(?={WS}+{inner}(?:{one_alt}){NOT_LETTER}))")
    if one_words and one_alone:
        extra.append(rf"(?P<alone>(?=(?:{one_alt}){NOT_LETTER}))")
    figures = (
        rf"(?P<frac>(?:(?P<fw>\d{{1,3}})(?:{WS}|-))?(?P<fn>\d{{1,3}})/(?P<fd>\d{{1,3}})(?![\d/]))"
        rf"|(?P<vul>(?P<vw>\d{{1,3}})?(?P<vf>[{VULGAR}]))"
        rf"|(?P<digits>{digits}{sci}?)(?!\d|[.,/]\d)"
    )
    plain_alt = rf"{figures}|(?P<word>{word_expr})"
    scale_tail = rf"(?P<scale>(?:{WS}+(?:{scales}){NOT_LETTER})*)(?!\d|[.,]\d)"
    # a number starts with a word character, a fraction sign or the first character of one of its words:
    # tested first, it spares every alternative at each space and sign the search passes over
    firsts = _first_signs(plain, vague, scales_map, fractions, articles, multipliers, shares, one_words,
                          lang.words("share_every_words"), lang.words("one_unit_articles"))
    lead = rf"(?=[\w{VULGAR}{firsts}])(?<![\w.,/:+])(?<![^\W\d_]-)"
    extras = "".join(f"{e}|" for e in extra)
    number = re.compile(rf"{lead}(?:{extras}{plain_alt}){scale_tail}", re.IGNORECASE)
    # where a number may start: the same but that a number in words is only its first word, so that
    # finding the next number never reads a run of number words to its end; its other readings are
    # those of ``number`` (the same alternatives in the same order)
    number_start = re.compile(rf"{lead}(?:(?:{extras}{figures}){scale_tail}|(?P<word>{word_head}))", re.IGNORECASE)
    # the plain readings alone: what a number is read as where an extra reading fails ("fire av tolv")
    number_plain = re.compile(rf"{lead}(?:{plain_alt}){scale_tail}", re.IGNORECASE) if extra else number
    word_token = re.compile(rf"(?<![^\W\d_])(?:{_case_alt(vague)}|{tok})", re.IGNORECASE)
    qual_b_map = {_norm(k): str(v) for k, v in lang.mapping("qualifiers_before").items()}
    qual_a_map = {_norm(k): str(v) for k, v in lang.mapping("qualifiers_after").items()}
    qual_b, qual_a = _case_alt(qual_b_map), _case_alt(qual_a_map)
    approx_b = [k for k, v in qual_b_map.items() if v == "approx"]
    articles_alt = _case_alt(lang.words("articles"))
    range_words = lang.words("range_joiners")
    sym_joiners = "".join(re.escape(j) for j in range_words if not j[0].isalpha() and len(j) == 1)
    word_joiners = _case_alt([j for j in range_words if j[0].isalpha() or len(j) > 1])
    openers = {k: str(v) for k, v in lang.mapping("range_openers").items()}
    units = _unit_table(lang)
    symbols = {str(k): Unit("unit", str(v)) for k, v in (lang.get("unit_symbols") or {}).items()}
    power_before = {_norm(k): int(v) for k, v in lang.mapping("power_before").items()}
    power_after = {_norm(k): int(v) for k, v in lang.mapping("power_after").items()}
    # "a 3,500-nautical-mile detour": the words of a unit may be joined by hyphens when it qualifies a noun
    multi = [w for w in units if " " in w]
    unit_alt = (rf"(?:{_case_alt(units)}|(?-i:{_case_alt(symbols)})"
                + (rf"|{alternation([w.replace(' ', '-') for w in multi])}" if multi else "") + ")")
    per_units = [w for w, u in units.items() if u.category in ("unit", "duration")]
    per_alt = rf"(?:{_case_alt(per_units)}|(?-i:{_case_alt(symbols)}))"
    currencies = lang.mapping("currencies")
    # signs and codes stand before the number: "$ 5", "c $ 1.34", "USD 200", "kr 500"
    cur_before = [w for w in currencies if not re.match(r"\w", w)] + lang.words("currency_before")
    ident = _case_alt(lang.words("identifier_before"))
    not_after = _case_alt(lang.words("not_quantity_after"))
    places = _case_alt(lang.words("subject_prepositions"))
    cue_kinds = {w: kind for kind in ("rising", "falling", "correction", "previous") for w in lang.words(kind)}
    age_raw = lang.get("age_after") or {}
    age_units = {_norm(k) if k.strip() else k: str(v) for k, v in age_raw.items()} if isinstance(age_raw, dict) \
        else {_norm(k): "year" for k in age_raw}
    age_alt = _case_alt([str(k) for k in age_raw])
    scale_suffixes = {str(k): float(v) for k, v in (lang.get("scale_suffixes") or {}).items()}
    money_suffixes = {str(k).lower(): float(v) for k, v in (lang.get("money_scale_suffixes") or {}).items()}
    temp_cues = lang.words("temperature_cues")
    scaled_money = {_norm(k): Unit("currency", str(v)) for k, v in lang.mapping("scaled_currency_words").items()}
    return Patterns(
        number=number,
        number_start=number_start,
        number_plain=number_plain,
        one_article=re.compile(rf"(?:{_case_alt(lang.words('one_unit_articles'))}){WS}+", re.IGNORECASE),
        word_token=word_token,
        qualifier_before=re.compile(rf"(?:^|(?<=[\s(\"'«„]))(?P<q>{qual_b}){WS}+$", re.IGNORECASE),
        qualifier_after=re.compile(rf"{WS}+(?P<q>{qual_a})\b", re.IGNORECASE),
        range_after=re.compile(
            rf"(?:{WS}*[{sym_joiners}]{WS}*|{WS}*(?:{word_joiners}){WS}+)" if sym_joiners else
            rf"{WS}+(?:{word_joiners}){WS}+",
            re.IGNORECASE,
        ),
        range_opener=re.compile(rf"(?:^|(?<=\s))(?P<o>{_case_alt(openers)}){WS}+$", re.IGNORECASE),
        unit_after=re.compile(
            rf"(?:{WS}?|-)(?:(?P<br>[(\[{{<])(?={unit_alt}[)\]}}>]))?(?:(?P<pre>{_case_alt(power_before)}){WS}+)?"
            rf"(?P<u>{unit_alt})(?P<post>\^?[23²³](?![\d\w])|{WS}+(?:{_case_alt(power_after)}){NOT_LETTER})?"
            rf"{NOT_LETTER}(?!-\w|\d)(?(br)[)\]}}>])",
            re.IGNORECASE,
        ),
        per_after=re.compile(
            rf"(?:{WS}*/{WS}*|{WS}+(?:{_case_alt(lang.words('per_words'))}){WS}+)(?P<u>{per_alt}){NOT_LETTER}",
            re.IGNORECASE,
        ),
        scale_after_currency=re.compile(rf"{WS}+((?:{scales}){NOT_LETTER}\.?)", re.IGNORECASE),
        cents_end=re.compile(rf"{WS}*(?:[.,;:!?)]|$)|{WS}+(?:{_case_alt(lang.words('stopwords'))}){NOT_LETTER}",
                             re.IGNORECASE),
        compound_join=re.compile(rf",?{WS}+(?:(?:{_case_alt(joiners)}){WS}+)?", re.IGNORECASE),
        # its first character tested first: the search runs over the few characters before every figure
        currency_before=re.compile(rf"(?=[{''.join(sorted({re.escape(str(c)[0]) for c in cur_before if c}))}])"
                                   rf"(?<![^\W\d_])(?P<c>{_case_alt(cur_before)}){WS}?$", re.IGNORECASE)
        if cur_before else re.compile(r"(?!x)x"),
        age_before=re.compile(rf"\b(?:{_case_alt(lang.words('age_before'))}){WS}+$", re.IGNORECASE),
        age_after=re.compile(rf"(?:{age_alt}){NOT_LETTER}", re.IGNORECASE),
        identifier_before=re.compile(rf"(?:^|(?<=[\s(]))(?:{ident}){WS}*$|[A-Za-zА-Яа-я]-$", re.IGNORECASE),
        call_before=re.compile(rf"(?:^|(?<=[\s(]))(?:{_case_alt(lang.words('call_verbs'))}){WS}+$", re.IGNORECASE),
        era_before=re.compile(rf"(?<![^\W\d_])(?:{alternation([str(w) for w in lang.get('era_before') or []])}){WS}*$")
        if lang.get("era_before") else None,
        era_after=re.compile(rf"{WS}*(?:{alternation([str(w) for w in lang.get('era_after') or []])}){NOT_LETTER}")
        if lang.get("era_after") else None,
        share_join=re.compile(rf"{WS}+(?P<j>{_case_alt(lang.words('share_joiners'))}){WS}+", re.IGNORECASE),
        one_unit_not_before=re.compile(rf"(?:{WS}*-|{WS}*(?:{_case_alt(lang.words('one_unit_not_before'))}){NOT_LETTER})",
                                       re.IGNORECASE) if lang.words("one_unit_not_before") else None,
        one_unit_not_after=re.compile(rf"(?:^|(?<=\s))(?:{_case_alt(lang.words('one_unit_not_after'))}){WS}+$",
                                      re.IGNORECASE) if lang.words("one_unit_not_after") else None,
        one_unit_inner=re.compile(rf"{WS}+(?P<q>{_case_alt(one_q)})(?={WS})", re.IGNORECASE) if one_q else None,
        not_after=re.compile(rf"{WS}*(?:{not_after})\b", re.IGNORECASE),
        subject_word=re.compile(r"[^\W\d_][\w'’\-]*"),
        units=units,
        symbols=symbols,
        cue_before=re.compile(
            rf"(?:^|(?<=[\s(,]))(?P<cue>{_case_alt(cue_kinds)}){WS}+(?:(?:{qual_b}){WS}+)?$", re.IGNORECASE
        ),
        cue_kinds=cue_kinds,
        perfect_before=_perfect_pattern(lang, qual_b),
        age_subject=re.compile(rf"(?:^|(?<=[\s,;(]))(?:{_case_alt(lang.words('age_subjects'))}){WS}+$", re.IGNORECASE)
        if lang.words("age_subjects") else None,
        cue_heading=re.compile(
            rf"(?:^|(?<=[\s(,]))(?P<cue>{_case_alt(lang.words('correction'))}){WS}*:{WS}*$", re.IGNORECASE
        ) if lang.words("correction") else None,
        negative_before=re.compile(
            rf"(?:(?:^|(?<=\s))(?:{_case_alt(lang.words('negative_words'))}){WS}+|(?:^|(?<=\s))[\-−])$", re.IGNORECASE
        ),
        spaced_minus=re.compile(rf"(?:^|(?<=\s))[\-−]{WS}$"),
        scale_suffix=re.compile(rf"(?-i:{_case_alt(scale_suffixes)}){NOT_LETTER}") if scale_suffixes else None,
        money_suffix=re.compile(rf"(?:{_case_alt(money_suffixes)}){NOT_LETTER}", re.IGNORECASE)
        if money_suffixes else None,
        temperature_cue=_cue_pattern(temp_cues),
        # a place is a capitalised word (the isupper check is in _subject): any script
        place_after=re.compile(rf"{WS}+(?P<p>(?:{places}){WS}+(?:(?:{articles_alt}){WS}+)?(?P<w1>[^\W\d_][\w\-’']*))"
                               rf"(?:{WS}+(?P<w2>[^\W\d_][\w\-]*))?"),
        of_lead=re.compile(rf"{WS}+(?:{_case_alt(lang.words('partitive_words'))}){WS}+(?:(?:{articles_alt}){WS}+)?",
                           re.IGNORECASE),
        conversion_gap=re.compile(rf"\s*[(\[]\s*(?:(?:{_case_alt(approx_b)}|~)\s*)?", re.IGNORECASE),
        time_before=re.compile(rf"(?<!\w)(?:{_case_alt(lang.words('time_words_before'))}){WS}*$", re.IGNORECASE),
        time_or_phone=re.compile(rf"\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d)|\d{{1,2}}(?:[.:]\d{{2}})?{WS}?"
                                 rf"(?:{_case_alt(lang.words('time_words_after'))})(?!\w)|{_LOCAL_PHONE}"
                                 r"|(?P<dot>\d{1,2}\.\d{2}(?!\d))", re.IGNORECASE),
        number_words=number_words,
        scales=scales_map,
        fractions=fractions,
        ordinal_fractions=frozenset(fractions) & frozenset(lang.mapping("day_words")),
        multipliers=frozenset(multipliers),
        shares=shares,
        share_ordinals=share_ordinals,
        partitives=frozenset(lang.words("partitive_words")),
        one_unit_words=frozenset(_norm(w) for w in one_words),
        one_unit_qualifiers=one_q,
        one_unit_alone_after=frozenset(_norm(w) for w in one_alone),
        rate_phrases=frozenset(_norm(w) for w in lang.mapping("rate_after")),
        articles=frozenset(articles),
        joiners=frozenset(joiners),
        weak=frozenset(lang.words("weak_number_words")),
        qualifiers_before=qual_b_map,
        qualifiers_after=qual_a_map,
        range_openers=openers,
        closers={_norm(k): re.compile(rf"{WS}+{re.escape(v)}{WS}+", re.IGNORECASE) for k, v in openers.items()},
        age_units=age_units,
        scale_suffixes=scale_suffixes,
        money_suffixes=money_suffixes,
        power_before=power_before,
        power_after=power_after,
        ambiguous_units=frozenset(lang.words("ambiguous_units")),
        cue_symbols=frozenset(str(w) for w in lang.get("symbols_need_temperature_cue") or []),
        scaled_money=scaled_money,
        phrase_ends=_phrase_ends(lang, qual_b_map, cue_kinds, openers),
        participle_endings=tuple(str(w).lower() for w in lang.words("participle_endings")),
        currency_reach=max((len(str(w)) for w in cur_before), default=0) + 1,
        currency_words=frozenset(_last_words(cur_before)),
        ambiguous_degrees=frozenset(_norm(w) for w in lang.words("ambiguous_degree_units")),
        default_temperature=str(lang.get("default_temperature_unit") or "degree_Celsius"),
        stopwords=frozenset(lang.words("stopwords")),
        months=frozenset(lang.months),
        group_symbols=tuple(lang.group_symbols),
        decimal_symbol=lang.decimal_symbol,
    )


@dataclass
class Number:
    value: float
    precision: float
    open_low: float | None  # set for vague words ("hundreds of")
    open_high: float | None
    end: int  # where the number ends in the text (a words number may be cut short of its match)
    weak: bool  # a weak word alone ("one", "half"): a count only before a unit
    scaled: bool  # a scale word was written ("5 million", "five thousand")
    # how it was written: digits, frac, vul, word, mult ("several thousand"), share (a percentage of a
    # whole: "halvparten", "every fifth", "one in five"), one (the one of "a week", "почти год")
    reading: str = "digits"
    # how far the reading looked: the end of the word that stopped a number in words ("hundred" in "one
    # hundred and one hundred"), -1 for the end of its match; what lies beyond cannot change the reading
    reach: int = -1


_UNICODE_MINUS = str.maketrans({"−": "-", "⁻": "-", "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                                "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"})


_SCI = re.compile(r"[ \t\u00a0\u202f]?[×x][ \t\u00a0\u202f]?10\^?|e(?=[-+−]?\d)")


def _digits_value(raw: str, p: Patterns) -> tuple[float, float]:
    """(value, precision) of digits as written, in the language's separators, maybe in scientific notation."""
    exp = 0
    if raw.isdigit() and raw.isascii():
        value = float(raw)  # most figures: digits alone, no separator, no exponent
    else:
        low = raw.lower()
        sm = _SCI.search(low) if ("e" in low or "x" in low or "×" in low) else None
        if sm:
            exp = int(low[sm.end():].translate(_UNICODE_MINUS))
            raw = raw[:sm.start()]
        for g in p.group_symbols:
            raw = raw.replace(g, "")
        raw = raw.replace(p.decimal_symbol, ".")
        value = float(raw)
    if "." in raw:
        precision = 0.5 * 10 ** (-len(raw.split(".")[1]))
    else:
        # trailing zeros are rounding, but people round at most at the second significant digit:
        # "1,000 feet" is 950-1,050 feet, "240 km" 235-245 km, "60" 59.5-60.5
        digits = raw.lstrip("0")
        stripped = digits.rstrip("0")
        zeros = len(digits) - len(stripped) if stripped else 0
        precision = 0.5 * 10 ** max(0, min(zeros, len(digits) - 2))
    if exp:
        # through the decimal text, so "1e400" is infinite (left out when stored), not an OverflowError
        value, precision = float(f"{value!r}e{exp}"), float(f"{precision!r}e{exp}")
    return value, precision


_SCALE_WORD = re.compile(r"[^\W\d_]+\.?")


def _scale_value(text: str, p: Patterns) -> float:
    scale = 1.0
    for s in _SCALE_WORD.findall(text):
        s = s.lower()
        scale *= p.scales.get(s, p.scales.get(s.rstrip("."), 1.0))
    return scale


def _slot(v: float) -> float:
    """How much may still be added after a number word: "twenty" takes a unit word, "hundred" up to 99."""
    if 20 <= v < 100 and v % 10 == 0:
        return 9
    if 100 <= v < 1000 and v % 100 == 0:
        return 99  # "двести сорок", "hundre og to" written as one word
    return 0


def _words_value(m: re.Match, p: Patterns) -> tuple[float, float, float | None, float | None, int, bool, bool, int] | None:
    """Read a number in words by the usual grammar; stop before the first token that breaks it
    ("one hundred and two" is 102, "two and three" stops after "two", "one hundred and two hundred"
    after "one hundred"). The last item is the end of that token (-1 when none broke the number)."""
    base = m.start("word")
    word_text = m.group("word")
    total, cur = 0.0, 0.0
    slot: float | None = None
    prev = ""  # kind of the previous token: num, scale, frac, art
    last_scale = 0.0
    ntok = 0
    scaled = False
    good: tuple | None = None  # the last state that ends a valid number
    before_and: tuple | None = None  # the valid state before the last "and" that joined a part
    joined_by_and = False
    pos = 0
    for tm in p.word_token.finditer(word_text):
        t = " ".join(tm.group(0).lower().split())
        gap = word_text[pos:tm.start()].lower()
        pos = tm.end()
        and_join = any(j in gap.split() for j in p.joiners)
        comma = "," in gap
        if ntok == 0:
            w = p.number_words.get(t)
            if isinstance(w, dict):
                low, high = w.get("low"), w.get("high")
                lo = None if low is None else float(low)
                hi = None if high is None else float(high)
                return (lo or 0.0), 0.0, lo, hi, base + tm.end(), False, False, -1
            if t in p.articles:
                cur, slot, prev = 1.0, 0, "art"
            elif t in p.fractions and w is None:
                cur, slot, prev = 1 / p.fractions[t], 0, "frac"  # "quarter million"
            elif w is not None:
                cur, slot, prev = float(w), _slot(float(w)), "num"
            else:
                return None
        elif t in p.scales:
            s = p.scales[t]
            if and_join or comma or (prev == "scale" and s >= last_scale) or prev == "art":
                break
            if cur >= s or (cur == 0 and (s < 1000 or total == 0)):
                if joined_by_and and before_and is not None:
                    good = before_and  # "one hundred and two hundred": the "and" joins two numbers
                break
            if s < 1000:
                cur *= s
                slot = s - 1
            else:
                total += cur * s
                cur, slot = 0.0, s - 1
            last_scale, prev, scaled = s, "scale", True
            joined_by_and = False
        elif t in p.fractions:
            den = p.fractions[t]
            if prev == "art":
                cur = cur - 1 + 1 / den  # "a half", "two and a half": the article was counted as one
            elif prev == "num" and not and_join and not comma and cur <= 20 and total == 0:
                cur = cur / den
            else:
                break
            slot, prev = 0, "frac"
        elif t in p.articles:
            if not and_join or prev not in ("num", "scale"):
                break
            before_and, joined_by_and = good, True
            cur += 1.0  # "two and a half": the article stands for the fraction that must follow
            prev = "art"
            ntok += 1
            continue  # not a valid end by itself
        else:
            w = p.number_words.get(t)
            if w is None or isinstance(w, dict):
                break
            v = float(w)
            if slot is None or v > slot or not v.is_integer() or (and_join and prev != "scale") \
                    or (comma and last_scale < 1000) or prev == "frac":
                break
            if and_join:
                before_and, joined_by_and = good, True
            cur += v
            slot = _slot(v) if v < slot else 0
            prev = "num"
        ntok += 1
        if prev != "art":
            good = (total + cur, base + tm.end(), ntok, scaled, last_scale, cur)
    else:
        tm = None  # no token broke the number: it may go on beyond its match
    if good is None:
        return None
    value, end, ntok, scaled, last_scale, cur = good
    if value == 0 and ntok > 1:
        return None
    first = p.word_token.match(word_text)
    weak = ntok == 1 and first is not None and first.group(0).lower() in p.weak
    precision = 0.0 if not float(value).is_integer() else 0.5 * (last_scale if scaled and cur == 0 else 1)
    return value, precision, None, None, end, weak, scaled, -1 if tm is None else base + tm.end()


def _rounding(value: float, precision: float) -> float:
    """Half a unit of the last written digit, but of the second significant digit at the most:
    "5 million" is 4.95-5.05 million, as "5,000" is 4,950-5,050."""
    if precision <= 0.5 or not value or not math.isfinite(value):
        return precision
    return min(precision, max(0.5, 0.5 * 10 ** (math.floor(math.log10(abs(value))) - 1)))


def read_number(m: re.Match, p: Patterns) -> Number | None:
    """The value a number match stands for, or None when it is no number after all ("24/7")."""
    n = _read_number(m, p)
    if n is None or n.precision <= 0.5:
        return n
    n.precision = _rounding(n.value, n.precision)
    return n


def _ratio_term(tok: str, p: Patterns) -> int | None:
    """One side of "one in five": digits or one number word, a whole number."""
    if tok.isdigit():
        return int(tok)
    w = p.number_words.get(_norm(tok))
    return int(w) if isinstance(w, (int, float)) and float(w).is_integer() else None


def _extra_reading(m: re.Match, p: Patterns) -> Number | None:
    """The readings that are no plain number: a vague multiple of a scale, a share, the one of a unit."""
    g = m.groupdict()
    if g.get("mult") is not None:
        s = _scale_value(g["mscale"], p)
        lo, hi = 2 * s, 10 ** (math.floor(math.log10(s)) + 1) - 1  # the policy of numbers.yml: 2x to 10^k - 1
        f = _scale_value(g["scale"], p) if g["scale"] else 1.0
        return Number(lo * f, 0.0, lo * f, hi * f, m.end(), False, True, "mult")
    if g.get("share") is not None and not g["scale"]:
        return Number(p.shares[_norm(g["share"])], 0.0, None, None, m.end("share"), False, False, "share")
    if g.get("every") is not None and not g["scale"]:
        return Number(100 / p.share_ordinals[_norm(g["ord"])], 0.0, None, None, m.end("every"), False, False, "share")
    if g.get("ratio") is not None:
        n, d = _ratio_term(g["rn"], p), _ratio_term(g["rd"], p)
        joiner = p.share_join.match(m.string, m.end("rn"))
        # a joiner that is also "of" ("en av fem") makes a share only after one: "fire av tolv" are counts
        if n is None or d is None or not 0 < n < d or g["scale"] \
                or (joiner is not None and _norm(joiner.group("j")) in p.partitives and n != 1):
            return None
        return Number(100 * n / d, 0.0, None, None, m.end("ratio"), False, False, "share")
    if g.get("one") is not None or g.get("alone") is not None:
        return Number(1.0, 0.0, None, None, m.end(), False, False, "one")
    return None


def _read_number(m: re.Match, p: Patterns) -> Number | None:
    g = m.group
    raw = g("digits")
    if raw is not None:
        value, precision = _digits_value(raw, p)
        scale = _scale_value(g("scale"), p) if g("scale") else 1.0
        return Number(value * scale, precision * scale, None, None, m.end(), False, scale != 1.0)
    if g("frac") is None and g("vul") is None and g("word") is None:
        return _extra_reading(m, p)
    if g("frac") is not None:
        n, d = int(g("fn")), int(g("fd"))
        if d == 0 or n >= d:
            return None  # "24/7", "3/2" are no fractions news writes
        whole = int(g("fw")) if g("fw") else 0
        scale = _scale_value(g("scale"), p) if g("scale") else 1.0
        return Number((whole + n / d) * scale, 0.0, None, None, m.end(), False, scale != 1.0, "frac")
    if g("vul") is not None:
        whole = int(g("vw")) if g("vw") else 0
        scale = _scale_value(g("scale"), p) if g("scale") else 1.0
        return Number((whole + unicodedata.numeric(g("vf"))) * scale, 0.0, None, None, m.end(), False, scale != 1.0,
                      "vul")
    got = _words_value(m, p)
    if got is None:
        return None
    value, precision, lo, hi, end, weak, scaled, reach = got
    if end == m.end("word") and g("scale"):
        scale = _scale_value(g("scale"), p)
        value, precision, end, scaled = value * scale, max(precision, 0.5) * scale, m.end(), True
        lo = None if lo is None else lo * scale
        hi = None if hi is None else hi * scale
    return Number(value, precision, lo, hi, end, weak, scaled, "word", reach)


def parse_number(m: re.Match, lang: Language) -> tuple[float, float, float | None, float | None]:
    """(value, precision, open_low, open_high) for a number match; open_* are set for vague words."""
    n = read_number(m, patterns(lang))
    if n is None:
        raise ValueError(f"not a number: {m.group(0)!r}")
    return n.value, n.precision, n.open_low, n.open_high


def _interval(value: float, qualifier: str) -> tuple[float | None, float | None]:
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier in ("less_than", "up_to"):
        return None, value
    # bands are relative to the size of the figure, so they open the same way below zero
    if qualifier == "approx":
        return value - abs(value) * APPROX_BAND, value + abs(value) * APPROX_BAND
    if qualifier == "nearly":
        return value - abs(value) * NEARLY_BAND, value
    return value, value


@functools.lru_cache(maxsize=4096)  # a text's figures share a few values and precisions
def _clean(x: float | None) -> float | int | None:
    if x is None or not math.isfinite(x):
        return None
    if float(x).is_integer() and abs(x) < 2**53:
        return int(x)
    return float(f"{x:.12g}")  # significant digits: micrograms in kg must survive


@dataclass
class UnitRead:
    category: str
    target: str
    factor: float
    written: str
    end: int
    note: str | None = None


def _ordinal_before_unit(text: str, m: re.Match, num: Number, p: Patterns) -> bool:
    """Whether a words fraction ("a third") is an ordinal: its last word is one, a unit follows."""
    last = text[m.start():num.end].split()[-1].lower() if text[m.start():num.end].split() else ""
    return last in p.ordinal_fractions and p.unit_after.match(text, num.end) is not None


def _read_unit(text: str, pos: int, p: Patterns, digits: bool, start: int) -> UnitRead | None:
    """The unit written at ``pos`` (right after a number), with powers and "per" compounds."""
    um = p.unit_after.match(text, pos)
    if um is None:
        return None
    u = um.group("u")
    unit = p.symbols.get(u)
    if unit is None:
        key = _norm(u)
        unit = p.units.get(key)
        if unit is None and "-" in key:
            key = key.replace("-", " ")
            unit = p.units.get(key)
        if unit is None:
            return None
        if not digits and len(key) <= 2 and key.isalpha() and key not in p.one_unit_words:
            return None  # "one in five" is no inch: short abbreviations follow digits only ("et år" is a word)
        if key in p.ambiguous_units and not _unit_word_fits(text, um.end(), p):
            return None
    elif not digits:
        return None
    elif u in p.cue_symbols and not _near_temperature_cue(text, start, um.end(), p):
        return None
    if u in QUOTE_UNITS and text.count(u, max(0, text.rfind(".", 0, start)), start) % 2:
        return None  # 'the class "English 101"': the mark closes a quotation
    if not (u[0].isalnum() or u[0] == "_"):
        if not digits or _DIGIT_NEXT.match(text, um.end()):
            return None  # signs follow digits, and "1 $10" is no dollar
    target, end, note = unit.target, um.end(), None
    power = 0
    if um.group("pre"):
        power = p.power_before.get(_norm(um.group("pre")), 0)
    post = um.group("post")
    if post:
        power = {"2": 2, "3": 3, "²": 2, "³": 3}.get(post[-1]) or p.power_after.get(_norm(post), 0)
    if unit.category == "unit":
        if power:
            target = f"({target}) ** {power}"
        pm = p.per_after.match(text, end)
        if pm:
            pu = p.symbols.get(pm.group("u")) or p.units.get(_norm(pm.group("u")))
            if pu is not None:
                target, end = f"({target}) / ({pu.target})", pm.end()
        if _norm(u) in p.ambiguous_degrees and not power:
            if _near_temperature_cue(text, start, end, p):
                target = p.default_temperature
                note = f"scale not written: {p.default_temperature} assumed"
    elif power:
        return None
    return UnitRead(unit.category, target, unit.factor, text[um.start("u"):end].strip(), end, note)


_DIGIT_NEXT = re.compile(r"[ \t\u00a0]?\d")
EXTRA_READINGS = frozenset({"mult", "share", "one"})
_TRIM = "(\"'«„“‘[{<"


def _last_token(text: str, pos: int) -> str:
    """The word right before ``pos`` (lower case, opening brackets and quotes trimmed); "" after a digit or letter."""
    toks = text[max(0, pos - 24):pos].rsplit(None, 1)
    if not toks:
        return ""
    return toks[-1].lstrip(_TRIM).lower()


_SCALES_AFTER = re.compile(r"\s*\(\s*[-−]?\d+(?:[.,]\d+)?\s*°?\s*[CF]\b")
_SCALES_BEFORE = re.compile(r"[-−]?\d+(?:[.,]\d+)?\s*°?\s*[CF]\s*\(\s*$")


def _near_temperature_cue(text: str, start: int, end: int, p: Patterns) -> bool:
    """A temperature word within the sentence or the one before ("Weather got cold. Now it's -10C"),
    or the figure given on both scales ("46.2C (117.2F)": a reading in Celsius and Fahrenheit is a
    temperature whatever the words around it)."""
    if _SCALES_AFTER.match(text, end) or _SCALES_BEFORE.search(text, max(0, start - 24), start):
        return True
    return p.temperature_cue.search(text, max(0, start - 120), min(len(text), end + 80)) is not None


_NEXT_TOKEN = re.compile(r"[ \t\u00a0]+(\S+)")


def _unit_word_fits(text: str, pos: int, p: Patterns) -> bool:
    """An ambiguous unit word ("in") is a unit unless a stopword, month, number or name follows it."""
    nm = _NEXT_TOKEN.match(text, pos)
    if nm is None:
        return True
    w = nm.group(1).strip(".,;:!?)\"'")
    if not w:
        return True
    return not (w[0].isdigit() or w[0].isupper() or w.lower() in p.stopwords or w.lower() in p.months)


# a number is looked for a window at a time by its first word, and read at most LONGEST_NUMBER characters
# long: a run of number words ("one hundred and " * 6000) would otherwise be matched to its end from
# every number in it. It is read SHORT_READ characters first, and again LONGEST_NUMBER characters when
# its reading looked within READ_MARGIN of that end (more than a number word and its joiner); a number
# read in words stops at the word that breaks it, so a run of them is read a few words at a time
SEARCH_WINDOW = 2048
LONGEST_NUMBER = 300
SHORT_READ = 128
READ_MARGIN = 48


def _search_number(p: Patterns, text: str, pos: int, n: int, longest: int = LONGEST_NUMBER) -> re.Match | None:
    """The number at the first place from ``pos`` where ``p.number`` matches within ``longest``
    characters, in time bounded by the window and by ``longest`` rather than by the rest of the text."""
    while pos < n:
        stop = min(n, pos + SEARCH_WINDOW)
        sure = n if stop == n else stop - LONGEST_NUMBER  # a start after this may be cut by the window
        start = p.number_start.search(text, pos, stop)
        if start is None or start.start() >= sure:
            if stop == n:
                return None
            pos = sure
            continue
        s = start.start()
        bound = min(n, s + longest)
        if start.group("word") is None and (start.end() + READ_MARGIN <= bound or bound == n):
            return start  # a figure ends well within the bound: the match ``p.number`` makes there
        m = p.number.match(text, s, bound)
        if m is not None:
            return m
        pos = s + 1
    return None


def _next_reading(text: str, pos: int, n: int, p: Patterns, taken: Spans) -> tuple[re.Match, Number | None] | None:
    """The next number from ``pos`` that starts outside the ``taken`` spans, and its reading, read within
    SHORT_READ characters where that is the reading within LONGEST_NUMBER."""
    while True:
        m = _search_number(p, text, pos, n, SHORT_READ)
        if m is None:
            return None
        after = taken.covered_to(m.start())
        if after == m.start():
            break
        pos = after  # a number that starts inside a date is none, whatever it reads: go on after the date
    num = read_number(m, p)
    bound = m.start() + SHORT_READ
    if bound < n and (m.end() if num is None or num.reach < 0 else num.reach) + READ_MARGIN > bound:
        again = p.number.match(text, m.start(), min(n, m.start() + LONGEST_NUMBER))
        if again is not None:
            m, num = again, read_number(again, p)
    return m, num


def find_quantities(text: str, lang: Language, taken: list[tuple[int, int]] | None = None) -> list[Claim]:
    """Every quantity in ``text`` outside the ``taken`` spans (dates found before)."""
    p = patterns(lang)
    phones = [m.span() for m in _PHONE_ANYWHERE.finditer(text)] if "-" in text or "+" in text else []
    spans = Spans((taken or []) + phones)
    claims: list[Claim] = []
    pos = 0
    n = len(text)
    while True:
        found = _next_reading(text, pos, n, p, spans)
        if found is None:
            break
        m, num = found
        pos = max(m.end(), m.start() + 1)  # "почти год": the one of a unit alone is an empty match
        claim = None if num is None else _quantity_at(text, m, num, p, spans, lang, claims[-1].end if claims else -1)
        if claim is None and (num is None or num.reading in EXTRA_READINGS) and p.number_plain is not p.number:
            # no share, no "a week" here ("fire av tolv gutter", "twice a day"): read it as a plain number
            pos = max(m.end(), m.start() + 1) if num is None or num.reading == "one" else m.start() + 1
            m = p.number_plain.match(text, m.start(), min(n, m.start() + LONGEST_NUMBER))
            num = None if m is None else read_number(m, p)
            if num is None:
                continue
            pos = m.end()
            claim = _quantity_at(text, m, num, p, spans, lang, claims[-1].end if claims else -1)
        if num is not None and num.end < m.end():
            pos = num.end  # the rest of a words match is read again ("two" after "one hundred and")
        if claim is None:
            continue
        if claims and _is_conversion_of(text, claims[-1], claim, p):
            claims[-1].pair = len(claims)
            claims[-1].pair_role = "stated"
            claim.pair = len(claims) - 1
            claim.pair_role = "conversion"
            claim.subject = claim.subject or claims[-1].subject
            claims[-1].subject = claims[-1].subject or _subject(text, claim, lang, p)
        claims.append(_written_age(text, claim, p))
        pos = max(pos, claim.end)
    return claims


# a capitalised word inside a sentence (a word, not a stop, before it), then "(": a name, not "Rescuers ("
_NAME_THEN_BRACKET = re.compile(r"[^\W\d_][,]?[ \t\u00a0]+[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+[ \t\u00a0]*\($")


_NAME_THEN_COMMA = re.compile(r"[^\W\d_][ \t\u00a0]+[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+,[ \t\u00a0]*$")


def _written_age(text: str, c: Claim, p: Patterns) -> Claim:
    """Ages the press writes as a bare number: "Saman Kunan (38)" (all three languages), "Gordon Reimer,
    68, died" (a name's apposition), "he was 81" (a person's pronoun and its copula, cues.yml
    ``age_subjects``). Read as counts, they joined tolls ("38" beside "omkom")."""
    if c.kind == "duration" and c.norm_unit == "s" and c.low == c.high and c.low and p.age_subject is not None:
        years = float(c.low) / YEAR_SECONDS
        if abs(years - round(years)) < 1e-6 and 1 <= years <= 119 and p.age_subject.search(
                text, max(0, c.start - 40), c.start):
            c.kind, c.norm_unit, c.precision = "age", "year", 0.5  # "ему было 67 лет": an age, not a duration
            c.low = c.high = int(round(years))
        return c
    if c.kind != "count" or c.qualifier != "exact" or not c.text.isdigit() or not 1 <= int(c.text) <= 119:
        return c
    after = text[c.end:c.end + 1]
    before = text[max(0, c.start - 40):c.start]
    if not ((after == ")" and _NAME_THEN_BRACKET.search(before))
            or (after == "," and _NAME_THEN_COMMA.search(before))
            or (after in ("", ".", ",", ";") and p.age_subject is not None and p.age_subject.search(before))):
        return c
    c.kind, c.unit, c.norm_unit, c.precision = "age", None, "year", 0.5
    return c


def _next_number(text: str, at: int, p: Patterns) -> tuple[re.Match, Number] | None:
    m2 = p.number.match(text, at)
    if m2 is None:
        return None
    n2 = read_number(m2, p)
    return None if n2 is None or n2.open_low is not None or n2.open_high is not None else (m2, n2)


def _quantity_at(text: str, m: re.Match, num: Number, p: Patterns, taken: Spans,
                 lang: Language, prev_end: int = -1) -> Claim | None:
    start, end = m.start(), num.end
    if taken.overlaps(start, max(end, start + 1)):
        return None
    digits = m.group("digits")
    numeric = num.reading in ("digits", "frac", "vul")
    # the words before a number are looked at closely only when the last of them can end the phrase
    # looked for (a qualifier, a cue, a range opener, an identifier, a currency or a minus): most numbers
    # skip a dozen searches, and "€5" skips all but the currency's
    last = _last_token(text, start)
    dash = start > 0 and text[start - 1] in "-−"
    ends = p.phrase_ends
    if (dash or last in ends["identifier"]) and p.identifier_before.search(text, max(0, start - 40), start):
        return None
    if digits and last in ends["call"] and p.call_before.search(text, max(0, start - 40), start):
        return None  # "call 112", "ringte 112": a telephone number
    if digits and (p.era_before is not None and (dash or last in ends["era"])
                   and p.era_before.search(text, max(0, start - 8), start)
                   or p.era_after is not None and p.era_after.match(text, end)):
        return None  # "AD 79", "500 BC": a year, for the date finder
    if p.not_after.match(text, end) and not (0 < num.value < 1 or num.scaled or num.reading in EXTRA_READINGS):
        return None  # "one of the soldiers"; but "two thirds of the cake" is a quantity
    if digits and digits[0] == "0" and len(digits) > 1 and digits[1].isdigit():
        return None  # "03" in "2017-03", "007": codes, not quantities
    if not digits and 0 < num.value < 1 and p.ordinal_fractions and _ordinal_before_unit(text, m, num, p):
        return None  # "for a third day", "a fifth week": which day, not a fraction of one
    if numeric and _looks_like_time_or_phone(text, start, end, p):
        return None
    value, precision, open_low, open_high = num.value, num.precision, num.open_low, num.open_high
    scaled = num.scaled
    # "5k", "10M": a scale letter written right after the digits
    if digits and not m.group("scale") and p.scale_suffix is not None:
        sm = p.scale_suffix.match(text, end)
        if sm:
            f = p.scale_suffixes[sm.group(0)]
            value, precision, end, scaled = value * f, precision * f, sm.end(), True
    cur = p.currency_before.search(text, max(0, start - p.currency_reach), start) if last in p.currency_words else None
    lead = cur.start("c") if cur else start
    if cur and digits and not scaled and p.money_suffix is not None:
        sm = p.money_suffix.match(text, end)
        if sm:
            f = p.money_suffixes[sm.group(0).lower()]
            value, precision, end, scaled = value * f, precision * f, sm.end(), True
    lb = max(0, lead - 40)
    if cur:
        last, dash = _last_token(text, lead), lead > 0 and text[lead - 1] in "-−"
    neg = p.negative_before.search(text, lb, lead) if (dash or last in ends["negative"]) \
        and open_low is None and open_high is None else None
    if neg:
        value = -value
        lead = neg.start()
        last = _last_token(text, lead)  # the phrases before it now end before the minus
    spaced_neg = None if neg or last not in ("-", "−") else p.spaced_minus.search(text, max(0, lead - 3), lead)
    vague = open_low is not None or open_high is not None
    if vague and num.reading == "word" and _DIGIT_NEXT.match(text, end):
        return None  # "scores of 90 and 85": a noun before figures, no vague count
    qualifier = "exact"
    q_start = lead
    qm = p.qualifier_before.search(text, lb, lead) if last in ends["qualifier"] else None
    cue = p.cue_before.search(text, lb, lead) if last in ends["cue"] else None
    if cue is None:
        cue = _heading_cue(text, lead, p)
    perfect = p.perfect_before.search(text, max(0, lead - 40), lead) if cue is None and p.perfect_before and (
        last in ends["perfect"] or last.endswith(p.participle_endings)) else None
    if cue and qm and qm.start("q") < cue.end("cue"):
        qm = None  # "возросло до 2300": the "до" belongs to "rose to", it is no "up to"
    if qm:
        qualifier = p.qualifiers_before[_norm(qm.group("q"))]
        q_start = qm.start("q")
    # range: "4,000-5,000", "between 4,000 and 5,000"
    high_value = None
    span_end = end
    rm = p.range_after.match(text, end)
    opener = p.range_opener.search(text, lb, lead) if not qm and last in ends["opener"] else None
    if opener:
        closer = p.closers.get(_norm(opener.group("o")))
        cm = closer.match(text, end) if closer else None
        if cm:
            rm = cm
    if num.reading == "one":
        one = _one_unit(text, m, num, p, qm, prev_end)
        if one is None:
            return None
        span_end, inner_q = one
        if inner_q:
            qualifier = inner_q
    elif rm and not vague and num.reading != "share":
        nxt = _next_number(text, rm.end(), p)
        if nxt is not None:
            m2, n2 = nxt
            v2 = n2.value
            if n2.scaled and not scaled:  # "4-5 million": the scale of the second applies to the first
                ratio = _scale_value(m2.group("scale"), p) if m2.group("scale") else 1.0
                value, precision = value * ratio, precision * ratio
            if v2 >= value and not taken.overlaps(m2.start(), n2.end):
                high_value = v2
                precision = min(precision, n2.precision)
                span_end = n2.end
                if opener:
                    q_start = opener.start("o")
    # what is counted or measured
    kind, unit_written, norm_unit, conv = "count", None, "count", None
    note = None
    share = num.reading == "share"
    if not share and high_value is None and not scaled and 0 < value < 1 and not cur \
            and num.reading in ("word", "frac", "vul"):
        # "a third of the town", "more than half of the houses": a share; "a quarter of an hour": of the unit.
        # Only a fraction in words is a share: "1/40 of the wavelength" is a ratio of measures, a number
        fm = p.of_lead.match(text, span_end)
        base = fm.end() if fm else span_end
        am1 = p.one_article.match(text, base + (0 if fm else 1)) if base + 1 <= len(text) else None
        at = am1.end() - 1 if am1 else base  # the unit reading starts at the space before the unit word
        u1 = _read_unit(text, at, p, False, start) if fm or am1 else None
        if u1 is not None:
            if p.one_unit_not_before is not None and p.one_unit_not_before.match(text, u1.end):
                return None  # "half an hour later": a relative date
            span_end = at
        elif fm and num.reading == "word" and not (len(fm.group(0).split()) == 1 and _DIGIT_NEXT.match(text, fm.end())):
            # "a third of the 400 ships" is a share of them; "half of 2015", "half of 300" (no article) are not
            share = True
            value, precision = value * 100, precision * 100
    elif share:
        if _read_unit(text, span_end, p, False, start) is not None:
            if p.shares.get(_norm(text[start:end])) is None:
                return None  # "every second day", "one in five days": a frequency, no share
            share = False  # "четверть часа": a quarter of an hour
            value, precision = value / 100, precision / 100
    unit_end = span_end
    am = None if share else p.age_after.match(text, span_end)
    unit = None if am or cur or share else _read_unit(text, span_end, p, numeric, start)
    if am:
        age_unit = p.age_units.get(_norm(am.group(0)) if am.group(0).strip() else am.group(0), "year")
        kind, unit_written, norm_unit = "age", am.group(0).strip(" -"), "year"
        unit_end = am.end()
        if age_unit != "year":
            f = conversion(age_unit).factor / conversion("year").factor
            value, precision = value * f, precision * f
            high_value = None if high_value is None else high_value * f
    elif (q_start != lead or last in ends["age"]) and p.age_before.search(text, max(0, q_start - 20), q_start):
        kind, norm_unit = "age", "year"
    elif cur:
        cu = p.units.get(_norm(cur.group("c")))
        if cu is None or cu.category != "currency":
            return None
        kind, unit_written, norm_unit = "money", cur.group("c"), cu.target
        value, precision = value * cu.factor, precision * cu.factor
        high_value = None if high_value is None else high_value * cu.factor
        q_start = min(q_start, cur.start("c"))
    elif share:
        kind, norm_unit = "percent", "percent"
    elif unit is not None:
        if unit.category == "duration" and num.reading == "word" and 0 < value < 1 \
                and p.one_unit_not_before is not None and p.one_unit_not_before.match(text, unit.end):
            return None  # "et halvt år etter", "half a year later": a relative date, as "a week later"
        unit_written = unit.written
        unit_end = unit.end
        if unit.category == "percent":
            kind, norm_unit = "percent", "percent"
        elif unit.category == "currency":
            kind, norm_unit = "money", unit.target
            ms = p.scale_after_currency.match(text, unit_end) if not scaled else None
            if ms:  # "75 USD million"
                f = _scale_value(ms.group(1), p)
                value, precision, unit_end, scaled = value * f, precision * f, ms.end(), True
            value, precision = value * unit.factor, precision * unit.factor
            high_value = None if high_value is None else high_value * unit.factor
        elif scaled and _norm(unit.written) in p.scaled_money:
            kind, norm_unit = "money", p.scaled_money[_norm(unit.written)].target
        else:
            conv = conversion(unit.target)
            kind, norm_unit, note = conv.dimension, conv.base_unit, unit.note
            if kind == "temperature" and spaced_neg is not None:
                value, q_start = -value, min(q_start, spaced_neg.start())
            # "44 mg to 50 mg", "between 44 mg and 50 mg": the range closes after the unit
            if high_value is None and not vague:
                rm2 = p.range_after.match(text, unit_end)
                if opener:
                    closer = p.closers.get(_norm(opener.group("o")))
                    cm = closer.match(text, unit_end) if closer else None
                    rm2 = cm or rm2
                nxt = _next_number(text, rm2.end(), p) if rm2 else None
                if nxt is not None:
                    u2 = _read_unit(text, nxt[1].end, p, nxt[0].group("word") is None, nxt[0].start())
                    if u2 is not None and u2.target == unit.target and nxt[1].value >= value:
                        high_value, unit_end = nxt[1].value, u2.end
                        precision = min(precision, nxt[1].precision)
                        if opener:
                            q_start = opener.start("o")
            # "5 ft 2 in", "5 feet and 2 inches", "2 hours 30 minutes": one amount in two units
            if high_value is None and not vague:
                jm = p.compound_join.match(text, unit_end)
                nxt = _next_number(text, jm.end(), p) if jm else None
                if nxt is not None:
                    u2 = _read_unit(text, nxt[1].end, p, nxt[0].group("word") is None, nxt[0].start())
                    if u2 is not None and u2.category == unit.category == "unit" and u2.target != unit.target \
                            and "/" not in unit.target + u2.target:
                        c2 = conversion(u2.target)
                        ratio = conv.factor / c2.factor
                        decimal = abs(math.log10(ratio) - round(math.log10(ratio))) < 1e-9 if ratio > 0 else True
                        # metric amounts are written as one decimal: "12 m 2 dm" are two figures
                        if c2.dimension == conv.dimension and not c2.offset and not conv.offset and not decimal \
                                and 0 <= nxt[1].value * c2.factor < conv.factor:
                            value += nxt[1].value * c2.factor / conv.factor
                            precision = nxt[1].precision * c2.factor / conv.factor
                            unit_end = u2.end
    elif num.weak:
        return None
    if num.reading == "one" and conv is not None and high_value is None:
        # "a week or two", "a day or two": one to that many of the unit
        rm2 = p.range_after.match(text, unit_end)
        nxt = _next_number(text, rm2.end(), p) if rm2 else None
        if nxt is not None and nxt[1].value > 1 and float(nxt[1].value).is_integer() \
                and _read_unit(text, nxt[1].end, p, True, nxt[0].start()) is None:
            high_value, unit_end = nxt[1].value, nxt[1].end
    cents_ok = kind == "money" and unit_written is not None and unit_written[:1].isalpha() and not scaled
    if kind == "money" and high_value is None and not vague:
        # "3 dollars 50 cents", "thirteen dollars and forty-five cents"
        jm = p.compound_join.match(text, unit_end)
        nxt = _next_number(text, jm.end(), p) if jm else None
        if nxt is not None:
            u2 = _read_unit(text, nxt[1].end, p, nxt[0].group("word") is None, nxt[0].start())
            if u2 is not None and u2.category == "currency" and u2.target == norm_unit and u2.factor < 1:
                value += nxt[1].value * u2.factor
                precision = nxt[1].precision * u2.factor
                unit_end = u2.end
            elif u2 is None and cents_ok and nxt[1].value.is_integer() and 0 < nxt[1].value < 100 \
                    and p.cents_end.match(text, nxt[1].end):
                value += nxt[1].value / 100  # "15 dollars 50": the cents follow without their word
                precision = 0.005
                unit_end = nxt[1].end
    if numeric and unit_end == end and end < len(text) and text[end].isalpha():
        return None  # "3D", "4G", "1990s": digits glued to letters that are no unit
    if kind == "count" and digits and _is_bare_year_like(m, lang) and high_value is None and not scaled \
            and not cue:  # "nedjustert til 1800": a figure framed as one is no year
        # a four-digit number with nothing counted after it is left to the date finder, and one
        # before a name ("the 2022 World Cup") is a year used as a name
        nxt_word = p.subject_word.match(text[unit_end:unit_end + 40].lstrip())
        if not nxt_word or nxt_word.group(0)[0].isupper():
            return None
    if vague and (kind == "count" or conv is not None):
        # "hundreds of people", "several thousand", "dozens of kilometres": the policy interval of numbers.yml
        low, high = open_low, open_high
        if qualifier in ("more_than", "at_least"):  # "at least several hundred years": from the policy's low
            high = None
        elif qualifier in ("less_than", "up_to"):
            low = None
        else:
            qualifier = "at_least" if high is None else "range"
    elif high_value is not None:
        low, high = value, high_value
        qualifier = "range" if qualifier == "exact" else qualifier
        if qualifier in ("more_than", "at_least"):
            high = None
        elif qualifier in ("less_than", "up_to"):
            low = None
    else:
        low, high = _interval(value, qualifier)
    qa = p.qualifier_after.match(text, unit_end)
    if qa and qualifier == "exact":
        qualifier = p.qualifiers_after[_norm(qa.group("q"))]
        low, high = _interval(value, qualifier)
        unit_end = qa.end()
    if conv is not None:
        low = None if low is None else conv.to_base(low)
        high = None if high is None else conv.to_base(high)
        precision = precision * conv.factor
    low_out = _clean(low)
    high_out = low_out if high == low else _clean(high)  # most figures are one value
    claim = Claim(
        kind=kind,
        text=text[q_start:unit_end],
        start=q_start,
        end=unit_end,
        value=_clean(value) if high_value is None else f"{_fmt(value)}-{_fmt(high_value)}",
        unit=unit_written,
        qualifier=qualifier,
        low=low_out,
        high=high_out,
        norm_unit=norm_unit,
        precision=_clean(precision),
    )
    if note:
        claim.extra["scale"] = note
    claim.subject = _subject(text, claim, lang, p)
    if cue:
        phrase = _norm(cue.group("cue"))
        claim.cue = f"{p.cue_kinds[phrase]}: {phrase}"
    elif perfect:
        claim.cue = f"rising: {_norm(perfect.group('cue'))}"
    return claim


def _perfect_pattern(lang: Language, qual_b: str) -> re.Pattern | None:
    """ "has burned 21,000 hectares", "has now killed two", "har drept 40": a perfect tense right before
    a figure states a running total so far (cue kind rising), as "has risen to" does. The auxiliaries,
    the adverbs that may follow them and the participles' endings are language data (cues.yml)."""
    aux = lang.words("perfect_auxiliaries")
    endings = lang.words("participle_endings")
    if not aux or not endings:
        return None
    adverbs = lang.words("perfect_adverbs")
    irregular = lang.words("irregular_participles")
    adv = rf"(?:{WS}+(?:{_case_alt(adverbs)}))?" if adverbs else ""
    not_part = lang.words("not_participles")  # "has been 5 km away" states no total
    lead = rf"(?!(?:{_case_alt(not_part)}){NOT_LETTER})" if not_part else ""
    part = lead + rf"(?:[^\W\d_]+(?:{_case_alt(endings)})" + (rf"|{_case_alt(irregular)})" if irregular else ")")
    return re.compile(rf"(?:^|(?<=[\s(,]))(?P<cue>(?:{_case_alt(aux)}){adv}{WS}+(?:{part})){WS}+"
                      rf"(?:(?:{qual_b}){WS}+)?$", re.IGNORECASE)


def _one_unit(text: str, m: re.Match, num: Number, p: Patterns, qm: re.Match | None,
              prev_end: int) -> tuple[int, str | None] | None:
    """Where the unit of "a week", "en drøy uke", "почти год" starts and the qualifier written inside,
    or None where the words are no duration: "a week ago" (a date), "twice a day", "50 ships a day"
    (a frequency, a rate), a unit that may not stand for one of itself ("a second attack")."""
    start, end = m.start(), num.end
    inner_q = None
    if m.groupdict().get("alone") is not None:
        # no article: a qualifier written before must say it ("почти год"), else "год" is only a word
        if qm is None or _norm(qm.group("q")) not in p.one_unit_alone_after:
            return None
    elif p.one_unit_inner is not None:
        im = p.one_unit_inner.match(text, end)
        if im:
            inner_q, end = p.one_unit_qualifiers[_norm(im.group("q"))], im.end()
    um = p.unit_after.match(text, end)
    if um is None or _norm(um.group("u")) not in p.one_unit_words:
        return None
    if p.one_unit_not_before is not None and p.one_unit_not_before.match(text, um.end()):
        return None
    if p.one_unit_not_after is not None and p.one_unit_not_after.search(text, max(0, start - 20), start):
        return None
    if _norm(text[start:um.end()]) in p.rate_phrases and 0 <= prev_end and start - prev_end < 60 \
            and not any(ch in ".;:!?\n" for ch in text[prev_end:start]):
        return None  # "50 ships a day": the rate of the figure before
    return end, inner_q


def _heading_cue(text: str, lead: int, p: Patterns) -> re.Match | None:
    """A correction word heading the figure's clause: "Correction: 2,050 people died", "Данные
    уточнили: погибли 2050 человек". The colon stands in the same clause, before the figure."""
    if p.cue_heading is None:
        return None
    colon = text.rfind(":", max(0, lead - 80), lead)
    if colon < 0 or any(ch in ".;!?\n" for ch in text[colon + 1:lead]):
        return None
    return p.cue_heading.search(text, max(0, colon - 40), colon + 1)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


# "10:30", "8.50 pm", "5.30 local time" are times of day (numbers.yml time_words_after); "8.50" alone is a
# price or a decimal, and a time only after a time word ("kl. 8.50": time_words_before)
_PHONE = re.compile(r"[\d \-()]{7,}\d")
_LOCAL_PHONE = r"\d{3}[- ]\d{2}[- ]\d{2}\b|\d{2}[- ]\d{2}[- ]\d{2}[- ]\d{2}\b"  # "123-45-67"
# "+7 495 123-45-67", "(495) 123-45-67", "123-45-67": phone numbers are never quantities
_PHONE_ANYWHERE = re.compile(
    r"(?:\+\d{1,3}[ \u00a0\-]?)?(?:\(\d{2,5}\)[ \u00a0\-]?|\d{2,5}[ \u00a0\-])?\d{2,4}-\d{2}-\d{2}(?!\d)"
    r"|\+\d{1,3}(?:[ \u00a0\-]\d{2,4}){2,4}(?!\d)"
)


def _looks_like_time_or_phone(text: str, start: int, end: int, p: Patterns) -> bool:
    """Read within the 30 characters from ``start``: a time of day or a phone number is no quantity."""
    stop = start + 30
    tm = p.time_or_phone.match(text, start, stop)
    if tm is not None and (tm.group("dot") is None or p.time_before.search(text[max(0, start - 10):start])):
        return True
    return text.find("+", max(0, start - 2), start) >= 0 and _PHONE.match(text, start, stop) is not None


def _is_bare_year_like(m: re.Match, lang: Language) -> bool:
    d = m.group("digits")
    return bool(d) and len(d) == 4 and d.isdigit() and 1000 <= int(d) <= 2100 and not m.group("scale")


_CLOSE_BRACKET = re.compile(r"[ \u00a0]*[)\]]")
_NEXT_WORD = re.compile(r"[ \u00a0]*([^\W\d_][\w'’\-]*)|[ \u00a0]*(\S)")
_SPACES = re.compile(r"\s+")


def _subject(text: str, claim: Claim, lang: Language, p: Patterns) -> str | None:
    """The words that say what a figure is about: the counted noun, or "from Damascus"."""
    after = text[claim.end:claim.end + 80]
    # "240 kilometers (150 miles) from Damascus": the place follows the parenthetical
    cb = _CLOSE_BRACKET.match(after)
    if cb:
        after = after[cb.end():]
    pm = p.place_after.match(after)
    if pm and claim.kind not in ("count", "percent") and pm.group("w1")[0].isupper():
        w2 = pm.group("w2")
        return _SPACES.sub(" ", pm.group("p") + (" " + w2 if w2 and w2[0].isupper() else ""))
    words: list[str] = []
    pos = 0
    # "80% of residents": the counted thing follows "of"
    lead = p.of_lead.match(after) if claim.kind in ("percent", "count") else None
    if lead:
        pos = lead.end()
    for _ in range(2):
        wm = _NEXT_WORD.match(after, pos)
        if wm is None:
            break
        w = wm.group(1)
        if not w or w.lower() in p.stopwords:
            break
        words.append(w)
        pos = wm.end()
    return " ".join(words) if words else None


def _is_conversion_of(text: str, first: Claim, second: Claim, p: Patterns) -> bool:
    """'240 kilometers (150 miles)': the second sits in parentheses right after the first, same dimension."""
    if first.kind != second.kind or first.kind in ("count", "date") or first.unit is None:
        return False
    between = text[first.end:second.start]
    return ("(" in between or "[" in between) and p.conversion_gap.fullmatch(between) is not None
