"""Grouping claims into facts: which claims talk about the same thing, and why.

Declared facts (rule files) come first: a claim joins every declared fact whose kind, entities, words,
event, counted noun and date ranges it matches. Claims no declared fact takes are grouped by default,
so an unseen corpus still gets checked: same kind, same concept (event word or counted noun, mapped
through the vocabularies so "militants" and "IS-krigere" meet), same places, and, for figures that
change (counts, percentages), articles published close together. Places: dates are keyed by the
article's main place (an event happens somewhere; other places in the sentence are context); a
distance or a sum needs two, and the article's main place completes a sentence that names one. An
article dated only to a month joins every run of articles its month overlaps (rules then say
"possibly"). Date claims of one event kind at one place are split where their intervals lie more
than ``date_gap`` apart, because a city can be captured twice. Every sweep sorts once; nothing
compares all pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, fields
from itertools import accumulate, compress, repeat
from operator import attrgetter, gt, sub
from typing import NamedTuple

from .claims import KINDS_NOT_COMPARED
from .language import alternation
from .ruleset import FactSpec, Ruleset, Vocabulary

INF = float("inf")
# kinds whose figures change from one week to the next: grouped only across nearby publication dates
WINDOWED_KINDS = {"count", "percent", "money", "duration"}


def boundary_pattern(words: dict[str, list[str]]) -> re.Pattern:
    """A clause boundary (vocabulary/clauses.yml): an event word on the other side of one is about
    another figure. Punctuation always cuts; words cut as the vocabulary says."""
    def alt(ws: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(set(ws), key=lambda w: (-len(w), w)))

    parts = [r"[;:]", r"\.\s"]
    if words.get("always"):
        parts.append(rf"(?:,\s*|\s)(?:{alt(words['always'])})\s")
    if words.get("after_comma"):
        parts.append(rf",\s*(?:{alt(words['after_comma'])})\s")
    return re.compile("(?i)(?:" + "|".join(parts) + ")")


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
    # the publication interval as sort keys: an undated article sorts first and spans nothing
    lo_key: float = -INF
    hi_key: float = -INF

    def __post_init__(self) -> None:
        self.lo_key = -INF if self.pub_lo is None else self.pub_lo
        self.hi_key = -INF if self.pub_hi is None else self.pub_hi

    def label(self) -> str:
        return f"{self.source or self.id} ({self.published or 'undated'})"

    def __reduce__(self):
        """Pickled as its constructor's arguments: see CheckClaim.__reduce__."""
        return (Article, _ARTICLE_STATE(self))


@dataclass(slots=True)
class CheckClaim:
    """A claim as the rules see it: bounds as numbers, and what every rule asks of it worked out once.

    ``check.read_claims`` has SQLite compute the derived fields (in C, a million rows at a time);
    claims made in Python get them from ``derive``.
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
        processes of a check (shards.py), and the slot-by-slot state that dataclasses generate takes
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
    if c.kind != "date" and c.precision:
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
    """Vocabulary words compiled into one regex per table; longest words first."""

    def __init__(self, vocab: Vocabulary):
        self.vocab = vocab
        self.events = self._compile(vocab.events)
        self.counted = self._compile(vocab.counted)
        self.tallies = self._compile(vocab.tallies)
        self.entities = self._compile(vocab.entities)
        self.boundary = boundary_pattern(vocab.clause_boundaries)

    @staticmethod
    def _compile(table: dict[str, list[str]]) -> tuple[re.Pattern | None, dict[str, str]]:
        words: dict[str, str] = {}
        for concept, ws in table.items():
            for w in ws:
                words.setdefault(w.lower(), concept)
        if not words:
            return None, {}
        # a trie ("kill(?:ed|ings)?"), longest first as a flat list would be: the engine reads one branch
        # per letter instead of trying every word at every position of every sentence
        return re.compile(rf"(?<!\w)(?:{alternation(words)})(?!\w)", re.IGNORECASE), words

    @staticmethod
    def _concept(table, m: re.Match) -> str | None:
        return _word_concept(table[1], m.group(0))

    def nearest(self, table, claim: CheckClaim, near: int) -> tuple[str, str] | None:
        """The concept of the vocabulary word nearest to the claim within its clause, and the word."""
        pattern = table[0]
        if pattern is None:
            return None
        subject_first = claim.kind != "date"  # a counted noun is the subject; an event word is nearby
        if claim.subject and subject_first:
            m = pattern.search(claim.subject)
            if m:
                return self._concept(table, m), m.group(0)
        before, after = context(claim, near, self.boundary)
        best: re.Match | None = None  # the nearest word: the last one before (the later of equals), or
        dist = 0  # the first one after if it is nearer
        for m in pattern.finditer(before):
            best = m
        if best is not None:
            dist = len(before) - best.end()
        m = pattern.search(after)
        if m and (best is None or m.start() < dist):
            best = m
        if best is None and claim.subject and not subject_first:
            best = pattern.search(claim.subject)
        return (self._concept(table, best), best.group(0)) if best else None

    def entities_in(self, text: str) -> list[str]:
        pattern, words = self.entities
        if pattern is None or not text:
            return []
        return sorted({_word_concept(words, w) for w in pattern.findall(text)})

    def main_entity(self, text: str) -> str | None:
        pattern, words = self.entities
        if pattern is None or not text:
            return None
        # most matches are single words: normalize spacing only where there is some
        found = [w.lower() for w in pattern.findall(text)]
        if not found:
            return None
        concepts = [words[w] if w in words else words[re.sub(r"\s+", " ", w)] for w in found]
        if concepts.count(concepts[0]) == len(concepts):  # the usual case: one place named throughout
            return concepts[0]
        counts = Counter(concepts)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


_SPACES = re.compile(r"\s+")


def _word_concept(words: dict[str, str], found: str) -> str | None:
    """The concept of a vocabulary word as found in a text: any case, any spacing ("Deir  ez-Zor")."""
    w = found.lower()
    got = words.get(w)
    return got if got is not None else words.get(_SPACES.sub(" ", w))


def context(claim: CheckClaim, near: int, boundary: re.Pattern) -> tuple[str, str]:
    """Up to ``near`` characters before and after the claim in its sentence, cut at clause boundaries."""
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
    return before, after


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
            named = [matcher.vocab.entity_name(e) for e in spec.entities if e != main]
            why.append((f"names {'+'.join(named)}, " if named else "")
                       + f"in an article about {matcher.vocab.entity_name(main)}")
        else:
            why.append("names " + "+".join(matcher.vocab.entity_name(e) for e in spec.entities))
    if spec.words:
        text = window_text(claim, spec.near).lower() + " " + (claim.subject or "").lower()
        word = next((w for w in spec.words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text)), None)
        if word is None:
            return None
        why.append(f"word {word!r}")
    if spec.events:
        found = matcher.nearest(matcher.events, claim, spec.near)
        if not found or found[0] not in spec.events:
            return None
        why.append(f"event word {found[1]!r} ({found[0]})")
    if spec.counted:
        table = matcher.tallies if spec.counted in matcher.vocab.tallies else matcher.counted
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


_pub_lo = attrgetter("article.lo_key")  # publication day ordinals, -inf when undated
_pub_hi = attrgetter("article.hi_key")


_LO = attrgetter("lo")
_HI = attrgetter("hi")


def group_claims(claims: list[CheckClaim], ruleset: Ruleset, matcher: Matcher | None = None,
                 kinds: Collection[str] | None = None) -> list[Fact]:
    """Facts for a list of claims: declared ones first, then the default grouping of the rest.

    ``kinds``: the claims are those of these kinds only (one process's share, see shards.py), so only
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
            got = entity_cache[s] = matcher.entities_in(s)
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

        def plan(c: CheckClaim) -> tuple[tuple[str, ...], str | None, str, str] | None:
            """Entities, concept and why for a claim's words, or None when it joins no default fact."""
            ents = sentence_entities(c)
            main = c.article.main_entity
            name = matcher.vocab.entity_name
            if c.kind == "date" and main and (not ents or main in ents):
                # an event is keyed by the place the article is about: "Palmyra, 240 km from Damascus, was
                # recaptured" and "the army recaptured Palmyra" date the same event
                ents = [main]
                ent_why = f"in an article about {name(main)}"
            elif ents:
                ent_why = "names " + "+".join(name(e) for e in ents)
                if len(ents) == 1 and main and main != ents[0] and c.kind not in ("date", "count", "percent"):
                    # "The ancient city lies 240 km from Damascus": the article's place completes the pair,
                    # as it does for declared facts (match_declared)
                    ents = sorted([ents[0], main])
                    ent_why += f", in an article about {name(main)}"
            elif main:
                ents = [main]
                ent_why = f"in an article about {name(main)}"
            else:
                ent_why = ""
            if c.kind not in ("date", "count", "percent"):
                if len(ents) < 2:
                    return None  # a length or a sum is compared only between two named places
                concept, word_why = None, f"default grouping: kind {c.kind}"
            else:
                got = default_concept(c, matcher, g)
                if got is None:
                    return None  # too vague to compare with anything
                concept, word_why = got
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
            key = (kind, c.sentence, c.text, c.subject, art.main_entity, art.pub_lo is None)
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
            why_of = dict(zip(map(id, members), member_whys, strict=True)) if len(parts) > 1 or vague_ids else None
            places = "–".join(matcher.vocab.entity_name(e) for e in ents if not e.startswith("article "))
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
                label = _default_label(kind, concept, places, split, span)
                fact = Fact(fid, label, kind, "default", varies_of(concept, matcher.vocab), None, None, part,
                            rank=(1, str(key), k))
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


def default_concept(c: CheckClaim, matcher: Matcher, g) -> tuple[str | None, str] | None:
    """The concept a date, count or percentage is about, and why; None when no vocabulary word is near.

    Dates: the nearest event word. Counts: a tally word ("killed", "death toll") first, then the
    counted noun, which a generic noun ("people") does not override; the event word near a count
    that is no tally ("militants attacked") splits it further.
    """
    event = tally = None
    if c.kind == "date":
        found = matcher.nearest(matcher.events, c, g.near)
    else:
        found = matcher.nearest(matcher.counted, c, g.noun_near)
        if c.kind == "count":
            # "the death toll from the earthquake in Karsa rose to 2,300": a tally word stands further
            # off than a counted noun, and is specific enough to look for as far as event words
            tally = matcher.nearest(matcher.tallies, c, g.near)
        if tally is None:
            # the clause's verb ("launched an offensive") may stand anywhere in the clause: up to its
            # boundaries, not a fixed number of characters
            event = matcher.nearest(matcher.events, c, len(c.sentence or ""))
    if found is None and tally is None:
        return None
    if tally is not None and found is not None and found[0] in matcher.vocab.generic:
        found = None  # "people killed": the tally says what is counted
    concept = found[0] if found else None
    if tally:
        concept = f"{concept}/{tally[0]}" if concept else tally[0]
    if event:
        concept = f"{concept}/{event[0]}"
    parts = [f"kind {c.kind}"]
    if tally:
        parts.append(f"tally word {tally[1]!r} ({tally[0]}, {matcher.vocab.varies.get(tally[0], 'fixed')})")
    if found:
        parts.append(f"{'event' if c.kind == 'date' else 'counted'} word {found[1]!r} ({found[0]})")
    if event:
        parts.append(f"event word {event[1]!r} ({event[0]})")
    return concept, "default grouping: " + ", ".join(parts)


def varies_of(concept: str | None, vocab: Vocabulary) -> str:
    """A default fact varies as its concept does: "militants/dead" is a running total because "dead" is."""
    for part in reversed((concept or "").split("/")):
        if part in vocab.varies:
            return vocab.varies[part]
    return "fixed"


def _split_why(split: str, span: str) -> str:
    if split == "date" and span:
        return f", one of the dates in {span}"
    if split == "published" and span:
        return f", reported {span} (articles published close together)"
    return ""


def _default_label(kind: str, concept: str | None, places: str, split: str, span: str) -> str:
    """A fact's name for people: "date of recapture, Palmyra, March 2016", "count of
    militants near Palmyra (reported 12–14 December 2016)"."""
    what = (concept or kind).replace("_", " ").replace("/", " in ")
    if kind == "date":
        text = f"date of {what}" + (f", {places}" if places else "")
        return text + (f", {span}" if span else "")
    if kind in ("count", "percent"):
        text = f"{kind} of {what}" + (f" near {places}" if places else "")
    elif kind == "length" and "–" in places:
        text = f"distance {places}"
    else:
        text = f"{kind} {places}" if places else f"{kind} of {what}"
    return text + (f" (reported {span})" if split == "published" and span else "")
