"""Text in, claims out: the extraction stage as one pure function.

``extract_claims`` needs nothing but the text, its language and its publication date, so it can be
mapped over articles by any engine (a process pool here, Dask or Spark elsewhere). Dates are found
first, so that "27 March 2016" is never read as the counts 27 and 2016; quantities take what is left.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..claims import DAY_SECONDS, Claim
from ..language import Language, alternation, load_language
from .dates import Published, find_dates, parse_published
from .quantities import find_quantities

# A sentence ends at . ! ? or a line break, when what follows starts like a new sentence.
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?P<close>[\"'”»)]*)\s+(?=[\"'“«(\[–—-]?\s*[A-ZÆØÅА-ЯЁ0-9])|\n\s*\n|\n(?=\S)")


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence, as offsets into ``text``."""
    pos = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.start() + len(m.group("close") or "")  # a closing quote belongs to its sentence
        if end > pos:
            yield pos, end
        pos = m.end()
    if pos < len(text):
        yield pos, len(text)


def extract_claims(
    text: str,
    language: str | Language = "en",
    published: str | Published | None = None,
) -> list[Claim]:
    """Every numeric and date claim in ``text``, sorted by position."""
    lang = language if isinstance(language, Language) else load_language(language)
    pub = parse_published(published) if isinstance(published, str) else published
    claims = find_dates(text, lang, pub)
    taken = [(c.start, c.end) for c in claims]
    claims += find_quantities(text, lang, taken)
    if not claims:
        return claims  # most sentences: nothing to place in sentences or in time
    claims.sort(key=lambda c: c.start)
    _renumber_pairs(claims)
    _attach_sentences(text, claims)
    _frame_in_time(text, claims, lang, pub)
    return claims


def _renumber_pairs(claims: list[Claim]) -> None:
    """Pairs were indexes into the quantity list; after merging with dates they index the full list."""
    if all(c.pair is None for c in claims):
        return  # no conversion pairs: every pair stays None
    by_id = {id(c): i for i, c in enumerate(claims)}
    partner: dict[int, Claim] = {}
    quantities = [c for c in claims if c.kind != "date"]
    # quantity indexes refer to find_quantities' own order, which is by start: rebuild from it
    ordered = sorted(quantities, key=lambda c: c.start)
    for c in ordered:
        if c.pair is not None and 0 <= c.pair < len(ordered):
            partner[id(c)] = ordered[c.pair]
    for c in claims:
        other = partner.get(id(c))
        c.pair = by_id[id(other)] if other is not None else None


# A claim keeps its sentence as context for grouping and for the pages. Prose sentences are far shorter
# than this; a longer "sentence" (a table, a list or a text without full stops) gives each claim a window
# of it instead, so that what is stored grows with the text and not with claims times sentence length.
SENTENCE_MAX = 1200
WINDOW_STEP = 300


def _attach_sentences(text: str, claims: list[Claim]) -> None:
    spans = list(sentences(text))
    j = 0
    last: tuple[int, int, str] = (-1, -1, "")
    for c in claims:
        while j + 1 < len(spans) and spans[j][1] <= c.start:
            j += 1
        s, e = spans[j] if spans else (0, len(text))
        if e - s > SENTENCE_MAX:
            s, e = _window(text, s, e, c.start, c.end)
        if (s, e) != last[:2]:  # one string per sentence (or window), shared by its claims (and hashed once)
            last = (s, e, text[s:e].strip())
        c.sentence = last[2]
        if c.kind == "date" and not c.subject:
            # only the stretch the subject is read from is read: a window of a long sentence is 900
            # characters, copied twice for every date in it otherwise
            lo = max(s, c.start - SUBJECT_BEFORE - 1)
            c.subject = _date_subject(text, lo, c.start, c.end, min(e, c.end + SUBJECT_AFTER), lo > s)


def _window(text: str, s: int, e: int, start: int, end: int) -> tuple[int, int]:
    """The part of the long sentence [s, e) around the claim [start, end): cut on a grid so that nearby
    claims share one window, at least WINDOW_STEP characters each side, and at spaces."""
    cell = s + (start - s) // WINDOW_STEP * WINDOW_STEP
    a = max(s, cell - WINDOW_STEP)
    b = min(e, max(cell + 2 * WINDOW_STEP, end + WINDOW_STEP))
    if a > s:
        space = text.find(" ", a, min(start, a + 40))
        a = space + 1 if space >= 0 else a
    if b < e:
        space = text.rfind(" ", max(end, b - 40), b)
        b = space if space >= 0 else b
    return a, b


@functools.cache
def _as_of_patterns(lang: Language) -> tuple[re.Pattern, re.Pattern]:
    before = re.compile(rf"(?:^|(?<=[\s,(]))(?:{alternation(lang.words('as_of_before_date'))})[\s\u00a0]+$", re.IGNORECASE)
    now = re.compile(rf"(?<!\w)(?:{alternation(lang.words('as_of_now'))})(?!\w)", re.IGNORECASE)
    then_words = lang.words("as_of_then")
    then = re.compile(rf"\s*[\"'«„“–—-]*\s*(?:{alternation(then_words)})(?!\w)", re.IGNORECASE) if then_words else None
    return before, now, then


def _frame_in_time(text: str, claims: list[Claim], lang: Language, pub: Published | None) -> None:
    """The date each figure refers to (``as_of``): publication by default; "as of Tuesday",
    "per mandag" or "so far" in its sentence say otherwise; an earlier figure ("up from") is before."""
    before, now, then = _as_of_patterns(lang)
    published = (pub.low.isoformat(), pub.high.isoformat()) if pub is not None else None  # once, not per figure
    days_of_text = [c for c in claims if c.kind == "date" and c.granularity == "day" and c.low is not None
                    and c.high is not None]
    by_sentence: dict[str, list[Claim]] = {}
    for c in claims:
        by_sentence.setdefault(f"{c.sentence}", []).append(c)
    for sentence_claims in by_sentence.values():
        anchor, phrase = None, ""
        for d in sentence_claims:
            if d.kind != "date":
                continue
            # the phrase ends in a space run before the date: without a space there, nothing to search
            m = before.search(text[max(0, d.start - 25):d.start]) if d.start and text[d.start - 1].isspace() else None
            if m or d.cue in lang.words("as_of_before_date"):
                anchor, phrase = d, (m.group(0).strip() if m else d.cue)
                break
        if anchor is None:
            # "the toll stood at 150 on Thursday": a sentence's only day is the day its figures describe
            days = [d for d in sentence_claims if d.kind == "date" and d.granularity == "day"
                    and d.low is not None and d.high is not None]
            if len(days) == 1 and (pub is None or days[0].high <= pub.high.isoformat()):
                anchor, phrase = days[0], "the sentence's date:"
        so_far = now.search(sentence_claims[0].sentence)
        if so_far and phrase == "the sentence's date:":
            # "Over 2000 mennesker har nå forlatt hjemmene sine, etter utbruddet i går": "now" dates the
            # figures; the sentence's one day is another clause's
            anchor, phrase = None, ""
        if anchor is None and then is not None:
            anchor, phrase = _then_anchor(sentence_claims[0].sentence or "", sentence_claims, days_of_text, then, pub)
        later = _later_phrases(text, days_of_text, sentence_claims, lang) if any(
            c.kind == "duration" for c in sentence_claims) else []
        dates = [d for d in sentence_claims if d.kind == "date"] if later else []
        for c in sentence_claims:
            if c.kind == "date":
                continue
            shifted = None if not later or any(x.start <= c.start < x.end for x in later) else _nearest_later(
                text, c, later, dates)
            if shifted is not None:
                c.as_of_low, c.as_of_high, c.as_of_basis = shifted
                continue
            if c.cue and c.cue.startswith("previous:"):
                c.as_of_low, c.as_of_high = None, (pub.low.isoformat() if pub else None)
                c.as_of_basis = f"an earlier figure ('{c.cue.split(': ', 1)[1]}')"
            elif anchor is not None and anchor.low is not None:
                c.as_of_low, c.as_of_high = anchor.low, anchor.high
                c.as_of_basis = f"{phrase} '{anchor.text}'" if phrase.endswith(":") else f"'{phrase} {anchor.text}'"
            elif published is not None:
                c.as_of_low, c.as_of_high = published
                c.as_of_basis = f"'{so_far.group(0)}': as of publication" if so_far else "published"
            if so_far and not c.cue:
                c.cue = f"as_of_now: {so_far.group(0).lower()}"


THEN_REACH = 400


def _then_anchor(sentence: str, claims: list[Claim], days: list[Claim], then: re.Pattern,
                 pub: Published | None) -> tuple[Claim | None, str]:
    """ "It reached Kaleden on Tuesday. Then 38 degrees were measured": a sentence that opens with a
    word pointing back in time (cues.yml ``as_of_then``) and names no date is as of the last day the text
    named before it (a past day: a forecast's day is not one the figures were measured on)."""
    m = then.match(sentence)
    if m is None or any(c.kind == "date" for c in claims):
        return None, ""
    first = min(c.start for c in claims)
    # the day named in the sentences just before (THEN_REACH characters), not one paragraphs back
    earlier = [d for d in days if first - THEN_REACH <= d.end <= first and d.sentence != sentence
               and (pub is None or d.high <= pub.high.isoformat())]
    if not earlier:
        return None, ""
    last = max(earlier, key=lambda d: d.end)
    return last, f"the day the text named before '{m.group(0).strip()}':"


@dataclass
class _Later:
    """ "a week later": a duration read as a move in time from the date before it."""

    start: int
    end: int
    low: str
    high: str
    basis: str


def _later_words(lang: Language) -> tuple[re.Pattern | None, re.Pattern | None, dict[str, int]]:
    hit = lang._cache.get(("later", ""))
    if hit is None:
        after = {str(k).lower(): int(v) for k, v in (lang.get("later_after") or {}).items()}
        before = {str(k).lower(): int(v) for k, v in (lang.get("later_before") or {}).items()}
        a = re.compile(rf"[\s\u00a0]+(?P<w>{alternation(after)})(?!\w)", re.IGNORECASE) if after else None
        b = re.compile(rf"(?<!\w)(?P<w>{alternation(before)})[\s\u00a0]+$", re.IGNORECASE) if before else None
        hit = lang._cache[("later", "")] = (a, b, {**before, **after})
    return hit


def _later_phrases(text: str, days: list[Claim], sentence_claims: list[Claim], lang: Language) -> list[_Later]:
    """The durations of a sentence that move in time from the nearest day written before them, with the
    day they lead to: "150 on Thursday and had reached 900 a week later" dates 900 a week after Thursday."""
    after_rx, before_rx, sign = _later_words(lang)
    if after_rx is None and before_rx is None:
        return []
    days_end = [c.end for c in days]  # days: the text's dates of one day, in order (they do not overlap)
    out: list[_Later] = []
    for d in sentence_claims:
        if d.kind != "duration" or d.low is None or d.low != d.high:
            continue
        m = after_rx.match(text, d.end) if after_rx else None
        b = None if m or before_rx is None else before_rx.search(text, max(0, d.start - 12), d.start)
        word = (m or b).group("w").lower() if (m or b) else None
        if word is None:
            continue
        i = bisect.bisect_right(days_end, d.start) - 1
        base = days[i] if i >= 0 and d.start - days[i].end < 400 else None
        if base is None or not text[base.end:d.start].strip(" ,\u00a0"):
            continue  # "on Thursday, three days later": an apposition restating the day, no move from it
        move = dt.timedelta(days=round(float(d.low) / DAY_SECONDS) * sign[word])
        low = (dt.date.fromisoformat(str(base.low)) + move).isoformat()
        high = (dt.date.fromisoformat(str(base.high)) + move).isoformat()
        span_end = m.end() if m else d.end
        out.append(_Later(b.start() if b else d.start, span_end, low, high,
                          f"'{text[b.start() if b else d.start:span_end]}' from '{base.text}'"))
    return out


def _gap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(b_start - a_end, a_start - b_end, 0)


def _nearest_later(text: str, c: Claim, later: list[_Later], dates: list[Claim]) -> tuple[str, str, str] | None:
    """The as-of a figure takes from a "later" phrase near it in its clause (no ";" between), when no
    date of its sentence is nearer to it."""
    if not later:
        return None
    best = min(later, key=lambda x: _gap(x.start, x.end, c.start, c.end))
    gap = _gap(best.start, best.end, c.start, c.end)
    if gap > LATER_REACH or ";" in text[min(best.end, c.end):max(best.start, c.start)]:
        return None
    if any(_gap(d.start, d.end, c.start, c.end) < gap for d in dates):
        return None
    return best.low, best.high, best.basis


LATER_REACH = 60  # characters: "had reached 900 a week later", not a figure in the next clause


_WORD = re.compile(r"[^\W\d_][\w'’\-]*")


SUBJECT_BEFORE, SUBJECT_AFTER = 240, 160  # characters read around a date for its subject words
SUBJECT_NEAR = 96  # read first, then twice as far: where it holds eight words, its last six are those of SUBJECT_BEFORE


def _date_subject(text: str, lo: int, start: int, end: int, stop: int, cut: bool = False) -> str | None:
    """The words near the date text[start:end], nearest first: grouping maps them to events through
    vocabularies. Read from text[lo:start] and text[end:stop]; ``cut``: ``lo`` is inside the sentence
    (its first word may be a word's end, so it is left)."""
    # bounded windows: a sentence of 80 KB would otherwise be scanned whole for every date in it, and a
    # short stretch first: dates close together (a list, a table) would each read forty words
    near = max(lo, start - SUBJECT_BEFORE)
    cut = cut or near > lo
    reach = SUBJECT_NEAR
    while start - near > reach:
        words = _WORD.findall(text, start - reach, start)
        if len(words) >= 8:  # a word cut by the short stretch is its first at most
            break
        reach *= 2
    else:
        words = _WORD.findall(text, near, start)
        words = words[1:] if cut else words
    words = words[-6:]
    stop = min(stop, end + SUBJECT_AFTER)
    after = _WORD.findall(text, end, min(stop, end + SUBJECT_NEAR))
    if len(after) < 4 and end + SUBJECT_NEAR < stop:  # the near stretch may have cut its third word
        after = _WORD.findall(text, end, stop)
    return " ".join(words + after[:3]) or None
