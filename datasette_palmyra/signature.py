"""A claim's signature: what its clause says it is about, read once when the article is loaded.

The grouping decides which claims speak of the same fact from these fields, so they are computed in
the load workers and stored (``claims.signature``, JSON), where a user can read them too:

- ``places``: places the clause names, from the gazetteer (``places.py``), as ``[id, country,
  offset, after a preposition]``: the offset in characters from the claim (negative: before it), and
  1 where a place preposition stands before the name ("in Mae Sai", not "Palmyra lies");
- ``years``: years written in the clause outside the claim, and the years of the clause's dates: a
  figure beside "the 2004 tsunami", "in 1960" or "i fjor" is about that time, not the story's;
- ``rate``: the period a figure is a rate per ("50 ships a day", "i døgnet"): not a total;
- ``increment``: "six more", "another 200", "ytterligere 200", "ещё 200": an addition, not a total;
- ``total``: "a total of 300 ships", "til sammen rundt 300 skip", "всего 300 судов": a stated total,
  the running total of what it counts whatever event its clause names;
- ``part``: "the first four", "åtte av de tolv", "четверо из них": a part of a group, not its size;
- ``person``: for an age, the first name and surname written beside it ("Gordon Reimer, 68",
  "66-летний Гордон Реймер"): one person's ages are compared, whatever noun each report uses;
- ``whole``: the group's size after a part ("two of the 17", "to av de 17"): the clause's tally word
  ("were found dead") is the part's, not the group's;
- ``mods``: the words that qualify the counted noun ("13 foreign cave divers" -> "foreign cave"):
  "two British divers" and "90 divers" count different groups;
- ``since``: for a date, it follows "since" ("missing since June 23"): the start of a state;
- ``teaser``: the sentence points to another story ("READ MORE: How a 2014 rescue took 11 days");
- ``size``: the figure is the size of a thing, whose noun is ``head``: written as an adjective ("the
  193-km canal": true, a length) or said by a size word ("the canal is 193 km long", "59 metres
  wide", "канал длиной 163 км": the dimension, length, width, depth or height);
- ``stage``: for a date, the stage of an event told in parts ("the first four were freed on Sunday",
  "the last flight"): 1, 2, ... or last;
- ``head``: the lemma of the noun the figure counts or describes ("13 foreign cave divers" -> diver,
  "25-летний тренер" -> тренер), found without a vocabulary, so a story's own nouns still group;
- ``subject``: for a length, the lemma of the clause's first content word ("The cave lies 60 km north
  of Chiang Rai" -> cave): what a distance to one named place is the distance of;
- ``verb``: for a sum, the lemma of the content word right before it ("demanded $960 million" ->
  demand), what the sum is when no noun says so;
- ``words``: lemmas of the clause's content words, nearest first, which the vocabularies (concept
  lexicons) are matched against as well as the surface words.

Nothing here depends on a rule file: the vocabularies are applied when the rules run.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import yamlfile
from .language import alternation, load_language, words_of
from .places import PLACE_PREPOSITIONS, _ru_normal, gazetteer

_LAST_WORD = re.compile(r"([^\W\d_]+)[\s,]*$")
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|\d[\d.,\u00a0]*|[^\w\s]", re.UNICODE)
_YEAR = re.compile(r"(?<![\d.,])(1[6-9]\d\d|20\d\d)(?![\d.,]?\d)")
HEAD_WORDS = 3  # how far after a number its noun may stand ("13 foreign cave divers")
MAX_WORDS = 12
STOP_TOP = 250  # a language's most frequent words carry no topic


@lru_cache(maxsize=8)
def stopwords(lang: str) -> frozenset[str]:
    try:
        from wordfreq import top_n_list
    except ImportError:
        return frozenset()
    try:
        return frozenset(top_n_list(lang, STOP_TOP))
    except (LookupError, ValueError):
        return frozenset()


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    """The dictionary form of a word: pymorphy3 for Russian, simplemma for the rest."""
    w = word.lower().replace("’", "'")
    if lang == "ru" or any("а" <= ch <= "я" for ch in w):
        return _ru_normal(w)
    try:
        import simplemma
    except ImportError:
        return w
    try:
        return simplemma.lemmatize(w, lang=lang).lower()
    except (ValueError, KeyError):
        return w


@lru_cache(maxsize=16)
def _teaser_prefixes(lang: str) -> tuple[str, ...]:
    try:
        return tuple(load_language(lang).words("teaser_prefixes"))
    except ValueError:
        return ()


def _teaser(sentence: str, lang: str) -> bool:
    """Whether a sentence points to another story ("READ MORE: ...")."""
    low = sentence.lstrip().lower()
    return any(low.startswith(p) and low[len(p):len(p) + 1] in (":", " ", "-", "–", "|") for p in _teaser_prefixes(lang))


@lru_cache(maxsize=16)
def _total_words(lang: str) -> re.Pattern | None:
    """A language's words that say a figure is a total ("in all", "til sammen", "всего"), as one regex."""
    try:
        words = load_language(lang).words("total_words")
    except ValueError:
        return None
    return re.compile(rf"(?<!\w)(?:{alternation(list(words))})(?!\w)", re.IGNORECASE) if words else None


@lru_cache(maxsize=16)
def _cue_words(lang: str, key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A language's words for ``key`` (increment, part) right before and right after a number."""
    try:
        language = load_language(lang)
    except ValueError:
        return (), ()
    return tuple(language.words(f"{key}_before")), tuple(language.words(f"{key}_after"))


def _next_to(before: str, after: str, words: tuple[tuple[str, ...], tuple[str, ...]]) -> bool:
    """Whether one of the words ends ``before`` or starts ``after`` (whole words)."""
    low_before, low_after = before.lower().rstrip(), after.lower().lstrip()
    for w in words[0]:
        if low_before.endswith(w) and (len(low_before) == len(w) or not low_before[-len(w) - 1].isalnum()):
            return True
    for w in words[1]:
        if low_after.startswith(w) and (len(low_after) == len(w) or not low_after[len(w)].isalnum()):
            return True
    return False


def _whole_after_part(before: str, lang: str) -> bool:
    """ "To av de 17 som ble sperret inne, er funnet døde", "two of the 17": the figure after a part
    phrase is the group's size, and the clause's tally word ("døde") is the part's, not its."""
    words = _cue_words(lang, "part")[1]
    low = before.lower().rstrip()
    for w in words:
        if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalnum()):
            m = _LAST_TOKEN_BEFORE.search(low[:len(low) - len(w)])
            return m is not None and (m.group(1)[0].isdigit() or m.group(1) in words_of(lang, "number_words"))
    return False


_LAST_TOKEN_BEFORE = re.compile(r"([^\s,]+)\s*$")
_CAP = r"[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+(?:-[A-ZÆØÅÄÖÜА-ЯЁ][^\W\d_]+)?"
# "Gordon Reimer, 68," / "Saman Kunan (38)" before the age; "66-летний Гордон Реймер", "the 68-year-old
# Gordon Reimer" after it: a first name and a surname, written together
_ART = r"(?:(?:the|a|an|den|det|en|ei|et)[ \u00a0]+)?"
_NAME_BEFORE = re.compile(rf"(?<![^\W\d_])(?P<n>{_CAP}(?:[ \u00a0]+{_CAP}){{1,2}})[ \u00a0]*[,(]?[ \u00a0]*{_ART}$")
# after the age, up to three lower-case words may come first ("the 52-year-old shift foreman, Viktor Ganin")
_NAME_AFTER = re.compile(rf"^(?:[ \u00a0]+[a-zæøåа-яё][\w-]*){{0,3}},?[ \u00a0]+(?P<n>{_CAP}(?:[ \u00a0]+{_CAP}){{1,2}})"
                         rf"(?![^\W\d_])")


def _person_named(before: str, after: str) -> str | None:
    """The name written beside an age, as a first name and a surname: the person the age is of, which
    groups one person's ages across articles and languages (the surname, compared as a cognate)."""
    m = _NAME_BEFORE.search(before) or _NAME_AFTER.match(after)
    return " ".join(m.group("n").split()) if m else None
_ASIDE = re.compile(r"\s*\([^)]*\)")
_MEASURE_ADJECTIVE = re.compile(r"\d[-‐][^\W\d_]+$")


@lru_cache(maxsize=16)
def _stage_words(lang: str) -> dict[str, str]:
    try:
        return {k: str(v) for k, v in load_language(lang).mapping("stage_words").items()}
    except ValueError:
        return {}


def _stage(before: str, lang: str) -> str | None:
    """The stage of an event a date is of ("the first four were freed on Sunday"): the nearest stage
    word before the date (one after it starts another phrase: "last Friday, and the first convoys")."""
    words = _stage_words(lang)
    if not words:
        return None
    for tok in reversed(_TOKEN.findall(before.lower())):
        if tok in words:
            return words[tok]
    return None


def _stage_after(text: str, lang: str) -> str | None:
    """The first stage word of the few words after a date's comma (see ``_stage``), where they open
    with an article in a language that has them ("Sunday, the first success"; not "Friday, with the
    first convoys")."""
    words = _stage_words(lang)
    toks = _TOKEN.findall(text.lower())[1:]  # past the comma
    arts = _articles(lang)
    if arts and (not toks or toks[0] not in arts):
        return None
    return next((words[t] for t in toks if t in words), None)


@lru_cache(maxsize=16)
def _articles(lang: str) -> frozenset[str]:
    return frozenset(words_of(lang, "articles")) | frozenset(words_of(lang, "articles_before_scale"))


def relative_pattern(words: dict[str, list[str]]) -> re.Pattern | None:
    """A relative clause's opener after a comma (", which"): the clause it opens ends at the next comma."""
    ws = sorted(set(words.get("relative") or ()), key=lambda w: (-len(w), w))
    return re.compile(rf"(?i),\s*(?:{'|'.join(re.escape(w) for w in ws)})\s") if ws else None


def relative_cut(before: str, after: str, relative: re.Pattern | None) -> tuple[str, str]:
    """Before and after a figure, kept to the relative clause it stands in, if any."""
    if relative is None:
        return before, after
    opened = list(relative.finditer(before))
    if not opened or "," in before[opened[-1].end():]:
        return before, after
    comma = after.find(",")
    # the antecedent's phrase stays: "Treneren, som er 27 år gammel" is the coach's age, and "the 2004
    # tsunami, which killed more than 5,000" is that year's toll
    ante = _ANTECEDENT.search(before, 0, opened[-1].start())
    return before[ante.start() if ante else opened[-1].end():], after if comma < 0 else after[:comma]


_ANTECEDENT = re.compile(r"(?:[^\W_][\w'’.,-]*[ \t\u00a0]+){0,3}[^\W\d_][\w'’-]*\s*$")


def boundary_pattern(words: dict[str, list[str]]) -> re.Pattern:
    """A clause boundary (vocabulary/clauses.yml): a word on the other side of one is about another
    figure. Punctuation always cuts; words cut as the vocabulary says."""
    def alt(ws: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(ws), key=lambda w: (-len(w), w)))

    parts = [r"[;:]", r"\.\s", r"\s[–—]\s"]
    if words.get("always"):
        parts.append(rf"(?:,\s*|\s)(?:{alt(words['always'])})\s")
    if words.get("after_comma"):
        parts.append(rf",\s*(?:{alt(words['after_comma'])})\s")
    return re.compile("(?i)(?:" + "|".join(parts) + ")")


@lru_cache(maxsize=1)
def _shipped_boundary() -> re.Pattern:
    """The shipped clause boundaries (the signature is read before any rule file is)."""
    return boundary_pattern(_shipped_clause_words())


@lru_cache(maxsize=1)
def _shipped_relative() -> re.Pattern | None:
    return relative_pattern(_shipped_clause_words())


@lru_cache(maxsize=1)
def _shipped_clause_words() -> dict[str, list[str]]:
    try:
        import datasette_palmyra.rules as pkg  # installed: the package-dir mapping

        folder = Path(pkg.__file__).resolve().parent
    except ImportError:
        folder = Path(__file__).resolve().parent.parent / "rules"
    try:
        data = yamlfile.load((folder / "vocabulary" / "clauses.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yamlfile.YamlError):
        data = {}
    words: dict[str, list[str]] = {}
    for kind, by_lang in (data.get("clause_boundaries") or {}).items():
        for ws in (by_lang or {}).values():
            words.setdefault(kind, []).extend(str(w) for w in ws or ())
    return words


def clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The part of the sentence around [start, end) that no clause boundary cuts off (semicolons,
    colons, dashes, ", and", " but": vocabulary/clauses.yml)."""
    a, b = 0, len(sentence)
    for m in _shipped_boundary().finditer(sentence):
        if m.end() <= start:
            a = m.end()
        elif m.start() >= end:
            b = m.start()
            break
    before, after = relative_cut(sentence[a:start], sentence[end:b], _shipped_relative())
    return start - len(before), end + len(after)


def _is_content(tok: str, stop: frozenset[str]) -> bool:
    return tok[0].isalpha() and len(tok) > 2 and tok.lower() not in stop


_PLURAL_ENDINGS = {"en": ("s",), "nb": ("er", "ene", "ar", "ane")}


def _plural_noun(tok: str, lang: str) -> bool:
    if lang == "ru":
        return _ru_pos(tok.lower()) == "NOUN"
    low = tok.lower()
    return low.endswith(_PLURAL_ENDINGS.get(lang, ("s",))) and lemma(low, lang) != low


@lru_cache(maxsize=100_000)
def _ru_pos(word: str) -> str | None:
    from .places import _morph

    m = _morph()
    return m.parse(word)[0].tag.POS if m is not None else None


_SIZE_WORD = re.compile(r"^\s*[^\W\d_]+")


def _dimension(before: str, after: str, lang: str) -> str:
    """Which size a size word names ("long" -> length, "wide" -> width, "шириной" -> width)."""
    language = load_language(lang)
    low_before, low_after = before.lower().rstrip(), after.lower().lstrip()
    for word, dim in language.mapping("size_after").items():
        if low_after.startswith(word) and not low_after[len(word):len(word) + 1].isalnum():
            return str(dim)
    for word, dim in language.mapping("size_before").items():
        if low_before.endswith(word):
            return str(dim)
    return "length"


def _first_noun(after: str, lang: str, attached: bool = False) -> str | None:
    """The lemma of the first lower-case content word after a size (past an aside in brackets); with
    ``attached``, only a word that follows at once ("lange skipet", not "lang og forbinder")."""
    aside = _ASIDE.match(after)
    stop = stopwords(lang)
    run: list[str] = []
    for k, tok in enumerate(_TOKEN.findall(after[aside.end():] if aside else after)[:4]):
        if _is_content(tok, stop) and tok.islower():
            run.append(tok)
            if len(run) == 2 or attached or lang != "en":  # compounds are one word in nb; ru puts the noun first
                break
            continue
        if run or attached or not tok[0].isalpha() or (k == 0 and tok.lower() in stop):
            break
    # "the 1,312-foot container ship": the last noun of a compound; but "the 193-km canal faces a
    # detour": a word that may be a verb's -s form ends the noun before it
    if len(run) == 2 and _plural_noun(run[1], lang):
        run.pop()
    return lemma(run[-1], lang) if run else None


_APPOSED = re.compile(r"(?P<w>[^\W\d_][\w'’-]*)\s*,\s*(?:[^\W\d_]+\s+){0,2}$")


def _apposed(before: str, lang: str) -> tuple[str, bool] | None:
    """The noun a figure in an apposition describes: the word right before its comma ("at the mine,
    about 25 km from Mezhdurechensk", "The mine, some 40 miles from"), as a lemma, and whether it is
    capitalised (a place: "in Mezhdurechensk, about 25 km from the mine"); None outside an apposition.
    At most two short words may stand between the comma and the figure ("about", "some", "rundt")."""
    m = _APPOSED.search(before[-80:])
    if m is None:
        return None
    # only function words and qualifiers between the comma and the figure: "The mine, which employs 300
    # people, lies about 25 km" is the main clause's figure, past a relative clause
    tail = " ".join(t for t in _TOKEN.findall(before[-80:][m.end("w"):]) if t[0].isalpha()).lower()
    stop, quals = stopwords(lang), _qualifier_words(lang)
    if tail and tail not in quals and not all(t in stop or t in quals for t in tail.split()):
        return None
    word = m.group("w")
    return (word, True) if word[0].isupper() else (lemma(word, lang), False)


@lru_cache(maxsize=16)
def _qualifier_words(lang: str) -> frozenset[str]:
    """The words a figure's qualifier is written with ("about", "rundt", "примерно"), one by one."""
    got: set[str] = set()
    try:
        language = load_language(lang)
    except ValueError:
        return frozenset()
    for phrase in language.mapping("qualifiers_before"):
        got.add(str(phrase).lower())
        got.update(str(phrase).lower().split())
    return frozenset(got)


SUBSTANCE_KINDS = frozenset({"mass", "volume"})


def _substance_after(after: str, lang: str) -> str | None:
    """What a weight or a volume is of: the word right after its unit, past a partitive ("110 tonnes of
    styrene", "110 tonn styren", "110 тонн стирола", "2 million litres of water"), as a lemma; None
    when a function word or a capital (a name) stands there instead."""
    toks = [t for t in _TOKEN.findall(after[:60]) if t[0].isalpha()]
    partitives = {w.lower() for w in words_of(lang, "partitive_words")}
    if toks and toks[0].lower() in partitives:
        toks = toks[1:]
    if not toks or toks[0][0].isupper() or not _is_content(toks[0], stopwords(lang)):
        return None
    return lemma(toks[0], lang)


def _subject_before(before: str, lang: str, apposed: tuple[str, bool] | None = None) -> str | None:
    """The noun a size belongs to: the content word right before a size word ("канал длиной"), else
    the noun an apposition describes ("at the mine, about 25 km from"), else the first content word
    of the clause ("Kanalen er rundt 19 mil lang", "The canal is 193 km long")."""
    stop = stopwords(lang)
    sizes = {w.split()[-1] for w in _cue_words(lang, "size")[0]}
    toks = [t for t in _TOKEN.findall(before) if t[0].isalpha()]
    if toks and toks[-1].lower() in sizes:
        prior = [t for t in toks[:-1] if _is_content(t, stop)]
        return lemma(prior[-1], lang) if prior else None
    if apposed is not None and not apposed[1] and _is_content(apposed[0], stop):
        return apposed[0]
    content = [t for t in toks if _is_content(t, stop)]
    return lemma(content[0], lang) if content else None


def head_noun(after: str, before: str, lang: str, kind: str) -> tuple[str, str] | None:
    """The noun a figure counts and the words that qualify it, as lemmas: the first plural noun (else
    the last) of up to three content words right after it, before any function word or punctuation;
    for an age with nothing after it, the nearest noun before it ("Treneren, som er 27 år gammel")."""
    stop = stopwords(lang)
    run: list[str] = []
    aside = _ASIDE.match(after)  # "the 193-kilometre (120-mile) canal"
    toks = _TOKEN.findall(after[aside.end():] if aside else after)[:HEAD_WORDS + 2]
    # one frequent word may stand first ("fire nye gutter", "four more boys")
    skipped = bool(toks) and toks[0][0].isalpha() and toks[0].lower() in stop
    for tok in toks[1:] if skipped else toks:
        if not _is_content(tok, stop):
            break
        run.append(tok)
        if len(run) == HEAD_WORDS:
            break
    if run:
        # the first plural noun ends the phrase ("12 boys trapped", "tolv guttene reddet"); Russian
        # says which word is a noun; the words before it qualify it ("13 foreign cave divers")
        for k, tok in enumerate(run):
            if _plural_noun(tok, lang):
                return lemma(tok, lang), " ".join(lemma(t, lang) for t in run[:k])
        if not skipped:
            return lemma(run[-1], lang), " ".join(lemma(t, lang) for t in run[:-1])
    if kind == "age":
        for tok in reversed(_TOKEN.findall(before)[-6:]):
            if _is_content(tok, stop):
                return lemma(tok, lang), ""
    return None


@lru_cache(maxsize=16)
def _rate_patterns(lang: str) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, str]]:
    """One regex each for a language's rate words after and before a figure, and their periods."""
    try:
        language = load_language(lang)
    except ValueError:
        return None, None, {}
    after, before = language.mapping("rate_after"), language.mapping("rate_before")
    periods = {**{k: str(v) for k, v in before.items()}, **{k: str(v) for k, v in after.items()}}

    def rx(words) -> re.Pattern | None:
        return re.compile(rf"(?<!\w)(?:{alternation(list(words))})(?!\w)", re.IGNORECASE) if words else None

    return rx(after), rx(before), periods


def _rate(before: str, after: str, lang: str) -> str | None:
    """The period a figure is a rate per ("50 ships a day"), or None for a total."""
    after_rx, before_rx, periods = _rate_patterns(lang)
    if after_rx is not None:
        near = after[:RATE_AFTER]
        for m in after_rx.finditer(near):
            if not _NOT_A_RATE.match(near, m.end()):  # "a day after the storm" is a time, not a rate
                return periods.get(" ".join(m.group(0).lower().split()))
    if before_rx is not None:
        m = before_rx.search(before[-RATE_BEFORE:])
        if m:
            return periods.get(" ".join(m.group(0).lower().split()))
    return None


RATE_AFTER, RATE_BEFORE = 60, 20
_NOT_A_RATE = re.compile(r"(?i)\s+(?:after|later|before|earlier|ago|etter|senere|før|tidligere|спустя|после|до|назад)(?!\w)")


def clause_places(sentence: str, a: int, b: int, i: int, j: int, lang: str, mentions: list) -> list[list]:
    """The places of a signature: those of ``mentions`` (the sentence's) within the clause [a, b) of
    the claim at [i, j), nearest mention of each, as [id, country, offset, after a preposition]."""
    places: dict[str, list] = {}
    preps = PLACE_PREPOSITIONS.get(lang, PLACE_PREPOSITIONS["en"])
    for m in mentions:
        if not a <= m.start < b:
            continue
        delta = m.start - i if m.start < i else max(0, m.start - j)
        word = _LAST_WORD.search(sentence, a, m.start)
        after_prep = int(bool(word) and word.group(1).lower() in preps)
        have = places.get(m.place.id)
        if have is None or abs(delta) < abs(have[2]):
            places[m.place.id] = [m.place.id, m.place.country, delta, after_prep]
    return list(places.values())


def compute(kind: str, text: str, sentence: str, lang: str, offset: int | None = None,
            others: list[tuple[int, int, str, str | None, str | None]] = (),
            mentions: list | None = None) -> dict[str, Any]:
    """The signature of one claim (``text`` at ``offset`` in ``sentence``, or its first occurrence).
    ``others``: the sentence's other claims as (start, end, kind, low, high), offsets in the sentence:
    the years of its dates are the clause's times ("I fjor passerte 19 000 skip"), and a number that is
    another claim ("2000 sivile") is no year. ``mentions``: the sentence's places, when the caller
    found them once for all its claims."""
    i = sentence.find(text) if offset is None else offset
    if i < 0:
        i = 0
    j = i + len(text)
    a, b = clause_bounds(sentence, i, j)
    before, after = sentence[a:i], sentence[j:b]
    out: dict[str, Any] = {}
    if _teaser(sentence, lang):
        out["teaser"] = True
    clause = sentence[a:b]
    places = clause_places(sentence, a, b, i, j, lang, gazetteer().mentions(sentence, lang) if mentions is None else mentions)
    if places:
        out["places"] = places
    years: set[int] = set()
    quantities = [(s0, e0) for s0, e0, k, _lo, _hi in others if k != "date"]
    for m in _YEAR.finditer(sentence, a, b):
        if i <= m.start() < j or any(s0 <= m.start() < e0 for s0, e0 in quantities):
            continue
        years.add(int(m.group(1)))
    for s0, e0, k, lo, hi in others:
        if k == "date" and a <= s0 and e0 <= b and not (i <= s0 < j) and lo and hi and lo[:4] == hi[:4]:
            years.add(int(lo[:4]))
    if years:
        out["years"] = sorted(years)
    if kind != "date":
        _figure_fields(out, kind, text, sentence, before, after, clause, lang, i, j)
    else:
        _date_fields(out, sentence, before, after, others, a, i, lang)
    stop = stopwords(lang)
    near: list[tuple[int, str]] = []
    for m in re.finditer(r"[^\W\d_][\w'’-]*", clause):
        tok = m.group(0)
        if not _is_content(tok, stop):
            continue
        pos = a + m.start()
        if i <= pos < j:
            continue
        near.append((abs(pos - i), lemma(tok, lang)))
    words = list(dict.fromkeys(w for _d, w in sorted(near)))[:MAX_WORDS]
    if words:
        out["words"] = words
    return out


def _figure_fields(out: dict[str, Any], kind: str, text: str, sentence: str, before: str, after: str, clause: str,
                   lang: str, i: int, j: int) -> None:
    """What a figure's clause says of it: a rate, an increment, a part or a whole, a total, the person of an
    age, the size of a thing, the noun it counts or measures, the substance of a weight."""
    rate = _rate(before, after, lang)
    if rate:
        out["rate"] = rate
    if _next_to(before, after, _cue_words(lang, "increment")):
        out["increment"] = True
    if kind == "count" and _next_to(before, after, _cue_words(lang, "part")):
        out["part"] = True  # "four of the boys", "the first four": some of a group
    elif kind == "count" and _next_to(before, "", _cue_words(lang, "within")):
        out["part"] = "within"  # "fjorten vogner, blant dem ni tankvogner": a group of its own within one
    elif kind == "count" and _whole_after_part(before, lang):
        out["whole"] = True
    if kind == "count" and _total_words(lang) and _total_words(lang).search(clause):
        out["total"] = True
    if kind == "age":
        person = _person_named(sentence[max(0, i - 60):i], sentence[j:j + 60])
        if person:
            out["person"] = person
    if kind not in ("count", "age") and _MEASURE_ADJECTIVE.search(text):
        out["size"] = True  # "the 193-km canal", "a 400-metre ship": the size of what follows
    if kind == "money":
        last = _LAST_WORD.search(before)
        if last and _is_content(last.group(1), stopwords(lang)):
            out["verb"] = lemma(last.group(1), lang)
    got = head_noun(after, before, lang, kind)
    if kind == "length":
        apposed = _apposed(before, lang)
        subject = _subject_before(before, lang, apposed)
        if subject:
            out["subject"] = subject  # "Grotta ligger rundt åtte mil nord for Chiang Rai": what lies there
        if apposed is not None and apposed[1]:
            out["apposed_place"] = True  # "a centre in Mezhdurechensk, about 25 km from the mine"
    if out.get("size"):
        # "the 193-km canal", "the 193-kilometre (120-mile) canal faces": the first noun after
        noun = _first_noun(after, lang)
        got = (noun, "") if noun else got
    elif kind == "length" and _next_to(before, after, _cue_words(lang, "size")):
        # "det 400 meter lange skipet": the noun after the size word; "Kanalen er rundt 19 mil
        # lang", "The canal is 193 km long", "Суэцкий канал длиной 163 км": the noun before
        noun = _first_noun(_SIZE_WORD.sub("", after, count=1), lang, attached=True)
        noun = noun or _subject_before(before, lang)
        if noun:
            out["size"], got = _dimension(before, after, lang), (noun, "")
    if got:
        out["head"] = got[0]
        if got[1]:
            out["mods"] = got[1]
        if kind in ("count", "money") and _next_to(before, "", (_cue_words(lang, "back_reference")[0], ())):
            out["refers_back"] = True  # "the 53 destroyed homes", "de sju tankvognene": a set counted before
    if kind in SUBSTANCE_KINDS:
        substance = _substance_after(after, lang)
        if substance:
            out["substance"] = substance  # "110 tonnes of styrene", "110 tonn styren", "110 тонн стирола"


def _date_fields(out: dict[str, Any], sentence: str, before: str, after: str,
                 others: list[tuple[int, int, str, str | None, str | None]], a: int, i: int, lang: str) -> None:
    """What a date's clause says of it: the stage of the story it dates, and whether it starts a period."""
    # a stage word anywhere earlier in the clause ("The last four boys and their coach were brought
    # out of the cave on Tuesday"), but not one that stands before another date of the clause
    since = max([e0 for s0, e0, k, _lo, _hi in others if k == "date" and a <= s0 and e0 <= i], default=a)
    stage = _stage(sentence[since:i], lang)
    if stage is None:
        # "were brought out alive on Sunday, the first success in a rescue": an apposition right
        # after the date names its stage; a new clause (", and the first convoys") is cut off already
        aside = re.match(r",\s*(?:\w+\s+){0,2}\w+", after)
        stage = _stage_after(aside.group(0), lang) if aside else None
    if stage:
        out["stage"] = stage
    if _next_to(before, "", (_cue_words(lang, "since")[0], ())):
        out["since"] = True


def sign_claims(body: str, claims: list[dict[str, Any]], lang: str) -> None:
    """Add each claim's signature (as JSON text, ``signature``) in place; ``body`` is the text the
    claims' offsets index into, which places a claim whose words occur twice in its sentence."""
    for sentence, members, mentions, spans in _by_sentence(body, claims, lang, gazetteer()):
        at = (claims[members[0]].get("start") or 0) - spans[0][0] if spans else -1
        then = _then_years(body, at, sentence, lang or "en") if not any(sp[2] == "date" for sp in spans) else []
        for k, n in enumerate(members):
            c = claims[n]
            offset = spans[k][0] if spans else None
            others = spans[:k] + spans[k + 1:] if spans else []
            sig = compute(c.get("kind") or "", c.get("text") or "", sentence, lang or "en", offset, others, mentions)
            if then and "years" not in sig:
                sig["years"] = then
            extra = c.get("extra")
            if isinstance(extra, str) and "deictic" in extra:
                extra = parse(extra)
            if isinstance(extra, dict) and extra.get("deictic"):
                sig["deictic"] = True  # "soon", "recently": a relation to publication, no day of an event
            if c.get("kind") == "age" and "person" not in sig and offset is not None:
                person = _person_before(body, c.get("start") or 0, sentence[:offset], lang or "en")
                if person:
                    sig["person"] = person
            c["signature"] = dump(sig)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _then_years(body: str, at: int, sentence: str, lang: str) -> list[int]:
    """The years of the sentence before one that opens with a word of ``as_of_then`` and names no date
    ("... sank off Paros in 2000. Da omkom rundt 80 mennesker"): "then" is that sentence's time, so a
    figure of it is of that year, a fact of its own when the article was published in another."""
    words = words_of(lang, "as_of_then")
    if not words or at <= 0:
        return []
    low = sentence.lstrip(" \"'«„“–—-").lower()
    if not any(low.startswith(w) and not low[len(w):len(w) + 1].isalnum() for w in words):
        return []
    last = _SENTENCE_END.split(body[max(0, at - ANAPHORA_REACH):at].rstrip())[-1]
    return sorted({int(y) for y in _YEAR.findall(last)})


ANAPHORA_REACH = 400  # characters before an age searched for the person it refers back to
_PERSON = re.compile(rf"(?<![^\W\d_])(?P<n>{_CAP}(?:[ \u00a0]+{_CAP}){{1,2}})(?![^\W\d_])")


def _person_before(body: str, start: int, before: str, lang: str) -> str | None:
    """The person an age written with a definite determiner refers back to ("Viktor Ganin gathered the
    survivors. Now the 54-year-old miner is home", "Nå er den 54 år gamle gruvearbeideren hjemme"): the
    last first name and surname written in the sentences just before (cues.yml
    ``anaphoric_determiners``; "a 54-year-old miner" is someone new). Names in brackets (an outlet in a
    dateline), starting with a function word, or naming a place are no person."""
    dets = words_of(lang, "anaphoric_determiners")
    last = _TOKEN.findall(before[-24:])
    if not dets or not last or last[-1].lower() not in dets:
        return None
    stop = stopwords(lang)
    window = body[max(0, start - ANAPHORA_REACH):start - len(before)]
    found = None
    for m in _PERSON.finditer(window):
        name = m.group("n")
        words = name.split()
        if words[0].lower() in stop or window[m.end():m.end() + 1] == ")" or gazetteer().mentions(name, lang):
            continue
        found = " ".join(words)
    return found


def resign_places(body: str, claims: list[dict[str, Any]], lang: str, gaz, story: str = "") -> list[str | None]:
    """The claims' stored signatures (``signature``) with their places found again by ``gaz`` (a
    gazetteer that knows the corpus' own places) and shared names settled by the corpus' country
    ``story``: the rest of each signature is kept as it is, in the same order of fields."""
    out: list[str | None] = [c.get("signature") for c in claims]
    for sentence, members, mentions, spans in _by_sentence(body, claims, lang, gaz, story):
        for k, n in enumerate(members):
            c = claims[n]
            text = c.get("text") or ""
            i = spans[k][0] if spans else sentence.find(text)
            i = max(i, 0)
            j = i + len(text)
            a, b = clause_bounds(sentence, i, j)
            places = clause_places(sentence, a, b, i, j, lang or "en", mentions)
            old = parse(c.get("signature"))
            sig = {k2: v for k2, v in old.items() if k2 == "teaser"}
            if places:
                sig["places"] = places
            sig.update((k2, v) for k2, v in old.items() if k2 not in ("teaser", "places"))
            out[n] = dump(sig)
    return out


def _by_sentence(body: str, claims: list[dict[str, Any]], lang: str, gaz, story: str = ""):
    """(sentence, its claims' indexes, its place mentions, its claims' spans in it) per sentence."""
    at_of: dict[int, int] = {}
    for n, c in enumerate(claims):
        sentence = c.get("sentence") or ""
        start = c.get("start") or 0
        at = body.find(sentence, max(0, (c.get("end") or 0) - len(sentence))) if sentence else -1
        at_of[n] = at if 0 <= at <= start else -1
    by_sentence: dict[tuple[int, str], list[int]] = {}
    for n, c in enumerate(claims):
        by_sentence.setdefault((at_of[n], c.get("sentence") or ""), []).append(n)
    # the countries the article names anywhere: "Valencia" in one sentence is the Valencia of the
    # "Valencia, Spain" in another (where it names none, the corpus' country ``story`` does)
    named = frozenset(m.place.country for m in gaz.mentions(body, lang or "en") if m.place.is_country)
    for (at, sentence), members in by_sentence.items():
        spans = [((claims[n].get("start") or 0) - at, (claims[n].get("end") or 0) - at, claims[n].get("kind") or "",
                  _iso(claims[n].get("low")), _iso(claims[n].get("high"))) for n in members] if at >= 0 else []
        yield sentence, members, gaz.mentions(sentence, lang or "en", named, story), spans


def _iso(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def dump(sig: dict[str, Any]) -> str | None:
    return json.dumps(sig, ensure_ascii=False, separators=(",", ":")) if sig else None


def parse(raw: str | None) -> dict[str, Any]:
    if not raw:
        return {}
    try:
        got = json.loads(raw)
    except (ValueError, TypeError):
        return {}
    return got if isinstance(got, dict) else {}
