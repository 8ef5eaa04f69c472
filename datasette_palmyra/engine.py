"""The check in one process: the store's rows read into the objects the rules see, grouped into facts, checked.

``run.py`` calls these for a whole database, and so does each worker process of ``parallel.py`` for the
claim kinds it was given; neither of those is imported here. Every SQL statement is the store's
(``store.claims``); what is built from the rows, and how, is this module's.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from .checks import _COMPARABLE, REGISTRY, Outcome
from .facts import Article, CheckClaim, Fact, Matcher, derive, group_claims, mark_story_place
from .ruleset import Ruleset
from .store import claims as stored
from .store.places import corpus_place_rows

INF = float("inf")


def _ordinal_cache():
    cache: dict[str, int | None] = {}

    def ordinal(s) -> int | None:
        if s is None:
            return None
        if isinstance(s, (int, float)):
            return int(s)
        got = cache.get(s)
        if got is None and s not in cache:
            try:
                got = dt.date.fromisoformat(str(s)).toordinal()
            except ValueError:
                got = None
            cache[s] = got
        return got

    return ordinal


def _num(v) -> float | None:
    if v is None:
        return None
    if isinstance(v, bytes):
        v = v.decode("utf-8")
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def read_articles(db: sqlite_utils.Database, matcher: Matcher | None) -> dict[str, Article]:
    """The articles, each with the place it is about when a matcher is given (the workers of a check in
    several processes find the places of a share of the articles each, see parallel.py)."""
    ordinal = _ordinal_cache()
    articles: dict[str, Article] = {}
    for row in stored.article_rows(db):
        aid, source, published, plo, phi, lang, title, url = row
        articles[aid] = Article(aid, source or "", published or "", ordinal(plo), ordinal(phi), lang or "", title or "",
                                url=url or "")
    if matcher is not None:
        for aid, place in main_places(db, matcher).items():
            articles[aid].main_entity = place
        mark_story_place(articles.values(), matcher)
    return articles


def main_places(db: sqlite_utils.Database, matcher: Matcher, share: tuple[int, int] | None = None) -> dict[str, str]:
    """Each article's main place (``Matcher.main_entity`` of its title and body), for the articles that
    have one; ``share`` (k, n): only those whose rowid is k modulo n."""
    places: dict[str, str] = {}
    story = learn_corpus_places(db, matcher)
    for aid, title, body, lang in stored.article_texts(db, share):
        place = matcher.main_entity((title or "") + "\n" + (body or ""), lang or "en", story)
        if place is not None:
            places[aid] = place
    return places


def learn_corpus_places(db: sqlite_utils.Database, matcher: Matcher) -> str:
    """Tell the matcher the places the load found in the corpus (``load.settle_places``), which the
    claims' signatures name, and return the corpus' country ("" if none or an older database)."""
    rows = corpus_place_rows(db)
    if rows is None:
        return ""
    from .places import Place

    story = ""
    for key, pid, name, country, articles in rows:
        if key:
            matcher.add_found(Place(pid, name, country or ""), articles or 0)
        else:
            story = country or ""
    return story


def read_claims(db: sqlite_utils.Database, matcher: Matcher, articles: dict[str, Article] | None = None,
                kinds: list[str] | None = None) -> tuple[dict[str, Article], list[CheckClaim]]:
    """Articles and their claims (of ``kinds`` only, if given) as plain objects, in claim-id order
    (results never depend on the order rows were stored in); dates as day ordinals, open bounds as +-inf,
    the derived fields from ``facts.derive``."""
    ordinal = _ordinal_cache()
    if articles is None:
        articles = read_articles(db, matcher)
    new = CheckClaim
    claims: list[CheckClaim] = []
    odd: list[CheckClaim] = []
    orphans = False
    last_id, art = None, None
    # ids are "<article>:<start>-<end>", so an article's claims come together: one lookup per article
    for row in stored.claims_for_check(db, kinds):
        c = new(*row[:-1])
        aid = c.article
        if aid != last_id:
            last_id, art = aid, articles.get(aid)
        if art is None:
            orphans = True
        c.article = art
        framed = row[-1]
        if not framed:  # no time framing: the figure is as of publication
            c.as_of_lo, c.as_of_hi = art.pub_lo if art else None, art.pub_hi if art else None
        if c.lo is None or c.hi is None or (framed and -1 in (c.as_of_lo, c.as_of_hi)):
            odd.append(c)  # _repair reads it again, carefully
        else:
            derive(c)
        claims.append(c)
    if orphans:
        claims = [c for c in claims if c.article is not None]
        odd = [c for c in odd if c.article is not None]
    if odd:
        _repair(db, odd, ordinal)
    return articles, claims


def _repair(db: sqlite_utils.Database, odd: list[CheckClaim], ordinal) -> None:
    """The careful Python reading of values SQLite could not read as plain ISO days or numbers."""
    by_id = {c.id: c for c in odd}
    for cid, low, high, as_lo, as_hi in stored.raw_bounds(db, by_id):
        c = by_id[cid]
        for name, raw, open_end in (("lo", low, -INF), ("hi", high, INF)):
            if isinstance(raw, bytes):
                raw = raw.decode("utf-8")
            got = (ordinal(raw) if c.kind == "date" else _num(raw)) if raw is not None else None
            setattr(c, name, open_end if got is None else float(got))
        if c.as_of_lo == -1:
            c.as_of_lo = ordinal(as_lo)
        if c.as_of_hi == -1:
            c.as_of_hi = ordinal(as_hi)
        derive(c)


def check_claims(claims: list[CheckClaim], ruleset: Ruleset, matcher: Matcher,
                 kinds: list[str] | None = None) -> tuple[list[Fact], list[Outcome]]:
    """Group claims into facts and run every rule over them: a check between reading and writing.
    ``kinds``: the claims are those of these kinds only (see group_claims)."""
    facts = group_claims(claims, ruleset, matcher, kinds)
    outcomes: list[Outcome] = []
    _COMPARABLE.clear()
    for rule in ruleset.rules:
        check = REGISTRY[rule.kind](rule, ruleset)
        try:
            outcomes.append(check.run(facts, claims))
        except Exception as e:  # a broken rule is reported, never silently passed
            why = f"could not evaluate: {type(e).__name__}: {e}"
            outcomes.append(Outcome(rule, "error", 0, [], why, error=why))
    _COMPARABLE.clear()
    return facts, outcomes
