"""Helpers shared by the reliability tests (bad input, faults, fuzzing): database digests and builders."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def checksum(db_path: Path | str) -> str:
    """A digest of every row of every table (FTS shadow tables included): equal means nothing changed.

    Read through a plain read-only connection so that taking the digest cannot itself change the file.
    """
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        h = hashlib.sha256()
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for name in names:
            rows = sorted(repr(row) for row in conn.execute(f"SELECT * FROM [{name}]"))
            h.update(f"{name}:{len(rows)}".encode())
            for row in rows:
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def integrity(db_path: Path | str) -> str:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def count(db_path: Path | str, sql: str, params: tuple = ()) -> int:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


def build_checked_db(path: Path) -> Path:
    """Seeds loaded with their manifest and checked with the shipped rules: a database with every table filled."""
    from datasette_palmyra.load import load_paths
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import run_check
    from datasette_palmyra.store import open_db

    report = load_paths(path, [SEEDS], manifest=SEEDS / "manifest.yml")
    assert report.errors == [], report.errors
    db = open_db(path)
    try:
        run_check(db, load_ruleset(None))
    finally:
        db.close()
    return path


def copy_db(src: Path, dst: Path) -> Path:
    """A copy of a closed database (its WAL, if one is left, goes along)."""
    import shutil

    for suffix in ("", "-wal"):
        if Path(str(src) + suffix).exists():
            shutil.copy(str(src) + suffix, str(dst) + suffix)
    return dst
