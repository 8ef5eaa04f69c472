"""The number grammar: what a number match of ``Patterns.number`` stands for.

Digits in the locale's separators (maybe in scientific notation), fractions, fraction signs, number
words joined by the usual grammar ("one hundred and two" is 102), scale words, and the readings that are
no plain number (a vague multiple "several thousand", a share "one in five", the one of "a week").
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass

from .quantity_patterns import Patterns, norm


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
    return _digits_reading(raw, p.group_symbols, p.decimal_symbol)


@functools.lru_cache(maxsize=4096)  # a text's figures repeat: "5", "10", "2016"
def _digits_reading(raw: str, group_symbols: tuple[str, ...], decimal_symbol: str) -> tuple[float, float]:
    exp = 0
    if raw.isdigit() and raw.isascii():
        value = float(raw)  # most figures: digits alone, no separator, no exponent
    else:
        low = raw.lower()
        sm = _SCI.search(low) if ("e" in low or "x" in low or "×" in low) else None
        if sm:
            exp = int(low[sm.end():].translate(_UNICODE_MINUS))
            raw = raw[:sm.start()]
        for g in group_symbols:
            raw = raw.replace(g, "")
        raw = raw.replace(decimal_symbol, ".")
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


def scale_value(text: str, p: Patterns) -> float:
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


# -- numbers in words: one token at a time -----------------------------------------------------------

class _Words:
    """The state of a number in words read so far. Each ``*_token`` method takes the next token and
    says whether the number goes on (False: the token breaks it and is not part of it)."""

    __slots__ = ("total", "cur", "slot", "prev", "last_scale", "ntok", "scaled", "good", "before_and",
                 "joined_by_and")

    def __init__(self):
        self.total, self.cur = 0.0, 0.0
        self.slot: float | None = None
        self.prev = ""  # kind of the previous token: num, scale, frac, art
        self.last_scale = 0.0
        self.ntok = 0
        self.scaled = False
        self.good: tuple | None = None  # the last state that ends a valid number
        self.before_and: tuple | None = None  # the valid state before the last "and" that joined a part
        self.joined_by_and = False

    def first_token(self, t: str, p: Patterns) -> bool:
        w = p.number_words.get(t)
        if t in p.articles:
            self.cur, self.slot, self.prev = 1.0, 0, "art"
        elif t in p.fractions and w is None:
            self.cur, self.slot, self.prev = 1 / p.fractions[t], 0, "frac"  # "quarter million"
        elif w is not None:
            self.cur, self.slot, self.prev = float(w), _slot(float(w)), "num"
        else:
            return False
        return True

    def scale_token(self, s: float, and_join: bool, comma: bool) -> bool:
        if and_join or comma or (self.prev == "scale" and s >= self.last_scale) or self.prev == "art":
            return False
        if self.cur >= s or (self.cur == 0 and (s < 1000 or self.total == 0)):
            if self.joined_by_and and self.before_and is not None:
                self.good = self.before_and  # "one hundred and two hundred": the "and" joins two numbers
            return False
        if s < 1000:
            self.cur *= s
            self.slot = s - 1
        else:
            self.total += self.cur * s
            self.cur, self.slot = 0.0, s - 1
        self.last_scale, self.prev, self.scaled = s, "scale", True
        self.joined_by_and = False
        return True

    def fraction_token(self, den: int, and_join: bool, comma: bool) -> bool:
        if self.prev == "art":
            self.cur = self.cur - 1 + 1 / den  # "a half", "two and a half": the article was counted as one
        elif self.prev == "num" and not and_join and not comma and self.cur <= 20 and self.total == 0:
            self.cur = self.cur / den
        else:
            return False
        self.slot, self.prev = 0, "frac"
        return True

    def article_token(self, and_join: bool) -> bool:
        if not and_join or self.prev not in ("num", "scale"):
            return False
        self.before_and, self.joined_by_and = self.good, True
        self.cur += 1.0  # "two and a half": the article stands for the fraction that must follow
        self.prev = "art"
        return True

    def plain_token(self, w: object, and_join: bool, comma: bool) -> bool:
        if w is None or isinstance(w, dict):
            return False
        v = float(w)
        slot = self.slot
        if slot is None or v > slot or not v.is_integer() or (and_join and self.prev != "scale") \
                or (comma and self.last_scale < 1000) or self.prev == "frac":
            return False
        if and_join:
            self.before_and, self.joined_by_and = self.good, True
        self.cur += v
        self.slot = _slot(v) if v < slot else 0
        self.prev = "num"
        return True

    def token(self, t: str, gap: str, p: Patterns) -> bool:
        """Any token after the first, with the ``gap`` of text before it (lower case)."""
        if gap == " ":
            and_join = comma = False  # most gaps: one space
        else:
            and_join = not p.joiners.isdisjoint(gap.split())
            comma = "," in gap
        if t in p.scales:
            return self.scale_token(p.scales[t], and_join, comma)
        if t in p.fractions:
            return self.fraction_token(p.fractions[t], and_join, comma)
        if t in p.articles:
            return self.article_token(and_join)
        return self.plain_token(p.number_words.get(t), and_join, comma)


def _vague_word(w: dict, end: int) -> tuple:
    """ "hundreds", "dozens": a vague word alone, its policy interval of numbers.yml."""
    low, high = w.get("low"), w.get("high")
    lo = None if low is None else float(low)
    hi = None if high is None else float(high)
    return (lo or 0.0), 0.0, lo, hi, end, False, False, -1


def _words_value(m: re.Match, p: Patterns) -> tuple[float, float, float | None, float | None, int, bool, bool, int] | None:
    """Read a number in words by the usual grammar; stop before the first token that breaks it
    ("one hundred and two" is 102, "two and three" stops after "two", "one hundred and two hundred"
    after "one hundred"). The last item is the end of that token (-1 when none broke the number)."""
    base = m.start("word")
    word_text = m.group("word")
    st = _Words()
    pos = 0
    for tm in p.word_token.finditer(word_text):
        t = tm.group(0).lower()
        if not t.isalpha():
            t = " ".join(t.split())  # "a  hundred": one space inside a token
        if st.ntok == 0:
            w = p.number_words.get(t)
            if isinstance(w, dict):
                return _vague_word(w, base + tm.end())
            if not st.first_token(t, p):
                return None
        else:
            gap = word_text[pos:tm.start()].lower()
            if not st.token(t, gap, p):
                break
        pos = tm.end()
        st.ntok += 1
        if st.prev != "art":  # an article is no valid end by itself
            st.good = (st.total + st.cur, base + tm.end(), st.ntok, st.scaled, st.last_scale, st.cur)
    else:
        tm = None  # no token broke the number: it may go on beyond its match
    return _words_result(st.good, word_text, p, -1 if tm is None else base + tm.end())


def _words_result(good: tuple | None, word_text: str, p: Patterns, reach: int) -> tuple | None:
    if good is None:
        return None
    value, end, ntok, scaled, last_scale, cur = good
    if value == 0 and ntok > 1:
        return None
    first = p.word_token.match(word_text)
    weak = ntok == 1 and first is not None and first.group(0).lower() in p.weak
    precision = 0.0 if not float(value).is_integer() else 0.5 * (last_scale if scaled and cur == 0 else 1)
    return value, precision, None, None, end, weak, scaled, reach


# -- any number match --------------------------------------------------------------------------------

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
    w = p.number_words.get(norm(tok))
    return int(w) if isinstance(w, (int, float)) and float(w).is_integer() else None


def _ratio(m: re.Match, g: dict, p: Patterns) -> Number | None:
    n, d = _ratio_term(g["rn"], p), _ratio_term(g["rd"], p)
    joiner = p.share_join.match(m.string, m.end("rn"))
    # a joiner that is also "of" ("en av fem") makes a share only after one: "fire av tolv" are counts
    if n is None or d is None or not 0 < n < d or g["scale"] \
            or (joiner is not None and norm(joiner.group("j")) in p.partitives and n != 1):
        return None
    return Number(100 * n / d, 0.0, None, None, m.end("ratio"), False, False, "share")


def _extra_reading(m: re.Match, p: Patterns) -> Number | None:
    """The readings that are no plain number: a vague multiple of a scale, a share, the one of a unit."""
    g = m.groupdict()
    if g.get("mult") is not None:
        s = scale_value(g["mscale"], p)
        lo, hi = 2 * s, 10 ** (math.floor(math.log10(s)) + 1) - 1  # the policy of numbers.yml: 2x to 10^k - 1
        f = scale_value(g["scale"], p) if g["scale"] else 1.0
        return Number(lo * f, 0.0, lo * f, hi * f, m.end(), False, True, "mult")
    if g.get("share") is not None and not g["scale"]:
        return Number(p.shares[norm(g["share"])], 0.0, None, None, m.end("share"), False, False, "share")
    if g.get("every") is not None and not g["scale"]:
        return Number(100 / p.share_ordinals[norm(g["ord"])], 0.0, None, None, m.end("every"), False, False, "share")
    if g.get("ratio") is not None:
        return _ratio(m, g, p)
    if g.get("one") is not None or g.get("alone") is not None:
        return Number(1.0, 0.0, None, None, m.end(), False, False, "one")
    return None


def _word_number(m: re.Match, p: Patterns) -> Number | None:
    got = _words_value(m, p)
    if got is None:
        return None
    value, precision, lo, hi, end, weak, scaled, reach = got
    if end == m.end("word") and m.group("scale"):
        scale = scale_value(m.group("scale"), p)
        value, precision, end, scaled = value * scale, max(precision, 0.5) * scale, m.end(), True
        lo = None if lo is None else lo * scale
        hi = None if hi is None else hi * scale
    return Number(value, precision, lo, hi, end, weak, scaled, "word", reach)


def _read_number(m: re.Match, p: Patterns) -> Number | None:
    g = m.group
    raw = g("digits")
    if raw is not None:
        value, precision = _digits_value(raw, p)
        scale = scale_value(g("scale"), p) if g("scale") else 1.0
        return Number(value * scale, precision * scale, None, None, m.end(), False, scale != 1.0)
    if g("frac") is None and g("vul") is None and g("word") is None:
        return _extra_reading(m, p)
    if g("frac") is not None:
        n, d = int(g("fn")), int(g("fd"))
        if d == 0 or n >= d:
            return None  # "24/7", "3/2" are no fractions news writes
        whole = int(g("fw")) if g("fw") else 0
        scale = scale_value(g("scale"), p) if g("scale") else 1.0
        return Number((whole + n / d) * scale, 0.0, None, None, m.end(), False, scale != 1.0, "frac")
    if g("vul") is not None:
        whole = int(g("vw")) if g("vw") else 0
        scale = scale_value(g("scale"), p) if g("scale") else 1.0
        return Number((whole + unicodedata.numeric(g("vf"))) * scale, 0.0, None, None, m.end(), False, scale != 1.0,
                      "vul")
    return _word_number(m, p)
