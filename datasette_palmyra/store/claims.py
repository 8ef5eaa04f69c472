"""What a check reads: the articles and claims, as rows for the objects the rules see.

The claims come back field for field as ``facts.CheckClaim`` takes its stored fields, decoded by SQLite
in C: day ordinals for dates, floats for figures, +-inf for open bounds, the as-of frame. The fields
derived from those (the cue's kind, whether a date is relative, whether the claim states a figure, the
interval widened by rounding) are not computed here: ``facts.derive`` computes them, for every claim.
A value SQLite cannot read as a plain ISO day or number comes back NULL (or -1 for an as-of day): the
reader asks ``raw_bounds`` for those rows and reads them carefully in Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import sqlite_utils

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
    With ``n_kinds``, only the claims of that many kinds (parameters) are read. The last column says
    whether the claim is time-framed (else it is as of its article's publication)."""
    resolution = "resolution" if has_resolution else "NULL"
    signature = "signature" if has_signature else "NULL"
    framed = "(coalesce(as_of_low, '') != '' OR coalesce(as_of_high, '') != '')"
    lo, hi = _bound("low", "-9e999"), _bound("high", "9e999")
    return (
        "SELECT id, article_id, coalesce(kind, ''), coalesce(text, ''), coalesce(start, 0), coalesce([end], 0), "
        f"unit, qualifier, {lo}, {hi}, norm_unit, precision, basis, subject, coalesce(sentence, ''), "
        f"pair_id, pair_role, CASE WHEN {framed} THEN {_as_of('as_of_low')} END, "
        f"CASE WHEN {framed} THEN {_as_of('as_of_high')} END, cue, {resolution}, {signature}, {framed} FROM claims "
        + (f"WHERE coalesce(kind, '') IN ({', '.join('?' * n_kinds)}) " if n_kinds else "")
        + "ORDER BY id"
    )


def claims_for_check(db: sqlite_utils.Database, kinds: list[str] | None = None) -> Iterator[tuple]:
    """The claims (of ``kinds`` only, if given) in id order, as described above: CheckClaim's stored fields
    and, last, whether the claim is time-framed. A database made before the resolution or signature
    column gives NULL for it."""
    columns = {c.name for c in db["claims"].columns}
    sql = _claims_sql("resolution" in columns, len(kinds or ()), "signature" in columns)
    return db.conn.execute(sql, list(kinds or ()))


def raw_bounds(db: sqlite_utils.Database, ids: Iterable[str]) -> Iterator[tuple]:
    """(id, low, high, as_of_low, as_of_high) as stored, for these claims."""
    return db.conn.execute(
        "SELECT id, low, high, as_of_low, as_of_high FROM claims WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(list(ids))],
    )


def article_rows(db: sqlite_utils.Database) -> Iterator[tuple]:
    """(id, source, published, published_low, published_high, language, title, url) of every article."""
    return db.conn.execute(
        "SELECT id, source, published, published_low, published_high, language, title, url FROM articles"
    )


def article_texts(db: sqlite_utils.Database, share: tuple[int, int] | None = None) -> Iterator[tuple]:
    """(id, title, body, language) of the articles; ``share`` (k, n): only those whose rowid is k modulo n."""
    where, args = ("WHERE rowid % ? = ?", [share[1], share[0]]) if share else ("", [])
    return db.conn.execute(f"SELECT id, title, body, language FROM articles {where}", args)


def claim_counts_by_kind(db: sqlite_utils.Database) -> Iterator[tuple]:
    """(kind, number of claims) per claim kind, on the kind index."""
    return db.conn.execute("SELECT kind, count(*) FROM claims GROUP BY kind")


def count_claims(db: sqlite_utils.Database, ids: Iterable[str]) -> int:
    """How many of these ids are claims in the database."""
    return db.conn.execute(
        "SELECT count(*) FROM claims WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(ids))]
    ).fetchone()[0]
