"""The SQLite store: table definitions and the writes that keep them consistent.

Everything that touches the schema lives here, so the loader, the rule runner and the plugin agree
on one set of tables:

- ``articles``: one row per article; ``body`` is exactly the text claim offsets index into.
- ``claims``: one row per extracted claim (see ``claims.Claim``); id ``<article>:<start>-<end>``.
- ``facts`` / ``fact_claims``: written by ``palmyra check``: which claims talk about the same fact, and why.
- ``runs`` / ``rule_results`` / ``flags`` / ``flag_claims``: the results of ``palmyra check``.
- ``reviews``: a person's verdicts on flags (``palmyra review`` or the flag page's form). Never touched by
  a check: keyed by the flag's stable id, a verdict outlives the run that raised the flag.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

ARTICLE_COLUMNS = {
    "id": str,
    "source": str,
    "published": str,  # as given: YYYY, YYYY-MM or YYYY-MM-DD
    "published_low": str,  # first and last day the publication date may be
    "published_high": str,
    "published_basis": str,
    "language": str,
    "title": str,
    "url": str,
    "path": str,
    "body": str,
    "content_hash": str,
    "claim_count": int,
}

CLAIM_COLUMNS = {
    "id": str,
    "article_id": str,
    "kind": str,
    "text": str,
    "start": int,
    "end": int,
    "value": bytes,  # BLOB affinity = none: numbers stay numbers, ISO dates stay text
    "unit": str,
    "qualifier": str,
    "low": bytes,  # numbers for quantities, ISO dates for dates (no affinity, see value)
    "high": bytes,
    "norm_unit": str,
    "precision": float,
    "granularity": str,
    "basis": str,
    "subject": str,
    "sentence": str,
    "pair_id": str,
    "pair_role": str,
    "as_of_low": str,
    "as_of_high": str,
    "as_of_basis": str,
    "cue": str,
    "resolution": str,  # dates: absolute, partial (year inferred), relative (resolved against publication)
    "extra": str,  # JSON: what else the extractor knows, e.g. both readings of an ambiguous date
    "signature": str,  # JSON: what the claim's clause says it is about (signature.py), for the grouping
}

PLACE_NAME_COLUMNS = {
    "article_id": str,
    "kind": str,  # name (not in the gazetteer), country (named or implied), shared (a shared name, no country)
    "key": str,  # folded normal form of the name, or the country's ISO code
    "name": str,
    "count": int,  # times written
    "after": int,  # times right after a place preposition (name_prepositions)
}

CORPUS_PLACE_COLUMNS = {
    "key": str,  # a found name's key (place_names.key); "" for the corpus' country
    "id": str,  # the place id signatures use, or the country's ISO code
    "name": str,
    "country": str,
    "articles": int,  # articles naming it right after a place preposition (or naming the country)
}

FLAG_COLUMNS = {
    "id": str,  # stable: hash of rule id and sorted claim ids
    "run_id": int,
    "rule": str,
    "rule_kind": str,
    "severity": str,  # info, warning, error
    "certainty": str,  # necessarily, possibly (order and relative-date rules)
    "finding": str,  # what kind of inconsistency: disagreement, lower_than_earlier, correction, ...
    "fact": str,
    "message": str,
    "claim_ids": str,  # JSON list
    "article_ids": str,  # JSON list
    "sources": str,  # JSON list
    "intervals": str,  # JSON list of [low, high] as compared
    "gap": float,
    "tolerance": str,
    "severity_rank": int,  # 3 error, 2 warning, 1 info: the flags table's default sort in Datasette
}

# What a person can say about a flag, from "the outlets really disagree" to "not a problem at all".
REVIEW_VERDICTS = {
    "confirmed": "a real inconsistency between the claims",
    "different-facts": "the claims speak of different facts (grouped wrongly)",
    "rounding": "the figures agree once rounding is allowed for",
    "not-an-error": "no inconsistency, for another reason (say it in the note)",
    "other": "something else (say it in the note)",
}

REVIEW_COLUMNS = {"id": int, "flag_id": str, "verdict": str, "note": str, "reviewer": str, "time": str}


BUSY_TIMEOUT_MS = 30_000


class BeingServed(OSError):
    """The file is served immutably (``palmyra serve``): Datasette trusts it never to change."""


def hold_while_serving(path) -> int | None:
    """A shared advisory lock on the database file, on a descriptor that survives ``exec``: the server
    that takes this process's place holds it until it exits, and writers (``open_db``) see it.
    flock locks are apart from SQLite's own (POSIX record locks), so SQLite is not disturbed."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: nothing to hold
        return None
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    os.set_inheritable(fd, True)
    return fd


def refuse_if_served(path, wait: float = 0.5) -> None:
    """Raise BeingServed when a ``palmyra serve`` serves the file immutably: rewriting it under an immutable
    reader gives that reader "database disk image is malformed". (Another writer's probe holds the lock
    for an instant only, so a busy lock is asked again for ``wait`` seconds before it counts.)"""
    try:
        import fcntl
    except ImportError:
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # no file yet (or unreadable, which opening it will report): nothing is served
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BeingServed(
                        f"{path}: palmyra serve is serving it read-only (immutable), and Datasette would read a "
                        "file rewritten under it as damaged; stop the server and run this again, or serve with "
                        "--mutable; nothing was written") from None
                time.sleep(0.02)
    finally:
        os.close(fd)  # and with it the probe's lock


def open_db(path) -> sqlite_utils.Database:
    """A connection for writing: WAL, so that readers (datasette) keep reading the last committed state
    while a load or a check writes, and a busy timeout, so that two writers queue instead of failing
    with "database is locked"; refused (BeingServed) while the file is served immutably.
    ``publish.prepare_for_publishing`` leaves WAL before a file is shipped."""
    refuse_if_served(path)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # safe in WAL against a killed process; fsync per checkpoint
    except sqlite3.OperationalError:  # read-only file or medium, or another process holds it: keep its mode
        pass
    return db


def remove_db(path) -> None:
    """Remove a database file this process created, with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{path}{suffix}")
        except FileNotFoundError:
            pass


def _add_missing_columns(db: sqlite_utils.Database, table: str, columns: dict[str, type]) -> None:
    """A database made by an earlier version gains the columns added since (writes name every column)."""
    have = set(db[table].columns_dict)
    for name, kind in columns.items():
        if name not in have:
            db[table].add_column(name, kind)


# the columns every version of this schema has had: a table of that name without them is someone else's
CORE_COLUMNS = {"articles": {"id", "body", "content_hash"}, "claims": {"id", "article_id", "kind", "low", "high"}}


class NotOurs(ValueError):
    """The database holds a table of one of our names that this project did not make."""


def check_ours(db: sqlite_utils.Database) -> None:
    """Refuse, before anything is changed, a database whose articles or claims table is another's."""
    for table, core in CORE_COLUMNS.items():
        if db[table].exists():
            missing = core - set(db[table].columns_dict)
            if missing:
                raise NotOurs(f"its {table!r} table was not made by palmyra (no {', '.join(sorted(missing))} "
                              "column); nothing was changed; use another database file")


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock at its start (BEGIN IMMEDIATE): a second writer
    waits for the first (busy timeout) instead of failing when its older snapshot cannot be upgraded."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def database_problem(path, e: BaseException) -> str:
    """One line saying what went wrong with a database file, for an sqlite3 or OS error."""
    text = str(e)
    if isinstance(e, BeingServed):
        return text
    low = text.lower()
    if "locked" in low or "busy" in low:
        return (f"{path}: another process is writing to it (a load or check); waited "
                f"{BUSY_TIMEOUT_MS // 1000} s, nothing was written; try again when it ends")
    if "readonly" in low or "read-only" in low or isinstance(e, PermissionError):
        return f"{path}: cannot write to it (read-only file or folder); nothing was written"
    if "full" in low or getattr(e, "errno", None) == 28:
        return f"{path}: the disk is full; nothing was written"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return f"{path}: the database file is damaged ({text}); restore it or build it again"
    if isinstance(e, OSError) and e.strerror:
        return f"{path}: {e.strerror}"
    return f"{path}: {text}"


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create the tables that do not exist yet; safe to call on every open (after ``check_ours``)."""
    if not db["articles"].exists():
        db["articles"].create(ARTICLE_COLUMNS, pk="id", not_null={"body"})
        db["articles"].enable_fts(["title", "body"], create_triggers=True)
        db["articles"].create_index(["source"])
    else:
        _add_missing_columns(db, "articles", ARTICLE_COLUMNS)
    if not db["claims"].exists():
        db["claims"].create(CLAIM_COLUMNS, pk="id", foreign_keys=[("article_id", "articles", "id")])
        db["claims"].create_index(["article_id"])
        db["claims"].create_index(["kind", "subject"])
    else:
        _add_missing_columns(db, "claims", CLAIM_COLUMNS)
    if not db["place_names"].exists():
        # what each article names, for the corpus-level places (places.names_seen, load.settle_places)
        db["place_names"].create(PLACE_NAME_COLUMNS, foreign_keys=[("article_id", "articles", "id")])
        db["place_names"].create_index(["kind", "key"])
        db["place_names"].create_index(["article_id"])
    if not db["corpus_places"].exists():
        # the places the corpus names after place prepositions, and its country (key "")
        db["corpus_places"].create(CORPUS_PLACE_COLUMNS, pk="key")
    if not db["facts"].exists():
        db["facts"].create(
            {"id": str, "label": str, "kind": str, "varies": str, "origin": str, "claim_count": int,
             "source_count": int, "flag_count": int, "max_severity": str},
            pk="id",
        )
    if not db["fact_reasons"].exists():
        db.execute(FACT_REASONS_TABLE)
    if not db["fact_claims"].exists():
        create_fact_claims(db)
    if not db["runs"].exists():
        db["runs"].create(
            {"id": int, "started": str, "finished": str, "rule_files": str, "rule_count": int,
             "flag_count": int, "errors": int, "warnings": int, "infos": int, "outcome": str},
            pk="id",
        )
    if not db["rule_results"].exists():
        db["rule_results"].create(
            {"run_id": int, "rule": str, "rule_kind": str, "severity": str, "outcome": str,
             "checked": int, "flagged": int, "message": str, "file": str, "line": int},
            pk=("run_id", "rule"),
            foreign_keys=[("run_id", "runs", "id")],
        )
    if not db["flags"].exists():
        db["flags"].create(FLAG_COLUMNS, pk="id", foreign_keys=[("run_id", "runs", "id")])
        db["flags"].create_index(["rule"])
        db["flags"].create_index(["fact"])
    else:
        _add_missing_columns(db, "flags", FLAG_COLUMNS)
    if not db["flag_claims"].exists():
        db["flag_claims"].create(
            {"flag_id": str, "claim_id": str, "severity": str},
            pk=("flag_id", "claim_id"),
            foreign_keys=[("flag_id", "flags", "id"), ("claim_id", "claims", "id")],
        )
        db["flag_claims"].create_index(["claim_id"])
    if not db["reviews"].exists():
        # no foreign key to flags: a check rewrites flags whole, and a verdict must survive that
        db["reviews"].create(REVIEW_COLUMNS, pk="id", not_null={"flag_id", "verdict", "time"})
        db["reviews"].create_index(["flag_id", "id"])


# fact_claims is rewritten whole by every check (a row per claim and fact: a million rows for a million
# claims). It is a WITHOUT ROWID table clustered on its key, (fact_id, claim_id): the rows of a fact are
# together (the fact page reads them in one range) and there is no second copy of the key in a separate
# unique index. The claim_id index is dropped while a check inserts and built again by sorting, several
# times faster than updating it row by row (see check.write_results).
FACT_CLAIMS_INDEXES = {
    "idx_fact_claims_claim_id": "CREATE INDEX [idx_fact_claims_claim_id] ON [fact_claims] ([claim_id])",
}


# Why a claim is in a fact: a million claims share a few hundred reasons, so fact_claims holds a
# reason_id (datasette shows the reason as the link's label) and the text is stored once.
FACT_REASONS_TABLE = "CREATE TABLE [fact_reasons] ([id] INTEGER PRIMARY KEY, [reason] TEXT)"


def create_fact_claims(db: sqlite_utils.Database, indexes: bool = True) -> None:
    """Plain SQL: safe inside the caller's transaction."""
    db.execute("CREATE TABLE [fact_claims] ([fact_id] TEXT NOT NULL REFERENCES [facts]([id]), "
               "[claim_id] TEXT NOT NULL REFERENCES [claims]([id]), [reason_id] INTEGER REFERENCES [fact_reasons]([id]), "
               "PRIMARY KEY ([fact_id], [claim_id])) WITHOUT ROWID")
    if indexes:
        for sql in FACT_CLAIMS_INDEXES.values():
            db.execute(sql)


def fact_claims_is_outdated(db: sqlite_utils.Database) -> bool:
    """Databases made by earlier versions stored fact_claims as a rowid table (with each claim's reason
    as text, at first); a check rebuilds it."""
    if not db["fact_claims"].exists():
        return False
    return "WITHOUT ROWID" not in " ".join(db["fact_claims"].schema.upper().split())


def claim_rows(article_id: str, claims: Iterable[Any]) -> list[dict[str, Any]]:
    """Claims (dataclasses or dicts) as rows of the claims table; pair indexes become claim ids."""
    claims = [c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in claims]
    ids = [f"{article_id}:{c['start']}-{c['end']}" for c in claims]
    rows = []
    for c, cid in zip(claims, ids, strict=False):
        row = {k: c.get(k) for k in CLAIM_COLUMNS if k in c}
        row["id"] = cid
        row["article_id"] = article_id
        pair = c.get("pair")
        row["pair_id"] = ids[pair] if isinstance(pair, int) and 0 <= pair < len(ids) else None
        if isinstance(row.get("value"), (list, dict)):
            row["value"] = json.dumps(row["value"])
        extra = c.get("extra")
        row["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str) if extra else None
        rows.append(row)
    return rows


def claim_values(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """Rows of the claims table as value lists in CLAIM_COLUMNS order (cheap to send between processes)."""
    return [[r.get(c) for c in CLAIM_COLUMNS] for r in rows]


def replace_article(db: sqlite_utils.Database, article: dict[str, Any], claims: Iterable[Any]) -> int:
    """Replace one article and its claims (dataclasses or dicts); the caller owns the transaction."""
    return write_article(db, article, claim_values(claim_rows(article["id"], claims)))


def write_article(db: sqlite_utils.Database, article: dict[str, Any], values: list[list[Any]],
                  new: bool = False) -> int:
    """Write one article and its prepared claim rows (see ``claim_values``). ``new`` says the id is not
    in the database yet, which spares the deletes of an old version's claims and their links."""
    aid = article["id"]
    if not new:
        # flags and fact links of this article's old claims go: they are recomputed by the next check
        db.execute(
            "DELETE FROM flag_claims WHERE claim_id IN (SELECT id FROM claims WHERE article_id = ?)", [aid]
        )
        db.execute(
            "DELETE FROM fact_claims WHERE claim_id IN (SELECT id FROM claims WHERE article_id = ?)", [aid]
        )
        db.execute("DELETE FROM claims WHERE article_id = ?", [aid])
        db.execute("DELETE FROM place_names WHERE article_id = ?", [aid])
    # plain SQL rather than sqlite-utils' upsert/insert_all: those inspect the table on every call,
    # which was most of the writing time of a 100k-article load
    row = {**article, "claim_count": len(values)}
    unknown = set(row) - set(ARTICLE_COLUMNS)
    if unknown:
        raise ValueError(f"articles has no column(s) {', '.join(sorted(unknown))}")
    cols = list(row)
    db.conn.execute(
        f"INSERT INTO articles ({', '.join(f'[{c}]' for c in cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(id) DO UPDATE SET {', '.join(f'[{c}] = excluded.[{c}]' for c in cols if c != 'id')}",
        [row[c] for c in cols],
    )
    if values:
        db.conn.executemany(_INSERT_CLAIM, values)
    return len(values)


def write_place_names(db: sqlite_utils.Database, article_id: str, names: list[tuple]) -> None:
    """An article's place names (places.names_seen), after ``write_article`` dropped an old version's."""
    if names:
        db.conn.executemany("INSERT INTO place_names (article_id, kind, key, name, count, after) VALUES (?, ?, ?, ?, ?, ?)",
                            [(article_id, *r) for r in names])


_INSERT_CLAIM = (f"INSERT INTO claims ({', '.join(f'[{c}]' for c in CLAIM_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})")


# -- reviews ------------------------------------------------------------------------------------------


class ReviewError(ValueError):
    """A review that cannot be recorded: unknown or ambiguous flag, unknown verdict."""


def find_flag(db: sqlite_utils.Database, flag: str) -> str:
    """The id of the flag named by ``flag``: the whole id or a prefix of at least four characters that only
    one flag starts with (as git takes a short commit id)."""
    flag = (flag or "").strip()
    if not db["flags"].exists():
        raise ReviewError("the database has no flags yet (run 'palmyra check' first)")
    if db.execute("select 1 from flags where id = ?", [flag]).fetchone():
        return flag
    if len(flag) < 4 or any(c in flag for c in "%_\\"):
        raise ReviewError(f"no flag {flag!r}")
    ids = [r[0] for r in db.execute("select id from flags where id like ? escape '\\' limit 3", [flag + "%"])]
    if not ids:
        raise ReviewError(f"no flag {flag!r}")
    if len(ids) > 1:
        raise ReviewError(f"{flag!r} names several flags ({', '.join(ids[:2])}, ...): give more of the id")
    return ids[0]


def add_review(db: sqlite_utils.Database, flag: str, verdict: str, note: str | None = None,
               reviewer: str | None = None, when: str | None = None) -> dict[str, Any]:
    """Record a verdict on a flag (the latest one counts); returns the stored row."""
    if verdict not in REVIEW_VERDICTS:
        raise ReviewError(f"unknown verdict {verdict!r} (one of: {', '.join(REVIEW_VERDICTS)})")
    note = (note or "").strip() or None
    if note is not None and len(note) > 10_000:
        raise ReviewError("the note is longer than 10,000 characters")
    with writing(db):
        ensure_schema(db)
        flag_id = find_flag(db, flag)
        row = {"flag_id": flag_id, "verdict": verdict, "note": note, "reviewer": (reviewer or "").strip() or None,
               "time": when or time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        cur = db.conn.execute("insert into reviews (flag_id, verdict, note, reviewer, time) values"
                              " (:flag_id, :verdict, :note, :reviewer, :time)", row)
    return {"id": cur.lastrowid, **row}


def latest_reviews(db: sqlite_utils.Database) -> dict[str, dict[str, Any]]:
    """Each reviewed flag's latest verdict, by flag id."""
    if not db["reviews"].exists():
        return {}
    rows = db.execute("select id, flag_id, verdict, note, reviewer, time from reviews where id in"
                      " (select max(id) from reviews group by flag_id)").fetchall()
    keys = ("id", "flag_id", "verdict", "note", "reviewer", "time")
    return {r[1]: dict(zip(keys, r, strict=True)) for r in rows}


# -- reading stored values ------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """BLOB-affinity columns can hand back bytes; JSON and templates want text or numbers."""
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


def json_list(value: Any) -> list[Any]:
    """A JSON-list column (claim_ids, sources) as a list; anything else as an empty one."""
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []
