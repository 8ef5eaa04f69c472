"""Checking a large database in several processes, its claims split by kind (``palmyra check --jobs``).

A fact never mixes claim kinds, and every built-in rule compares the claims of one fact, or of one
kind, at a time (``Check.per_kind``). So the claims of each kind can be read, grouped and checked in a
process of their own and the parts merged into what one process finds: the same facts in the same
order, the same flags, outcomes whose counts add up. Reading rows and the rules are Python work
under one lock; a second process is the only way to use a second core.

Kinds cannot be split, so they are packed into ``jobs`` workers of about equal cost, the costliest
first, each to the worker with the least so far (LPT scheduling). A claim of a kind compared within
publication windows (counts, percentages, sums, durations: grouped by runs of articles, and running
totals among them) costs about twice one of another kind, measured on the check benchmark and on the
pipeline benchmark's corpus.

Each worker is a fresh interpreter (``serve``, talking pickle over its stdin and stdout), never a fork of
this process, whose SQLite connection is inside a transaction; it opens the database read-only. This
process has read from the database before they start, so its snapshot is the older one: if a load
commits in between, this process's first write is refused (``run.DatabaseChanged``) and nothing is
stored. It writes each worker's facts as that worker finishes, while the others still work.
"""

from __future__ import annotations

import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import wait
from operator import attrgetter
from pathlib import Path

import sqlite_utils

from .checks import REGISTRY, Outcome, merge_outcomes
from .children import die_with_parent
from .engine import check_claims, main_places, read_articles, read_claims
from .facts import (
    WINDOWED_KINDS,
    Article,
    ClaimRefs,
    Fact,
    Matcher,
    claim_ids,
    mark_story_place,
    source_count,
)
from .ruleset import Ruleset
from .store import claims as stored
from .store.connection import database_file, open_read_only, snapshot

# below this many claims, starting workers and merging their parts cost what they save: on this
# project's 2-core machine 2 jobs are no faster at 100,000 claims, 1.4x at 841,000 (the pipeline
# corpus) and 1.5x at 1,000,000 (the check bench)
MIN_CLAIMS = 200_000

_ARTICLE_ID = attrgetter("article.id")


class WorkerFailed(RuntimeError):
    """A worker process of the check failed or ended without a result."""


def plan(db: sqlite_utils.Database, ruleset: Ruleset, jobs: int) -> list[list[str]] | None:
    """The claim kinds each worker process checks, or None to check in this process: one job, a small
    (under MIN_CLAIMS) or in-memory database, a single kind, or a rule kind that compares across kinds."""
    if jobs <= 1 or database_file(db) is None:
        return None
    if not all(REGISTRY[rule.kind].per_kind for rule in ruleset.rules):
        return None
    counts: dict[str, int] = {}
    for kind, n in stored.claim_counts_by_kind(db):
        counts[kind or ""] = counts.get(kind or "", 0) + n
    if sum(counts.values()) < MIN_CLAIMS or len(counts) < 2:
        return None
    for spec in ruleset.facts:  # a declared fact no claim reports is still made, by one of the workers
        counts.setdefault(spec.kind, 0)
    cost = {kind: n * (2 if kind in WINDOWED_KINDS else 1) for kind, n in counts.items()}
    n = min(len(counts), jobs)
    groups: list[list[str]] = [[] for _ in range(n)]
    load = [0] * n
    for kind in sorted(cost, key=lambda k: (-cost[k], k)):  # costliest first, to the least loaded worker
        i = load.index(min(load))
        groups[i].append(kind)
        load[i] += cost[kind]
    return groups


def check_in_processes(db: sqlite_utils.Database, ruleset: Ruleset, groups: list[list[str]], matcher: Matcher,
                       on_part: Callable[[list[Fact]], None] | None = None,
                       ) -> tuple[dict[str, Article], list[Fact], list[Outcome], int] | None:
    """Articles, facts, outcomes and the number of claims, checked by one worker per group of kinds.
    ``on_part`` is given each worker's facts as they arrive (to write them while the others work).

    None when a linked pair ("240 km (150 miles)") joins claims of two kinds, which the extractor never
    makes: the caller then checks in one process, so the conversion rule still sees both sides.
    """
    path = database_file(db)
    workers: list[subprocess.Popen] = []
    try:
        for k, kinds in enumerate(groups):
            proc = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=_worker_env(),
                                    preexec_fn=_die_with_us)
            workers.append(proc)
            try:  # the ruleset is larger than a pipe's buffer: a worker that dies at once breaks the pipe
                pickle.dump((path, kinds, ruleset, (k, len(groups))), proc.stdin)
                proc.stdin.flush()
            except OSError:  # _receive reports why the worker failed
                pass
        articles = read_articles(db, None)
        # each worker finds the main places of a share of the articles (reading every body is the
        # longest part of a check on long articles); all of them go back to every worker
        places: dict[str, str] = {}
        for k in _in_order_of_finishing(workers):
            places.update(_receive(workers[k], "places"))
        for aid, place in places.items():
            articles[aid].main_entity = place
        payload = pickle.dumps(places, protocol=pickle.HIGHEST_PROTOCOL)
        senders = [threading.Thread(target=_send, args=(proc, payload), daemon=True) for proc in workers]
        for t in senders:
            t.start()
        specs = {spec.id: spec for spec in ruleset.facts}
        parts: list = [None] * len(workers)
        for k in _in_order_of_finishing(workers):
            part = parts[k] = _receive(workers[k], "ok")
            if _pairs_across_kinds(db, part[4]):
                return None
            _link(part, articles, specs)
            if on_part is not None:
                on_part(part[0])
        for t in senders:
            t.join()
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream and not stream.closed:
                    try:
                        stream.close()
                    except OSError:  # a worker that died left unread bytes in its pipe
                        pass
    return _merge(ruleset, articles, parts)


def _die_with_us() -> None:
    die_with_parent()  # preexec: runs in the child before the worker starts


def _in_order_of_finishing(workers: list[subprocess.Popen]):
    """The workers' indexes as each has something to say on stdout."""
    waiting = {proc.stdout: k for k, proc in enumerate(workers)}
    while waiting:
        for stream in wait(list(waiting)):
            yield waiting.pop(stream)


# a clean interpreter per worker: never a fork of this process, whose SQLite connection is inside a
# transaction, and no re-import of the caller's main module (multiprocessing's spawn would)
WORKER = [sys.executable, "-c", "from datasette_palmyra.parallel import serve; serve()"]


def _worker_env() -> dict[str, str]:
    """This process's environment, with this package importable (also when run from a source tree)."""
    here = str(Path(__file__).resolve().parents[1])
    paths = [here, *os.environ.get("PYTHONPATH", "").split(os.pathsep)]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))


def _send(proc: subprocess.Popen, payload: bytes) -> None:
    """In a thread per worker: each reads the places in its own time."""
    try:
        proc.stdin.write(payload)
        proc.stdin.close()
    except OSError:  # the worker failed before asking: _receive reports why
        pass


def _receive(proc: subprocess.Popen, expected: str):
    """The next message of a worker: ``expected`` and its payload, or its error."""
    try:
        status, payload = pickle.load(proc.stdout)
    except (EOFError, pickle.UnpicklingError):
        code = proc.wait()
        raise WorkerFailed(f"a worker process of the check ended without a result (exit code {code})") from None
    if status == "error":
        raise WorkerFailed(f"a worker process of the check failed: {payload}")
    if status != expected:
        raise WorkerFailed(f"a worker process of the check sent {status!r} for {expected!r}")
    return payload


def _pairs_across_kinds(db: sqlite_utils.Database, foreign: list[str]) -> bool:
    """Whether pair ids a worker found in none of its claims name claims (of another kind, then)."""
    return bool(foreign) and stored.count_claims(db, foreign) > 0


def _link(part: tuple, articles: dict[str, Article], specs: dict) -> None:
    """A worker's part joined to this process's objects: facts hold ClaimRefs to its articles and its
    fact specs, and the flagged claims (pickled with copies of their articles) its articles."""
    part_facts, members, part_outcomes = part[:3]
    for f, (ids, article_ids, sources) in zip(part_facts, members, strict=True):
        f.claims = ClaimRefs(ids, article_ids, articles, sources)
        if f.spec is not None:
            f.spec = specs.get(f.spec.id, f.spec)
    for o in part_outcomes:
        for flag in o.flags:
            for c in flag.claims:
                c.article = articles.get(c.article.id, c.article)


def _merge(ruleset: Ruleset, articles: dict[str, Article], parts: list
           ) -> tuple[dict[str, Article], list[Fact], list[Outcome], int]:
    """The parts as one check: facts in the order one process makes them, outcomes merged per rule."""
    facts: list[Fact] = []
    outcomes: list[list[Outcome]] = [[] for _ in ruleset.rules]
    count = 0
    for part_facts, _members, part_outcomes, n, _foreign in parts:
        count += n
        facts.extend(part_facts)
        for k, (o, rule) in enumerate(zip(part_outcomes, ruleset.rules, strict=True)):
            o.rule = rule
            outcomes[k].append(o)
    facts.sort(key=attrgetter("rank"))
    return articles, facts, [merge_outcomes(p) for p in outcomes], count


def serve() -> None:
    """A worker's main: its job from stdin; its share of the articles' places to stdout, all of them
    back from stdin; then its part of the check, pickled, to stdout."""
    stdin = sys.stdin.buffer
    stdout = os.fdopen(os.dup(sys.stdout.fileno()), "wb")  # the results' channel, kept apart:
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # anything printed by accident goes to stderr

    def exchange(mine: dict[str, str]) -> dict[str, str]:
        pickle.dump(("places", mine), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()
        return pickle.load(stdin)

    try:
        path, kinds, ruleset, share = pickle.load(stdin)
        result = ("ok", check_part(path, kinds, ruleset, share, exchange))
    except BaseException as e:  # reported to the parent, which raises it
        result = ("error", f"{type(e).__name__}: {e}")
    pickle.dump(result, stdout, protocol=pickle.HIGHEST_PROTOCOL)
    stdout.flush()


def check_part(path: str, kinds: list[str], ruleset: Ruleset, share: tuple[int, int],
               exchange: Callable[[dict[str, str]], dict[str, str]]) -> tuple:
    """Read, group and check the claims of ``kinds``: facts (their claim ids, article ids and number of
    outlets apart), outcomes (with their flags and flagged claims), the number of claims, and the pair
    ids of no claim read here. ``share`` (k, n): the articles whose main places this worker finds;
    ``exchange`` gives them to the parent and returns every article's."""
    gc.disable()  # a million claim objects and no cycles among them, as in run_check
    db = open_read_only(path)
    matcher = Matcher(ruleset.vocabulary)
    with snapshot(db):  # articles and claims from one snapshot
        articles = read_articles(db, None)
        _articles, claims = read_claims(db, matcher, articles, kinds)
        mine = main_places(db, matcher, share)
    db.close()
    for aid, place in exchange(mine).items():
        art = articles.get(aid)
        if art is not None:
            art.main_entity = place
    mark_story_place(articles.values(), matcher)
    ids = set(claim_ids(claims))
    foreign = sorted({c.pair_id for c in claims if c.pair_id and c.pair_id not in ids})
    facts, outcomes = check_claims(claims, ruleset, matcher, kinds)
    members = []
    for f in facts:
        members.append((list(claim_ids(f.claims)), list(map(_ARTICLE_ID, f.claims)), source_count(f.claims)))
        f.claims = []
    return facts, members, outcomes, len(claims), foreign
