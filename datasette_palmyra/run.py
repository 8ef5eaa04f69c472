"""A check run over a database: read the claims, group them into facts, run the rules, write the results.

All writes (facts, fact_claims, runs, rule_results, flags, flag_claims) happen in one transaction with
the reading, so a run that fails leaves the previous results as they were. Flag ids hash the rule id
and the sorted claim ids, reason ids the reason's text: the same finding keeps its id from one run to
the next, which lets users track and annotate it.

The check itself is ``engine.py`` (in this process) or ``parallel.py`` (in worker processes, by claim
kind); the SQL is the store's (``store.results``); the report's formats are ``report.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import json
import sqlite3
from dataclasses import dataclass, field

import sqlite_utils

from . import parallel
from .checks import Flag, Outcome
from .engine import check_claims, read_claims
from .facts import CheckClaim, Fact, Matcher, claim_ids, source_count
from .ruleset import SEVERITY_RANK, Ruleset
from .store import ensure_schema, latest_reviews
from .store import results as stored
from .store.connection import foreign_keys_off
from .store.results import FactClaimsWriter

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


def evaluate(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1) -> CheckResult:
    """Group and check without writing anything (``jobs``: see ``run_check``)."""
    ensure_schema(db)
    return _evaluate(db, ruleset, jobs)


def _evaluate(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1,
              writer: FactClaimsWriter | None = None) -> CheckResult:
    """``writer``: writes the facts of each worker as they arrive (jobs > 1), while the others work."""
    started = _now()
    matcher = Matcher(ruleset.vocabulary)
    groups = parallel.plan(db, ruleset, jobs)
    on_part = (lambda facts: writer.add(members(facts))) if writer is not None else None
    split = parallel.check_in_processes(db, ruleset, groups, matcher, on_part) if groups else None
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


def members(facts: list[Fact]):
    """Each fact's id, claim ids and reasons, as the store's FactClaimsWriter takes them."""
    return ((f.id, claim_ids(f.claims), f.whys) for f in facts)


# json.dumps with an argument builds a new encoder per call: once per flag, 200,000 times on a large corpus
_intervals_json = json.JSONEncoder(default=str).encode


def write_results(db: sqlite_utils.Database, result: CheckResult, writer: FactClaimsWriter | None = None) -> int:
    """Replace the facts and flags and add a run, all in one transaction. ``writer``: the one that
    already wrote some facts' claims during the check (run_check with jobs)."""
    writer = writer or FactClaimsWriter(db)
    try:
        return _write(db, result, writer)
    finally:
        writer.restore()


def _write(db: sqlite_utils.Database, result: CheckResult, writer: FactClaimsWriter) -> int:
    facts_of_flag: dict[str, list[Flag]] = {}
    for f in result.flags:
        if f.fact:
            facts_of_flag.setdefault(f.fact, []).append(f)
    with db.atomic():
        run_id = stored.add_run(db, (
            result.started, result.finished, json.dumps(result.ruleset.files), len(result.ruleset.rules),
            len(result.flags), result.counts["error"], result.counts["warning"], result.counts["info"],
            result.outcome()))
        stored.clear_results(db)
        stored.insert_facts(db, [
            (f.id, f.label, f.kind, f.varies, f.origin, len(f.claims), source_count(f.claims),
             len(facts_of_flag.get(f.id, [])),
             max((x.severity for x in facts_of_flag.get(f.id, [])), key=SEVERITY_RANK.get, default=None))
            for f in result.facts])
        writer.finish(members(result.facts))
        stored.insert_rule_results(db, [
            (run_id, o.rule.id, o.rule.kind, o.rule.severity, o.outcome, o.checked, len(o.flags), o.message,
             o.rule.file, o.rule.line) for o in result.outcomes])
        # rows made as SQLite takes them, not all at once: a corpus of half a million flags would hold its
        # JSON columns twice over
        stored.insert_flags(db, (
            (f.id, run_id, f.rule, f.rule_kind, f.severity, f.certainty, f.fact, f.message,
             json.dumps([c.id for c in f.claims]), json.dumps([c.article.id for c in f.claims]),
             json.dumps([c.article.source for c in f.claims]), _intervals_json(f.intervals),
             f.gap, f.tolerance, f.finding, SEVERITY_RANK[f.severity]) for f in result.flags))
        stored.insert_flag_claims(db, ((f.id, c.id, f.severity) for f in result.flags for c in f.claims))
    result.run_id = run_id
    return run_id


class DatabaseChanged(Exception):
    """Another process wrote to the database while the check read it."""


def run_check(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int = 1) -> CheckResult:
    """Check a database with a validated ruleset and store the results.

    ``jobs`` > 1: a large database is checked in several processes, its claims split by kind (see
    parallel.py); the results are the same, but the facts returned hold ClaimRefs, not the claims.

    Reading, checking and writing are one transaction: the results are those of one snapshot of the
    claims, and if another process (a load) commits in the meantime the write is refused and nothing
    changes (``DatabaseChanged``). Within that snapshot every id written comes from the claims just read,
    so the foreign-key checks, a third of the writing time for a million fact_claims rows, are turned
    off for the run (the pragma only takes effect outside a transaction) and restored after.
    """
    ensure_schema(db)
    # a million claim objects make the cyclic GC rescan the heap over and over; they hold no cycles
    enabled = gc.isenabled()
    gc.disable()
    writer = FactClaimsWriter(db)
    try:
        with foreign_keys_off(db), db.atomic():
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

