"""Writing what a load reads: articles, their claims and the place names they use.

Plain SQL rather than sqlite-utils' upsert/insert_all on the hot path: those inspect the table on every
call, which was most of the writing time of a 100k-article load.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import sqlite_utils

from .schema import ARTICLE_COLUMNS, CLAIM_COLUMNS


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


_INSERT_CLAIM = (f"INSERT INTO claims ({', '.join(f'[{c}]' for c in CLAIM_COLUMNS)}) "
                 f"VALUES ({', '.join('?' * len(CLAIM_COLUMNS))})")



def content_hashes(db: sqlite_utils.Database) -> dict[str, str]:
    """Each stored article's content hash, by id (none before the first load)."""
    if not db["articles"].exists():
        return {}
    return dict(db.execute("select id, content_hash from articles").fetchall())
