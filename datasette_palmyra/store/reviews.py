"""Reviews: a person's verdicts on flags, kept apart from the check's results (a check never touches them)."""

from __future__ import annotations

import time
from typing import Any

import sqlite_utils

from .connection import writing
from .schema import ensure_schema

# What a person can say about a flag, from "the outlets really disagree" to "not a problem at all".
REVIEW_VERDICTS = {
    "confirmed": "a real inconsistency between the claims",
    "different-facts": "the claims speak of different facts (grouped wrongly)",
    "rounding": "the figures agree once rounding is allowed for",
    "not-an-error": "no inconsistency, for another reason (say it in the note)",
    "other": "something else (say it in the note)",
}


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

