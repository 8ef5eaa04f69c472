"""Grouping claims into facts: which claims talk about the same thing, and why.

Declared facts (rule files) come first: a claim joins every declared fact whose kind, entities, words,
event, counted noun and date ranges it matches. Claims no declared fact takes are grouped by default,
so a story nobody here has seen still gets checked, from each claim's signature (signature.py, read
at load time): same kind; same concept (a tally word, the counted noun, the person of an age, the
measured property, the reference point of a distance, the event word of a date, mapped through the
vocabularies of the article's language so "divers" and "dykkere" meet, else the noun's lemma); same
scope (the story's place unless the clause names another city or country; a distance is between two
named places); the same year (a clause naming another year is another fact); and, for figures that
change, articles published close together. Additions, parts, rates and teaser lines are compared with
nothing. An article dated only to a month joins every run of articles its month overlaps (rules then
say "possibly"). Date claims of one event kind at one place are split where their intervals lie more
than ``date_gap`` apart, and by stage, because a city can be captured twice. Every sweep sorts once;
nothing compares all pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from itertools import accumulate, compress, repeat
from operator import attrgetter, gt, sub
from typing import NamedTuple

from .claims import KINDS_NOT_COMPARED
from .language import alternation, words_of
from .places import Place, most_named
from .ruleset import FactSpec, Ruleset, Vocabulary
from .signature import boundary_pattern, relative_cut, relative_pattern
from .signature import parse as parse_signature

INF = float("inf")
# kinds whose figures change from one week to the next: grouped only across nearby publication dates
WINDOWED_KINDS = {"count", "percent", "money", "duration"}
GROWING_KINDS = {"count", "money", "area", "volume", "mass"}  # a rising cue makes their fact a running total


@dataclass(slots=True)
class Article:
    id: str
    source: str
    published: str
    pub_lo: int | None  # day ordinals
    pub_hi: int | None
    language: str
    title: str
    main_entity: str | None = None
    # where the story of the whole corpus happens (the country most articles are about, see
    # ``mark_story_place``): a figure whose clause names no place is about it
    story: str | None = None
    story_city: str | None = None
    # the publication interval as sort keys: an undated article sorts first and spans nothing
    lo_key: float = -INF
    hi_key: float = -INF

    # the years it may have been published in: a figure's clause naming another year is of that year
    years: tuple[int, int] | None = None
    url: str = ""  # where it was published, for the reports a fact-checker follows back

    def __post_init__(self) -> None:
        self.lo_key = -INF if self.pub_lo is None else self.pub_lo
        self.hi_key = -INF if self.pub_hi is None else self.pub_hi
        if self.pub_lo is not None and self.pub_hi is not None:
            self.years = (dt.date.fromordinal(self.pub_lo).year, dt.date.fromordinal(self.pub_hi).year)

    def label(self) -> str:
        return f"{self.source or self.id} ({self.published or 'undated'})"

    def __reduce__(self):
        """Pickled as its constructor's arguments: see CheckClaim.__reduce__."""
        return (Article, _ARTICLE_STATE(self))


@dataclass(slots=True)
class CheckClaim:
    """A claim as the rules see it: bounds as numbers, and what every rule asks of it worked out once.

    ``engine.read_claims`` decodes the stored fields; the derived ones come from ``derive``, in one place
    for claims read from a database and claims made in Python alike.
    """

    id: str
    article: Article
    kind: str
    text: str
    start: int
    end: int
    unit: str | None
    qualifier: str | None
    lo: float  # numeric bounds: dates as day ordinals, open bounds as +-inf
    hi: float
    norm_unit: str | None
    precision: float | None
    basis: str | None
    subject: str | None
    sentence: str
    pair_id: str | None = None
    pair_role: str | None = None
    as_of_lo: int | None = None  # day ordinals of the date the figure refers to; lo None: "some time before"
    as_of_hi: int | None = None
    cue: str | None = None  # "rising: rose to", "correction: revised down to", "previous: up from", ...
    resolution: str | None = None  # dates: absolute | partial | relative (None: loaded before the column)
    signature: str | None = None  # JSON from the load (signature.py); None: loaded before the column
    # derived (see ``derive``)
    cue_kind: str = ""  # the cue's category: rising, falling, correction, previous, as_of_now, or ''
    relative: bool = False  # a date resolved from the publication date by a relative phrase
    stated: bool = True  # states a figure: not the converted side of a pair, not open at both ends
    wlo: float = -INF  # the interval widened by the claim's rounding (dates are not widened)
    whi: float = INF

    @property
    def low(self):
        """The lower bound as stored: an ISO day for dates, a number otherwise, None when open."""
        return _stored(self.lo, self.kind)

    @property
    def high(self):
        return _stored(self.hi, self.kind)

    def __reduce__(self):
        """Pickled as its constructor's arguments, read in C: flagged claims travel from the worker
        processes of a check (parallel.py), and the slot-by-slot state that dataclasses generate takes
        twice as long each way."""
        return (CheckClaim, _CLAIM_STATE(self))


_ARTICLE_STATE = attrgetter(*(f.name for f in fields(Article)))
_CLAIM_STATE = attrgetter(*(f.name for f in fields(CheckClaim)))


def _stored(x: float, kind: str):
    if x in (INF, -INF):
        return None
    if kind == "date":
        return dt.date.fromordinal(int(x)).isoformat()
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


# databases loaded before claims had a resolution column: the basis wording of that time tells
RELATIVE_BASIS = re.compile(r"(?i)published")
YEAR_INFERRED = re.compile(r"(?i)^\s*year inferred")


def legacy_relative(basis: str | None) -> bool:
    """Whether a date stored before claims had a resolution column was relative, from its basis wording."""
    return bool(basis and RELATIVE_BASIS.search(basis) and not YEAR_INFERRED.match(basis))


def derive(c: CheckClaim) -> CheckClaim:
    """Fill the derived fields from the stored ones (the Python twin of the SQL in ``read_claims``)."""
    cue = c.cue or ""
    c.cue_kind = cue.split(":", 1)[0] if ":" in cue else ""
    if c.kind != "date":
        c.relative = False
    elif c.resolution is not None:
        c.relative = c.resolution == "relative"
    else:
        c.relative = legacy_relative(c.basis)
    c.stated = c.pair_role != "conversion" and not (c.lo == -INF and c.hi == INF)
    # "about 60" holds its rounding already, and a count written to the unit ("two", "212") is exact: two
    # and three people are never "within rounding of each other"
    if c.kind != "date" and c.precision and c.qualifier != "approx" and not (c.kind == "count" and c.precision <= 0.5):
        c.wlo, c.whi = c.lo - c.precision, c.hi + c.precision
    else:
        c.wlo, c.whi = c.lo, c.hi
    return c


@dataclass
class Fact:
    id: str
    label: str
    kind: str
    origin: str  # "declared" or "default"
    varies: str = "fixed"
    spec: FactSpec | None = None
    unit: str | None = None  # display unit for messages
    claims: list[CheckClaim] = field(default_factory=list)
    whys: list[str] = field(default_factory=list)  # why each claim belongs here, parallel to ``claims``
    # claims placed here because their article's vague publication date ("2016-04") overlaps the
    # fact's run of articles: whether they belong with it depends on the unknown day
    vague: frozenset[str] = frozenset()
    # where the fact comes in a run's list of facts (declared ones in file order, then the default ones
    # by key): facts found in separate processes are put back in the order one process finds them
    rank: tuple = ()

    @property
    def reasons(self) -> dict[str, str]:
        """Claim id -> why it belongs to the fact."""
        return dict(zip([c.id for c in self.claims], self.whys, strict=True))


class ClaimRef(NamedTuple):
    """A claim of a fact grouped in another process (``palmyra check --jobs``): its id and article,
    which is what writing the fact needs; the claim itself is in the claims table."""

    id: str
    article: Article


class ClaimRefs(Sequence):
    """The claims of a fact grouped in another process, as ClaimRefs made when asked for: writing the
    fact needs only the ids and the number of outlets (counted where the claims were), not a million
    objects."""

    __slots__ = ("ids", "article_ids", "articles", "sources")

    def __init__(self, ids: list[str], article_ids: list[str], articles: dict[str, Article], sources: int):
        self.ids, self.article_ids, self.articles, self.sources = ids, article_ids, articles, sources

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self.ids)))]
        return ClaimRef(self.ids[i], self.articles[self.article_ids[i]])


_ARTICLE = attrgetter("article")
_ID = attrgetter("id")


def claim_ids(claims: Sequence) -> Iterable[str]:
    """The ids of a fact's claims, whether it holds them or ClaimRefs."""
    return claims.ids if isinstance(claims, ClaimRefs) else map(_ID, claims)


def source_count(claims: Sequence) -> int:
    """Outlets reporting the claims (an article without a source counts as its own); a fact grouped in
    a worker process had them counted there."""
    if isinstance(claims, ClaimRefs):
        return claims.sources
    arts = list(map(_ARTICLE, claims))
    distinct = dict(zip(map(id, arts), arts, strict=True)).values()  # by identity: cheaper than a million strings
    return len({a.source or a.id for a in distinct})


class Matcher:
    """Vocabulary words compiled into one regex per table and language (longest words first), the
    same words as a table of lemmas (a signature's lemmas are looked up there), and the gazetteer
    with the rule files' entities as aliases."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.entities = self._compile(vocab.entities)
        self.boundary = boundary_pattern(vocab.clause_boundaries)
        self.relative = relative_pattern(vocab.clause_boundaries)
        self._gazetteer = None
        self._place_ids: dict[str, str] | None = None
        self._places: dict[str, Place] = {}
        self._indexed = False
        self._countries: dict[str, Place] | None = None
        self._found: dict[str, int] = {}  # places found in the corpus (check.learn_corpus_places) -> articles
        self._by_language: dict[tuple[str, str], tuple] = {}

    def of(self, name: str, claim: CheckClaim):
        """The table ``name`` (events, counted, tallies, properties, references) with the words of the
        claim's article language only: English "fire" is not looked for in "de fire første". An
        article without a language gets every language's words."""
        lang = (claim.article.language if claim.article is not None else "") or ""
        got = self._by_language.get((name, lang))
        if got is None:  # compiled when first asked for: most checks meet one or three languages
            langs = self.vocab.languages
            table = {concept: [w for w in ws if not lang or not langs.get((name, w.lower()))
                               or "" in langs[(name, w.lower())] or lang in langs[(name, w.lower())]]
                     for concept, ws in getattr(self.vocab, name).items()}
            got = self._by_language[(name, lang)] = self._compile(
                table, _distance_prepositions() if name == "references" else ())
        return got

    @staticmethod
    def _compile(table: dict[str, list[str]], after: Sequence[str] = ()) -> tuple[re.Pattern | None, dict[str, str]]:
        """``after``: the words must follow one of these ("from the entrance"); the match's group
        ``w`` is then the word itself."""
        words: dict[str, str] = {}
        for concept, ws in table.items():
            for w in ws:
                words.setdefault(w.lower(), concept)
        if not words:
            return None, {}
        # a trie ("kill(?:ed|ings)?"), longest first as a flat list would be: the engine reads one branch
        # per letter instead of trying every word at every position of every sentence
        if after:  # "from the cave entrance": the reference is the phrase's last noun when there are two
            return re.compile(rf"(?<!\w)(?:{alternation(after)})\s+(?:(?:the|a|an)\s+)?(?:[^\W\d_]+\s+)?"
                              rf"(?P<w>{alternation(words)})(?!\w)", re.IGNORECASE), words
        return re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", re.IGNORECASE), words

    @staticmethod
    def _concept(table, m: re.Match) -> str | None:
        return _word_concept(table[1], _matched(m))

    @staticmethod
    def lemma_concept(table, lemmas: Iterable[str]) -> tuple[str, str] | None:
        """The concept of the first lemma the table lists, and the lemma."""
        words = table[1]
        for w in lemmas:
            got = words.get(w)
            if got is not None:
                return got, w
        return None

    def nearest(self, table, claim: CheckClaim, near: int, skip: frozenset | set = frozenset()) -> tuple[str, str] | None:
        """The concept of the vocabulary word nearest to the claim within its clause, and the word;
        words of the ``skip`` concepts are passed over."""
        pattern = table[0]
        if pattern is None:
            return None

        def wanted(ms):
            return (m for m in ms if not skip or self._concept(table, m) not in skip)

        subject_first = claim.kind != "date"  # a counted noun is the subject; an event word is nearby
        if claim.subject and subject_first:
            m = next(wanted(pattern.finditer(claim.subject)), None)
            if m:
                return self._concept(table, m), _matched(m)
        before, after = context(claim, near, self.boundary, self.relative)
        if claim.kind == "count":
            # "368 personer, 327 passasjerer og 41 mannskaper", "survivors at 289, with 67 still missing":
            # a word right after another figure, or past it, is that figure's
            nxt = _A_FIGURE.search(after)
            if nxt:  # "достигло 41, пропавшими без вести остаются 30": and from the comma before it
                cut = max(after.rfind(",", 0, nxt.start()), after.rfind(";", 0, nxt.start()))
                after = after[:cut if cut >= 0 else nxt.start()]
        best: re.Match | None = None  # the nearest word: the last one before (the later of equals), or
        dist = 0  # the first one after if it is nearer
        for m in wanted(pattern.finditer(before)):
            if claim.kind == "count" and _AFTER_A_FIGURE.search(before, 0, m.start()):
                continue
            best = m
        if best is not None:
            dist = len(before) - best.end()
        m = next(wanted(pattern.finditer(after)), None)
        if m and (best is None or m.start() < dist or self._joined(claim, before[best.end():])):
            best = m
        if best is None and claim.subject and not subject_first:
            best = next(wanted(pattern.finditer(claim.subject)), None)
        return (self._concept(table, best), _matched(best)) if best else None

    @staticmethod
    def _joined(claim: CheckClaim, between: str) -> bool:
        """Whether only a clause joiner ("and", "og", "и") stands between a word and the claim: "12 people
        died and 40 were rescued" — "died" frames the 12, so the 40 takes the word after it."""
        gap = " ".join(between.replace(",", " ").lower().split())
        return bool(gap) and gap in words_of(claim.article.language or "en", "clause_joiners")

    # -- places ------------------------------------------------------------------------------------

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from .places import gazetteer

            self._gazetteer = gazetteer().with_entities(self.vocab.entities)
        return self._gazetteer

    def place_id(self, gid: str) -> str:
        """A stored gazetteer id as this ruleset names it: an entity sharing a name takes its place."""
        if self._place_ids is None:
            ids: dict[str, str] = {}
            if self.vocab.entities:
                from .places import gazetteer

                base = gazetteer()
                for key, place in self.gazetteer.names.items():
                    was = base.names.get(key)
                    if was is not None and was.id != place.id:
                        ids[was.id] = place.id
            self._place_ids = ids
        return self._place_ids.get(gid, gid)

    def add_found(self, place: Place, articles: int) -> None:
        """A place the corpus names after place prepositions in ``articles`` articles (not the gazetteer's)."""
        self._places[place.id] = place
        self._found[place.id] = articles

    def is_found(self, eid: str) -> bool:
        """Whether a place is one the corpus named after place prepositions, not the gazetteer's."""
        return eid in self._found

    def place_why(self, eid: str) -> str:
        """A place's name in a reason, saying how a place the gazetteer lacks was found."""
        n = self._found.get(eid)
        name = self.place_name(eid)
        return name if n is None else f"{name} (place: named after a place preposition in {n} articles)"

    def remember(self, place: Place) -> None:
        self._places.setdefault(place.id, place)

    def place(self, eid: str) -> Place | None:
        got = self._places.get(eid)
        if got is None and not self._indexed:  # a place found in another process: look it up once
            self._indexed = True
            for p in self.gazetteer.names.values():
                self._places.setdefault(p.id, p)
            for places in self.gazetteer.others.values():  # places a name stands for in context only
                for p in places:
                    self._places.setdefault(p.id, p)
            got = self._places.get(eid)
        return got

    def country_place(self, code: str) -> Place | None:
        """The country of an ISO code, as the gazetteer names it."""
        if self._countries is None:
            self._countries = {p.country: p for p in self.gazetteer.names.values() if p.is_country}
        return self._countries.get(code)

    def label(self, key: str) -> str:
        """A part of a default fact's key as people read it: a place, a country, a year."""
        if key.startswith("year "):
            return key[5:]
        if len(key) == 2 and key.isupper():
            got = self.country_place(key)
            return got.name if got is not None else key
        return self.place_name(key)

    def place_name(self, eid: str) -> str:
        if eid in self.vocab.entities:
            return self.vocab.entity_name(eid)
        got = self.place(eid)
        return got.name if got is not None else eid

    def country(self, eid: str) -> str:
        got = self.place(eid)
        return got.country if got is not None else ""

    def entities_in(self, text: str, lang: str = "en") -> list[str]:
        """The places a text names: the gazetteer's, with the rule files' entities as aliases."""
        if not text:
            return []
        found = set()
        for place in self.gazetteer.places(text, lang):
            self.remember(place)
            found.add(place.id)
        pattern, words = self.entities
        if pattern is not None:
            found.update(_word_concept(words, w) for w in pattern.findall(text))
        return sorted(found)

    def main_entity(self, text: str, lang: str = "en", story: str = "") -> str | None:
        """The place a text is about: the one it names most often (rule file entities included);
        ``story``: the corpus' country, which settles a shared name where the text names no country."""
        if not text:
            return None
        counts: Counter = Counter()
        order: dict[str, int] = {}
        for k, m in enumerate(self.gazetteer.mentions(text, lang, story=story)):
            self.remember(m.place)
            counts[m.place.id] += 1
            order.setdefault(m.place.id, k)
        pattern, words = self.entities
        if pattern is not None:
            for m in pattern.finditer(text):
                eid = _word_concept(words, m.group(0))
                if eid is not None and eid not in order:  # aliases the gazetteer did not see
                    counts[eid] += 1
                    order.setdefault(eid, len(order) + 10_000)
        return most_named(counts, order, self._places.get)


def mark_story_place(articles: Iterable[Article], matcher: Matcher) -> None:
    """Give every article the story's place: the country (or, for a rule file's entity outside the
    gazetteer, the entity) that the most articles are about, and the city of that country most of
    them are about. One story, one place, whatever incidental places single articles name most."""
    counts: Counter = Counter()
    cities: Counter = Counter()
    arts = list(articles)
    for a in arts:
        if a.main_entity:
            counts[matcher.country(a.main_entity) or a.main_entity] += 1
    story = _most(counts)
    for a in arts:
        place = matcher.place(a.main_entity) if a.main_entity else None
        if place is not None and not place.is_country and place.country == story:
            cities[a.main_entity] += 1
    city = _most(cities)
    for a in arts:
        a.story, a.story_city = story, city


def _most(counts: Counter) -> str | None:
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if counts else None


def _matched(m: re.Match) -> str:
    """The vocabulary word a match found (without the preposition a reference noun needs)."""
    return m.group("w") if "w" in m.re.groupindex else m.group(0)


def _distance_prepositions() -> list[str]:
    from .language import available_languages, load_language

    out: list[str] = []
    for code in available_languages():
        out.extend(w for w in load_language(code).words("distance_from") if w not in out)
    return out


_SPACES = re.compile(r"\s+")


def _word_concept(words: dict[str, str], found: str) -> str | None:
    """The concept of a vocabulary word as found in a text: any case, any spacing ("Deir  ez-Zor")."""
    w = found.lower()
    got = words.get(w)
    return got if got is not None else words.get(_SPACES.sub(" ", w))


def context(claim: CheckClaim, near: int, boundary: re.Pattern,
            relative: re.Pattern | None = None) -> tuple[str, str]:
    """Up to ``near`` characters before and after the claim in its sentence, cut at clause boundaries
    and, inside a relative clause, at its ends."""
    s = claim.sentence or ""
    i = s.find(claim.text) if claim.text else -1
    if i < 0:
        return s, ""
    before = s[max(0, i - near):i]
    after = s[i + len(claim.text):i + len(claim.text) + near]
    cuts = list(boundary.finditer(before))
    if cuts:
        before = before[cuts[-1].end():]
    m = boundary.search(after)
    if m:
        after = after[:m.start()]
    return relative_cut(before, after, relative)


def window_text(claim: CheckClaim, near: int) -> str:
    s = claim.sentence or ""
    i = s.find(claim.text) if claim.text else -1
    if i < 0:
        return s
    return s[max(0, i - near):i + len(claim.text) + near]


def iso(ordinal: float | int | None) -> str:
    if ordinal is None or ordinal in (float("inf"), float("-inf")):
        return "open"
    return dt.date.fromordinal(int(ordinal)).isoformat()


# -- declared facts ----------------------------------------------------------------------------

def _ord(s: str | None) -> int | None:
    return dt.date.fromisoformat(s).toordinal() if s else None


def match_declared(spec: FactSpec, claim: CheckClaim, matcher: Matcher, sentence_entities: list[str]) -> str | None:
    """Why the claim belongs to the declared fact, or None when it does not."""
    if claim.kind != spec.kind:
        return None
    why = [f"kind {spec.kind}"]
    if spec.entities:
        missing = [e for e in spec.entities if e not in sentence_entities]
        if missing:
            main = claim.article.main_entity
            if missing != [main]:
                return None
            named = [matcher.place_name(e) for e in spec.entities if e != main]
            why.append((f"names {'+'.join(named)}, " if named else "")
                       + f"in an article about {matcher.place_name(main)}")
        else:
            why.append("names " + "+".join(matcher.place_name(e) for e in spec.entities))
    if spec.words:
        text = window_text(claim, spec.near).lower() + " " + (claim.subject or "").lower()
        word = next((w for w in spec.words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)), None)
        if word is None:
            return None
        why.append(f"word {word!r}")
    if spec.events:
        found = matcher.nearest(matcher.of("events", claim), claim, spec.near)
        if not found or found[0] not in spec.events:
            return None
        why.append(f"event word {found[1]!r} ({found[0]})")
    if spec.counted:
        table = matcher.of("tallies" if spec.counted in matcher.vocab.tallies else "counted", claim)
        found = matcher.nearest(table, claim, spec.near)
        if not found or found[0] != spec.counted:
            return None
        why.append(f"counts {found[1]!r} ({spec.counted})")
    pub_from, pub_to = _ord(spec.published_from), _ord(spec.published_to)
    if pub_from is not None and (claim.article.pub_hi is None or claim.article.pub_hi < pub_from):
        return None
    if pub_to is not None and (claim.article.pub_lo is None or claim.article.pub_lo > pub_to):
        return None
    if pub_from is not None or pub_to is not None:
        why.append(f"published {spec.published_from or '…'} to {spec.published_to or '…'}")
    d_from, d_to = _ord(spec.dates_from), _ord(spec.dates_to)
    # a date that may fall in the range belongs to it: "27 March" under a publication date of "2016"
    # is 2015-03-27 or 2016-03-27, and one reading suffices (the rules then compare every reading)
    if d_from is not None and claim.hi < d_from:
        return None
    if d_to is not None and claim.lo > d_to:
        return None
    if d_from is not None or d_to is not None:
        inside = (d_from is None or claim.lo >= d_from) and (d_to is None or claim.hi <= d_to)
        why.append(f"date {'within' if inside else 'may fall within'} {spec.dates_from or '…'} to {spec.dates_to or '…'}")
    return "declared fact: " + ", ".join(why)


# -- grouping ----------------------------------------------------------------------------------

def chain_clusters(items: list, key_lo, key_hi, gap: float) -> list[list]:
    """Split items into runs where consecutive intervals (sorted by low) lie at most ``gap`` apart.

    Items keep their order on ties (two stable sorts: by high, then by low). A run breaks where a low
    lies more than ``gap`` beyond every high before it (the running maximum); all of it in C, as a
    million claims may pass through here.
    """
    n = len(items)
    if not n:
        return []
    los, his = list(map(key_lo, items)), list(map(key_hi, items))
    order = sorted(range(n), key=his.__getitem__)
    order.sort(key=los.__getitem__)
    lows = list(map(los.__getitem__, order))
    reach = list(accumulate(map(his.__getitem__, order), max))
    breaks = compress(range(1, n), map(gt, map(sub, lows[1:], reach[:-1]), repeat(gap)))
    edges = [0, *breaks, n]
    take = items.__getitem__
    return [list(map(take, order[a:b])) for a, b in zip(edges, edges[1:], strict=False)]


def span_clusters(items: list, key_lo, span: float) -> list[list]:
    """Split items (sorted by low) into runs that each fit within ``span`` of their first item: unlike
    ``chain_clusters``, daily reports of a level do not chain into one run, so Monday's 350 rescuers
    and the next Monday's 500 are never compared as one moment's."""
    out: list[list] = []
    first = None
    for item in sorted(items, key=key_lo):
        lo = key_lo(item)
        if first is None or lo - first > span:
            out.append([])
            first = lo
        out[-1].append(item)
    return out


_pub_lo = attrgetter("article.lo_key")  # publication day ordinals, -inf when undated
_pub_hi = attrgetter("article.hi_key")


_LO = attrgetter("lo")
_HI = attrgetter("hi")


def group_claims(claims: list[CheckClaim], ruleset: Ruleset, matcher: Matcher | None = None,
                 kinds: Collection[str] | None = None) -> list[Fact]:
    """Facts for a list of claims: declared ones first, then the default grouping of the rest.

    ``kinds``: the claims are those of these kinds only (one process's share, see parallel.py), so only
    the declared facts of these kinds are made here.
    """
    matcher = matcher or Matcher(ruleset.vocabulary)
    g = ruleset.grouping
    facts: dict[str, Fact] = {}
    taken: set[str] = set()
    specs_by_kind: dict[str, list[FactSpec]] = defaultdict(list)
    specs = [(n, spec) for n, spec in enumerate(ruleset.facts) if kinds is None or spec.kind in kinds]
    for _n, spec in specs:
        specs_by_kind[spec.kind].append(spec)
    entity_cache: dict[str, list[str]] = {}

    def sentence_entities(c: CheckClaim) -> list[str]:
        s = c.sentence or ""
        got = entity_cache.get(s)
        if got is None:
            got = entity_cache[s] = matcher.entities_in(s, c.article.language or "en")
        return got

    declared: dict[str, list[tuple[CheckClaim, str]]] = defaultdict(list)
    for c in claims:
        for spec in specs_by_kind.get(c.kind, ()):
            why = match_declared(spec, c, matcher, sentence_entities(c))
            if why:
                declared[spec.id].append((c, why))
                taken.add(c.id)
    for n, spec in specs:
        members = declared.get(spec.id, [])
        reasons = {c.id: why for c, why in members}
        if spec.window_days is not None and members:
            parts = chain_clusters([c for c, _ in members], _pub_lo, _pub_hi, spec.window_days)
        else:
            parts = [[c for c, _ in members]]
        for k, part in enumerate(parts):
            fid = spec.id if len(parts) == 1 else f"{spec.id}@{iso(_pub_lo(part[0]))}"
            fact = Fact(fid, spec.label, spec.kind, "declared", spec.varies, spec, spec.unit, rank=(0, n, k))
            fact.claims = part
            fact.whys = [reasons[c.id] for c in part]
            facts[fid] = fact

    if g.default:
        # bucket key -> its claims, and each claim's reason (a few hundred distinct strings, shared)
        buckets: dict[tuple, tuple[list[CheckClaim], list[str]]] = {}
        joined: dict[tuple[str, str], str] = {}
        vague_days = g.window_days

        def named_places(c: CheckClaim, sig: dict) -> list[str]:
            """The places named near the claim in its clause (gazetteer ids as this ruleset names them):
            within ``near`` characters for a distance, twice that for the scope of a figure; and the
            rule files' entities its sentence names."""
            places = [p for p in sig.get("places") or () if len(p) < 3 or abs(p[2]) <= 2 * g.near]
            if c.kind == "length" and all(len(p) >= 4 for p in places):
                # "Palmyra lies 240 km from Damascus", "60 km north of Chiang Rai, near the border with
                # Myanmar": a distance is to the place named nearest after it, from the one nearest before
                # it that is its subject (no preposition: "in Mae Sai district, 60 km north" is not)
                near = [p for p in places if abs(p[2]) <= g.near]
                after = sorted((p for p in near if p[2] >= 0), key=lambda p: p[2])[:1]
                before = sorted((p for p in near if p[2] < 0 and not p[3]), key=lambda p: -p[2])[:1]
                places = after + before
            got = {matcher.place_id(p[0]) for p in places}
            if matcher.entities[0] is not None:
                got.update(e for e in sentence_entities(c) if e in matcher.vocab.entities)
            return sorted(got)

        def scope(art: Article, named: list[str]) -> tuple[list[str], str]:
            """Where an event or a figure is: the story's place when its clause names none, or names
            the story's city or country; else the other cities it names (a toll "in Aleppo" is not
            Palmyra's), else the other countries ("in Greece and Albania" is not "in Greece")."""
            story = art.story
            if not named:
                return ([story], f"names no place: about the story's {matcher.label(story)}") if story else ([], "")
            cities = sorted(e for e in named if not is_country(e))
            codes = sorted({matcher.country(e) or e for e in named if is_country(e)})
            own = [e for e in cities if matcher.is_found(e) and matcher.country(e) in ("", story)]
            if own and story:
                # a place the corpus named after place prepositions (a cave, a village, "Suezkanalen")
                # is a part of the story's scene, not another city's: another language may name the
                # scene in words the gazetteer does not hold ("the Suez Canal"), or not at all
                cities = [e for e in cities if e not in own]
                if not cities and codes in ([], [story]):
                    return [story], (f"about the story's {matcher.label(story)}: names "
                                     + "+".join(map(matcher.place_why, own)) + ", a place of the story")
            if story and (art.story_city in cities or (not cities and codes == [story])):
                return [story], f"about the story's {matcher.label(story)}"
            if cities:
                return cities, "about " + "+".join(map(matcher.place_why, cities))
            return codes, "about " + "+".join(map(matcher.label, codes))

        def is_country(eid: str) -> bool:
            place = matcher.place(eid)
            return place is not None and place.is_country

        def plan(c: CheckClaim) -> tuple[tuple[str, ...], str | None, str, str] | None:
            """Places, concept and why for a claim's signature, or None when it joins no default fact."""
            sig = signature_of(c)
            if sig.get("teaser") or sig.get("deictic") or (c.kind != "date" and (sig.get("increment") or sig.get("part"))):
                return None  # "READ MORE: ...", "six more", "the first four": not the figure others state
            got = default_concept(c, matcher, g, sig)
            if got is None:
                return None  # too vague to compare with anything
            concept, word_why = got
            named = named_places(c, sig)
            main = c.article.main_entity
            name = matcher.place_name
            if c.kind == "length" and concept and "~" in concept:
                # the size of one object ("the canal is 193 km long", "Суэцкий канал длиной 163 км"):
                # a place named beside it is part of its name, not another object's
                ents, ent_why = [], "the size of one thing"
            elif c.kind == "length" and concept in LEVEL_PROPERTIES:
                # "trapped 420 metres underground", "на глубине 520 метров": the depth of the story's
                # scene, wherever its clause places it, like any other measure of the story
                ents, ent_why = scope(c.article, named)
            elif c.kind == "length" and (site := _site_distance(c, sig, concept, named, matcher)) is not None:
                # "The mine lies 25 km south of M", "Gruven ligger 25 km sør for M", "at the mine, about 25
                # km from M", "a centre in M, 25 km from the mine": one distance, the scene's from a place
                concept, ents, ent_why = site
            elif c.kind == "length":
                ents = list(named)
                ent_why = ("names " + "+".join(map(matcher.place_why, named))) if named else ""
                main_place = matcher.place(main) if main else None
                if len(ents) == 1 and main and main != ents[0] and not (main_place and main_place.is_country):
                    # "The ancient city lies 240 km from Damascus": the article's place completes the pair
                    # (a country does not: a distance is between two points)
                    ents = sorted([ents[0], main])
                    ent_why += f", in an article about {name(main)}"
                if len(ents) == 1 and (concept is None or concept.startswith("from ")):
                    # "Grotta ligger rundt åtte mil nord for (byen) Chiang Rai": to the place after a
                    # distance word, from what the clause is about (its subject: a cave, not a convoy)
                    far = _far_end(c, sig)
                    if far is not None and matcher.place_id(far) == ents[0]:
                        concept = f"{c.article.language or 'en'}:{sig['subject']}/from"
                        ent_why += f", the distance of {sig['subject']!r} (the clause's subject)"
                if len(ents) < 2 and concept is None:
                    return None  # "12 km from Palmyra": from where? Only a distance between two places compares
            else:
                ents, ent_why = scope(c.article, named)
            anchor = anchor_year(c, sig) if c.kind != "length" else None
            if anchor is not None:
                # "the 2004 tsunami killed more than 5,000": a figure of another year is a fact of its own
                ents = [*ents, f"year {anchor}"]
                ent_why = (ent_why + ", " if ent_why else "") + f"in a clause naming {anchor}"
            return tuple(ents), concept, word_why, ent_why


        def target(c: CheckClaim, got) -> tuple[list[CheckClaim], list[str], str, bool]:
            """The bucket a planned claim goes to, its reason, and whether the bucket depends on the article."""
            ents, concept, word_why, ent_why = got
            own = vague_days is not None and c.kind in WINDOWED_KINDS and c.article.pub_lo is None
            if own:
                ents = (*ents, f"article {c.article.id}")  # an undated figure that changes: compared with nothing
                ent_why += "; no publication date, so no run of articles to compare with"
            key = (c.kind, concept, ents)
            bucket = buckets.get(key)
            if bucket is None:
                bucket = buckets[key] = ([], [])
            # a million claims share a few hundred reasons: one string per distinct reason, not per claim
            why = joined.get((word_why, ent_why))
            if why is None:
                why = joined[(word_why, ent_why)] = f"{word_why}, {ent_why}" if ent_why else word_why
            return bucket[0], bucket[1], why, own

        # what a claim is about depends on its words only (kind, sentence, figure, subject, and the
        # article's main place): wire copy reprinted by many outlets, or a sentence with several
        # figures, is matched against the vocabularies once, and the answer names the claim's bucket; the
        # cache is emptied now and then so that a corpus of unique sentences does not keep one entry per claim
        plans: dict[tuple, tuple | None] = {}
        missing = object()
        skip_kinds = set(KINDS_NOT_COMPARED)
        if g.kinds:
            skip_kinds |= {c.kind for c in claims} - set(g.kinds)
        for c in claims:
            kind = c.kind
            if kind in skip_kinds or (taken and c.id in taken):
                continue
            art = c.article
            # the publication years decide whether a year in the clause is another time (anchor_year)
            key = (kind, c.sentence, c.text, c.subject, c.signature, art.main_entity, art.years)
            got = plans.get(key, missing)
            if got is missing:
                if len(plans) > 100_000:
                    plans.clear()
                planned = plan(c)
                if planned is None:
                    plans[key] = None
                    continue
                members, whys, why, own = target(c, planned)
                plans[key] = (planned,) if own else (members, whys, why)
            elif got is None:
                continue
            elif len(got) == 1:  # an undated figure that changes: a bucket of its article's own
                members, whys, why, _own = target(c, got[0])
            else:
                members, whys, why = got
            members.append(c)
            whys.append(why)
        settle_totals(buckets, g.window_days, lambda c: total_event(c, matcher, g))
        join_languages(buckets)
        for key, (members, member_whys) in sorted(buckets.items(), key=lambda kv: str(kv[0])):
            kind, concept, ents = key
            vague_ids: set[str] = set()
            if kind == "date":
                parts = chain_clusters(members, _LO, _HI, g.date_gap_days)
                split = "date"
            elif kind in WINDOWED_KINDS and g.window_days is not None:
                parts, vague_ids = publication_windows(members, g.window_days)
                split = "published"
            else:
                parts, split = [members], ""
            # a part may be the members in another order (publication_windows sorts them): reasons follow
            # their claims by identity unless the one part is the member list itself
            same = len(parts) == 1 and parts[0] is members and not vague_ids
            why_of = None if same else dict(zip(map(id, members), member_whys, strict=True))
            places = "–".join(matcher.label(e) for e in ents if not e.startswith("article "))
            base = f"{kind}:{concept or '-'}:{'+'.join(e.replace(' ', ':') for e in ents) or '-'}"
            for k, part in enumerate(parts):
                span = ""
                if split == "date":
                    anchor = iso(min(map(_LO, part)))
                    span = month_text(anchor, iso(max(map(_HI, part))))
                elif split == "published":
                    dated = [c for c in part if c.id not in vague_ids] if vague_ids else part
                    dated = dated or part
                    anchor = iso(min(map(_pub_lo, dated)))
                    span = when_text(anchor, iso(max(map(_pub_hi, dated))))
                else:
                    anchor = ""
                fid = f"{base}@{anchor}" if anchor else base
                label = _default_label(kind, concept, _label_places(matcher, ents, part) or places, split, span)
                # an event's varies ("evacuation": a level of people under orders) is its counts', never
                # its dates': the day an evacuation began is one day
                varies = varies_of(concept, matcher.vocab) if kind != "date" else "fixed"
                if varies == "fixed" and kind in GROWING_KINDS and any(c.cue_kind == "rising" for c in part):
                    # "the queue swelled past 230", "reached 369", "has burned 21,000 hectares", "the cost has
                    # reached C$85 million": a figure that grows, compared in as-of order
                    varies = "cumulative"
                fact = Fact(fid, label, kind, "default", varies, None, None, part, rank=(1, str(key), k))
                in_part = vague_ids.intersection(c.id for c in part) if vague_ids else ()
                if in_part:
                    fact.vague = frozenset(in_part)
                suffix = _split_why(split, span)
                whys = member_whys if why_of is None else list(map(why_of.__getitem__, map(id, part)))
                with_suffix = {w: w + suffix for w in set(whys)} if suffix else None
                if with_suffix:
                    whys = list(map(with_suffix.__getitem__, whys))
                if in_part:
                    whys = [w + (f"; published {c.article.published}, which overlaps these articles' dates: "
                                 "compared with them, though the unknown day decides whether it belongs")
                            if c.id in in_part else w for c, w in zip(part, whys, strict=True)]
                fact.whys = whys if whys is not member_whys else list(whys)
                facts[fid] = fact
    return list(facts.values())


_LEMMA_CONCEPT = re.compile(r"^[a-z]{2,3}:[^/]+")


def _specific(c: CheckClaim) -> float | None:
    """A value too particular to agree by chance: a single day, or an exact figure of 10 or more
    that is not round ("25-year-old", "321 ships"; not "40", not "about 300")."""
    if c.lo != c.hi or c.lo in (INF, -INF) or c.qualifier not in (None, "exact"):
        return None
    if c.kind == "date":
        return c.lo
    return c.lo if c.lo >= 10 and float(c.lo).is_integer() and c.lo % 10 else None


def _clause_event(c: CheckClaim, matcher: Matcher) -> tuple[str, str, bool] | None:
    """The event a count's clause names, where no tally word frames it: its verb ("launched an
    offensive") may stand anywhere in the clause, up to its boundaries; the words of the figure's own
    cue ("reached", "fell to") say how it changed, not what happened."""
    got = matcher.nearest(matcher.of("events", c), c, len(c.sentence or ""))
    cue_words = (c.cue or "").split(":", 1)[-1].lower().split() if c.cue_kind else []
    return (got[0], got[1], False) if got and got[1].lower() not in cue_words else None


def total_event(c: CheckClaim, matcher: Matcher, g) -> str | None:
    """The event a stated total's clause names, which did not split its concept (see _concept)."""
    sig = signature_of(c)
    if c.kind != "count" or not sig.get("total"):
        return None
    if _vocab_word(matcher, matcher.of("tallies", c), c, g.near, (sig.get("words") or ())[:4]) is not None:
        return None  # a tally ("killed") says what is counted: no event was looked for
    event = _clause_event(c, matcher)
    return event[0] if event else None


def settle_totals(buckets: dict[tuple, tuple[list[CheckClaim], list[str]]], window: float | None,
                  event_of) -> None:
    """A stated total whose clause names an event ("til sammen 1200 sivile ble evakuert") goes to the
    figures of its noun and event where some were published near it (within ``window`` days), else
    stays with its noun's other figures."""
    def near(c: CheckClaim, others: list[CheckClaim]) -> bool:
        lo = c.article.pub_lo
        return any(o.article.id == c.article.id or (window is None or lo is None or o.article.pub_lo is None)
                   or abs(o.article.pub_lo - lo) <= window for o in others)

    moves = []
    for key, (members, _whys) in buckets.items():
        if key[0] != "count":
            continue
        for k, c in enumerate(members):
            event = event_of(c) if signature_of(c).get("total") else None
            dest = (key[0], f"{key[1]}/{event}", key[2]) if event and key[1] else None
            if dest in buckets and near(c, buckets[dest][0]):
                moves.append((key, k, dest))
    for key, k, dest in sorted(moves, key=lambda m: (str(m[0]), -m[1])):
        members, whys = buckets[key]
        buckets[dest][0].append(members.pop(k))
        buckets[dest][1].append(whys.pop(k))
    for key in [k for k, (members, _w) in buckets.items() if not members]:
        del buckets[key]


def join_languages(buckets: dict[tuple, tuple[list[CheckClaim], list[str]]]) -> None:
    """Concepts known only by their lemma in one language ("nb:trener", "ru:тренер") join a concept of
    another language when claims of both state the same specific value at the same place: the
    evidence is named in each claim's reason. Never all pairs: buckets meet by (kind, place, value)."""
    lemma_keys = [k for k in buckets if k[1] and _LEMMA_CONCEPT.match(k[1])]
    if not lemma_keys:
        return
    by_value: dict[tuple, set[tuple]] = defaultdict(set)
    for key, (members, _whys) in buckets.items():
        if not key[1]:
            continue
        for c in members:
            v = _specific(c)
            if v is not None:
                by_value[(key[0], key[2], v)].add(key)
    parent: dict[tuple, tuple] = {}

    def root(k: tuple) -> tuple:
        while parent.get(k, k) != k:
            k = parent[k]
        return k

    evidence: dict[tuple, str] = {}
    lemma = set(lemma_keys)
    for (_kind, _ents, value), keys in sorted(by_value.items(), key=lambda kv: str(kv[0])):
        if len(keys) != 2:
            continue  # a value that more concepts state is no evidence that two of them are one
        keys = sorted(keys, key=str)
        for a in keys:
            for b in keys:
                if str(a) >= str(b) or not ({a, b} & lemma) or _language(a[1]) == _language(b[1]):
                    continue
                ra, rb = root(a), root(b)
                if ra != rb:
                    first, second = sorted((ra, rb), key=str)
                    parent[second] = first
                    evidence.setdefault(a, f"{b[1]} states the same {_value_text(value, a[0])}")
                    evidence.setdefault(b, f"{a[1]} states the same {_value_text(value, a[0])}")
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for k in parent:
        groups[root(k)].append(k)
    for top, keys in groups.items():
        keys = sorted(set(keys) | {top}, key=str)
        concept = "+".join(k[1] for k in keys)
        members: list[CheckClaim] = []
        whys: list[str] = []
        for k in keys:
            ms, ws = buckets.pop(k)
            note = f"; joined across languages: {evidence[k]}" if k in evidence else ""
            members.extend(ms)
            whys.extend(w + note for w in ws)
        buckets[(top[0], concept, top[2])] = (members, whys)


def _language(concept: str) -> str:
    m = _LEMMA_CONCEPT.match(concept or "")
    return concept.split(":", 1)[0] if m else "*"


def _value_text(v: float, kind: str) -> str:
    return iso(v) if kind == "date" else f"{int(v)}"


def publication_windows(members: list[CheckClaim], window: float) -> tuple[list[list[CheckClaim]], set[str]]:
    """Runs of articles published at most ``window`` days apart, and the claims of articles dated more
    vaguely than that ("2016-04"), each placed in every run its publication interval comes within
    ``window`` days of (or, near none, in runs of their own). The runs of precise dates are disjoint
    and sorted, so each vague claim finds its runs by bisection: never all pairs."""
    # dated more vaguely than the window (an undated article spans nothing: it is compared with nothing)
    vague = list(compress(members, map(gt, map(sub, map(_pub_hi, members), map(_pub_lo, members)), repeat(window))))
    if not vague:
        return chain_clusters(members, _pub_lo, _pub_hi, window), set()
    vague_ids = {c.id for c in vague}
    parts = chain_clusters([c for c in members if c.id not in vague_ids], _pub_lo, _pub_hi, window)
    spans = [(min(map(_pub_lo, p)), max(map(_pub_hi, p))) for p in parts]
    ends = [hi for _lo, hi in spans]
    alone: list[CheckClaim] = []
    for c in vague:
        lo, hi = c.article.pub_lo - window, c.article.pub_hi + window
        k = bisect_left(ends, lo)
        placed = False
        while k < len(spans) and spans[k][0] <= hi:
            parts[k].append(c)
            placed = True
            k += 1
        if not placed:
            alone.append(c)
    return parts + chain_clusters(alone, _pub_lo, _pub_hi, window), vague_ids


def when_text(lo: str, hi: str) -> str:
    """Two ISO days as people write them: "24 March 2016", "24–29 March 2016", "30 March – 2 April 2016"."""
    if "open" in (lo, hi):
        return ""
    a, b = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
    if a == b:
        return f"{a.day} {a:%B %Y}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{a.day} {a:%B %Y} – {b.day} {b:%B %Y}"


def month_text(lo: str, hi: str) -> str:
    """The months two ISO days span: "March 2016", "March–April 2016", "December 2016 – January 2017"."""
    if "open" in (lo, hi):
        return ""
    a, b = dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a:%B %Y}"
    if a.year == b.year:
        return f"{a:%B}–{b:%B %Y}"
    return f"{a:%B %Y} – {b:%B %Y}"


# counts below this that no tally word frames are not grouped by default: "two divers", "four
# volunteers", "three groups" are the details and parts of a story; its totals and tolls are larger,
# or framed by a tally word ("two dead"), or declared in a rule file
SMALL_COUNT = 10
_ORDINALS = {"1": "first", "2": "second", "3": "third", "4": "fourth"}


def _found_why(label: str, found: tuple[str, str], lemma: bool = False) -> str:
    word = f"lemma {found[1]!r}" if lemma else repr(found[1])
    return f"{label} {word} ({found[0]})"


def _vocab_word(matcher: Matcher, table, c: CheckClaim, near: int, lemmas: Sequence[str]) -> tuple[str, str, bool] | None:
    """The nearest word of a vocabulary table in the claim's clause, else the first of its lemmas the
    table lists: (concept, word, whether it was a lemma)."""
    found = matcher.nearest(table, c, near)
    if found is not None:
        return found[0], found[1], False
    got = Matcher.lemma_concept(table, lemmas)
    return (got[0], got[1], True) if got else None


def _far_end(c: CheckClaim, sig: dict) -> str | None:
    """The place a distance is measured to when only that end is named ("60 km north of Chiang Rai",
    "rundt åtte mil nord for Chiang Rai", "в 60 км от Бангкока"): the first place after the figure,
    behind a distance word of the article's language and nothing more; None without a subject."""
    if not sig.get("subject"):
        return None
    after = sorted((p for p in sig.get("places") or () if len(p) >= 4 and p[2] >= 0), key=lambda p: p[2])
    sentence, text = c.sentence or "", c.text or ""
    i = sentence.find(text) if text else -1
    if not after or i < 0:
        return None
    gap = sentence[i + len(text):i + len(text) + after[0][2]]
    aside = _ASIDE.match(gap)
    gap = gap[aside.end():] if aside else gap
    if len(gap) > 2 * REFERENCE_REACH:
        return None
    low = " " + _SPACES.sub(" ", gap.lower()).strip() + " "
    for w in words_of(c.article.language or "en", "distance_from"):
        k = low.find(f" {w} ")
        # "north of Chiang Rai", "nord for byen Chiang Rai", "north of the city of X": a distance word
        # near the figure, then at most a few words that name what the place is
        if 0 <= k <= REFERENCE_REACH and len(low[k + len(w) + 2:].split()) <= 4 and not any(ch.isdigit() for ch in low):
            return after[0][0]
    return None


_CONTENT = re.compile(r"[^\W\d_]{3}")


def _event_after(matcher: Matcher, table, c: CheckClaim, near: int, lemmas: Sequence[str]) -> tuple[str, str, bool] | None:
    """A date's event when no event word stands before it: the nearest after it ("во вторник сел на
    мель", "On Tuesday, the ship ran aground"). But a date that ends a clause of its own ("Da skipet
    ble dratt løs mandag, hadde det sperret kanalen") is of that clause's verb, even one the vocabulary
    lacks: the event after its comma belongs to the main clause, and the date then joins no fact."""
    before, after = context(c, near, matcher.boundary)
    comma = after.find(",")
    own_clause = comma >= 0 and _CONTENT.search(before) is not None
    pattern = table[0]
    m = pattern.search(after, 0, comma if own_clause else len(after)) if pattern is not None else None
    if m is not None:
        return Matcher._concept(table, m), _matched(m), False
    if own_clause:
        return None
    got = Matcher.lemma_concept(table, lemmas)  # a lemma of the clause ("evakueringen" -> evakuering)
    return (got[0], got[1], True) if got else None


def _word_before(matcher: Matcher, table, c: CheckClaim, near: int) -> tuple[tuple[str, str] | None, bool]:
    """The vocabulary word nearest before the claim in its clause and its concept; and, for a date,
    whether a vocabulary word before it was passed over as a figure's cue ("the queue reached 237 on
    Friday": "reached" tells the figure's rise, not an arrival)."""
    pattern = table[0]
    if pattern is None:
        return None, False
    before, _after = context(c, near, matcher.boundary)
    last = None
    passed = False
    for m in pattern.finditer(before):
        if c.kind == "date" and _CUE_OF_FIGURE.match(before, m.end()):
            passed = True
        else:
            last = m
    return ((Matcher._concept(table, last), _matched(last)) if last else None), passed


_CUE_OF_FIGURE = re.compile(r"\s+\d")
_A_FIGURE = re.compile(r"(?<![\w.,])\d")
_AFTER_A_FIGURE = re.compile(r"(?<![\w.,])\d(?:[\d.,\u00a0]*\d)?\s+$")  # "41, пропавшими": a comma ends the figure
_WORDS = re.compile(r"[^\W\d_][\w'’-]*")


def _words_before(c: CheckClaim, matcher: Matcher, near: int, key: str) -> tuple[list[str], list[str]]:
    """The cue words ``key`` of the claim's language, and the words of its clause right before it (lower
    case, nearest last); both empty where the language lists none."""
    words = list(words_of(c.article.language or "en", key)) if c.article is not None else []
    if not words:
        return [], []
    before, _after = context(c, near, matcher.boundary)
    return words, _WORDS.findall(before[-40:].lower())


def _counted_over(c: CheckClaim, matcher: Matcher, near: int) -> bool:
    """Whether a duration is the period a figure was counted over (cues.yml ``period_before`` right
    before it: "within 11 days", "i løpet av 11 dager", "за 11 дней"), which no other report's length of
    an event need match."""
    words, toks = _words_before(c, matcher, near, "period_before")
    low = " " + " ".join(toks)
    return any(low.endswith(" " + w) for w in words)


def _time_between(c: CheckClaim, matcher: Matcher, near: int) -> bool:
    """Whether a duration is the time between two moments: right before a word of ``later_after`` or of
    ``offset_words`` ("five days after the ferry sank", "two days later", "to dager etter ulykken"), or
    right after one of ``later_before`` ("спустя три дня"); unless a word of ``lasting_before`` says it is
    how long something lasted ("burned for five days after the blast")."""
    lang = c.article.language or "en" if c.article is not None else "en"
    before, after = context(c, near, matcher.boundary)
    low = " " + " ".join(_WORDS.findall(before[-40:].lower()))
    if any(low.endswith(" " + w) for w in words_of(lang, "lasting_before")):
        return False
    if any(low.endswith(" " + w) for w in words_of(lang, "later_before")):
        return True
    nxt = " " + " ".join(_WORDS.findall(after[:30].lower())) + " "
    return any(nxt.startswith(f" {w} ") for w in (*words_of(lang, "later_after"), *words_of(lang, "offset_words")))


def _reported_on(c: CheckClaim, matcher: Matcher, near: int) -> bool:
    """Whether a date stands right after a reporting verb (cues.yml ``reporting_verbs``; at most one
    word between: "said on Monday", "sa mandag", "заявили в понедельник"): the day a report was made,
    which says nothing of when the events it reports happened."""
    verbs, toks = _words_before(c, matcher, near, "reporting_verbs")
    return any(t in verbs for t in toks[-2:])


_ASIDE = re.compile(r"\s*\([^)]*\)")
# measured properties of a length that are the scene's own level, needing no noun ("420 metres underground")
LEVEL_PROPERTIES = frozenset({"depth", "altitude"})


def _site_distance(c: CheckClaim, sig: dict, concept: str | None, named: list[str],
                   matcher: Matcher) -> tuple[str, list[str], str] | None:
    """A distance between a thing at the scene (a reference concept: "the mine", "gruva", "шахта") and
    one named place, keyed alike in every language: the clause's subject with the place at the far end
    ("The mine lies 25 km south of M"), or a place before an apposition and the thing after it ("a
    centre in M, about 25 km from the mine"). A settlement ("the city lies 240 km from Damascus") is the
    article's own place: left to the pairing of places. None when the claim is neither."""
    refs = matcher.of("references", c)
    if concept and concept.startswith("from ") and sig.get("apposed_place"):
        before = sorted((p for p in sig.get("places") or () if len(p) >= 4 and p[2] < 0), key=lambda p: -p[2])
        ref = concept[len("from "):]
        if before and ref not in matcher.vocab.settlements:
            place = matcher.place_id(before[0][0])
            return f"{ref}/from", [place], f"the distance of the {ref} from {matcher.place_why(place)}"
        return None
    if len(named) != 1 or not sig.get("subject") or not (concept is None or concept.startswith("from ")):
        return None
    got = Matcher.lemma_concept(refs, [sig["subject"]])
    if got is None or got[0] in matcher.vocab.settlements:
        return None
    far = _far_end(c, sig)
    if far is None or matcher.place_id(far) != named[0]:
        return None
    return (f"{got[0]}/from", list(named),
            f"names {matcher.place_why(named[0])}, the distance of {sig['subject']!r} ({got[0]}, the clause's subject)")


# claim kinds whose unit says what they measure (a property of vocabulary/properties.yml)
OWN_PROPERTY = {"temperature": "temperature"}
REFERENCE_REACH = 16  # characters between a distance and its "from": "north of", "away from", "off"


def _word_after(matcher: Matcher, table, c: CheckClaim, near: int) -> tuple[str, str] | None:
    """The vocabulary word nearest after the claim in its clause ("4 km from the entrance"; a
    reference point before a distance belongs to another figure), and its concept."""
    pattern = table[0]
    if pattern is None:
        return None
    _before, after = context(c, near, matcher.boundary)
    aside = _ASIDE.match(after)  # "4 kilometres (2.5 miles) from the entrance"
    start = aside.end() if aside else 0
    m = pattern.search(after, start)
    if m is None or m.start() - start > REFERENCE_REACH:
        return None  # "800 metres beneath the surface of the mountain": not what it is measured from
    return Matcher._concept(table, m), _matched(m)


def default_concept(c: CheckClaim, matcher: Matcher, g, sig: dict | None = None) -> tuple[str | None, str] | None:
    """The concept a claim is about, and why (see ``_concept``); a rate ("50 ships a day") is a
    concept of its own, per its period."""
    got = _concept(c, matcher, g, sig or {})
    rate = (sig or {}).get("rate")
    if got is None or not rate or c.kind == "date":
        return got
    concept, why = got
    return f"{concept or c.kind}/per {rate}", f"{why}, a rate per {rate}"


def _concept(c: CheckClaim, matcher: Matcher, g, sig: dict) -> tuple[str | None, str] | None:
    """The concept a claim is about, and why; None when nothing in its clause says what it measures.

    Dates and durations: the nearest event word. Counts: a tally word ("killed", "death toll") first,
    then the counted noun, which a generic noun ("people") does not override; the event word near a
    count that is no tally ("militants attacked") splits it further. Ages: the person's noun.
    Percentages, sums and other quantities: the measured property, else the counted noun. Lengths: what
    the distance is measured from, if anything (places do the rest). Where no vocabulary word is near,
    the noun the figure describes (its lemma, in the article's language) is the concept.
    """
    kind = c.kind
    words = sig.get("words") or ()
    head = sig.get("head")
    lang = c.article.language or "en" if c.article is not None else "en"
    parts = [f"kind {kind}"]
    if kind == "date":
        return _date_concept(c, matcher, g, sig, words, parts)
    if kind == "count":
        return _count_concept(c, matcher, g, sig, words, head, lang, parts)
    return _measured_concept(c, matcher, g, sig, words, head, lang, parts)


def _date_concept(c: CheckClaim, matcher: Matcher, g, sig: dict, words: Sequence[str], parts: list[str]) -> tuple[str | None, str] | None:
    """A date's concept: its event word, split by the stage or the person its clause names."""
    events = matcher.of("events", c)
    if _reported_on(c, matcher, g.near):
        return None  # "investigators said on Monday that ...": the day of the report, not of an event
    if sig.get("since"):
        # "missing since June 23 were found on Monday": the date starts what comes before it
        got, _cue = _word_before(matcher, events, c, g.near)
        if got is None:
            return None  # the start of something the clause does not name
        parts.append(f"since ({_found_why('event word', got)})")
        return f"{got[0]}/since", "default grouping: " + ", ".join(parts)
    # "wedged itself into the bank on 24 March, it lost ...": the verb before a date is its event;
    # the one after it, only when none stands before ("во вторник сел на мель")
    got, passed_cue = _word_before(matcher, events, c, g.near)
    if got is None and passed_cue:
        words = ()  # its lemma ("reach") is no event of the date either
    found = (got[0], got[1], False) if got else _event_after(matcher, events, c, g.near, words)
    if found is None:
        return None
    parts.append(_found_why("event word", found[:2], found[2]))
    stage = sig.get("stage")
    if stage:
        # "the first four were freed on Sunday, the last on Tuesday": one stage, one date
        parts.append(f"stage {stage if stage == 'last' else _ORDINALS.get(stage, stage)}")
        return f"{found[0]}/stage {stage}", "default grouping: " + ", ".join(parts)
    # the person is the one the clause names before its date ("the volunteer firefighter died on
    # Thursday, his family said": the firefighter, not the family)
    who = _word_before(matcher, matcher.of("counted", c), c, g.near)[0] if found[0] in matcher.vocab.individual \
        else None
    if who is not None and who[0] not in matcher.vocab.generic:
        # "a man died on Tuesday", "a volunteer firefighter was killed on Friday": two deaths
        parts.append(_found_why("of", who[:2]))
        return f"{found[0]}/of {who[0]}", "default grouping: " + ", ".join(parts)
    return found[0], "default grouping: " + ", ".join(parts)


def _count_concept(c: CheckClaim, matcher: Matcher, g, sig: dict, words: Sequence[str], head: str | None,
                   lang: str, parts: list[str]) -> tuple[str | None, str] | None:
    """A count's concept: a tally word first, then the counted noun, split by a clause's event word."""
    heads = (head,) if head else ()
    event = None
    found = _vocab_word(matcher, matcher.of("counted", c), c, g.noun_near, heads)
    # "the death toll from the earthquake in Karsa rose to 2,300": a tally word stands further
    # off than a counted noun, and is specific enough to look for as far as event words
    tally = None if sig.get("whole") else _vocab_word(matcher, matcher.of("tallies", c), c, g.near, words[:4])
    if tally is None:
        event = _clause_event(c, matcher)
    if tally is not None and found is not None and (found[0] in matcher.vocab.generic or not head):
        # "people killed": the tally says what is counted; so where no noun follows the figure ("the
        # death toll from the fires rose to three"): a counted word elsewhere is the cause or the scene
        found = None
    if found is None and tally is None and head:
        found = (f"{lang}:{head}", head, True)
    if found is None and tally is None:
        return None
    if tally is None and event is None and found[0] in matcher.vocab.generic and not sig.get("total"):
        # "3,400 people had registered", "15 000 innbyggere", "17 people were treated": a broad noun
        # with no tally or event word says too little of what is counted to join anything
        return None
    if tally is None and c.hi < SMALL_COUNT:
        return None  # "two divers", "four volunteers": in a story's telling, mostly a detail or a part
    concept = found[0] if found else None
    mods = sig.get("mods") if tally is None else None
    if mods and concept:
        concept = f"{concept}/{lang}:{mods}"  # "13 foreign cave divers" are not "90 divers"
        parts.append(f"qualified {mods!r}")
    if tally:
        concept = f"{concept}/{tally[0]}" if concept else tally[0]
        parts.append(f"tally word {tally[1]!r} ({tally[0]}, {matcher.vocab.varies.get(tally[0], 'fixed')})"
                     if not tally[2] else f"tally lemma {tally[1]!r} ({tally[0]})")
    if found:
        parts.append(_found_why("counted noun" if found[2] else "counted word", found[:2], found[2]))
    if event and sig.get("total"):
        # "Blokkeringen holdt til sammen rundt 300 skip tilbake": a stated total counts what the
        # figures of its noun count; it joins those of its event only where they exist (settle_totals)
        parts.append(f"a stated total ({_found_why('event word', event[:2])} does not split it)")
    elif event:
        concept = f"{concept}/{event[0]}"
        parts.append(_found_why("event word", event[:2]))
    return concept, "default grouping: " + ", ".join(parts)


def _measured_concept(c: CheckClaim, matcher: Matcher, g, sig: dict, words: Sequence[str], head: str | None,
                      lang: str, parts: list[str]) -> tuple[str | None, str] | None:
    """The concept of an age, a duration, a length, a percentage, a sum or another quantity."""
    kind = c.kind
    heads = (head,) if head else ()
    if kind == "age":
        person = sig.get("person")
        if person:
            # "Gordon Reimer, 68" and "66-летний Гордон Реймер": one person, by the surname as a cognate
            surname = person.split()[-1]
            parts.append(f"the age of {person!r}")
            return f"person:~{cognate(surname, lang)}", "default grouping: " + ", ".join(parts)
        found = _vocab_word(matcher, matcher.of("counted", c), c, g.noun_near, heads)
        label = "person"
    elif kind == "duration":
        if _counted_over(c, matcher, g.near):
            return None  # "За одиннадцать дней ... были эвакуированы 9 тысяч": a period figures were counted over
        if _time_between(c, matcher, g.near):
            return None  # "two days after the sinking": when something else happened, not how long anything lasted
        # "the strike ended after six days": a moment ("ended") says when another event stopped; the
        # duration is that event's, so the next event word is taken where there is one
        events = matcher.of("events", c)
        got = (matcher.nearest(events, c, len(c.sentence or ""), matcher.vocab.moments)
               if matcher.vocab.moments else None)
        found = (got[0], got[1], False) if got else _vocab_word(matcher, events, c, g.near, words)
        label = "event word"
    elif kind == "length":
        # a distance from something ("4 km from the entrance"), else the size of something ("the
        # 193-km canal", "the canal is 193 km long"), else a distance between named places
        props = matcher.of("properties", c)
        own = Matcher.lemma_concept(props, heads) if head else None
        if head and sig.get("size") and not (own and own[0] in LEVEL_PROPERTIES):
            # "the 193-km canal", "Kanalen er 19 mil lang", "канал длиной 163 км": one object's size,
            # across languages where its noun is a cognate ("at a depth of 4,800 metres" is no object's)
            dim = sig["size"] if isinstance(sig["size"], str) else "length"
            parts.append(f"{dim} of {head!r}")
            return f"{dim} of ~{cognate(head, lang)}", "default grouping: " + ", ".join(parts)
        level = _vocab_word(matcher, props, c, g.noun_near, words[:3])
        if level is not None and level[0] in LEVEL_PROPERTIES:
            # "420 metres underground", "420 meter under bakken", "на глубине 520 метров": the scene's
            # level, whatever noun stands beside it (a thing's own size was taken above)
            parts.append(_found_why("measures", level[:2], level[2]))
            return level[0], "default grouping: " + ", ".join(parts)
        got = _word_after(matcher, matcher.of("references", c), c, g.near)
        if got is not None:
            parts.append(_found_why("measured from", got))
            return f"from {got[0]}", "default grouping: " + ", ".join(parts)
        if level is not None and head and own is None:
            parts.append(_found_why("measures", level[:2], level[2]) + f" of {head!r}")
            return f"{level[0]} of {lang}:{head}", "default grouping: " + ", ".join(parts)
        return None, "default grouping: " + ", ".join(parts)
    else:
        found = _vocab_word(matcher, matcher.of("properties", c), c, g.near, words)
        label = "measures"
        if found is None and sig.get("substance"):
            # "110 tonnes of styrene", "110 tonn styren", "около 110 тонн стирола": what the weight is of,
            # across languages where the substance's name is a cognate
            substance = sig["substance"]
            found, label = (f"~{cognate(substance, lang)}", substance, False), "of substance"
        if found is None and kind in OWN_PROPERTY and c.unit:
            # "Da ble det målt 38 grader i byen": a temperature measures temperature, not the town after it
            found, label = (OWN_PROPERTY[kind], c.unit, False), "measures, by its unit"
        found = found or _vocab_word(matcher, matcher.of("counted", c), c, g.noun_near, heads)
    if found is None and head:
        found = (f"{lang}:{head}", head, True)
        label = "describes"
    if found is None and kind == "money" and sig.get("verb"):
        # "the authority demanded $960 million", "demands $916 million": what the sum is, by its verb
        found = (f"{lang}:{sig['verb']}", sig["verb"], True)
        label = "sum the verb says"
    if found is None:
        return None
    concept = found[0]
    if kind == "money" and c.norm_unit:
        concept = f"{concept}/{c.norm_unit}"  # sums in two currencies are compared by no rule
    parts.append(_found_why(label, found[:2], found[2]))
    return concept, "default grouping: " + ", ".join(parts)


_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=10_000)
def cognate(word: str, lang: str) -> str:
    """A spelling that cognates share across languages: the language's Latin letters (its
    ``cognate_letters``), then c before a, o, u as k, ph as f, doubled letters as one ("canal",
    "kanal", "канал" -> kanal). Only an object's size is keyed by it: names of things measured."""
    from .language import load_language

    try:
        letters = load_language(lang).mapping("cognate_letters")
    except ValueError:
        letters = {}
    low = word.lower()
    if letters:
        low = "".join(str(letters.get(ch, ch)) for ch in low)
    low = re.sub(r"c(?=[aou])", "k", low).replace("ph", "f")
    return _DOUBLE.sub(r"\1", low)


def signature_of(c: CheckClaim, _cache: dict = {}) -> dict:  # noqa: B006 - a deliberate per-process cache
    """The claim's signature: stored by the load, or read from its sentence for a claim loaded before
    signatures were (or made in Python)."""
    raw = c.signature
    if raw is not None:
        got = _cache.get(raw)
        if got is None:
            if len(_cache) > 20_000:  # most signatures are one claim's: a small cache, for reprinted copy
                _cache.clear()
            got = _cache[raw] = parse_signature(raw)
        return got
    from .signature import compute

    key = (c.kind, c.text, c.sentence, c.article.language if c.article is not None else "en")
    got = _cache.get(key)
    if got is None:
        got = _cache[key] = compute(c.kind, c.text, c.sentence or "", key[3] or "en")
    return got


def anchor_year(c: CheckClaim, sig: dict) -> int | None:
    """A year the claim's clause names other than the years its article was published in."""
    years = sig.get("years")
    if not years or c.kind == "date":
        return None
    art = c.article
    if art is None or art.years is None:
        return None
    lo, hi = art.years
    for y in years:
        if not lo <= y <= hi:
            return y
    return None


def varies_of(concept: str | None, vocab: Vocabulary) -> str:
    """A default fact varies as its concept does: "militants/dead" is a running total because "dead" is."""
    for part in reversed((concept or "").split("/")):
        if part in vocab.varies:
            return vocab.varies[part]
    return "fixed"


def _label_places(matcher: Matcher, ents: Sequence[str], claims: Sequence[CheckClaim]) -> str:
    """A country-scoped fact named as people would name it: by the city most of its articles are
    about, when that city lies in the country ("date of recapture, Palmyra")."""
    if len(ents) != 1 or not (len(ents[0]) == 2 and ents[0].isupper()):
        return ""
    counts = Counter(c.article.main_entity for c in claims if c.article.main_entity)
    for eid, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        place = matcher.place(eid)
        if place is not None and not place.is_country and place.country == ents[0]:
            return matcher.place_name(eid)
    return ""


def _split_why(split: str, span: str) -> str:
    if split == "date" and span:
        return f", one of the dates in {span}"
    if split == "published" and span:
        return f", reported {span} (articles published close together)"
    return ""


_LEMMA_PREFIX = re.compile(r"(?<![\w])[a-z]{2,3}:")  # "nb:trener" reads "trener" in a label


def _default_label(kind: str, concept: str | None, places: str, split: str, span: str) -> str:
    """A fact's name for people: "date of recapture, Palmyra, March 2016", "count of militants,
    Palmyra (reported 12–14 December 2016)", "age of coach, Chiang Rai", "distance Palmyra–Damascus"."""
    what = _LEMMA_PREFIX.sub("", (concept or kind).replace("_", " ")).replace("/", " in ")
    if kind == "date":
        text = f"date of {what}" + (f", {places}" if places else "")
        return text + (f", {span}" if span else "")
    if kind == "length" and concept and concept.endswith("/from"):  # "distance of mine from Valencia"
        text = f"distance of {what[:-len(' in from')]}" + (f" from {places}" if places else "")
    elif kind == "length" and concept and "~" in concept:  # an object's size: "width of ship, Suez"
        text = concept.replace("~", "") + (f", {places}" if places else "")
    elif kind == "length" and "–" in places and not concept:
        text = f"distance {places}"
    elif kind == "length" and not concept:
        text = f"distance to {places}" if places else "distance"
    else:  # "temperature, Sevilla", not "temperature of temperature"
        text = (kind if what == kind else f"{kind} of {what}") + (f", {places}" if places else "")
    return text + (f" (reported {span})" if split == "published" and span else "")
