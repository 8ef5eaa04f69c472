"""Running the rules over a database: read claims, group them into facts, check, write the results.

Everything is computed before the first write, and all writes (facts, fact_claims, runs,
rule_results, flags, flag_claims) happen in one transaction, so a run that fails leaves the previous
results as they were. Flag ids hash the rule id and the sorted claim ids: the same finding keeps its
id from one run to the next, which lets users track and annotate it.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter, itemgetter

import sqlite_utils

from .checks import _COMPARABLE, REGISTRY, Flag, Outcome
from .facts import Article, CheckClaim, Fact, Matcher, group_claims
from .ruleset import SEVERITY_RANK, Ruleset
from .store import ensure_schema

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


def read_claims(db: sqlite_utils.Database, matcher: Matcher) -> tuple[dict[str, Article], list[CheckClaim]]:
    """Articles and their claims as plain objects, dates as day ordinals (open bounds as +-inf)."""
    ordinal = _ordinal_cache()
    articles: dict[str, Article] = {}
    for row in db.conn.execute(
        "SELECT id, source, published, published_low, published_high, language, title, body FROM articles"
    ):
        aid, source, published, plo, phi, lang, title, body = row
        a = Article(aid, source or "", published or "", ordinal(plo), ordinal(phi), lang or "", title or "")
        a.main_entity = matcher.main_entity((title or "") + "\n" + (body or ""))
        articles[aid] = a
    claims: list[CheckClaim] = []
    # day ordinals and floats are computed by SQLite (in C, a million rows at a time); anything it cannot
    # read as a plain ISO day or number comes back NULL and gets the careful Python reading below
    iso_day = "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"

    def day(col: str) -> str:
        return (f"CASE WHEN typeof({col}) = 'text' AND {col} GLOB {iso_day} "
                f"THEN CAST(julianday({col}) - 1721424.5 AS INTEGER) END")

    def num(col: str) -> str:
        return f"CASE WHEN typeof({col}) IN ('integer', 'real') THEN {col} * 1.0 END"

    # value and granularity are not read: no rule looks at them, and each column read is a million
    # Python objects (qualifier and resolution are a handful of interned strings)
    resolution = "resolution" if "resolution" in {c.name for c in db["claims"].columns} else "NULL"
    sql = (f"SELECT id, article_id, kind, text, start, end, unit, low, high, norm_unit, "
           f"precision, basis, subject, sentence, pair_id, pair_role, as_of_low, as_of_high, cue, "
           f"qualifier, {resolution}, "
           f"CASE WHEN kind = 'date' THEN {day('low')} ELSE {num('low')} END, "
           f"CASE WHEN kind = 'date' THEN {day('high')} ELSE {num('high')} END, "
           f"{day('as_of_low')}, {day('as_of_high')} FROM claims")
    new = CheckClaim
    # one string object per distinct sentence (a sentence with three figures is read three times):
    # less memory, and the grouping's caches keyed by sentence then hash each sentence once
    sentences: dict[str, str] = {}
    intern = sentences.setdefault
    for row in db.conn.execute(sql):
        (cid, aid, kind, text, start, end, unit, low, high, norm_unit, precision, basis,
         subject, sentence, pair_id, pair_role, as_lo, as_hi, cue, qualifier, res, lo, hi, as_lo_n, as_hi_n) = row
        art = articles.get(aid)
        if art is None:
            continue
        sentence = intern(sentence, sentence) if sentence else ""
        if isinstance(low, bytes):
            low = low.decode("utf-8")
        if isinstance(high, bytes):
            high = high.decode("utf-8")
        if lo is None and low is not None:
            lo = ordinal(low) if kind == "date" else _num(low)
        if hi is None and high is not None:
            hi = ordinal(high) if kind == "date" else _num(high)
        if as_lo or as_hi:  # "up from 1,500": as_of_low open, the figure held some time before as_of_high
            a_lo = as_lo_n if as_lo_n is not None or not as_lo else ordinal(as_lo)
            a_hi = as_hi_n if as_hi_n is not None or not as_hi else ordinal(as_hi)
        else:  # no time framing (or an older database): the figure is as of publication
            a_lo, a_hi = art.pub_lo, art.pub_hi
        claims.append(new(cid, art, kind or "", text or "", start or 0, end or 0, None, unit, qualifier, low, high,
                          -INF if lo is None else float(lo), INF if hi is None else float(hi), norm_unit,
                          precision, None, basis, subject, sentence, pair_id, pair_role, a_lo, a_hi, cue, res))
    claims.sort(key=lambda c: c.id)  # results never depend on the order rows come back in
    return articles, claims


def evaluate(db: sqlite_utils.Database, ruleset: Ruleset) -> CheckResult:
    """Group and check without writing anything."""
    ensure_schema(db)
    started = _now()
    matcher = Matcher(ruleset.vocabulary)
    articles, claims = read_claims(db, matcher)
    facts = group_claims(claims, ruleset, matcher)
    outcomes: list[Outcome] = []
    _COMPARABLE.clear()
    for rule in ruleset.rules:
        check = REGISTRY[rule.kind](rule, ruleset)
        try:
            outcomes.append(check.run(facts, claims))
        except Exception as e:  # a broken rule is reported, never silently passed
            outcomes.append(Outcome(rule, "error", 0, [], f"could not evaluate: {type(e).__name__}: {e}"))
    _COMPARABLE.clear()
    flags: dict[str, Flag] = {}
    for o in outcomes:
        for f in o.flags:
            flags.setdefault(f.id, f)
    kept = one_flag_per_finding(list(flags.values()), outcomes)
    ordered = sorted(kept, key=lambda f: (-SEVERITY_RANK[f.severity], f.rule, f.fact or "", f.id))
    counts = {s: sum(1 for f in ordered if f.severity == s) for s in ("error", "warning", "info")}
    return CheckResult(ruleset, len(articles), claims, facts, outcomes, ordered, started, _now(), counts=counts)


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


def write_results(db: sqlite_utils.Database, result: CheckResult) -> int:
    """Replace the facts and flags and add a run, all in one transaction."""
    facts_of_flag: dict[str, list[Flag]] = {}
    for f in result.flags:
        if f.fact:
            facts_of_flag.setdefault(f.fact, []).append(f)
    conn = db.conn
    # a million fact_claims rows go into two indexes in claim-id order: with SQLite's default 2 MB page
    # cache each insert would fetch index pages from disk again; a larger cache for this write only
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA cache_size = -262144")  # 256 MiB, an upper bound: pages are allocated as used
    try:
        return _write(db, conn, result, facts_of_flag)
    finally:
        conn.execute(f"PRAGMA cache_size = {int(cache)}")


def _write(db: sqlite_utils.Database, conn, result: CheckResult, facts_of_flag: dict[str, list[Flag]]) -> int:
    with db.atomic():
        cur = conn.execute(
            "INSERT INTO runs (started, finished, rule_files, rule_count, flag_count, errors, warnings, infos, "
            "outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [result.started, result.finished, json.dumps(result.ruleset.files), len(result.ruleset.rules),
             len(result.flags), result.counts["error"], result.counts["warning"], result.counts["info"],
             result.outcome()],
        )
        run_id = cur.lastrowid
        for table in ("flag_claims", "flags", "fact_claims", "facts"):
            conn.execute(f"DELETE FROM {table}")
        conn.executemany(
            "INSERT INTO facts (id, label, kind, varies, origin, claim_count, source_count, flag_count, "
            "max_severity) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(f.id, f.label, f.kind, f.varies, f.origin, len(f.claims), _source_count(f), len(facts_of_flag.get(f.id, [])),
              max((x.severity for x in facts_of_flag.get(f.id, [])), key=SEVERITY_RANK.get, default=None))
             for f in result.facts],
        )
        # in claim-id order: the claim_id index and the foreign-key lookups into claims then walk their
        # B-trees forward instead of jumping (twice as fast for a million rows)
        rows = []
        for f in result.facts:  # built in C: a million rows
            ids = list(map(_ID, f.claims))
            rows.extend(zip(ids, repeat(f.id), map(f.reasons.get, ids, repeat("")), strict=False))
        rows.sort(key=itemgetter(0))  # stable: a claim's facts keep their order
        conn.executemany("INSERT INTO fact_claims (claim_id, fact_id, reason) VALUES (?, ?, ?)", rows)
        del rows
        conn.executemany(
            "INSERT INTO rule_results (run_id, rule, rule_kind, severity, outcome, checked, flagged, message, "
            "file, line) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(run_id, o.rule.id, o.rule.kind, o.rule.severity, o.outcome, o.checked, len(o.flags), o.message,
              o.rule.file, o.rule.line) for o in result.outcomes],
        )
        conn.executemany(
            "INSERT INTO flags (id, run_id, rule, rule_kind, severity, certainty, fact, message, claim_ids, "
            "article_ids, sources, intervals, gap, tolerance, finding) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(f.id, run_id, f.rule, f.rule_kind, f.severity, f.certainty, f.fact, f.message,
              json.dumps([c.id for c in f.claims]), json.dumps([c.article.id for c in f.claims]),
              json.dumps([c.article.source for c in f.claims]), json.dumps(f.intervals, default=str),
              f.gap, f.tolerance, f.finding) for f in result.flags],
        )
        conn.executemany(
            "INSERT INTO flag_claims (flag_id, claim_id, severity) VALUES (?, ?, ?)",
            [(f.id, c.id, f.severity) for f in result.flags for c in f.claims],
        )
    result.run_id = run_id
    return run_id


_ID = attrgetter("id")
_SOURCE = attrgetter("article.source")


def _source_count(fact: Fact) -> int:
    """Outlets reporting the fact (an article without a source counts as its own)."""
    sources = set(map(_SOURCE, fact.claims))
    if "" in sources or None in sources:
        return len({c.article.source or c.article.id for c in fact.claims})
    return len(sources)


def run_check(db: sqlite_utils.Database, ruleset: Ruleset) -> CheckResult:
    """Check a database with a validated ruleset and store the results (one transaction)."""
    # a million claim objects make the cyclic GC rescan the heap over and over; they hold no cycles
    enabled = gc.isenabled()
    gc.disable()
    try:
        result = evaluate(db, ruleset)
        write_results(db, result)
    finally:
        if enabled:
            gc.enable()
    return result


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

def flag_dict(f: Flag) -> dict:
    return {
        "id": f.id,
        "rule": f.rule,
        "kind": f.rule_kind,
        "severity": f.severity,
        "certainty": f.certainty,
        "finding": f.finding,
        "fact": f.fact,
        "message": f.message,
        "claims": [{"id": c.id, "article": c.article.id, "text": c.text, "start": c.start, "end": c.end,
                    "low": c.low, "high": c.high} for c in f.claims],
    }


def format_json(result: CheckResult) -> str:
    return json.dumps([flag_dict(f) for f in result.flags], ensure_ascii=False, indent=2)


def format_csv(result: CheckResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "rule", "kind", "severity", "certainty", "fact", "message", "claim_ids", "article_ids"])
    for f in result.flags:
        w.writerow([f.id, f.rule, f.rule_kind, f.severity, f.certainty, f.fact or "", f.message,
                    " ".join(c.id for c in f.claims), " ".join(sorted({c.article.id for c in f.claims}))])
    return buf.getvalue()


def format_text(result: CheckResult) -> str:
    c = result.counts
    lines = [
        f"{result.articles} articles, {len(result.claims)} claims, {len(result.facts)} facts, "
        f"{len(result.ruleset.rules)} rules: {len(result.flags)} flags "
        f"({c['error']} error, {c['warning']} warning, {c['info']} info)"
        + (f"; run {result.run_id}" if result.run_id else "")
    ]
    for f in result.flags:
        tag = f.severity.upper() + (" (possibly)" if f.certainty == "possibly" else "")
        lines.append(f"{tag:<20} [{f.rule}] {f.message}")
    lines.append("rules:")
    for o in result.outcomes:
        lines.append(f"  {o.outcome:<5} {o.rule.id} ({o.rule.kind}, {o.rule.severity}): {o.message}")
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "csv": format_csv}
