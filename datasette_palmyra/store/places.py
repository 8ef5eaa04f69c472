"""The places a corpus names: each article's place names (``place_names``) and the places the load
settles on for the whole corpus (``corpus_places``, see ``load.settle_places``), with the claim
signatures written again when those change."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

import sqlite_utils


def write_place_names(db: sqlite_utils.Database, article_id: str, names: list[tuple]) -> None:
    """An article's place names (places.names_seen), after ``write_article`` dropped an old version's."""
    if names:
        db.conn.executemany("INSERT INTO place_names (article_id, kind, key, name, count, after) VALUES (?, ?, ?, ?, ?, ?)",
                            [(article_id, *r) for r in names])


def most_named_country(db: sqlite_utils.Database) -> tuple | None:
    """(key, articles, times) of the country most articles name (more times written on a tie), or None."""
    return db.conn.execute("SELECT key, COUNT(DISTINCT article_id) AS n, SUM(count) AS c FROM place_names "
                           "WHERE kind = 'country' GROUP BY key ORDER BY n DESC, c DESC, key LIMIT 1").fetchone()


def names_after_prepositions(db: sqlite_utils.Database) -> list[tuple]:
    """(key, articles, a spelling) of each name the gazetteer lacks, written right after a place preposition."""
    return db.conn.execute("SELECT key, COUNT(DISTINCT article_id), MIN(name) FROM place_names "
                           "WHERE kind = 'name' AND after > 0 GROUP BY key").fetchall()


def articles_naming_after_prepositions(db: sqlite_utils.Database, keys: Sequence[str]) -> int:
    """How many articles write one of these names (two keys) right after a place preposition."""
    return db.conn.execute("SELECT COUNT(DISTINCT article_id) FROM place_names WHERE kind = 'name' "
                           "AND after > 0 AND key IN (?, ?)", list(keys)).fetchone()[0]


def articles_naming(db: sqlite_utils.Database, keys: Iterable[str]) -> set[str]:
    """The articles that name one of these names, on the (kind, key) index."""
    return {a for (a,) in db.conn.execute("SELECT DISTINCT article_id FROM place_names WHERE kind = 'name' AND key IN "
                                          "(SELECT value FROM json_each(?))", [json.dumps(list(keys))])}


def names_of_article(db: sqlite_utils.Database, article_id: str) -> list[str]:
    """The keys of the names (not in the gazetteer) an article uses."""
    return [k for (k,) in db.conn.execute("SELECT key FROM place_names WHERE article_id = ? AND kind = 'name'",
                                          [article_id])]


def articles_naming_shared(db: sqlite_utils.Database) -> set[str]:
    """The articles that use a name several places share without naming a country."""
    return {a for (a,) in db.conn.execute("SELECT DISTINCT article_id FROM place_names WHERE kind = 'shared'")}


def corpus_place_rows(db: sqlite_utils.Database) -> list[tuple] | None:
    """(key, id, name, country, articles) of the places the load settled on, by key; None in a database
    made before the corpus_places table."""
    if not db["corpus_places"].exists():
        return None
    return db.conn.execute("SELECT key, id, name, country, articles FROM corpus_places ORDER BY key").fetchall()


def replace_corpus_places(db: sqlite_utils.Database, rows: Iterable[Sequence]) -> None:
    """The corpus' places: (key, id, name, country, articles) rows, replacing the last load's."""
    db.conn.execute("DELETE FROM corpus_places")
    db.conn.executemany("INSERT INTO corpus_places (key, id, name, country, articles) VALUES (?, ?, ?, ?, ?)", rows)


def article_text(db: sqlite_utils.Database, article_id: str) -> tuple | None:
    """(body, language) of an article, or None."""
    return db.conn.execute("SELECT body, language FROM articles WHERE id = ?", [article_id]).fetchone()


SIGNING_COLUMNS = ("id", "kind", "text", "start", "end", "sentence", "low", "high", "signature")


def claims_to_sign(db: sqlite_utils.Database, article_id: str) -> list[dict]:
    """An article's claims in id order, with the columns a signature is made from (SIGNING_COLUMNS)."""
    cols = SIGNING_COLUMNS
    return [dict(zip(cols, r, strict=True)) for r in db.conn.execute(
        f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM claims WHERE article_id = ? ORDER BY id", [article_id])]


def update_signatures(db: sqlite_utils.Database, rows: Iterable[tuple[str, str]]) -> None:
    """(signature, claim id) pairs written over the claims' signatures."""
    db.conn.executemany("UPDATE claims SET signature = ? WHERE id = ?", rows)
