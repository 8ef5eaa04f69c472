"""The tables: their definitions, creating and upgrading them, and reading their stored values back.

Everything that touches the schema lives here, so the loader, the rule runner and the plugin agree
on one set of tables:

- ``articles``: one row per article; ``body`` is exactly the text claim offsets index into.
- ``claims``: one row per extracted claim (see ``claims.Claim``); id ``<article>:<start>-<end>``.
- ``place_names`` / ``corpus_places``: the places each article names, and those the corpus settles on.
- ``facts`` / ``fact_reasons`` / ``fact_claims``: written by ``palmyra check``: which claims talk about
  the same fact, and why.
- ``runs`` / ``rule_results`` / ``flags`` / ``flag_claims``: the results of ``palmyra check``.
- ``reviews``: a person's verdicts on flags (``palmyra review`` or the flag page's form). Never touched by
  a check: keyed by the flag's stable id, a verdict outlives the run that raised the flag.
"""

from __future__ import annotations

import json
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


REVIEW_COLUMNS = {"id": int, "flag_id": str, "verdict": str, "note": str, "reviewer": str, "time": str}


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


def is_loaded(db: sqlite_utils.Database) -> bool:
    """Whether a load has made the articles and claims tables (there is something to check)."""
    return db["articles"].exists() and db["claims"].exists()


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
# times faster than updating it row by row (see store.results.FactClaimsWriter).
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

