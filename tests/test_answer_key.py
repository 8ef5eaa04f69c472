"""Score the claim extractor against the hand-checked answer key for the seed articles.

The key (tests/answer_key/seeds.yml) was written by reading the texts; it lists, per article, the claims a
fact-checker wants, the spans that must not come out as quantities, and vague spans left unscored. An
extracted claim matches a key claim when their spans overlap, the kinds agree and both bounds agree
(numbers within a relative 1e-6, dates as equal ISO strings). Precision counts every extracted quantity
that matches nothing against the extractor; recall counts every key claim nothing matched.

Run ``python tests/test_answer_key.py`` for the full report (misses and false positives per article).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml

from datasette_palmyra.claims import KINDS_NOT_COMPARED, QUALIFIERS, Claim, numeric_bounds

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
MANIFEST = SEEDS / "manifest.yml"
KEY = ROOT / "tests" / "answer_key" / "seeds.yml"

MIN_PRECISION = 0.95
MIN_RECALL = 0.95
REL_TOL = 1e-6
KEY_KINDS = {"count", "percent", "date", "duration", "age", "money", "length", "area", "mass", "volume", "speed"}
GRANULARITIES = {"day", "week", "month", "year"}
LANGUAGES = {"en", "nb"}
_DATE = r"\d{4}(-\d{2}(-\d{2})?)?"
PUBLISHED_RE = re.compile(rf"^{_DATE}(/{_DATE})?$")  # a date, or an ISO 8601 interval of two
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


# -- loading ---------------------------------------------------------------------------------------

class _LineLoader(yaml.SafeLoader):
    """A YAML loader that remembers the line of every mapping, so bad entries can be pointed at."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


class KeyFileError(ValueError):
    """A malformed manifest or answer-key entry: the message names file and line."""


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as f:
        return yaml.load(f, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


@dataclass(frozen=True)
class Article:
    id: str
    path: Path
    source: str
    published: str
    language: str
    title: str | None
    url: str | None
    line: int

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


def load_manifest(path: Path = MANIFEST) -> list[Article]:
    """Read the seed manifest, failing with file:line on the first malformed entry."""
    data = _load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise KeyFileError(f"{path}:1: expected a top-level 'articles:' list")
    articles = []
    for raw in data["articles"]:
        where = f"{path}:{raw.get('__line__', '?') if isinstance(raw, dict) else '?'}"
        if not isinstance(raw, dict):
            raise KeyFileError(f"{where}: article entry is not a mapping")
        for name in ("path", "id", "source", "published", "language"):
            if not isinstance(raw.get(name), str) or not raw[name].strip():
                raise KeyFileError(f"{where}: '{name}' missing or not a non-empty string")
        for name in ("title", "url"):
            if name in raw and (not isinstance(raw[name], str) or not raw[name].strip()):
                raise KeyFileError(f"{where}: '{name}' given but empty (leave it out when unknown)")
        articles.append(
            Article(
                id=raw["id"],
                path=(path.parent / raw["path"]).resolve(),
                source=raw["source"],
                published=raw["published"],
                language=raw["language"],
                title=raw.get("title"),
                url=raw.get("url"),
                line=raw["__line__"],
            )
        )
    return articles


@dataclass(frozen=True)
class Expected:
    """One key claim, located in its article's text."""

    article: str
    text: str
    start: int
    end: int
    kind: str
    qualifier: str
    low: float | str | None
    high: float | str | None
    granularity: str | None
    note: str | None
    line: int


@dataclass(frozen=True)
class Span:
    """A not_claim or optional span, located in its article's text."""

    article: str
    text: str
    start: int
    end: int
    note: str | None
    line: int
    kinds: frozenset[str] = frozenset()  # optional spans: the kinds that may come out there unscored


@dataclass
class ArticleKey:
    id: str
    claims: list[Expected]
    not_claims: list[Span]
    optional: list[Span]


def locate(text: str, span: str, occurrence: int = 1) -> int:
    """Start offset of the Nth appearance of span in text (overlapping appearances counted), or -1."""
    start = -1
    for _ in range(occurrence):
        start = text.find(span, start + 1)
        if start == -1:
            return -1
    return start


def _bound(value: Any, kind: str, where: str, name: str) -> float | str | None:
    """Key bounds: numbers for quantities, ISO strings for dates; YAML date objects are accepted too."""
    if value is None:
        return None
    if kind == "date":
        if isinstance(value, dt.date):
            value = value.isoformat()
        if not isinstance(value, str):
            raise KeyFileError(f"{where}: '{name}' of a date must be an ISO date string, got {value!r}")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise KeyFileError(f"{where}: '{name}' is not an ISO date: {value!r}") from None
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise KeyFileError(f"{where}: '{name}' must be a number or null, got {value!r}")
    return float(value)


def _span(article: str, text: str, raw: Any, where_file: str) -> tuple[str, int, int, int]:
    if not isinstance(raw, dict):
        raise KeyFileError(f"{where_file}:?: entry of {article} is not a mapping")
    line = raw.get("__line__", 0)
    where = f"{where_file}:{line}"
    span = raw.get("text")
    if not isinstance(span, str) or not span:
        raise KeyFileError(f"{where}: 'text' missing or empty")
    occurrence = raw.get("occurrence", 1)
    if not isinstance(occurrence, int) or occurrence < 1:
        raise KeyFileError(f"{where}: 'occurrence' must be a positive integer, got {occurrence!r}")
    start = locate(text, span, occurrence)
    if start == -1:
        raise KeyFileError(f"{where}: {span!r} (occurrence {occurrence}) not found in the text of {article}")
    return span, start, start + len(span), line


def parse_article_key(raw: dict[str, Any], text: str, where_file: str = "<key>") -> ArticleKey:
    """Check one article's key entry against its text and locate every span in it."""
    article = raw.get("id")
    if not isinstance(article, str):
        raise KeyFileError(f"{where_file}:{raw.get('__line__', '?')}: article key without an 'id'")
    claims = []
    for item in raw.get("claims") or []:
        span, start, end, line = _span(article, text, item, where_file)
        where = f"{where_file}:{line}"
        kind = item.get("kind")
        if kind not in KEY_KINDS:
            raise KeyFileError(f"{where}: unknown kind {kind!r} for {span!r}")
        qualifier = item.get("qualifier")
        if qualifier not in QUALIFIERS:
            raise KeyFileError(f"{where}: unknown qualifier {qualifier!r} for {span!r}")
        if "low" not in item or "high" not in item:
            raise KeyFileError(f"{where}: {span!r} needs both 'low' and 'high' (null for an open bound)")
        low = _bound(item["low"], kind, where, "low")
        high = _bound(item["high"], kind, where, "high")
        granularity = item.get("granularity")
        if kind == "date" and granularity not in GRANULARITIES:
            raise KeyFileError(f"{where}: date {span!r} needs a granularity in {sorted(GRANULARITIES)}")
        expected = Expected(article, span, start, end, kind, qualifier, low, high, granularity,
                            item.get("note"), line)
        lo, hi = numeric_bounds({"kind": kind, "low": low, "high": high})
        if lo > hi:
            raise KeyFileError(f"{where}: {span!r} has low above high")
        claims.append(expected)
    spans: dict[str, list[Span]] = {}
    for section in ("not_claims", "optional"):
        spans[section] = []
        for item in raw.get(section) or []:
            span, start, end, line = _span(article, text, item, where_file)
            kinds = item.get("kinds", [])
            if section == "optional" and (not kinds or not set(kinds) <= KEY_KINDS):
                raise KeyFileError(f"{where_file}:{line}: optional {span!r} needs 'kinds' from {sorted(KEY_KINDS)}")
            spans[section].append(Span(article, span, start, end, item.get("note"), line, frozenset(kinds)))
    return ArticleKey(article, claims, spans["not_claims"], spans["optional"])


def load_key(articles: list[Article], path: Path = KEY) -> dict[str, ArticleKey]:
    """Read the answer key; every manifest article must have an entry and every entry an article."""
    data = _load_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        raise KeyFileError(f"{path}:1: expected a top-level 'articles:' list")
    by_id = {a.id: a for a in articles}
    keys: dict[str, ArticleKey] = {}
    for raw in data["articles"]:
        where = f"{path}:{raw.get('__line__', '?')}"
        article = by_id.get(raw.get("id"))
        if article is None:
            raise KeyFileError(f"{where}: key for {raw.get('id')!r}, which the manifest does not list")
        if article.id in keys:
            raise KeyFileError(f"{where}: second key entry for {article.id!r}")
        keys[article.id] = parse_article_key(raw, article.text(), str(path))
    missing = sorted(set(by_id) - set(keys))
    if missing:
        raise KeyFileError(f"{path}:1: no key entry for {', '.join(missing)}")
    return keys


# -- matching and scoring --------------------------------------------------------------------------

def _get(claim: Claim | dict[str, Any], name: str) -> Any:
    return claim.get(name) if isinstance(claim, dict) else getattr(claim, name)


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def same_bound(got: Any, want: float | str | None, kind: str) -> bool:
    """Open bounds match only open bounds; dates as ISO strings; numbers within a relative 1e-6."""
    if got is None or want is None:
        return got is None and want is None
    if kind == "date":
        got = got.isoformat() if isinstance(got, dt.date) else got
        return str(got) == want
    if isinstance(got, str) or isinstance(want, str):
        return False
    return math.isclose(float(got), float(want), rel_tol=REL_TOL, abs_tol=1e-12)


def matches(claim: Claim | dict[str, Any], want: Expected) -> bool:
    return (
        overlaps(_get(claim, "start"), _get(claim, "end"), want.start, want.end)
        and _get(claim, "kind") == want.kind
        and same_bound(_get(claim, "low"), want.low, want.kind)
        and same_bound(_get(claim, "high"), want.high, want.kind)
    )


def _max_matching(candidates: list[list[int]], n_right: int) -> list[int | None]:
    """Maximum bipartite matching (Kuhn): left i gets right result[i], so no claim counts twice."""
    owner: list[int | None] = [None] * n_right

    def augment(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(candidates)):
        augment(i, set())
    result: list[int | None] = [None] * len(candidates)
    for j, i in enumerate(owner):
        if i is not None:
            result[i] = j
    return result


@dataclass
class Score:
    matched: list[tuple[Expected, Any]] = field(default_factory=list)
    misses: list[tuple[Expected, list[Any]]] = field(default_factory=list)  # with overlapping near-misses
    false_positives: list[tuple[str, Any, str]] = field(default_factory=list)  # article, claim, why
    ignored: list[tuple[str, Any, str]] = field(default_factory=list)  # not quantities, or optional spans

    @property
    def extracted(self) -> int:
        return len(self.matched) + len(self.false_positives)

    @property
    def precision(self) -> float:
        return len(self.matched) / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        total = len(self.matched) + len(self.misses)
        return len(self.matched) / total if total else 1.0

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.misses += other.misses
        self.false_positives += other.false_positives
        self.ignored += other.ignored


def score_article(key: ArticleKey, claims: list[Claim | dict[str, Any]]) -> Score:
    """Match one article's extracted claims to its key; see the module docstring for the rules."""
    score = Score()
    quantities = []
    for claim in claims:
        if _get(claim, "kind") in KINDS_NOT_COMPARED:
            score.ignored.append((key.id, claim, f"kind {_get(claim, 'kind')} is not a quantity"))
        else:
            quantities.append(claim)
    candidates = [[j for j, c in enumerate(quantities) if matches(c, want)] for want in key.claims]
    assignment = _max_matching(candidates, len(quantities))
    used = set()
    for want, j in zip(key.claims, assignment, strict=True):
        if j is None:
            near = [c for c in quantities
                    if overlaps(_get(c, "start"), _get(c, "end"), want.start, want.end)]
            score.misses.append((want, near))
        else:
            used.add(j)
            score.matched.append((want, quantities[j]))
    for j, claim in enumerate(quantities):
        if j in used:
            continue
        start, end = _get(claim, "start"), _get(claim, "end")
        on_key = [w for w in key.claims if overlaps(start, end, w.start, w.end)]
        on_not = [s for s in key.not_claims if overlaps(start, end, s.start, s.end)]
        on_optional = [s for s in key.optional
                       if overlaps(start, end, s.start, s.end) and _get(claim, "kind") in s.kinds]
        if on_optional and not on_key and not on_not:
            score.ignored.append((key.id, claim, f"optional span {on_optional[0].text!r}"))
        elif on_not:
            score.false_positives.append((key.id, claim, f"not a claim: {on_not[0].text[:40]!r}"))
        elif on_key:
            score.false_positives.append((key.id, claim, f"wrong kind/value or duplicate of {on_key[0].text!r}"))
        elif any(overlaps(start, end, s.start, s.end) for s in key.optional):
            score.false_positives.append((key.id, claim, "kind not allowed on this optional span"))
        else:
            score.false_positives.append((key.id, claim, "not in the key"))
    return score


def _show(claim: Any) -> str:
    return (f"{_get(claim, 'text')!r}@{_get(claim, 'start')} {_get(claim, 'kind')} "
            f"[{_get(claim, 'low')}, {_get(claim, 'high')}]")


def report(score: Score) -> str:
    """What a developer needs to fix the extractor: totals, then every miss and false positive."""
    lines = [
        f"precision {score.precision:.3f} ({len(score.matched)}/{score.extracted}), "
        f"recall {score.recall:.3f} ({len(score.matched)}/{len(score.matched) + len(score.misses)})"
    ]
    for want, near in score.misses:
        got = "; got " + ", ".join(_show(c) for c in near) if near else "; nothing extracted there"
        lines.append(f"MISS {want.article}: {want.text!r}@{want.start} {want.kind} "
                     f"[{want.low}, {want.high}] (key line {want.line}){got}")
    for article, claim, why in score.false_positives:
        lines.append(f"FALSE POSITIVE {article}: {_show(claim)} - {why}")
    for article, claim, why in score.ignored:
        if why.startswith("optional"):
            lines.append(f"unscored {article}: {_show(claim)} - {why}")
    return "\n".join(lines)


def score_seeds() -> Score:
    """Run the real extractor on every seed article and score it against the key."""
    from datasette_palmyra.extract import extract_claims

    articles = load_manifest()
    keys = load_key(articles)
    total = Score()
    for article in articles:
        claims = extract_claims(article.text(), article.language, article.published)
        total.add(score_article(keys[article.id], claims))
    return total


# -- tests -----------------------------------------------------------------------------------------

def test_manifest_is_well_formed() -> None:
    articles = load_manifest()
    seed_files = sorted(p.resolve() for p in SEEDS.glob("*.txt"))
    assert sorted(a.path for a in articles) == seed_files, "manifest must list every seed text exactly once"
    ids = [a.id for a in articles]
    assert len(set(ids)) == len(ids), f"duplicate ids: {ids}"
    for a in articles:
        where = f"{MANIFEST}:{a.line}"
        assert a.path.is_file(), f"{where}: {a.path} does not exist"
        assert ID_RE.match(a.id), f"{where}: id {a.id!r} is not a lower-case slug"
        assert a.language in LANGUAGES, f"{where}: language {a.language!r}"
        assert PUBLISHED_RE.match(a.published), f"{where}: published {a.published!r} is not YYYY[-MM[-DD]] or an interval of two"
        for end in a.published.split("/"):
            parts = [int(p) for p in end.split("-")]
            dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))  # raises on 2016-02-30
        assert a.url is None or a.url.startswith(("http://", "https://")), f"{where}: url {a.url!r}"
        if a.title is not None:
            assert a.title in a.text(), f"{where}: title does not appear in the text"


def test_manifest_published_parses() -> None:
    from datasette_palmyra.extract.dates import parse_published

    for a in load_manifest():
        p = parse_published(a.published)
        assert p.low <= p.high, a.published
        assert p.low.isoformat().startswith(a.published.split("/")[0]), (a.published, p)
        assert p.high.isoformat().startswith(a.published.split("/")[-1]), (a.published, p)


def test_answer_key_fits_the_texts() -> None:
    articles = load_manifest()
    keys = load_key(articles)  # raises with file:line if a span is not in its text or a field is bad
    assert sum(len(k.claims) for k in keys.values()) >= 40
    for k in keys.values():
        assert k.claims, f"{k.id}: no claims"
        spans = sorted([(c.start, c.end, c.text) for c in k.claims]
                       + [(s.start, s.end, s.text) for s in k.not_claims + k.optional])
        for (s1, e1, t1), (s2, e2, t2) in pairwise(spans):
            assert not overlaps(s1, e1, s2, e2), f"{k.id}: key spans {t1!r} and {t2!r} overlap"


def test_key_spans_and_loader_errors() -> None:
    text = "Over 2,000 targets were struck; over 2,000 more."
    assert locate(text, "2,000") == 5
    assert locate(text, "2,000", 2) == text.index("2,000 more")
    assert locate(text, "2,000", 3) == -1
    with pytest.raises(KeyFileError, match=r"<k>:7: '3,000' \(occurrence 1\) not found"):
        parse_article_key({"id": "a", "claims": [{"text": "3,000", "kind": "count", "qualifier": "exact",
                                                   "low": 3000, "high": 3000, "__line__": 7}]}, text, "<k>")
    with pytest.raises(KeyFileError, match="low above high"):
        parse_article_key({"id": "a", "claims": [{"text": "2,000", "kind": "count", "qualifier": "exact",
                                                   "low": 3000, "high": 2000}]}, text)
    with pytest.raises(KeyFileError, match="needs 'kinds'"):
        parse_article_key({"id": "a", "optional": [{"text": "2,000"}]}, text)
    with pytest.raises(KeyFileError, match="needs a granularity"):
        parse_article_key({"id": "a", "claims": [{"text": "2,000", "kind": "date", "qualifier": "exact",
                                                   "low": "2000-01-01", "high": "2000-12-31"}]}, text)


def _claim(text: str, sentence: str, kind: str, low: Any, high: Any, occurrence: int = 1) -> Claim:
    start = locate(sentence, text, occurrence)
    assert start >= 0, text
    return Claim(kind=kind, text=text, start=start, end=start + len(text), value=None, unit=None,
                 low=low, high=high)


def test_scoring_on_hand_made_lists() -> None:
    """The matcher itself, on a sentence small enough to score by hand."""
    sentence = ("More than 5,000 militants came 240 kilometers (150 miles) on Monday, the first time "
                "since Resolution 2254; several attacks, 64 air strikes, 11 tanks, 80%.")
    key = parse_article_key({"id": "t", "claims": [
        {"text": "More than 5,000", "kind": "count", "qualifier": "more_than", "low": 5000, "high": None},
        {"text": "240 kilometers", "kind": "length", "qualifier": "exact", "low": 240000, "high": 240000},
        {"text": "150 miles", "kind": "length", "qualifier": "exact", "low": 241401.6, "high": 241401.6},
        {"text": "Monday", "kind": "date", "qualifier": "exact", "low": "2016-12-12", "high": "2016-12-12",
         "granularity": "day"},
        {"text": "64 air strikes", "kind": "count", "qualifier": "exact", "low": 64, "high": 64},
        {"text": "11 tanks", "kind": "count", "qualifier": "exact", "low": 11, "high": 11},
        {"text": "80%", "kind": "percent", "qualifier": "exact", "low": 80, "high": 80},
    ], "not_claims": [{"text": "first"}, {"text": "Resolution 2254"}],
       "optional": [{"text": "several attacks", "kinds": ["count"]}]}, sentence)
    claims = [
        _claim("More than 5,000", sentence, "count", 5000, None),                 # match (open above)
        _claim("240", sentence, "length", 240000.0, 240000.0),                    # match: narrower span
        _claim("150 miles", sentence, "length", 241401.6 * (1 + 1e-7), 241401.6),  # match: within 1e-6
        _claim("on Monday", sentence, "date", "2016-12-12", "2016-12-12"),        # match: wider span
        _claim("64", sentence, "count", 64, 64),                                  # match
        _claim("64 air strikes", sentence, "count", 64, 64),                      # FP: duplicate
        _claim("11 tanks", sentence, "count", 11, 12),                            # miss + FP: wrong high
        _claim("80%", sentence, "count", 80, 80),                                 # miss + FP: wrong kind
        _claim("first", sentence, "count", 1, 1),                                 # FP: a not_claim
        _claim("first", sentence, "ordinal", 1, 1),                               # ignored: not a quantity
        _claim("2254", sentence, "identifier", 2254, 2254),                       # ignored: not a quantity
        _claim("several", sentence, "count", 3, None),                            # ignored: optional span
        _claim("several attacks", sentence, "duration", 3, 3),                    # FP: kind not allowed there
        _claim("came", sentence, "count", 1, 1),                                  # FP: not in the key
    ]
    score = score_article(key, claims)
    assert [w.text for w, _ in score.matched] == [
        "More than 5,000", "240 kilometers", "150 miles", "Monday", "64 air strikes"]
    assert [w.text for w, _ in score.misses] == ["11 tanks", "80%"]
    assert [c.text for _, c, _ in score.false_positives] == [
        "64 air strikes", "11 tanks", "80%", "first", "several attacks", "came"]
    assert len(score.ignored) == 3
    assert score.precision == pytest.approx(5 / 11)
    assert score.recall == pytest.approx(5 / 7)
    text = report(score)
    assert "MISS t: '11 tanks'" in text and "got '11 tanks'@" in text
    assert "FALSE POSITIVE t: 'first'" in text and "not a claim" in text


def test_bound_comparison() -> None:
    assert same_bound(None, None, "count")
    assert not same_bound(5000, None, "count")
    assert not same_bound(None, 5000.0, "count")
    assert same_bound(241401.6 * (1 - 9e-7), 241401.6, "length")
    assert not same_bound(241401.6 * (1 - 2e-6), 241401.6, "length")
    assert same_bound(0, 0.0, "count")
    assert same_bound(dt.date(2016, 12, 9), "2016-12-09", "date")
    assert not same_bound("2016-12-08", "2016-12-09", "date")


def test_each_key_claim_is_matched_by_itself() -> None:
    """The key is reachable: claims built from the key's own entries score 1.0/1.0 on every seed."""
    articles = load_manifest()
    keys = load_key(articles)
    for k in keys.values():
        claims = [Claim(kind=w.kind, text=w.text, start=w.start, end=w.end, value=None, unit=None,
                        low=w.low, high=w.high) for w in k.claims]
        score = score_article(k, claims)
        assert (score.precision, score.recall) == (1.0, 1.0), report(score)


def test_extractor_meets_answer_key() -> None:
    score = score_seeds()
    print(report(score))
    assert score.precision >= MIN_PRECISION and score.recall >= MIN_RECALL, report(score)


if __name__ == "__main__":
    print(report(score_seeds()))
