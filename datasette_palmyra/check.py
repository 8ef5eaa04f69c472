"""Running the rules over a database: read claims, group them into facts, check, write the results.

All writes (facts, fact_claims, runs, rule_results, flags, flag_claims) happen in one transaction with
the reading, so a run that fails leaves the previous results as they were. Flag ids hash the rule id
and the sorted claim ids, reason ids the reason's text: the same finding keeps its id from one run to
the next, which lets users track and annotate it.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import json
import sqlite3
from dataclasses import dataclass, field
from itertools import repeat

import sqlite_utils

from .checks import _COMPARABLE, REGISTRY, Flag, Outcome
from .facts import (
    Article,
    CheckClaim,
    Fact,
    Matcher,
    claim_ids,
    derive,
    group_claims,
    legacy_relative,
    mark_story_place,
    source_count,
)
from .ruleset import SEVERITY_RANK, Ruleset
from .store import (
    FACT_CLAIMS_INDEXES,
    create_fact_claims,
    ensure_schema,
    fact_claims_is_outdated,
    latest_reviews,
)

INF = float("inf")
FAIL_ON = ("info", "warning", "error", "never")


@dataclass
class CheckResult:
    ruleset: Ruleset
    articles: int
    claims: list[CheckClaim]
    facts: list[Fact]
    outcomes: list[Outcome]
    flags: list[Flag]
    started: str
    finished: str = ""
    run_id: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    # claims checked; ``claims`` holds them all when the check ran in this process, none when it ran
    # in worker processes (jobs > 1), whose facts then hold ClaimRefs
    claim_count: int = 0
    # each reviewed flag's latest verdict (store.latest_reviews), read after the results are written
    reviews: dict[str, dict] = field(default_factory=dict)

    def outcome(self) -> str:
        order = {"pass": 0, "warn": 1, "fail": 2, "error": 3}
        return max((o.outcome for o in self.outcomes), key=order.get, default="pass")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


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


# the claims as CheckClaim wants them, field for field (see facts.CheckClaim), computed by SQLite in C:
# day ordinals for dates, floats for figures, +-inf for open bounds, the as-of frame, the cue's kind,
# whether a date is relative (NULL in databases older than the resolution column: read_claims asks the
# basis wording), whether the claim is a conversion's second side, and the rounding to widen by (in the
# wlo slot, turned into the widened interval by read_claims). A value SQLite cannot read as a plain ISO
# day or number comes back NULL (or -1 for an as-of day): those rows get the careful reading of _repair.
_ISO_DAY = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"


def _day(col: str, integer: bool = False) -> str:
    """The day ordinal of an ISO day; as a float for bounds (exact: julianday is midnight-based .5)."""
    jd = f"julianday({col}) - 1721424.5"
    return (f"(CASE WHEN typeof({col}) = 'text' AND {col} GLOB {_ISO_DAY} THEN "
            f"{f'CAST({jd} AS INTEGER)' if integer else jd} END)")


def _bound(col: str, open_end: str) -> str:
    return (f"(CASE WHEN {col} IS NULL THEN {open_end} WHEN kind = 'date' THEN {_day(col)} "
            f"WHEN typeof({col}) IN ('integer', 'real') THEN {col} * 1.0 END)")


def _as_of(col: str) -> str:
    return f"(CASE WHEN coalesce({col}, '') = '' THEN NULL ELSE coalesce({_day(col, True)}, -1) END)"


def _claims_sql(has_resolution: bool, n_kinds: int = 0, has_signature: bool = True) -> str:
    """One flat SELECT: SQLite would evaluate a subquery's expressions again for each use of them.
    With ``n_kinds``, only the claims of that many kinds (parameters) are read."""
    resolution = "resolution" if has_resolution else "NULL"
    signature = "signature" if has_signature else "NULL"
    framed = "(coalesce(as_of_low, '') != '' OR coalesce(as_of_high, '') != '')"
    lo, hi = _bound("low", "-9e999"), _bound("high", "9e999")
    return (
        "SELECT id, article_id, coalesce(kind, ''), coalesce(text, ''), coalesce(start, 0), coalesce([end], 0), "
        f"unit, qualifier, {lo}, {hi}, norm_unit, precision, basis, subject, coalesce(sentence, ''), "
        f"pair_id, pair_role, CASE WHEN {framed} THEN {_as_of('as_of_low')} END, "
        f"CASE WHEN {framed} THEN {_as_of('as_of_high')} END, cue, {resolution}, {signature}, "
        "CASE WHEN instr(cue, ':') > 0 THEN substr(cue, 1, instr(cue, ':') - 1) ELSE '' END, "
        f"CASE WHEN coalesce(kind, '') != 'date' THEN 0 WHEN {resolution} IS NOT NULL THEN {resolution} = 'relative' END, "
        "coalesce(pair_role, '') != 'conversion', "
        f"CASE WHEN kind != 'date' AND precision AND coalesce(qualifier, '') != 'approx' "
        f"AND NOT (kind = 'count' AND precision <= 0.5) THEN precision END, NULL, {framed} FROM claims "
        + (f"WHERE coalesce(kind, '') IN ({', '.join('?' * n_kinds)}) " if n_kinds else "")
        + "ORDER BY id"
    )


def read_articles(db: sqlite_utils.Database, matcher: Matcher | None) -> dict[str, Article]:
    """The articles, each with the place it is about when a matcher is given (the workers of a check in
    several processes find the places of a share of the articles each, see shards.py)."""
    ordinal = _ordinal_cache()
    articles: dict[str, Article] = {}
    for row in db.conn.execute(
        "SELECT id, source, published, published_low, published_high, language, title, url FROM articles"
    ):
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
    where, args = ("WHERE rowid % ? = ?", [share[1], share[0]]) if share else ("", [])
    places: dict[str, str] = {}
    story = learn_corpus_places(db, matcher)
    for aid, title, body, lang in db.conn.execute(f"SELECT id, title, body, language FROM articles {where}", args):
        place = matcher.main_entity((title or "") + "\n" + (body or ""), lang or "en", story)
        if place is not None:
            places[aid] = place
    return places


def learn_corpus_places(db: sqlite_utils.Database, matcher: Matcher) -> str:
    """Tell the matcher the places the load found in the corpus (``load.settle_places``), which the
    claims' signatures name, and return the corpus' country ("" if none or an older database)."""
    if not db["corpus_places"].exists():
        return ""
    from .places import Place

    story = ""
    for key, pid, name, country, articles in db.conn.execute(
            "SELECT key, id, name, country, articles FROM corpus_places ORDER BY key"):
        if key:
            matcher.add_found(Place(pid, name, country or ""), articles or 0)
        else:
            story = country or ""
    return story


def read_claims(db: sqlite_utils.Database, matcher: Matcher, articles: dict[str, Article] | None = None,
                kinds: list[str] | None = None) -> tuple[dict[str, Article], list[CheckClaim]]:
    """Articles and their claims (of ``kinds`` only, if given) as plain objects, in claim-id order
    (results never depend on the order rows were stored in); dates as day ordinals, open bounds as +-inf."""
    ordinal = _ordinal_cache()
    if articles is None:
        articles = read_articles(db, matcher)
    columns = {c.name for c in db["claims"].columns}
    has_resolution = "resolution" in columns
    new = CheckClaim
    claims: list[CheckClaim] = []
    odd: list[CheckClaim] = []
    orphans = False
    last_id, art = None, None
    # ids are "<article>:<start>-<end>", so an article's claims come together: one lookup per article
    sql = _claims_sql(has_resolution, len(kinds or ()), "signature" in columns)
    for row in db.conn.execute(sql, list(kinds or ())):
        c = new(*row[:-1])
        aid = c.article
        if aid != last_id:
            last_id, art = aid, articles.get(aid)
        if art is None:
            orphans = True
        c.article = art
        if not row[-1]:  # no time framing: the figure is as of publication
            c.as_of_lo, c.as_of_hi = art.pub_lo if art else None, art.pub_hi if art else None
        lo, hi, widen = c.lo, c.hi, c.wlo
        if lo is None or hi is None or (row[-1] and -1 in (c.as_of_lo, c.as_of_hi)):
            odd.append(c)  # _repair reads it again, carefully
        else:
            if widen is None:
                c.wlo, c.whi = lo, hi
            else:
                c.wlo, c.whi = lo - widen, hi + widen
            if lo == -INF and hi == INF:
                c.stated = False  # open at both ends: says nothing
            if c.relative is None:  # a date loaded before the resolution column: its basis wording tells
                c.relative = legacy_relative(c.basis)
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
    for cid, low, high, as_lo, as_hi in db.conn.execute(
        "SELECT id, low, high, as_of_low, as_of_high FROM claims WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(by_id))],
    ):
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


def evaluate(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1) -> CheckResult:
    """Group and check without writing anything (``jobs``: see ``run_check``)."""
    ensure_schema(db)
    return _evaluate(db, ruleset, jobs)


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


def _evaluate(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1,
              writer: FactClaimsWriter | None = None) -> CheckResult:
    """``writer``: writes the facts of each worker as they arrive (jobs > 1), while the others work."""
    from . import shards  # shards runs this module's functions in its workers

    started = _now()
    matcher = Matcher(ruleset.vocabulary)
    groups = shards.plan(db, ruleset, jobs)
    on_part = writer.add if writer is not None else None
    split = shards.check_in_processes(db, ruleset, groups, matcher, on_part) if groups else None
    if split is None:
        if writer is not None:
            writer.discard()
        articles, claims = read_claims(db, matcher)
        facts, outcomes = check_claims(claims, ruleset, matcher)
        claim_count = len(claims)
    else:
        articles, facts, outcomes, claim_count = split
        claims = []
    flags: dict[str, Flag] = {}
    for o in outcomes:
        for f in o.flags:
            flags.setdefault(f.id, f)
    kept = one_flag_per_finding(list(flags.values()), outcomes)
    ordered = sorted(kept, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.fact or "", f.id))
    counts = {s: sum(1 for f in ordered if f.severity == s) for s in ("error", "warning", "info")}
    return CheckResult(ruleset, len(articles), claims, facts, outcomes, ordered, started, _now(), counts=counts,
                       claim_count=claim_count)


def one_flag_per_finding(flags: list[Flag], outcomes: list[Outcome]) -> list[Flag]:
    """Two rules finding the same thing about the same claims (a declared fact's rule and a default
    one, say) give one flag: the most severe, first rule on a tie, naming the other rule. Otherwise
    dashboards count each inconsistency twice."""
    best: dict[tuple, Flag] = {}
    shown_under: dict[str, dict[str, int]] = {}
    for f in flags:  # in rule order
        key = (frozenset(c.id for c in f.claims), f.finding)
        have = best.get(key)
        if have is None:
            best[key] = f
            continue
        win, lose = (f, have) if SEVERITY_RANK[f.severity] > SEVERITY_RANK[have.severity] else (have, f)
        best[key] = win
        win.message += f" (also found by rule {lose.rule}, {lose.severity})"
        under = shown_under.setdefault(lose.rule, {})
        under[win.rule] = under.get(win.rule, 0) + 1
    for o in outcomes:
        under = shown_under.get(o.rule.id)
        if under:
            o.message += "; " + ", ".join(f"{n} shown under rule {r}" for r, n in sorted(under.items()))
    return list(best.values())


# json.dumps with an argument builds a new encoder per call: once per flag, 200,000 times on a large corpus
_intervals_json = json.JSONEncoder(default=str).encode


def reason_id(why: str) -> int:
    """A reason's id: a hash of its text, so the same reason keeps its id from run to run (a link that
    filters fact_claims by reason stays valid) and the ids do not depend on the order facts are written."""
    return int.from_bytes(hashlib.blake2b(why.encode("utf-8"), digest_size=7).digest(), "big")


class FactClaimsWriter:
    """Writes fact_claims, fact by fact, inside the check's transaction: all at once after a check in
    one process, or each worker's part as soon as it arrives (run_check with jobs), while the other
    workers still run. The first write empties the table and drops its claim index (built again by
    sorting at the end), and gives the connection a large page cache for the write."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.reasons: dict[str, int] = {}  # text -> id of every reason written
        self.taken: dict[int, str] = {}
        self.written: set[str] = set()  # fact ids
        self.begun = False
        self.cache: int | None = None  # the connection's page cache before the write, until restored

    def _begin(self) -> None:
        conn = self.db.conn
        self.begun = True
        # a million rows, and an index built over them by sorting: with SQLite's default 2 MB page cache
        # the sort would spill; 256 MiB is an upper bound, pages are allocated as used
        self.cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        conn.execute("PRAGMA cache_size = -262144")
        if fact_claims_is_outdated(self.db):  # made by an earlier version: a rowid table
            conn.execute("DROP TABLE fact_claims")
            create_fact_claims(self.db, indexes=False)
        else:
            for name in FACT_CLAIMS_INDEXES:
                conn.execute(f"DROP INDEX IF EXISTS [{name}]")
            conn.execute("DELETE FROM fact_claims")

    def add(self, facts: list[Fact]) -> None:
        if not self.begun:
            self._begin()
        reasons, taken = self.reasons, self.taken
        insert = self.db.conn.executemany
        for f in facts:
            for why in set(f.whys):
                if why not in reasons:
                    rid = reasons[why] = reason_id(why)
                    if rid in taken:  # 56 bits: about one chance in 10^9 for 10,000 reasons
                        raise RuntimeError(f"reasons {taken[rid]!r} and {why!r} hash to the same id {rid}")
                    taken[rid] = why
            insert("INSERT INTO fact_claims (claim_id, fact_id, reason_id) VALUES (?, ?, ?)",  # rows built in C
                   zip(claim_ids(f.claims), repeat(f.id), map(reasons.__getitem__, f.whys), strict=False))
            self.written.add(f.id)

    def discard(self) -> None:
        """Forget what was written (the check went on in one process after all)."""
        if self.begun:
            self.db.conn.execute("DELETE FROM fact_claims")
        self.reasons.clear()
        self.taken.clear()
        self.written.clear()

    def finish(self, facts: list[Fact]) -> None:
        """Write the facts not written yet, the reasons, and build the claim index."""
        self.add([f for f in facts if f.id not in self.written])
        conn = self.db.conn
        conn.execute("DELETE FROM fact_reasons")
        conn.executemany("INSERT INTO fact_reasons (id, reason) VALUES (?, ?)",
                         sorted((rid, why) for why, rid in self.reasons.items()))
        for sql in FACT_CLAIMS_INDEXES.values():
            conn.execute(sql)

    def restore(self) -> None:
        if self.cache is not None:
            self.db.conn.execute(f"PRAGMA cache_size = {int(self.cache)}")
            self.cache = None


def write_results(db: sqlite_utils.Database, result: CheckResult, writer: FactClaimsWriter | None = None) -> int:
    """Replace the facts and flags and add a run, all in one transaction. ``writer``: the one that
    already wrote some facts' claims during the check (run_check with jobs)."""
    facts_of_flag: dict[str, list[Flag]] = {}
    for f in result.flags:
        if f.fact:
            facts_of_flag.setdefault(f.fact, []).append(f)
    writer = writer or FactClaimsWriter(db)
    try:
        return _write(db, db.conn, result, facts_of_flag, writer)
    finally:
        writer.restore()


def _write(db: sqlite_utils.Database, conn, result: CheckResult, facts_of_flag: dict[str, list[Flag]],
           writer: FactClaimsWriter) -> int:
    with db.atomic():
        cur = conn.execute(
            "INSERT INTO runs (started, finished, rule_files, rule_count, flag_count, errors, warnings, infos, "
            "outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [result.started, result.finished, json.dumps(result.ruleset.files), len(result.ruleset.rules),
             len(result.flags), result.counts["error"], result.counts["warning"], result.counts["info"],
             result.outcome()],
        )
        run_id = cur.lastrowid
        for table in ("flag_claims", "flags"):
            conn.execute(f"DELETE FROM {table}")
        conn.execute("DELETE FROM facts")
        conn.executemany(
            "INSERT INTO facts (id, label, kind, varies, origin, claim_count, source_count, flag_count, "
            "max_severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(f.id, f.label, f.kind, f.varies, f.origin, len(f.claims), source_count(f.claims), len(facts_of_flag.get(f.id, [])),
              max((x.severity for x in facts_of_flag.get(f.id, [])), key=SEVERITY_RANK.get, default=None))
             for f in result.facts],
        )
        writer.finish(result.facts)
        conn.executemany(
            "INSERT INTO rule_results (run_id, rule, rule_kind, severity, outcome, checked, flagged, message, "
            "file, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, o.rule.id, o.rule.kind, o.rule.severity, o.outcome, o.checked, len(o.flags), o.message,
              o.rule.file, o.rule.line) for o in result.outcomes],
        )
        conn.executemany(
            "INSERT INTO flags (id, run_id, rule, rule_kind, severity, certainty, fact, message, claim_ids, "
            "article_ids, sources, intervals, gap, tolerance, finding, severity_rank)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            # rows made as SQLite takes them, not all at once: a corpus of half a million flags would
            # hold its JSON columns twice over
            ((f.id, run_id, f.rule, f.rule_kind, f.severity, f.certainty, f.fact, f.message,
              json.dumps([c.id for c in f.claims]), json.dumps([c.article.id for c in f.claims]),
              json.dumps([c.article.source for c in f.claims]), _intervals_json(f.intervals),
              f.gap, f.tolerance, f.finding, SEVERITY_RANK[f.severity]) for f in result.flags),
        )
        conn.executemany(
            "INSERT INTO flag_claims (flag_id, claim_id, severity) VALUES (?, ?, ?)",
            ((f.id, c.id, f.severity) for f in result.flags for c in f.claims),
        )
    result.run_id = run_id
    return run_id


class DatabaseChanged(Exception):
    """Another process wrote to the database while the check read it."""


def run_check(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1) -> CheckResult:
    """Check a database with a validated ruleset and store the results.

    ``jobs`` > 1: a large database is checked in several processes, its claims split by kind (see
    shards.py); the results are the same, but the facts returned hold ClaimRefs, not the claims.

    Reading, checking and writing are one transaction: the results are those of one snapshot of the
    claims, and if another process (a load) commits in the meantime the write is refused and nothing
    changes (``DatabaseChanged``). Within that snapshot every id written comes from the claims just read,
    so the foreign-key checks, a third of the writing time for a million fact_claims rows, are turned
    off for the run (the pragma only takes effect outside a transaction) and restored after.
    """
    ensure_schema(db)
    conn = db.conn
    fk = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    # a million claim objects make the cyclic GC rescan the heap over and over; they hold no cycles
    enabled = gc.isenabled()
    gc.disable()
    conn.execute("PRAGMA foreign_keys = OFF")
    writer = FactClaimsWriter(db)
    try:
        with db.atomic():
            try:
                result = _evaluate(db, ruleset, jobs, writer)  # with jobs, fact_claims parts are written early
                write_results(db, result, writer)
                result.reviews = latest_reviews(db)
            except sqlite3.OperationalError as e:
                if "locked" in str(e) or "busy" in str(e):  # our snapshot is older than a commit: no write
                    raise DatabaseChanged(
                        "the database changed while the check was reading it (a load running at the same "
                        "time?); nothing was written: run the check again") from e
                raise
    finally:
        writer.restore()
        conn.execute(f"PRAGMA foreign_keys = {int(fk)}")
        if enabled:
            gc.enable()
    return result


def open_only(result: CheckResult) -> CheckResult:
    """The result with only the flags nobody has reviewed yet (any verdict closes a flag), for a report
    and an exit code about what is new since the last review."""
    flags = [f for f in result.flags if f.id not in result.reviews]
    counts = {s: sum(f.severity == s for f in flags) for s in ("error", "warning", "info")}
    return dataclasses.replace(result, flags=flags, counts={**result.counts, **counts})


def exit_code(result: CheckResult, fail_on: str = "error") -> int:
    """0 when nothing reaches ``fail_on``, 1 otherwise; a rule that could not run counts as an error."""
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[fail_on]
    if any(SEVERITY_RANK[f.severity] >= floor for f in result.flags):
        return 1
    if any(o.outcome == "error" for o in result.outcomes):
        return 1
    return 0


# -- output ------------------------------------------------------------------------------------

def flag_dict(f: Flag, review: dict | None = None) -> dict:
    """A flag with what a reader needs to follow each claim back: its sentence, outlet, date, URL and
    language, and its latest review (None when nobody has reviewed it). ``kind`` is the rule kind (kept
    for scripts written against it; ``rule_kind`` says so)."""
    return {
        "id": f.id,
        "rule": f.rule,
        "kind": f.rule_kind,
        "rule_kind": f.rule_kind,
        "severity": f.severity,
        "certainty": f.certainty,
        "finding": f.finding,
        "fact": f.fact,
        "message": f.message,
        "gap": f.gap,
        "tolerance": f.tolerance,
        "claims": [{"id": c.id, "article": c.article.id, "text": c.text, "start": c.start, "end": c.end,
                    "low": c.low, "high": c.high, "unit": c.norm_unit, "qualifier": c.qualifier,
                    "sentence": c.sentence, "outlet": c.article.source or None,
                    "published": c.article.published or None, "url": c.article.url or None,
                    "language": c.article.language or None} for c in f.claims],
        "review": {k: review[k] for k in ("verdict", "note", "reviewer", "time")} if review else None,
    }


def result_dicts(result: CheckResult) -> list[dict]:
    return [flag_dict(f, result.reviews.get(f.id)) for f in result.flags]


def json_text(flags: list[dict]) -> str:
    return json.dumps(flags, ensure_ascii=False, indent=2)


def ndjson_text(flags: list[dict]) -> str:
    """One flag per line (the JSON format's objects), for jq, log shippers and streaming readers."""
    return "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in flags)


CSV_COLUMNS = ["id", "rule", "kind", "severity", "certainty", "finding", "fact", "message", "gap", "tolerance",
               "claim_ids", "article_ids", "sources", "published", "urls", "verdict", "review_note"]


def csv_text(flags: list[dict]) -> str:
    """RFC 4180 (CRLF line ends, a header); several claims' values in one cell are joined by " | ",
    in the order of claim_ids."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for f in flags:
        claims, review = f["claims"], f.get("review") or {}
        w.writerow([f["id"], f["rule"], f["rule_kind"], f["severity"], f["certainty"], f["finding"], f["fact"] or "",
                    f["message"], "" if f["gap"] is None else f["gap"], f["tolerance"] or "",
                    " ".join(c["id"] for c in claims), " ".join(sorted({c["article"] for c in claims})),
                    *(" | ".join(c[key] or "" for c in claims) for key in ("outlet", "published", "url")),
                    review.get("verdict") or "", review.get("note") or ""])
    return buf.getvalue()


def format_json(result: CheckResult) -> str:
    return json_text(result_dicts(result))


def format_ndjson(result: CheckResult) -> str:
    return ndjson_text(result_dicts(result))


def format_csv(result: CheckResult) -> str:
    return csv_text(result_dicts(result))


def summary_line(result: CheckResult) -> str:
    """The report's first line: counts of articles, claims, facts, rules and flags by severity."""
    c = result.counts
    return (
        f"{result.articles} articles, {result.claim_count} claims, {len(result.facts)} facts, "
        f"{len(result.ruleset.rules)} rules: {len(result.flags)} flags "
        f"({c['error']} error, {c['warning']} warning, {c['info']} info)"
        + (f"; {sum(f.id in result.reviews for f in result.flags)} reviewed" if result.reviews else "")
        + (f"; run {result.run_id}" if result.run_id else "")
    )


def _outcome_lines(result: CheckResult) -> list[str]:
    return ["rules:"] + [f"  {o.outcome:<5} {o.rule.id} ({o.rule.kind}, {o.rule.severity}): {o.message}"
                         for o in result.outcomes]


def format_text(result: CheckResult) -> str:
    lines = [summary_line(result)]
    for f in result.flags:
        tag = f.severity.upper() + (" (possibly)" if f.certainty == "possibly" else "")
        review = result.reviews.get(f.id)
        seen = f" (reviewed: {review['verdict']})" if review else ""
        lines.append(f"{tag:<20} [{f.rule}] {f.message}{seen}")
    return "\n".join(lines + _outcome_lines(result))


def format_summary(result: CheckResult) -> str:
    """The text report's first line and the rules' outcomes, without a line per flag: for a large corpus."""
    return "\n".join([summary_line(result)] + _outcome_lines(result))


FORMATTERS = {"text": format_text, "summary": format_summary, "json": format_json, "ndjson": format_ndjson,
              "csv": format_csv}
