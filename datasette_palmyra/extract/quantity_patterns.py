"""The compiled patterns and word tables of the quantity finder, built once per language.

``patterns(lang)`` gathers them in one ``Patterns``; each builder below makes the fields of one part of
a reading: the number itself, the words before it, the words after it, its unit, and its subject. The
words come from the language's data files (languages/<code>/numbers.yml and cues.yml), never from code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from fractions import Fraction

from ..language import Language, alternation

WS = r"[ \t\u00a0\u202f]"
NOT_LETTER = r"(?![^\W\d_])"
VULGAR = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
TRIM = "(\"'«„“‘[{<"  # opening brackets and quotes, trimmed from the word before a number
LOCAL_PHONE = r"\d{3}[- ]\d{2}[- ]\d{2}\b|\d{2}[- ]\d{2}[- ]\d{2}[- ]\d{2}\b"  # "123-45-67"


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
    framing_words: frozenset[str]  # the last words of qualifiers, cues and perfects (phrase_ends)
    excluding_words: frozenset[str]  # the last words of identifiers, call verbs and eras (phrase_ends)
    participle_endings: tuple[str, ...]  # "has burned": a perfect may end in any such word
    currency_reach: int  # characters a currency before a number takes, its space included
    currency_words: frozenset[str]  # last words of the currencies that may stand before a number
    ambiguous_degrees: frozenset[str]
    default_temperature: str
    stopwords: frozenset[str]
    months: frozenset[str]
    group_symbols: tuple[str, ...]
    decimal_symbol: str
    number_signs: str  # the characters no word character a number may start with (fraction signs, ...)
    # the patterns read right after a number, all tried by one match there (see _after_probe)
    after_probe: re.Pattern


@functools.lru_cache(maxsize=4096)  # the words of units and currencies, read for every figure
def norm(s: str) -> str:
    return " ".join(s.lower().split())


def case_alt(words) -> str:
    return alternation(list(words)) if words else r"(?!x)x"


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
        table[norm(word)] = Unit("unit", str(unit))
    for word, unit in lang.mapping("durations").items():
        table[norm(word)] = Unit("duration", str(unit))
    for word in lang.words("percent_words"):
        table[norm(word)] = Unit("percent", "percent")
    for word, code in lang.mapping("currencies").items():
        table[norm(word)] = _currency(code)
    return table


def last_words(phrases) -> set[str]:
    """Every form the last token before a number takes when one of ``phrases`` ends there ("$" ends "c $";
    "$" glued to the digits leaves the token before it, "costs $5")."""
    out: set[str] = set()
    for ph in phrases:
        toks = str(ph).lower().split()
        if toks:
            out.add(toks[-1].lstrip(TRIM))
            out.add(toks[-1])
    return out


def _first_signs(*word_lists) -> str:
    """The first characters of the words that are no word characters."""
    return "".join(sorted({str(w)[0] for words in word_lists for w in words if str(w) and not re.match(r"\w", str(w)[0])}))


def _phrase_ends(lang: Language, qualifiers, cues, openers) -> dict[str, frozenset[str]]:
    """The last words of each kind of phrase looked for right before a number (see Patterns)."""
    phrases = {"identifier": lang.words("identifier_before"), "call": lang.words("call_verbs"),
               "era": [str(w) for w in lang.get("era_before") or []], "negative": lang.words("negative_words"),
               "qualifier": list(qualifiers), "cue": list(cues) + list(qualifiers), "opener": list(openers),
               "age": lang.words("age_before"),
               "perfect": lang.words("irregular_participles") + list(qualifiers)}
    ends = {k: frozenset(last_words(v)) for k, v in phrases.items()}
    ends["negative"] |= {"-", "−"}
    return ends


def _cue_pattern(cues: list[str]) -> re.Pattern:
    """Temperature cue words as one pattern: a word written with a final ``*`` is a stem that takes any
    ending ("temperatur*": temperaturen, temperaturene; "температур*": every case form), the others
    whole words; a written scale symbol (°C, °F) is a cue too."""
    stems = [w[:-1] for w in cues if w.endswith("*")]
    whole = [w for w in cues if not w.endswith("*")]
    return re.compile(rf"(?<!\w)(?:(?:{case_alt(whole)})(?!\w)|(?:{case_alt(stems)})\w*)|°[CF]", re.IGNORECASE)


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
    adv = rf"(?:{WS}+(?:{case_alt(adverbs)}))?" if adverbs else ""
    not_part = lang.words("not_participles")  # "has been 5 km away" states no total
    lead = rf"(?!(?:{case_alt(not_part)}){NOT_LETTER})" if not_part else ""
    part = lead + rf"(?:[^\W\d_]+(?:{case_alt(endings)})" + (rf"|{case_alt(irregular)})" if irregular else ")")
    return re.compile(rf"(?:^|(?<=[\s(,]))(?P<cue>(?:{case_alt(aux)}){adv}{WS}+(?:{part})){WS}+"
                      rf"(?:(?:{qual_b}){WS}+)?$", re.IGNORECASE)


# -- the number itself -----------------------------------------------------------------------------

def _figures(lang: Language) -> str:
    """Digits with the locale's separators, maybe in scientific notation, fractions and fraction signs."""
    groups = "".join(re.escape(g) for g in lang.group_symbols)
    dec = re.escape(lang.decimal_symbol)
    digits = (
        rf"(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{dec}\d+)?|\d+(?:{dec}\d+)?)"
        if groups
        else rf"\d+(?:{dec}\d+)?"
    )
    # "9.83e-3", "2.48×10−5", "5.5x10-3", "4×10⁵"
    sci = rf"(?:[eE][-+−]?\d+|{WS}?[×x]{WS}?10(?:\^[-−]?\d+|[-−]\d+|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))"
    return (
        rf"(?P<frac>(?:(?P<fw>\d{{1,3}})(?:{WS}|-))?(?P<fn>\d{{1,3}})/(?P<fd>\d{{1,3}})(?![\d/]))"
        rf"|(?P<vul>(?P<vw>\d{{1,3}})?(?P<vf>[{VULGAR}]))"
        rf"|(?P<digits>{digits}{sci}?)(?!\d|[.,/]\d)"
    )


@dataclass
class _Words:
    """The number words of a language and the pieces of pattern made of them."""
    vague: list[str]
    plain: list[str]
    scales_map: dict[str, float]
    fractions: dict[str, int]
    articles: list[str]
    joiners: list[str]
    scales: str  # alternations
    words_alt: str
    tok: str  # one token of a number in words
    word_expr: str  # a whole number in words
    word_head: str  # its first token: where a number starts


def _words(lang: Language) -> _Words:
    number_words = lang.mapping("number_words")
    vague = [w for w, v in number_words.items() if isinstance(v, dict)]
    plain = [w for w, v in number_words.items() if not isinstance(v, dict)]
    scales_map = {k: float(v) for k, v in lang.mapping("scale_words").items()}
    fractions = {k: int(v) for k, v in lang.mapping("fraction_words").items()}
    articles = lang.words("articles_before_scale")
    joiners = lang.words("number_joiners")
    scales = case_alt(scales_map)
    words_alt, frac_alt, art_alt = case_alt(plain), case_alt(fractions), case_alt(articles)
    tok = rf"(?:{words_alt}|{scales}|{frac_alt}|{art_alt}){NOT_LETTER}"
    join = rf"(?:{WS}*-{WS}*|,?{WS}+(?:(?:{case_alt(joiners)}){WS}+)?)"
    first = rf"(?:(?:{art_alt}){WS}+(?:{scales}|{frac_alt})|(?:{frac_alt})(?={WS}+(?:{scales}))|{words_alt}){NOT_LETTER}"
    vague_alt = rf"(?:{case_alt(vague)}){NOT_LETTER}"
    return _Words(vague, plain, scales_map, fractions, articles, joiners, scales, words_alt, tok,
                  word_expr=rf"(?:{vague_alt}|{first}(?:{join}{tok})*)", word_head=rf"(?:{vague_alt}|{first})")


def _extra_readings(lang: Language, w: _Words) -> list[str]:
    """The readings that are no plain number, tried before the plain ones: a vague word before a scale
    ("several thousand"), a share ("halvparten", "every fifth", "one in five"), one of a duration ("a
    week"; "почти год" without article)."""
    multipliers = lang.words("vague_multipliers")
    one_words = lang.words("one_unit_words")
    one_q = lang.mapping("one_unit_qualifiers")
    one_alt = case_alt(one_words)
    inner = rf"(?:(?:{case_alt(norm(k) for k in one_q)}){WS}+)?" if one_q else ""
    every, share_ordinals = lang.words("share_every_words"), lang.mapping("share_ordinals")
    extra = []
    if multipliers:
        extra.append(rf"(?P<mult>(?:{case_alt(multipliers)}){WS}+(?P<mscale>{w.scales})){NOT_LETTER}")
    if lang.mapping("share_words"):
        extra.append(rf"(?P<share>{case_alt(norm(k) for k in lang.mapping('share_words'))}){NOT_LETTER}")
    if share_ordinals and every:
        extra.append(rf"(?P<every>(?:{case_alt(every)}){WS}+"
                     rf"(?P<ord>{case_alt(norm(k) for k in share_ordinals)})){NOT_LETTER}")
    if lang.words("share_joiners"):
        ratio_tok = rf"(?:\d{{1,3}}|(?:{w.words_alt}){NOT_LETTER})"
        extra.append(rf"(?P<ratio>(?P<rn>{ratio_tok}){WS}+(?:{case_alt(lang.words('share_joiners'))}){WS}+"
                     rf"(?P<rd>{ratio_tok}))(?!\d|[.,]\d|{WS}*-)")
    if one_words and lang.words("one_unit_articles"):
        extra.append(rf"(?P<one>(?:{case_alt(lang.words('one_unit_articles'))})(?={WS}+{inner}(?:{one_alt}){NOT_LETTER}))")
    if one_words and lang.words("one_unit_alone_after"):
        extra.append(rf"(?P<alone>(?=(?:{one_alt}){NOT_LETTER}))")
    return extra


def _number_fields(lang: Language) -> dict:
    w = _words(lang)
    extra = _extra_readings(lang, w)
    figures = _figures(lang)
    multipliers = lang.words("vague_multipliers")
    shares = {norm(k): float(Fraction(str(v))) * 100 for k, v in lang.mapping("share_words").items()}
    plain_alt = rf"{figures}|(?P<word>{w.word_expr})"
    scale_tail = rf"(?P<scale>(?:{WS}+(?:{w.scales}){NOT_LETTER})*)(?!\d|[.,]\d)"
    # a number starts with a word character, a fraction sign or the first character of one of its words:
    # tested first, it spares every alternative at each space and sign the search passes over
    firsts = _first_signs(w.plain, w.vague, w.scales_map, w.fractions, w.articles, multipliers, shares,
                          lang.words("one_unit_words"), lang.words("share_every_words"),
                          lang.words("one_unit_articles"))
    lead = rf"(?=[\w{VULGAR}{''.join(re.escape(c) for c in firsts)}])(?<![\w.,/:+])(?<![^\W\d_]-)"
    extras = "".join(f"{e}|" for e in extra)
    number = re.compile(rf"{lead}(?:{extras}{plain_alt}){scale_tail}", re.IGNORECASE)
    return dict(
        number=number,
        number_signs=VULGAR + firsts,
        # where a number may start: the same but that a number in words is only its first word, so that
        # finding the next number never reads a run of number words to its end; its other readings are
        # those of ``number`` (the same alternatives in the same order)
        number_start=re.compile(rf"{lead}(?:(?:{extras}{figures}){scale_tail}|(?P<word>{w.word_head}))",
                                re.IGNORECASE),
        # the plain readings alone: what a number is read as where an extra reading fails ("fire av tolv")
        number_plain=re.compile(rf"{lead}(?:{plain_alt}){scale_tail}", re.IGNORECASE) if extra else number,
        word_token=re.compile(rf"(?<![^\W\d_])(?:{case_alt(w.vague)}|{w.tok})", re.IGNORECASE),
        one_article=re.compile(rf"(?:{case_alt(lang.words('one_unit_articles'))}){WS}+", re.IGNORECASE),
        number_words=lang.mapping("number_words"),
        scales=w.scales_map,
        fractions=w.fractions,
        ordinal_fractions=frozenset(w.fractions) & frozenset(lang.mapping("day_words")),
        multipliers=frozenset(multipliers),
        shares=shares,
        share_ordinals={norm(k): int(v) for k, v in lang.mapping("share_ordinals").items()},
        articles=frozenset(w.articles),
        joiners=frozenset(w.joiners),
        weak=frozenset(lang.words("weak_number_words")),
        scale_after_currency=re.compile(rf"{WS}+((?:{w.scales}){NOT_LETTER}\.?)", re.IGNORECASE),
        compound_join=re.compile(rf",?{WS}+(?:(?:{case_alt(w.joiners)}){WS}+)?", re.IGNORECASE),
    )


# -- the words before a number ---------------------------------------------------------------------

def _before_fields(lang: Language) -> dict:
    qual_b_map = {norm(k): str(v) for k, v in lang.mapping("qualifiers_before").items()}
    qual_b = case_alt(qual_b_map)
    openers = {k: str(v) for k, v in lang.mapping("range_openers").items()}
    # signs and codes stand before the number: "$ 5", "c $ 1.34", "USD 200", "kr 500"
    cur_before = [w for w in lang.mapping("currencies") if not re.match(r"\w", w)] + lang.words("currency_before")
    cue_kinds = {w: kind for kind in ("rising", "falling", "correction", "previous") for w in lang.words(kind)}
    era = [str(w) for w in lang.get("era_before") or []]
    return dict(
        qualifier_before=re.compile(rf"(?:^|(?<=[\s(\"'«„]))(?P<q>{qual_b}){WS}+$", re.IGNORECASE),
        range_opener=re.compile(rf"(?:^|(?<=\s))(?P<o>{case_alt(openers)}){WS}+$", re.IGNORECASE),
        # its first character tested first: the search runs over the few characters before every figure
        currency_before=re.compile(rf"(?=[{''.join(sorted({re.escape(str(c)[0]) for c in cur_before if c}))}])"
                                   rf"(?<![^\W\d_])(?P<c>{case_alt(cur_before)}){WS}?$", re.IGNORECASE)
        if cur_before else re.compile(r"(?!x)x"),
        age_before=re.compile(rf"\b(?:{case_alt(lang.words('age_before'))}){WS}+$", re.IGNORECASE),
        identifier_before=re.compile(rf"(?:^|(?<=[\s(]))(?:{case_alt(lang.words('identifier_before'))}){WS}*$"
                                     r"|[A-Za-zА-Яа-я]-$", re.IGNORECASE),
        call_before=re.compile(rf"(?:^|(?<=[\s(]))(?:{case_alt(lang.words('call_verbs'))}){WS}+$", re.IGNORECASE),
        era_before=re.compile(rf"(?<![^\W\d_])(?:{alternation(era)}){WS}*$") if era else None,
        cue_before=re.compile(
            rf"(?:^|(?<=[\s(,]))(?P<cue>{case_alt(cue_kinds)}){WS}+(?:(?:{qual_b}){WS}+)?$", re.IGNORECASE
        ),
        cue_heading=re.compile(
            rf"(?:^|(?<=[\s(,]))(?P<cue>{case_alt(lang.words('correction'))}){WS}*:{WS}*$", re.IGNORECASE
        ) if lang.words("correction") else None,
        perfect_before=_perfect_pattern(lang, qual_b),
        age_subject=re.compile(rf"(?:^|(?<=[\s,;(]))(?:{case_alt(lang.words('age_subjects'))}){WS}+$", re.IGNORECASE)
        if lang.words("age_subjects") else None,
        negative_before=re.compile(
            rf"(?:(?:^|(?<=\s))(?:{case_alt(lang.words('negative_words'))}){WS}+|(?:^|(?<=\s))[\-−])$", re.IGNORECASE
        ),
        spaced_minus=re.compile(rf"(?:^|(?<=\s))[\-−]{WS}$"),
        time_before=re.compile(rf"(?<!\w)(?:{case_alt(lang.words('time_words_before'))}){WS}*$", re.IGNORECASE),
        one_unit_not_after=re.compile(rf"(?:^|(?<=\s))(?:{case_alt(lang.words('one_unit_not_after'))}){WS}+$",
                                      re.IGNORECASE) if lang.words("one_unit_not_after") else None,
        qualifiers_before=qual_b_map,
        range_openers=openers,
        cue_kinds=cue_kinds,
        phrase_ends=(ends := _phrase_ends(lang, qual_b_map, cue_kinds, openers)),
        framing_words=ends["qualifier"] | ends["cue"] | ends["perfect"],
        excluding_words=ends["identifier"] | ends["call"] | ends["era"],
        participle_endings=tuple(str(w).lower() for w in lang.words("participle_endings")),
        currency_reach=max((len(str(w)) for w in cur_before), default=0) + 1,
        currency_words=frozenset(last_words(cur_before)),
    )


# -- the words after a number ----------------------------------------------------------------------

def _range_after(lang: Language) -> re.Pattern:
    range_words = lang.words("range_joiners")
    sym_joiners = "".join(re.escape(j) for j in range_words if not j[0].isalpha() and len(j) == 1)
    word_joiners = case_alt([j for j in range_words if j[0].isalpha() or len(j) > 1])
    return re.compile(
        rf"(?:{WS}*[{sym_joiners}]{WS}*|{WS}*(?:{word_joiners}){WS}+)" if sym_joiners else
        rf"{WS}+(?:{word_joiners}){WS}+",
        re.IGNORECASE,
    )


def _after_fields(lang: Language) -> dict:
    qual_a_map = {norm(k): str(v) for k, v in lang.mapping("qualifiers_after").items()}
    age_raw = lang.get("age_after") or {}
    one_q = {norm(k): str(v) for k, v in lang.mapping("one_unit_qualifiers").items()}
    era = [str(w) for w in lang.get("era_after") or []]
    scale_suffixes = {str(k): float(v) for k, v in (lang.get("scale_suffixes") or {}).items()}
    money_suffixes = {str(k).lower(): float(v) for k, v in (lang.get("money_scale_suffixes") or {}).items()}
    openers = lang.mapping("range_openers")
    return dict(
        qualifier_after=re.compile(rf"{WS}+(?P<q>{case_alt(qual_a_map)})\b", re.IGNORECASE),
        range_after=_range_after(lang),
        cents_end=re.compile(rf"{WS}*(?:[.,;:!?)]|$)|{WS}+(?:{case_alt(lang.words('stopwords'))}){NOT_LETTER}",
                             re.IGNORECASE),
        age_after=re.compile(rf"(?:{case_alt([str(k) for k in age_raw])}){NOT_LETTER}", re.IGNORECASE),
        era_after=re.compile(rf"{WS}*(?:{alternation(era)}){NOT_LETTER}") if era else None,
        share_join=re.compile(rf"{WS}+(?P<j>{case_alt(lang.words('share_joiners'))}){WS}+", re.IGNORECASE),
        one_unit_not_before=re.compile(rf"(?:{WS}*-|{WS}*(?:{case_alt(lang.words('one_unit_not_before'))}){NOT_LETTER})",
                                       re.IGNORECASE) if lang.words("one_unit_not_before") else None,
        one_unit_inner=re.compile(rf"{WS}+(?P<q>{case_alt(one_q)})(?={WS})", re.IGNORECASE) if one_q else None,
        not_after=re.compile(rf"{WS}*(?:{case_alt(lang.words('not_quantity_after'))})\b", re.IGNORECASE),
        time_or_phone=re.compile(rf"\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?!\d)|\d{{1,2}}(?:[.:]\d{{2}})?{WS}?"
                                 rf"(?:{case_alt(lang.words('time_words_after'))})(?!\w)|{LOCAL_PHONE}"
                                 r"|(?P<dot>\d{1,2}\.\d{2}(?!\d))", re.IGNORECASE),
        scale_suffix=re.compile(rf"(?-i:{case_alt(scale_suffixes)}){NOT_LETTER}") if scale_suffixes else None,
        money_suffix=re.compile(rf"(?:{case_alt(money_suffixes)}){NOT_LETTER}", re.IGNORECASE)
        if money_suffixes else None,
        qualifiers_after=qual_a_map,
        closers={norm(k): re.compile(rf"{WS}+{re.escape(str(v))}{WS}+", re.IGNORECASE) for k, v in openers.items()},
        age_units={norm(k) if k.strip() else k: str(v) for k, v in age_raw.items()} if isinstance(age_raw, dict)
        else {norm(k): "year" for k in age_raw},
        scale_suffixes=scale_suffixes,
        money_suffixes=money_suffixes,
        one_unit_qualifiers=one_q,
    )


# -- the unit --------------------------------------------------------------------------------------

def _unit_fields(lang: Language) -> dict:
    units = _unit_table(lang)
    symbols = {str(k): Unit("unit", str(v)) for k, v in (lang.get("unit_symbols") or {}).items()}
    power_before = {norm(k): int(v) for k, v in lang.mapping("power_before").items()}
    power_after = {norm(k): int(v) for k, v in lang.mapping("power_after").items()}
    # "a 3,500-nautical-mile detour": the words of a unit may be joined by hyphens when it qualifies a noun
    multi = [w for w in units if " " in w]
    unit_alt = (rf"(?:{case_alt(units)}|(?-i:{case_alt(symbols)})"
                + (rf"|{alternation([w.replace(' ', '-') for w in multi])}" if multi else "") + ")")
    per_units = [w for w, u in units.items() if u.category in ("unit", "duration")]
    per_alt = rf"(?:{case_alt(per_units)}|(?-i:{case_alt(symbols)}))"
    return dict(
        unit_after=re.compile(
            rf"(?:{WS}?|-)(?:(?P<br>[(\[{{<])(?={unit_alt}[)\]}}>]))?(?:(?P<pre>{case_alt(power_before)}){WS}+)?"
            rf"(?P<u>{unit_alt})(?P<post>\^?[23²³](?![\d\w])|{WS}+(?:{case_alt(power_after)}){NOT_LETTER})?"
            rf"{NOT_LETTER}(?!-\w|\d)(?(br)[)\]}}>])",
            re.IGNORECASE,
        ),
        per_after=re.compile(
            rf"(?:{WS}*/{WS}*|{WS}+(?:{case_alt(lang.words('per_words'))}){WS}+)(?P<u>{per_alt}){NOT_LETTER}",
            re.IGNORECASE,
        ),
        temperature_cue=_cue_pattern(lang.words("temperature_cues")),
        units=units,
        symbols=symbols,
        power_before=power_before,
        power_after=power_after,
        ambiguous_units=frozenset(lang.words("ambiguous_units")),
        cue_symbols=frozenset(str(w) for w in lang.get("symbols_need_temperature_cue") or []),
        scaled_money={norm(k): Unit("currency", str(v)) for k, v in lang.mapping("scaled_currency_words").items()},
        ambiguous_degrees=frozenset(norm(w) for w in lang.words("ambiguous_degree_units")),
        default_temperature=str(lang.get("default_temperature_unit") or "degree_Celsius"),
    )


# -- what the figure is about, and the words a reading checks --------------------------------------

def _subject_fields(lang: Language) -> dict:
    articles_alt = case_alt(lang.words("articles"))
    places = case_alt(lang.words("subject_prepositions"))
    approx_b = [norm(k) for k, v in lang.mapping("qualifiers_before").items() if str(v) == "approx"]
    return dict(
        subject_word=re.compile(r"[^\W\d_][\w'’\-]*"),
        # a place is a capitalised word (the isupper check is in _subject): any script
        place_after=re.compile(rf"{WS}+(?P<p>(?:{places}){WS}+(?:(?:{articles_alt}){WS}+)?(?P<w1>[^\W\d_][\w\-’']*))"
                               rf"(?:{WS}+(?P<w2>[^\W\d_][\w\-]*))?"),
        of_lead=re.compile(rf"{WS}+(?:{case_alt(lang.words('partitive_words'))}){WS}+(?:(?:{articles_alt}){WS}+)?",
                           re.IGNORECASE),
        conversion_gap=re.compile(rf"\s*[(\[]\s*(?:(?:{case_alt(approx_b)}|~)\s*)?", re.IGNORECASE),
        partitives=frozenset(lang.words("partitive_words")),
        one_unit_words=frozenset(norm(w) for w in lang.words("one_unit_words")),
        one_unit_alone_after=frozenset(norm(w) for w in lang.words("one_unit_alone_after")),
        rate_phrases=frozenset(norm(w) for w in lang.mapping("rate_after")),
        stopwords=frozenset(lang.words("stopwords")),
        months=frozenset(lang.months),
        group_symbols=tuple(lang.group_symbols),
        decimal_symbol=lang.decimal_symbol,
    )


# probe group -> the field whose pattern it holds; a reader asks the probe where it would match that
# pattern at the end of the number, which is where most of them are read
PROBED = {"na": "not_after", "ea": "era_after", "ss": "scale_suffix", "ms": "money_suffix", "ra": "range_after",
          "aa": "age_after", "qa": "qualifier_after"}


def _after_probe(fields: dict) -> re.Pattern:
    """One pattern that tries each of PROBED at one place, each in a lookahead of its own that keeps
    its match as a group: one call of the engine where there were seven (most of them failing at the
    first character), and each answer the one its own pattern gives there."""
    body = []
    for name, field in PROBED.items():
        pat = fields[field]
        src = r"(?!x)x" if pat is None else pat.pattern.replace("(?P<q>", f"(?P<{name}_q>")
        flags = "i" if pat is not None and pat.flags & re.IGNORECASE else "-i"
        body.append(rf"(?:(?=(?P<{name}>(?{flags}:{src}))))?")
    return re.compile("".join(body))


@functools.cache
def patterns(lang: Language) -> Patterns:
    fields = {**_number_fields(lang), **_before_fields(lang), **_after_fields(lang), **_unit_fields(lang),
              **_subject_fields(lang)}
    return Patterns(**fields, after_probe=_after_probe(fields))
