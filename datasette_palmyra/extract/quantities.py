"""Find numeric quantities in text: counts, units, percentages, durations, ages, money.

One compiled pattern per language finds number expressions (digits with the locale's separators,
scientific notation, fractions, number words joined into one number, scale words, and the readings that
are no plain number: vague multiples "several thousand", shares "one in five" / "halvparten", the one of
"a week" / "почти год"); small anchored patterns then read the qualifier before, the unit after (with powers, "per" compounds and compound
amounts such as "5 ft 2 in"), a range, and a parenthetical conversion. The text is scanned once, left
to right; every pattern and word table is built once per language (``patterns``, quantity_patterns.py);
the number grammar is numbers.py. Every figure becomes an interval (see claims.Claim). The
words come from the language's data files (languages/<code>/numbers.yml), never from code.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

from ..claims import YEAR_SECONDS, Claim
from ..language import Language
from .numbers import Number, read_number, scale_value
from .quantity_patterns import NOT_LETTER, TRIM, VULGAR, WS, Patterns, Unit, norm, patterns
from .spans import Spans
from .units import conversion

__all__ = ["APPROX_BAND", "NEARLY_BAND", "NOT_LETTER", "VULGAR", "WS", "Number", "Patterns", "Unit",
           "find_quantities", "parse_number", "patterns", "read_number"]

APPROX_BAND = 0.10  # "about 300" is [270, 330]
NEARLY_BAND = 0.10  # "nearly 300" is [270, 300]
QUOTE_UNITS = {'"', "″", "”"}  # the inch mark is no unit after a number that opens with a quote


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
        key = norm(u)
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
        power = p.power_before.get(norm(um.group("pre")), 0)
    post = um.group("post")
    if post:
        power = {"2": 2, "3": 3, "²": 2, "³": 3}.get(post[-1]) or p.power_after.get(norm(post), 0)
    if unit.category == "unit":
        if power:
            target = f"({target}) ** {power}"
        pm = p.per_after.match(text, end)
        if pm:
            pu = p.symbols.get(pm.group("u")) or p.units.get(norm(pm.group("u")))
            if pu is not None:
                target, end = f"({target}) / ({pu.target})", pm.end()
        if norm(u) in p.ambiguous_degrees and not power:
            if _near_temperature_cue(text, start, end, p):
                target = p.default_temperature
                note = f"scale not written: {p.default_temperature} assumed"
    elif power:
        return None
    return UnitRead(unit.category, target, unit.factor, text[um.start("u"):end].strip(), end, note)


_DIGIT_NEXT = re.compile(r"[ \t\u00a0]?\d")
EXTRA_READINGS = frozenset({"mult", "share", "one"})


def _last_token(text: str, pos: int) -> str:
    """The word right before ``pos`` (lower case, opening brackets and quotes trimmed); "" after a digit or letter."""
    toks = text[pos - 24 if pos > 24 else 0:pos].rsplit(None, 1)
    return toks[-1].lstrip(TRIM).lower() if toks else ""


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
    c = text[at:at + 1]
    if not c or not (c.isalnum() or c == "_" or c in p.number_signs):
        return None  # what ``p.number`` looks for first: a word character or a sign a number starts with
    m2 = p.number.match(text, at)
    if m2 is None:
        return None
    n2 = read_number(m2, p)
    return None if n2 is None or n2.open_low is not None or n2.open_high is not None else (m2, n2)



class _Reading:
    """A figure being read: what each reader of ``_quantity_at`` found so far. What most figures leave
    as it is stands here as a class default (set per figure, it cost a tenth of a reading)."""

    qualifier = "exact"
    high_value = None
    kind, unit_written, norm_unit, conv, note = "count", None, "count", None, None
    cur = qm = cue = perfect = opener = spaced_neg = None

    def __init__(self, text: str, m: re.Match, num: Number, p: Patterns):
        self.text, self.m, self.num, self.p = text, m, num, p
        self.start = m.start()
        self.end = self.probe_at = num.end
        self.digits = m.group("digits")
        reading = num.reading
        self.numeric = reading == "digits" or reading == "frac" or reading == "vul"
        self.value, self.precision, self.scaled = num.value, num.precision, num.scaled
        self.vague = num.open_low is not None or num.open_high is not None
        self.share = reading == "share"
        probe = p.after_probe.match(text, num.end)
        self.probe = None if probe.lastindex is None else probe  # None: none of them matches there


class _Probed:
    """What a pattern of quantity_patterns.PROBED matched at the probe's place, as its own match would say."""

    __slots__ = ("m", "name")

    def __init__(self, m: re.Match, name: str):
        self.m, self.name = m, name

    def start(self) -> int:
        return self.m.start(self.name)

    def end(self) -> int:
        return self.m.end(self.name)

    def group(self, key: int | str = 0) -> str:
        return self.m.group(self.name if key == 0 else f"{self.name}_{key}")


def _after(q: _Reading, name: str, pattern: re.Pattern, pos: int) -> re.Match | _Probed | None:
    """``pattern.match(q.text, pos)``, read from the probe where ``pos`` is the place it was made."""
    if pos != q.probe_at:
        return pattern.match(q.text, pos)
    probe = q.probe
    return None if probe is None or probe.start(name) < 0 else _Probed(probe, name)


def _quantity_at(text: str, m: re.Match, num: Number, p: Patterns, taken: Spans,
                 lang: Language, prev_end: int = -1) -> Claim | None:
    """The claim of the number ``m`` read as ``num``, or None where it is no quantity. Each reader
    below reads one part of it, in this order: what excludes it, a scale or currency and a sign, the
    words that frame it, a range, a share, its kind and unit, then its bounds."""
    if taken.overlaps(m.start(), max(num.end, m.start() + 1)):
        return None
    q = _Reading(text, m, num, p)
    if _excluded_before(q):
        return None
    _read_scale_and_currency(q)
    # each reader below runs only where what it looks for may be there: the word before the figure
    # can end its phrase, or the probe after the figure found something (the gates are exact)
    ends, last, end = p.phrase_ends, q.last, q.end
    if q.dash or last in ends["negative"]:
        _read_sign(q)
        last = q.last
    if q.vague and num.reading == "word" and _DIGIT_NEXT.match(text, end):
        return None  # "scores of 90 and 85": a noun before figures, no vague count
    q.q_start = lead = q.lead
    if last in p.framing_words or (p.perfect_before is not None and last.endswith(p.participle_endings)) \
            or (p.cue_heading is not None and text.find(":", lead - 80 if lead > 80 else 0, lead) >= 0):
        _read_framing(q)
    q.span_end = end
    if (q.probe is not None or end != q.probe_at or num.reading == "one" or last in ends["opener"]) \
            and not _read_range(q, taken, prev_end):
        return None
    if (q.share or 0 < q.value < 1) and not _read_share(q):
        return None
    if not _read_kind(q):
        return None
    if num.reading == "one" and q.conv is not None and q.high_value is None:
        _read_one_or_more(q)
    if q.kind == "money" and q.high_value is None and not q.vague:
        _read_cents(q)
    if _excluded_after(q, lang):
        return None
    return _claim(q, lang)


# a phrase before a number is looked at closely only when the last word before it can end the phrase
# looked for (a qualifier, a cue, a range opener, an identifier, a currency or a minus): most numbers
# skip a dozen searches, and "€5" skips all but the currency's

def _excluded_before(q: _Reading) -> bool:
    """An identifier, a telephone number, a year, a code, an ordinal, a time: no quantity."""
    text, p, start, end, digits, num = q.text, q.p, q.start, q.end, q.digits, q.num
    q.last = last = _last_token(text, start)
    q.dash = dash = start > 0 and text[start - 1] in "-−"
    if (dash or last in p.excluding_words) and _excluding_phrase(q, last, dash):
        return True
    probe = q.probe
    if probe is not None:
        if digits and p.era_after is not None and probe.start("ea") >= 0:
            return True  # "500 BC": a year, for the date finder
        if probe.start("na") >= 0 and not (0 < num.value < 1 or num.scaled or num.reading in EXTRA_READINGS):
            return True  # "one of the soldiers"; but "two thirds of the cake" is a quantity
    if digits and digits[0] == "0" and len(digits) > 1 and digits[1].isdigit():
        return True  # "03" in "2017-03", "007": codes, not quantities
    if not digits and 0 < num.value < 1 and p.ordinal_fractions and _ordinal_before_unit(text, q.m, num, p):
        return True  # "for a third day", "a fifth week": which day, not a fraction of one
    return q.numeric and _looks_like_time_or_phone(text, start, end, p)


def _excluding_phrase(q: _Reading, last: str, dash: bool) -> bool:
    """An identifier ("Resolution 2254", "Su-25"), a call verb ("call 112"), an era ("AD 79") before the figure."""
    text, p, start, digits = q.text, q.p, q.start, q.digits
    ends = p.phrase_ends
    if (dash or last in ends["identifier"]) and p.identifier_before.search(text, max(0, start - 40), start):
        return True
    if digits and last in ends["call"] and p.call_before.search(text, max(0, start - 40), start):
        return True  # "call 112", "ringte 112": a telephone number
    return bool(digits and p.era_before is not None and (dash or last in ends["era"])
                and p.era_before.search(text, max(0, start - 8), start))  # "AD 79": a year


def _read_scale_and_currency(q: _Reading) -> None:
    """ "5k", "10M": a scale letter right after the digits; "$5", "kr 500": a currency before them, and
    "$5bn" its scale."""
    text, p, end = q.text, q.p, q.end
    if q.probe is not None and q.digits and not q.m.group("scale") and p.scale_suffix is not None:
        sm = _after(q, "ss", p.scale_suffix, end)
        if sm:
            f = p.scale_suffixes[sm.group(0)]
            q.value, q.precision, q.end, q.scaled = q.value * f, q.precision * f, sm.end(), True
    start = q.start
    if q.last not in p.currency_words:
        q.lead, q.lb = start, (start - 40 if start > 40 else 0)
        return
    q.cur = cur = p.currency_before.search(text, max(0, start - p.currency_reach), start)
    q.lead = cur.start("c") if cur else start
    if cur and q.digits and not q.scaled and p.money_suffix is not None \
            and (q.probe is not None or q.end != q.probe_at):
        sm = _after(q, "ms", p.money_suffix, q.end)
        if sm:
            f = p.money_suffixes[sm.group(0).lower()]
            q.value, q.precision, q.end, q.scaled = q.value * f, q.precision * f, sm.end(), True
    q.lb = max(0, q.lead - 40)
    if cur:
        q.last, q.dash = _last_token(text, q.lead), q.lead > 0 and text[q.lead - 1] in "-−"


def _read_sign(q: _Reading) -> None:
    """ "minus 5", "-5": a negative figure; "- 20 degrees", a minus read for temperatures only."""
    text, p, lead, last = q.text, q.p, q.lead, q.last
    neg = p.negative_before.search(text, q.lb, lead) if (q.dash or last in p.phrase_ends["negative"]) \
        and not q.vague else None
    if neg:
        q.value = -q.value
        q.lead = lead = neg.start()
        q.last = last = _last_token(text, lead)  # the phrases before it now end before the minus
    q.spaced_neg = None if neg or last not in ("-", "−") else p.spaced_minus.search(text, max(0, lead - 3), lead)


def _read_framing(q: _Reading) -> None:
    """The qualifier ("about", "more than") and the cue ("rose to", "has killed") before the figure."""
    text, p, lead, lb, last = q.text, q.p, q.lead, q.lb, q.last
    ends = p.phrase_ends
    qm = p.qualifier_before.search(text, lb, lead) if last in ends["qualifier"] else None
    cue = p.cue_before.search(text, lb, lead) if last in ends["cue"] else None
    if cue is None and p.cue_heading is not None and text.find(":", lead - 80 if lead > 80 else 0, lead) >= 0:
        cue = _heading_cue(text, lead, p)
    q.perfect = p.perfect_before.search(text, max(0, lead - 40), lead) if cue is None and p.perfect_before and (
        last in ends["perfect"] or last.endswith(p.participle_endings)) else None
    if cue and qm and qm.start("q") < cue.end("cue"):
        qm = None  # "возросло до 2300": the "до" belongs to "rose to", it is no "up to"
    if qm:
        q.qualifier = p.qualifiers_before[norm(qm.group("q"))]
        q.q_start = qm.start("q")
    q.qm, q.cue = qm, cue


def _read_range(q: _Reading, taken: Spans, prev_end: int) -> bool:
    """A range: "4,000-5,000", "between 4,000 and 5,000"; or the one of "a week" (False: no duration)."""
    text, p, end = q.text, q.p, q.end
    rm = _after(q, "ra", p.range_after, end)
    q.opener = opener = p.range_opener.search(text, q.lb, q.lead) \
        if not q.qm and q.last in p.phrase_ends["opener"] else None
    if opener:
        closer = p.closers.get(norm(opener.group("o")))
        cm = closer.match(text, end) if closer else None
        if cm:
            rm = cm
    if q.num.reading == "one":
        one = _one_unit(text, q.m, q.num, p, q.qm, prev_end)
        if one is None:
            return False
        q.span_end, inner_q = one
        if inner_q:
            q.qualifier = inner_q
    elif rm and not q.vague and not q.share:
        nxt = _next_number(text, rm.end(), p)
        if nxt is not None:
            _read_range_end(q, nxt, taken)
    return True


def _read_range_end(q: _Reading, nxt: tuple[re.Match, Number], taken: Spans) -> None:
    m2, n2 = nxt
    if n2.scaled and not q.scaled:  # "4-5 million": the scale of the second applies to the first
        ratio = scale_value(m2.group("scale"), q.p) if m2.group("scale") else 1.0
        q.value, q.precision = q.value * ratio, q.precision * ratio
    if n2.value >= q.value and not taken.overlaps(m2.start(), n2.end):
        q.high_value = n2.value
        q.precision = min(q.precision, n2.precision)
        q.span_end = n2.end
        if q.opener:
            q.q_start = q.opener.start("o")


def _read_share(q: _Reading) -> bool:
    """ "a third of the town", "more than half of the houses": a share; "a quarter of an hour": of the
    unit. Only a fraction in words is a share: "1/40 of the wavelength" is a ratio of measures, a number."""
    text, p, num, span_end = q.text, q.p, q.num, q.span_end
    if not q.share and q.high_value is None and not q.scaled and 0 < q.value < 1 and not q.cur \
            and num.reading in ("word", "frac", "vul"):
        fm = p.of_lead.match(text, span_end)
        base = fm.end() if fm else span_end
        am1 = p.one_article.match(text, base + (0 if fm else 1)) if base + 1 <= len(text) else None
        at = am1.end() - 1 if am1 else base  # the unit reading starts at the space before the unit word
        u1 = _read_unit(text, at, p, False, q.start) if fm or am1 else None
        if u1 is not None:
            if p.one_unit_not_before is not None and p.one_unit_not_before.match(text, u1.end):
                return False  # "half an hour later": a relative date
            q.span_end = at
        elif fm and num.reading == "word" and not (len(fm.group(0).split()) == 1 and _DIGIT_NEXT.match(text, fm.end())):
            # "a third of the 400 ships" is a share of them; "half of 2015", "half of 300" (no article) are not
            q.share = True
            q.value, q.precision = q.value * 100, q.precision * 100
    elif q.share:
        if _read_unit(text, span_end, p, False, q.start) is not None:
            if p.shares.get(norm(text[q.start:q.end])) is None:
                return False  # "every second day", "one in five days": a frequency, no share
            q.share = False  # "четверть часа": a quarter of an hour
            q.value, q.precision = q.value / 100, q.precision / 100
    return True


def _read_kind(q: _Reading) -> bool:
    """What is counted or measured: an age, money, a share, a unit, or a count (False: none at all)."""
    text, p, span_end = q.text, q.p, q.span_end
    q.unit_end = span_end
    am = None if q.share or (q.probe is None and span_end == q.probe_at) else _after(q, "aa", p.age_after, span_end)
    if am:
        _age_after(q, am)
    elif (q.q_start != q.lead or q.last in p.phrase_ends["age"]) \
            and p.age_before.search(text, max(0, q.q_start - 20), q.q_start):
        q.kind, q.norm_unit = "age", "year"
    elif q.cur:
        return _currency_before(q)
    elif q.share:
        q.kind, q.norm_unit = "percent", "percent"
    else:
        unit = _read_unit(text, span_end, p, q.numeric, q.start)
        if unit is not None:
            return _unit_kind(q, unit)
        return not q.num.weak
    return True


def _age_after(q: _Reading, am: re.Match) -> None:
    age_unit = q.p.age_units.get(norm(am.group(0)) if am.group(0).strip() else am.group(0), "year")
    q.kind, q.unit_written, q.norm_unit = "age", am.group(0).strip(" -"), "year"
    q.unit_end = am.end()
    if age_unit != "year":
        f = conversion(age_unit).factor / conversion("year").factor
        q.value, q.precision = q.value * f, q.precision * f
        q.high_value = None if q.high_value is None else q.high_value * f


def _currency_before(q: _Reading) -> bool:
    cur = q.cur
    cu = q.p.units.get(norm(cur.group("c")))
    if cu is None or cu.category != "currency":
        return False
    q.kind, q.unit_written, q.norm_unit = "money", cur.group("c"), cu.target
    q.value, q.precision = q.value * cu.factor, q.precision * cu.factor
    q.high_value = None if q.high_value is None else q.high_value * cu.factor
    q.q_start = min(q.q_start, cur.start("c"))
    return True


def _unit_kind(q: _Reading, unit: UnitRead) -> bool:
    p = q.p
    if unit.category == "duration" and q.num.reading == "word" and 0 < q.value < 1 \
            and p.one_unit_not_before is not None and p.one_unit_not_before.match(q.text, unit.end):
        return False  # "et halvt år etter", "half a year later": a relative date, as "a week later"
    q.unit_written = unit.written
    q.unit_end = unit.end
    if unit.category == "percent":
        q.kind, q.norm_unit = "percent", "percent"
    elif unit.category == "currency":
        q.kind, q.norm_unit = "money", unit.target
        ms = p.scale_after_currency.match(q.text, q.unit_end) if not q.scaled else None
        if ms:  # "75 USD million"
            f = scale_value(ms.group(1), p)
            q.value, q.precision, q.unit_end, q.scaled = q.value * f, q.precision * f, ms.end(), True
        q.value, q.precision = q.value * unit.factor, q.precision * unit.factor
        q.high_value = None if q.high_value is None else q.high_value * unit.factor
    elif q.scaled and norm(unit.written) in p.scaled_money:
        q.kind, q.norm_unit = "money", p.scaled_money[norm(unit.written)].target
    else:
        _measure(q, unit)
    return True


def _measure(q: _Reading, unit: UnitRead) -> None:
    """A measure in a pint unit: its dimension, a range closed after the unit, a compound amount."""
    q.conv = conv = conversion(unit.target)
    q.kind, q.norm_unit, q.note = conv.dimension, conv.base_unit, unit.note
    if q.kind == "temperature" and q.spaced_neg is not None:
        q.value, q.q_start = -q.value, min(q.q_start, q.spaced_neg.start())
    if q.high_value is None and not q.vague:
        _range_after_unit(q, unit)
    if q.high_value is None and not q.vague:
        _compound_amount(q, unit, conv)


def _unit_of_next(q: _Reading, nxt: tuple[re.Match, Number]) -> UnitRead | None:
    return _read_unit(q.text, nxt[1].end, q.p, nxt[0].group("word") is None, nxt[0].start())


def _range_after_unit(q: _Reading, unit: UnitRead) -> None:
    """ "44 mg to 50 mg", "between 44 mg and 50 mg": the range closes after the unit."""
    text, p = q.text, q.p
    rm2 = _after(q, "ra", p.range_after, q.unit_end)
    if q.opener:
        closer = p.closers.get(norm(q.opener.group("o")))
        cm = closer.match(text, q.unit_end) if closer else None
        rm2 = cm or rm2
    nxt = _next_number(text, rm2.end(), p) if rm2 else None
    if nxt is not None:
        u2 = _unit_of_next(q, nxt)
        if u2 is not None and u2.target == unit.target and nxt[1].value >= q.value:
            q.high_value, q.unit_end = nxt[1].value, u2.end
            q.precision = min(q.precision, nxt[1].precision)
            if q.opener:
                q.q_start = q.opener.start("o")


def _compound_amount(q: _Reading, unit: UnitRead, conv) -> None:
    """ "5 ft 2 in", "5 feet and 2 inches", "2 hours 30 minutes": one amount in two units."""
    jm = q.p.compound_join.match(q.text, q.unit_end)
    nxt = _next_number(q.text, jm.end(), q.p) if jm else None
    if nxt is None:
        return
    u2 = _unit_of_next(q, nxt)
    if u2 is not None and u2.category == unit.category == "unit" and u2.target != unit.target \
            and "/" not in unit.target + u2.target:
        c2 = conversion(u2.target)
        ratio = conv.factor / c2.factor
        decimal = abs(math.log10(ratio) - round(math.log10(ratio))) < 1e-9 if ratio > 0 else True
        # metric amounts are written as one decimal: "12 m 2 dm" are two figures
        if c2.dimension == conv.dimension and not c2.offset and not conv.offset and not decimal \
                and 0 <= nxt[1].value * c2.factor < conv.factor:
            q.value += nxt[1].value * c2.factor / conv.factor
            q.precision = nxt[1].precision * c2.factor / conv.factor
            q.unit_end = u2.end


def _read_one_or_more(q: _Reading) -> None:
    """ "a week or two", "a day or two": one to that many of the unit."""
    rm2 = _after(q, "ra", q.p.range_after, q.unit_end)
    nxt = _next_number(q.text, rm2.end(), q.p) if rm2 else None
    if nxt is not None and nxt[1].value > 1 and float(nxt[1].value).is_integer() \
            and _read_unit(q.text, nxt[1].end, q.p, True, nxt[0].start()) is None:
        q.high_value, q.unit_end = nxt[1].value, nxt[1].end


def _read_cents(q: _Reading) -> None:
    """ "3 dollars 50 cents", "thirteen dollars and forty-five cents", "15 dollars 50"."""
    text, p = q.text, q.p
    cents_ok = q.unit_written is not None and q.unit_written[:1].isalpha() and not q.scaled
    jm = p.compound_join.match(text, q.unit_end)
    nxt = _next_number(text, jm.end(), p) if jm else None
    if nxt is None:
        return
    u2 = _unit_of_next(q, nxt)
    if u2 is not None and u2.category == "currency" and u2.target == q.norm_unit and u2.factor < 1:
        q.value += nxt[1].value * u2.factor
        q.precision = nxt[1].precision * u2.factor
        q.unit_end = u2.end
    elif u2 is None and cents_ok and nxt[1].value.is_integer() and 0 < nxt[1].value < 100 \
            and p.cents_end.match(text, nxt[1].end):
        q.value += nxt[1].value / 100  # "15 dollars 50": the cents follow without their word
        q.precision = 0.005
        q.unit_end = nxt[1].end


def _excluded_after(q: _Reading, lang: Language) -> bool:
    """Digits glued to letters ("3D"), a bare year with nothing counted after it: no quantity."""
    text, unit_end = q.text, q.unit_end
    if q.numeric and unit_end == q.end and q.end < len(text) and text[q.end].isalpha():
        return True  # "3D", "4G", "1990s": digits glued to letters that are no unit
    if q.kind == "count" and q.digits and _is_bare_year_like(q.m, lang) and q.high_value is None and not q.scaled \
            and not q.cue:  # "nedjustert til 1800": a figure framed as one is no year
        # a four-digit number with nothing counted after it is left to the date finder, and one
        # before a name ("the 2022 World Cup") is a year used as a name
        nxt_word = q.p.subject_word.match(text[unit_end:unit_end + 40].lstrip())
        if not nxt_word or nxt_word.group(0)[0].isupper():
            return True
    return False


def _bounds(q: _Reading) -> tuple[float | None, float | None]:
    """The interval the figure states, in its own unit, with the qualifier it takes."""
    num, qualifier = q.num, q.qualifier
    if q.vague and (q.kind == "count" or q.conv is not None):
        # "hundreds of people", "several thousand", "dozens of kilometres": the policy interval of numbers.yml
        low, high = num.open_low, num.open_high
        if qualifier in ("more_than", "at_least"):  # "at least several hundred years": from the policy's low
            high = None
        elif qualifier in ("less_than", "up_to"):
            low = None
        else:
            qualifier = "at_least" if high is None else "range"
    elif q.high_value is not None:
        low, high = q.value, q.high_value
        qualifier = "range" if qualifier == "exact" else qualifier
        if qualifier in ("more_than", "at_least"):
            high = None
        elif qualifier in ("less_than", "up_to"):
            low = None
    elif qualifier == "exact":
        low = high = q.value  # most figures
    else:
        low, high = _interval(q.value, qualifier)
    qa = None if q.probe is None and q.unit_end == q.probe_at else _after(q, "qa", q.p.qualifier_after, q.unit_end)
    if qa and qualifier == "exact":
        qualifier = q.p.qualifiers_after[norm(qa.group("q"))]
        low, high = _interval(q.value, qualifier)
        q.unit_end = qa.end()
    q.qualifier = qualifier
    return low, high


def _claim(q: _Reading, lang: Language) -> Claim:
    low, high = _bounds(q)
    conv, precision = q.conv, q.precision
    if conv is not None:
        low = None if low is None else conv.to_base(low)
        high = None if high is None else conv.to_base(high)
        precision = precision * conv.factor
    low_out = _clean(low)
    high_out = low_out if high == low else _clean(high)  # most figures are one value
    value, high_value = q.value, q.high_value
    # kind, text, start, end, value, unit, qualifier, low, high, norm_unit, precision: in the order of
    # Claim's fields, given by position (a figure is a claim: this runs for every one)
    claim = Claim(q.kind, q.text[q.q_start:q.unit_end], q.q_start, q.unit_end,
                  _clean(value) if high_value is None else f"{_fmt(value)}-{_fmt(high_value)}",
                  q.unit_written, q.qualifier, low_out, high_out, q.norm_unit, _clean(precision))
    if q.note:
        claim.extra["scale"] = q.note
    claim.subject = _subject(q.text, claim, lang, q.p)
    if q.cue:
        phrase = norm(q.cue.group("cue"))
        claim.cue = f"{q.p.cue_kinds[phrase]}: {phrase}"
    elif q.perfect:
        claim.cue = f"rising: {norm(q.perfect.group('cue'))}"
    return claim


def _one_unit(text: str, m: re.Match, num: Number, p: Patterns, qm: re.Match | None,
              prev_end: int) -> tuple[int, str | None] | None:
    """Where the unit of "a week", "en drøy uke", "почти год" starts and the qualifier written inside,
    or None where the words are no duration: "a week ago" (a date), "twice a day", "50 ships a day"
    (a frequency, a rate), a unit that may not stand for one of itself ("a second attack")."""
    start, end = m.start(), num.end
    inner_q = None
    if m.groupdict().get("alone") is not None:
        # no article: a qualifier written before must say it ("почти год"), else "год" is only a word
        if qm is None or norm(qm.group("q")) not in p.one_unit_alone_after:
            return None
    elif p.one_unit_inner is not None:
        im = p.one_unit_inner.match(text, end)
        if im:
            inner_q, end = p.one_unit_qualifiers[norm(im.group("q"))], im.end()
    um = p.unit_after.match(text, end)
    if um is None or norm(um.group("u")) not in p.one_unit_words:
        return None
    if p.one_unit_not_before is not None and p.one_unit_not_before.match(text, um.end()):
        return None
    if p.one_unit_not_after is not None and p.one_unit_not_after.search(text, max(0, start - 20), start):
        return None
    if norm(text[start:um.end()]) in p.rate_phrases and 0 <= prev_end and start - prev_end < 60 \
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
