"""Find numeric quantities in text: counts, units, percentages, durations, ages, money.

One compiled pattern per language finds number expressions (digits with the locale's separators,
number words, scale words); small look-arounds then read the qualifier before, the unit after, a
range, and a parenthetical conversion. Every figure becomes an interval (see claims.Claim). The
words come from the language's data files (languages/<code>/numbers.yml), never from code.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from .claims import Claim
from .language import Language, alternation
from .units import conversion

APPROX_BAND = 0.10  # "about 300" is [270, 330]
NEARLY_BAND = 0.10  # "nearly 300" is [270, 300]
WS = r"[ \t\u00a0\u202f]"


@dataclass
class Patterns:
    number: re.Pattern  # one number expression
    qualifier_before: re.Pattern  # anchored at the end of the left context
    qualifier_after: re.Pattern
    range_after: re.Pattern  # "- 5,000", "to 5,000" right after a number
    range_opener: re.Pattern  # "between " right before a number
    unit_after: re.Pattern
    currency_before: re.Pattern
    age_before: re.Pattern
    age_after: re.Pattern
    identifier_before: re.Pattern
    not_after: re.Pattern
    subject_word: re.Pattern
    place_after: re.Pattern
    negative_before: re.Pattern
    units: dict[str, tuple[str, str]]  # surface word -> (category, target), see _unit_table
    cue_before: re.Pattern  # "rose to", "revised down to", "up from" right before the figure
    cue_kinds: dict[str, str]  # cue phrase (lower case) -> rising, falling, correction, previous


def _unit_table(lang: Language) -> dict[str, tuple[str, str]]:
    """surface word (lower case) -> (category, target): category unit|percent|duration|currency."""
    table: dict[str, tuple[str, str]] = {}
    for word, unit in lang.mapping("units").items():
        table[word] = ("unit", unit)
    for word, unit in lang.mapping("durations").items():
        table[word] = ("duration", unit)
    for word in lang.words("percent_words"):
        table[word] = ("percent", "percent")
    for word, code in lang.mapping("currencies").items():
        if re.match(r"\w", word):
            table[word] = ("currency", code)
    return table


@functools.cache
def patterns(lang: Language) -> Patterns:
    groups = "".join(re.escape(g) for g in lang.group_symbols)
    dec = re.escape(lang.decimal_symbol)
    digits = (
        rf"(?:\d{{1,3}}(?:[{groups}]\d{{3}})+(?:{dec}\d+)?|\d+(?:{dec}\d+)?)"
        if groups
        else rf"\d+(?:{dec}\d+)?"
    )
    words = alternation(list(lang.mapping("number_words")))
    scales = alternation(list(lang.mapping("scale_words")))
    # "twenty-five" style compounds: a tens word, a hyphen, a unit word
    word_num = rf"(?:{words})(?:-(?:{words}))?"
    number = re.compile(
        rf"(?<![\w.,/:+])(?<![^\W\d_]-)(?P<num>(?P<digits>{digits})|(?P<word>{word_num}))"
        rf"(?P<scale>(?:{WS}+(?:{scales})\b\.?)*)(?![\w]|[.,]\d)",
        re.IGNORECASE,
    )
    qual_b = alternation(list(lang.mapping("qualifiers_before")))
    qual_a = alternation(list(lang.mapping("qualifiers_after")))
    joiners = [j for j in lang.words("range_joiners")]
    sym_joiners = "".join(re.escape(j) for j in joiners if not j[0].isalpha())
    word_joiners = alternation([j for j in joiners if j[0].isalpha()])
    openers = alternation(list(lang.mapping("range_openers")))
    units = _unit_table(lang)
    unit_alt = alternation(list(units))
    cur_symbols = alternation([w for w in lang.mapping("currencies") if not re.match(r"\w", w)])
    ident = alternation(lang.words("identifier_before"))
    not_after = alternation(lang.words("not_quantity_after"))
    places = alternation(lang.words("subject_prepositions"))
    cue_kinds = {w: kind for kind in ("rising", "falling", "correction", "previous") for w in lang.words(kind)}
    return Patterns(
        number=number,
        qualifier_before=re.compile(rf"(?:^|(?<=[\s(\"'«„]))(?P<q>{qual_b}){WS}+$", re.IGNORECASE),
        qualifier_after=re.compile(rf"^{WS}+(?P<q>{qual_a})\b", re.IGNORECASE),
        range_after=re.compile(
            rf"^(?:{WS}*[{sym_joiners}]{WS}*|{WS}+(?:{word_joiners}){WS}+)" if sym_joiners else
            rf"^{WS}+(?:{word_joiners}){WS}+",
            re.IGNORECASE,
        ),
        range_opener=re.compile(rf"(?:^|(?<=\s))(?P<o>{openers}){WS}+$", re.IGNORECASE),
        unit_after=re.compile(rf"^(?:{WS}?|-)(?P<u>{unit_alt})(?![\w])", re.IGNORECASE),
        currency_before=re.compile(rf"(?P<c>{cur_symbols}){WS}?$", re.IGNORECASE),
        age_before=re.compile(rf"\b(?:{alternation(lang.words('age_before'))}){WS}+$", re.IGNORECASE),
        age_after=re.compile(rf"^(?:{alternation(lang.words('age_after'))})(?![\w])", re.IGNORECASE),
        identifier_before=re.compile(rf"(?:^|(?<=[\s(]))(?:{ident}){WS}*$|[A-Za-zА-Яа-я]-$", re.IGNORECASE),
        not_after=re.compile(rf"^{WS}*(?:{not_after})\b", re.IGNORECASE),
        subject_word=re.compile(r"[^\W\d_][\w'’\-]*"),
        units=units,
        cue_before=re.compile(
            rf"(?:^|(?<=[\s(,]))(?P<cue>{alternation(list(cue_kinds))}){WS}+(?:(?:{qual_b}){WS}+)?$", re.IGNORECASE
        ),
        cue_kinds=cue_kinds,
        negative_before=re.compile(
            rf"(?:(?:^|(?<=\s))(?:{alternation(lang.words('negative_words'))}){WS}+|(?:^|(?<=\s))[\-−])$", re.IGNORECASE
        ),
        place_after=re.compile(rf"^{WS}+(?P<p>(?:{places}){WS}+(?:the{WS}+)?[A-ZÅÆØА-Я][\w\-’']*(?:{WS}+[A-Z][\w\-]*)?)"),
    )


def parse_number(m: re.Match, lang: Language) -> tuple[float, float, float | None, float | None]:
    """(value, precision, open_low, open_high) for a number match; open_* are set for vague words."""
    scale = 1.0
    for s in re.findall(r"[^\W\d_]+\.?", m.group("scale") or ""):
        scale *= float(lang.mapping("scale_words").get(s.lower(), lang.mapping("scale_words").get(s.lower().rstrip("."), 1)))
    if m.group("digits"):
        raw = m.group("digits")
        for g in lang.group_symbols:
            raw = raw.replace(g, "")
        raw = raw.replace(lang.decimal_symbol, ".")
        value = float(raw)
        if "." in raw:
            decimals = len(raw.split(".")[1])
            precision = 0.5 * 10 ** (-decimals)
        else:
            stripped = raw.rstrip("0")
            zeros = len(raw) - len(stripped) if stripped else 0
            precision = 0.5 * 10 ** zeros
        return value * scale, precision * scale, None, None
    words = lang.mapping("number_words")
    text = m.group("word").lower()
    text = re.sub(r"\s+", " ", text)
    if text in words:
        w = words[text]
    else:
        parts = text.split("-")
        w = sum(float(words.get(p, 0)) for p in parts)
    if isinstance(w, dict):
        low = w.get("low")
        high = w.get("high")
        low = None if low is None else float(low) * scale
        high = None if high is None else float(high) * scale
        return (low or 0.0), 0.0, low, high
    value = float(w) * scale
    precision = 0.5 * scale if scale > 1 else 0.5
    return value, precision, None, None


def _interval(value: float, qualifier: str) -> tuple[float | None, float | None]:
    if qualifier in ("more_than", "at_least"):
        return value, None
    if qualifier in ("less_than", "up_to"):
        return None, value
    if qualifier == "approx":
        return value * (1 - APPROX_BAND), value * (1 + APPROX_BAND)
    if qualifier == "nearly":
        return value * (1 - NEARLY_BAND), value
    return value, value


def _clean(x: float | None) -> float | int | None:
    if x is None or not math.isfinite(x):
        return None
    if float(x).is_integer() and abs(x) < 2**53:
        return int(x)
    return float(f"{x:.12g}")  # significant digits: micrograms in kg must survive


def find_quantities(text: str, lang: Language, taken: list[tuple[int, int]] | None = None) -> list[Claim]:
    """Every quantity in ``text`` outside the ``taken`` spans (dates found before)."""
    p = patterns(lang)
    taken = sorted((taken or []) + [m.span() for m in _PHONE_ANYWHERE.finditer(text)])
    claims: list[Claim] = []
    matches = list(p.number.finditer(text))
    consumed_until = -1
    units = p.units
    weak = set(lang.words("weak_number_words"))
    for i, m in enumerate(matches):
        start, end = m.start(), m.end()
        if start < consumed_until or _overlaps(start, end, taken):
            continue
        left = text[max(0, start - 40):start]
        right = text[end:end + 60]
        if p.identifier_before.search(left) or p.not_after.match(right):
            continue
        if m.group("digits") and re.match(r"0\d", m.group("digits")):
            continue  # "03" in "2017-03", "007": codes, not quantities
        if _looks_like_time_or_phone(text, start, end):
            continue
        value, precision, open_low, open_high = parse_number(m, lang)
        neg = p.negative_before.search(left)
        if neg and not open_low and not open_high:
            value = -value
            start = start - (len(left) - neg.start())
            left = left[:neg.start()]
        vague = open_low is not None or open_high is not None
        qualifier = "exact"
        q_start = start
        qm = p.qualifier_before.search(left)
        cue = p.cue_before.search(left)
        if cue and qm and qm.start("q") < cue.end("cue"):
            qm = None  # "возросло до 2300": the "до" belongs to "rose to", it is no "up to"
        if qm:
            qualifier = lang.mapping("qualifiers_before")[re.sub(r"\s+", " ", qm.group("q").lower())]
            q_start = start - (len(left) - qm.start("q"))
        # range: "4,000-5,000", "between 4,000 and 5,000"
        high_value = None
        span_end = end
        rm = p.range_after.match(right)
        opener = p.range_opener.search(left)
        if opener and not qm:
            closer = lang.mapping("range_openers")[opener.group("o").lower()]
            cm = re.match(rf"^{WS}+{re.escape(closer)}{WS}+", right, re.IGNORECASE)
            if cm:
                rm = cm
        if rm and i + 1 < len(matches) and matches[i + 1].start() == end + rm.end():
            nxt = matches[i + 1]
            v2, p2, _, _ = parse_number(nxt, lang)
            # "4-5 million": the scale of the second applies to the first
            if nxt.group("scale") and not m.group("scale"):
                ratio = _scale_of(nxt, lang)
                value, precision = value * ratio, precision * ratio
            if v2 >= value and not _overlaps(nxt.start(), nxt.end(), taken):
                high_value = v2
                precision = min(precision, p2)
                span_end = nxt.end()
                consumed_until = nxt.end()
                if opener and not qm:
                    q_start = start - (len(left) - opener.start("o"))
        after = text[span_end:span_end + 60]
        # what is counted or measured
        kind, unit_written, norm_unit, conv = "count", None, "count", None
        um = p.unit_after.match(after)
        am = p.age_after.match(after)
        cur = p.currency_before.search(text[max(0, q_start - 5):start]) if q_start == start else None
        cur = cur or p.currency_before.search(text[max(0, start - 5):start])
        unit_end = span_end
        if am:
            kind, unit_written, norm_unit = "age", am.group(0).strip(" -"), "year"
            unit_end = span_end + am.end()
        elif p.age_before.search(text[max(0, q_start - 20):q_start]):
            kind, norm_unit = "age", "year"
        elif cur:
            kind, unit_written, norm_unit = "money", cur.group("c"), lang.mapping("currencies")[cur.group("c").lower()]
            q_start = min(q_start, start - (len(text[max(0, start - 5):start]) - cur.start("c")))
        elif um:
            word = re.sub(r"\s+", " ", um.group("u").lower())
            category, target = units[word]
            unit_written = um.group("u")
            unit_end = span_end + um.end()
            if category == "percent":
                kind, norm_unit = "percent", "percent"
            elif category == "currency":
                kind, norm_unit = "money", target
            else:
                if _unit_needs_digits(word) and not m.group("digits"):
                    um = None
                else:
                    conv = conversion(target)
                    kind, norm_unit = conv.dimension, conv.base_unit
        elif m.group("word") and m.group("word").lower() in weak and not m.group("scale"):
            continue
        if kind == "count" and m.group("digits") and _is_bare_year_like(m, lang) and high_value is None:
            # a four-digit number with nothing counted after it is left to the date finder, and one
            # before a name ("the 2022 World Cup") is a year used as a name
            nxt_word = p.subject_word.match(after.lstrip())
            if not nxt_word or nxt_word.group(0)[0].isupper():
                continue
        if vague and kind == "count":
            low, high = open_low, open_high
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
        qa = p.qualifier_after.match(text[unit_end:unit_end + 30])
        if qa and qualifier == "exact":
            qualifier = lang.mapping("qualifiers_after")[re.sub(r"\s+", " ", qa.group("q").lower())]
            low, high = _interval(value, qualifier)
            unit_end += qa.end()
        if conv is not None:
            low = None if low is None else conv.to_base(low)
            high = None if high is None else conv.to_base(high)
            precision = precision * conv.factor
        claim = Claim(
            kind=kind,
            text=text[q_start:unit_end],
            start=q_start,
            end=unit_end,
            value=_clean(value) if high_value is None else f"{_fmt(value)}-{_fmt(high_value)}",
            unit=unit_written,
            qualifier=qualifier,
            low=_clean(low),
            high=_clean(high),
            norm_unit=norm_unit,
            precision=_clean(precision),
        )
        claim.subject = _subject(text, claim, lang, p)
        if cue:
            phrase = re.sub(r"\s+", " ", cue.group("cue").lower())
            claim.cue = f"{p.cue_kinds[phrase]}: {phrase}"
        if claims and _is_conversion_of(text, claims[-1], claim):
            claims[-1].pair = len(claims)
            claims[-1].pair_role = "stated"
            claim.pair = len(claims) - 1
            claim.pair_role = "conversion"
            claim.subject = claim.subject or claims[-1].subject
            claims[-1].subject = claims[-1].subject or _subject(text, claim, lang, p)
        claims.append(claim)
        consumed_until = max(consumed_until, unit_end)
    return claims


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _scale_of(m: re.Match, lang: Language) -> float:
    scale = 1.0
    for s in re.findall(r"[^\W\d_]+\.?", m.group("scale") or ""):
        scale *= float(lang.mapping("scale_words").get(s.lower(), lang.mapping("scale_words").get(s.lower().rstrip("."), 1)))
    return scale


def _unit_needs_digits(word: str) -> bool:
    """One-letter unit abbreviations ("m", "t", "l", "in") follow only digits: "one in five" is no inch."""
    return len(word) <= 2 and word.isalpha()


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


_TIME = re.compile(r"^\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?!\d)|^\d{1,2}(?:[ \u00a0]?(?:a\.?m\.?|p\.?m\.?))(?!\w)", re.IGNORECASE)
_PHONE = re.compile(r"^[\d \-()]{7,}\d")
# "+7 495 123-45-67", "(495) 123-45-67", "123-45-67": phone numbers are never quantities
_PHONE_ANYWHERE = re.compile(
    r"(?:\+\d{1,3}[ \u00a0\-]?)?(?:\(\d{2,5}\)[ \u00a0\-]?|\d{2,5}[ \u00a0\-])?\d{2,4}-\d{2}-\d{2}(?!\d)"
    r"|\+\d{1,3}(?:[ \u00a0\-]\d{2,4}){2,4}(?!\d)"
)


def _looks_like_time_or_phone(text: str, start: int, end: int) -> bool:
    chunk = text[start:start + 20]
    if _TIME.match(chunk):
        return True
    before = text[max(0, start - 2):start]
    if "+" in before and _PHONE.match(chunk):
        return True
    return bool(re.match(r"^\d{3}[- ]\d{2}[- ]\d{2}\b|^\d{2}[- ]\d{2}[- ]\d{2}[- ]\d{2}\b", chunk))


def _is_bare_year_like(m: re.Match, lang: Language) -> bool:
    d = m.group("digits")
    return bool(d) and len(d) == 4 and d.isdigit() and 1000 <= int(d) <= 2100 and not m.group("scale")


def _subject(text: str, claim: Claim, lang: Language, p: Patterns) -> str | None:
    """The words that say what a figure is about: the counted noun, or "from Damascus"."""
    after = text[claim.end:claim.end + 80]
    # "240 kilometers (150 miles) from Damascus": the place follows the parenthetical
    after = re.sub(r"^[ \u00a0]*[)\]]", "", after)
    pm = p.place_after.match(after)
    if pm and claim.kind not in ("count", "percent"):
        return re.sub(r"\s+", " ", pm.group("p"))
    stop = set(lang.words("stopwords"))
    words: list[str] = []
    rest = after
    # "80% of residents": the counted thing follows "of"
    lead = re.match(r"^[ \u00a0]+(?:of|av|из)[ \u00a0]+(?:the[ \u00a0]+)?", rest, re.IGNORECASE)
    if lead and claim.kind in ("percent", "count"):
        rest = rest[lead.end():]
    for wm in re.finditer(r"[ \u00a0]*([^\W\d_][\w'’\-]*)|[ \u00a0]*(\S)", rest):
        w = wm.group(1)
        if not w or w.lower() in stop:
            break
        words.append(w)
        if len(words) == 2:
            break
    if words:
        return " ".join(words)
    return None


def _is_conversion_of(text: str, first: Claim, second: Claim) -> bool:
    """'240 kilometers (150 miles)': the second sits in parentheses right after the first, same dimension."""
    if first.kind != second.kind or first.kind in ("count", "date") or first.unit is None:
        return False
    between = text[first.end:second.start]
    return bool(re.fullmatch(r"\s*[(\[]\s*(?:about|around|approx\.?|ca\.?|~|rundt|omtrent|около)?\s*", between, re.IGNORECASE))
