"""What a check writes: facts and why each claim is in one, the run, each rule's result, the flags.

The run (``run.write_results``) calls these in one transaction, in this order: ``add_run``,
``clear_results``, ``insert_facts``, the ``FactClaimsWriter``'s ``finish``, ``insert_rule_results``,
``insert_flags``, ``insert_flag_claims``. Each takes rows in the order of its column list below, so
that rows are made as SQLite takes them (a corpus of half a million flags would otherwise hold its
JSON columns twice over). Reviews are never touched: they outlive the flags (see ``reviews``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from itertools import repeat

import sqlite_utils

from .schema import FACT_CLAIMS_INDEXES, create_fact_claims, fact_claims_is_outdated

RUN_COLUMNS = ("started", "finished", "rule_files", "rule_count", "flag_count", "errors", "warnings", "infos",
               "outcome")
FACT_COLUMNS = ("id", "label", "kind", "varies", "origin", "claim_count", "source_count", "flag_count",
                "max_severity")
RULE_RESULT_COLUMNS = ("run_id", "rule", "rule_kind", "severity", "outcome", "checked", "flagged", "message",
                       "file", "line")
FLAG_ROW_COLUMNS = ("id", "run_id", "rule", "rule_kind", "severity", "certainty", "fact", "message", "claim_ids",
                    "article_ids", "sources", "intervals", "gap", "tolerance", "finding", "severity_rank")
FLAG_CLAIM_COLUMNS = ("flag_id", "claim_id", "severity")


def _insert(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def add_run(db: sqlite_utils.Database, row: Sequence) -> int:
    """A row of ``runs`` (RUN_COLUMNS); returns its id."""
    return db.conn.execute(_insert("runs", RUN_COLUMNS), list(row)).lastrowid


def clear_results(db: sqlite_utils.Database) -> None:
    """Drop the last check's flags and facts (fact_claims is the writer's: it empties it itself)."""
    for table in ("flag_claims", "flags", "facts"):
        db.conn.execute(f"DELETE FROM {table}")


def insert_facts(db: sqlite_utils.Database, rows: Iterable[Sequence]) -> None:
    db.conn.executemany(_insert("facts", FACT_COLUMNS), rows)


def insert_rule_results(db: sqlite_utils.Database, rows: Iterable[Sequence]) -> None:
    db.conn.executemany(_insert("rule_results", RULE_RESULT_COLUMNS), rows)


def insert_flags(db: sqlite_utils.Database, rows: Iterable[Sequence]) -> None:
    db.conn.executemany(_insert("flags", FLAG_ROW_COLUMNS), rows)


def insert_flag_claims(db: sqlite_utils.Database, rows: Iterable[Sequence]) -> None:
    db.conn.executemany(_insert("flag_claims", FLAG_CLAIM_COLUMNS), rows)


def reason_id(why: str) -> int:
    """A reason's id: a hash of its text, so the same reason keeps its id from run to run (a link that
    filters fact_claims by reason stays valid) and the ids do not depend on the order facts are written."""
    return int.from_bytes(hashlib.blake2b(why.encode("utf-8"), digest_size=7).digest(), "big")


# A fact's members, as the writer takes them: the fact's id, its claims' ids, and why each is in it
# (parallel to the ids).
Members = tuple[str, Iterable[str], Sequence[str]]

_INSERT_FACT_CLAIM = "INSERT INTO fact_claims (claim_id, fact_id, reason_id) VALUES (?, ?, ?)"


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

    def add(self, facts: Iterable[Members]) -> None:
        if not self.begun:
            self._begin()
        reasons, taken = self.reasons, self.taken
        insert = self.db.conn.executemany
        for fact_id, claim_ids, whys in facts:
            for why in set(whys):
                if why not in reasons:
                    rid = reasons[why] = reason_id(why)
                    if rid in taken:  # 56 bits: about one chance in 10^9 for 10,000 reasons
                        raise RuntimeError(f"reasons {taken[rid]!r} and {why!r} hash to the same id {rid}")
                    taken[rid] = why
            insert(_INSERT_FACT_CLAIM,  # rows built in C
                   zip(claim_ids, repeat(fact_id), map(reasons.__getitem__, whys), strict=False))
            self.written.add(fact_id)

    def discard(self) -> None:
        """Forget what was written (the check went on in one process after all)."""
        if self.begun:
            self.db.conn.execute("DELETE FROM fact_claims")
        self.reasons.clear()
        self.taken.clear()
        self.written.clear()

    def finish(self, facts: Iterable[Members]) -> None:
        """Write the facts not written yet, the reasons, and build the claim index."""
        written = self.written
        self.add([m for m in facts if m[0] not in written])
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
