"""The flags the last check stored, read back with their claims (``palmyra export``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

SEVERITY_ORDER = "case severity when 'error' then 0 when 'warning' then 1 else 2 end"


def has_flags(db: sqlite_utils.Database) -> bool:
    """Whether the database has a flags table (it has been checked)."""
    return db["flags"].exists()


def flagged_claims(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """Every claim some flag names, with its article's outlet, date, URL and language."""
    return db.query(
        "select claims.id, claims.article_id, claims.text, claims.start, claims.end, claims.low, claims.high,"
        " claims.norm_unit, claims.qualifier, claims.sentence, articles.source, articles.published,"
        " articles.url, articles.language from claims join articles on articles.id = claims.article_id"
        " where claims.id in (select claim_id from flag_claims)")


def flags_by_severity(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """The stored flags, most severe first, then by rule and id."""
    return db.query(f"select * from flags order by {SEVERITY_ORDER}, rule, id")
