"""The SQLite store: every SQL statement the project runs lives in this package.

- ``connection``: opening a database (for writing, read-only), the write transaction, errors in words;
- ``schema``: the tables, created and upgraded, and stored values read back;
- ``articles``: what a load writes: articles and their claims;
- ``places``: the place names each article uses and the places the corpus settles on;
- ``claims``: what a check reads: articles and claims as rows for its objects;
- ``results``: what a check writes: facts, runs, rule results, flags;
- ``reviews``: verdicts on flags;
- ``flags``: the stored flags read back (``palmyra export``);
- ``queries``: the plugin's reads, over Datasette's read-only connections.

The names below are the store's API for writers (the loader, the commands); callers reach them as
``store.open_db`` and so on. Nothing in this package imports from the later stages (facts, rules, run,
web): it takes and gives rows and plain values.
"""

from __future__ import annotations

from .articles import claim_rows, claim_values, content_hashes, replace_article, write_article
from .connection import (
    BUSY_TIMEOUT_MS,
    BeingServed,
    database_problem,
    hold_while_serving,
    open_db,
    refuse_if_served,
    remove_db,
    writing,
)
from .places import write_place_names
from .reviews import REVIEW_VERDICTS, ReviewError, add_review, find_flag, latest_reviews
from .schema import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    CORPUS_PLACE_COLUMNS,
    FACT_CLAIMS_INDEXES,
    FLAG_COLUMNS,
    PLACE_NAME_COLUMNS,
    REVIEW_COLUMNS,
    NotOurs,
    check_ours,
    create_fact_claims,
    ensure_schema,
    fact_claims_is_outdated,
    is_loaded,
    json_list,
    plain,
)

__all__ = [
    "ARTICLE_COLUMNS", "BUSY_TIMEOUT_MS", "CLAIM_COLUMNS", "CORPUS_PLACE_COLUMNS", "FACT_CLAIMS_INDEXES",
    "FLAG_COLUMNS", "PLACE_NAME_COLUMNS", "REVIEW_COLUMNS", "REVIEW_VERDICTS", "BeingServed", "NotOurs",
    "ReviewError", "add_review", "check_ours", "claim_rows", "claim_values", "content_hashes", "create_fact_claims",
    "database_problem", "ensure_schema", "fact_claims_is_outdated", "find_flag", "hold_while_serving", "is_loaded",
    "json_list", "latest_reviews", "open_db", "plain", "refuse_if_served", "remove_db", "replace_article",
    "write_article", "write_place_names", "writing",
]
