"""Getting a database ready to be served read-only or published.

A WAL-mode file copied before a checkpoint loses its last writes when served, and an immutable
datasette cannot checkpoint: so before serving with -i or publishing we checkpoint and leave WAL.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


def prepare_for_publishing(db_path: str | Path) -> str:
    """Checkpoint and switch the journal to DELETE mode; returns the journal mode now in force."""
    conn = sqlite3.connect(str(db_path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        conn.close()
    return mode
