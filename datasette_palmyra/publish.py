"""Getting a database ready to be served read-only or published.

A WAL-mode file copied before a checkpoint loses its last writes when served, and an immutable
datasette cannot checkpoint: so before serving with -i or publishing we checkpoint and leave WAL.
"""

from __future__ import annotations

from pathlib import Path

from .store.connection import leave_wal


def prepare_for_publishing(db_path: str | Path) -> str:
    """Checkpoint and switch the journal to DELETE mode; returns the journal mode now in force."""
    return leave_wal(db_path)
