"""Connections to a palmyra database: opening it for writing, the write transaction, and what went wrong.

A writer opens with ``open_db`` (WAL, a busy timeout), refused while ``palmyra serve`` serves the file
immutably; the check's worker processes and the exports open it read-only (``open_read_only``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

BUSY_TIMEOUT_MS = 30_000


class BeingServed(OSError):
    """The file is served immutably (``palmyra serve``): Datasette trusts it never to change."""


def hold_while_serving(path) -> int | None:
    """A shared advisory lock on the database file, on a descriptor that survives ``exec``: the server
    that takes this process's place holds it until it exits, and writers (``open_db``) see it.
    flock locks are apart from SQLite's own (POSIX record locks), so SQLite is not disturbed."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: nothing to hold
        return None
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_SH)
    os.set_inheritable(fd, True)
    return fd


def refuse_if_served(path, wait: float = 0.5) -> None:
    """Raise BeingServed when a ``palmyra serve`` serves the file immutably: rewriting it under an immutable
    reader gives that reader "database disk image is malformed". (Another writer's probe holds the lock
    for an instant only, so a busy lock is asked again for ``wait`` seconds before it counts.)"""
    try:
        import fcntl
    except ImportError:
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return  # no file yet (or unreadable, which opening it will report): nothing is served
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BeingServed(
                        f"{path}: palmyra serve is serving it read-only (immutable), and Datasette would read a "
                        "file rewritten under it as damaged; stop the server and run this again, or serve with "
                        "--mutable; nothing was written") from None
                time.sleep(0.02)
    finally:
        os.close(fd)  # and with it the probe's lock


def open_db(path) -> sqlite_utils.Database:
    """A connection for writing: WAL, so that readers (datasette) keep reading the last committed state
    while a load or a check writes, and a busy timeout, so that two writers queue instead of failing
    with "database is locked"; refused (BeingServed) while the file is served immutably.
    ``publish.prepare_for_publishing`` leaves WAL before a file is shipped."""
    refuse_if_served(path)
    db = sqlite_utils.Database(path)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")  # safe in WAL against a killed process; fsync per checkpoint
    except sqlite3.OperationalError:  # read-only file or medium, or another process holds it: keep its mode
        pass
    return db


def remove_db(path) -> None:
    """Remove a database file this process created, with its WAL and shared-memory files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.remove(f"{path}{suffix}")
        except FileNotFoundError:
            pass


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A write transaction that takes the write lock at its start (BEGIN IMMEDIATE): a second writer
    waits for the first (busy timeout) instead of failing when its older snapshot cannot be upgraded."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")


def database_problem(path, e: BaseException) -> str:
    """One line saying what went wrong with a database file, for an sqlite3 or OS error."""
    text = str(e)
    if isinstance(e, BeingServed):
        return text
    low = text.lower()
    if "locked" in low or "busy" in low:
        return (f"{path}: another process is writing to it (a load or check); waited "
                f"{BUSY_TIMEOUT_MS // 1000} s, nothing was written; try again when it ends")
    if "readonly" in low or "read-only" in low or isinstance(e, PermissionError):
        return f"{path}: cannot write to it (read-only file or folder); nothing was written"
    if "full" in low or getattr(e, "errno", None) == 28:
        return f"{path}: the disk is full; nothing was written"
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return f"{path}: the database file is damaged ({text}); restore it or build it again"
    if isinstance(e, OSError) and e.strerror:
        return f"{path}: {e.strerror}"
    return f"{path}: {text}"



def open_read_only(path, wait: bool = True) -> sqlite_utils.Database:
    """A read-only connection (``mode=ro``): a check's worker process reads through one, with the writers'
    busy timeout (``wait``), and so does ``palmyra export``, without it."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    db = sqlite_utils.Database(sqlite3.connect(uri, uri=True))
    if wait:
        db.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return db


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """A read transaction: everything read inside comes from one snapshot of the database."""
    db.conn.execute("BEGIN")
    try:
        yield db
    finally:
        db.conn.execute("ROLLBACK")


@contextmanager
def foreign_keys_off(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Foreign-key checks off, and back as they were after (the pragma only takes effect outside a
    transaction: enter this before the transaction begins)."""
    fk = db.conn.execute("PRAGMA foreign_keys").fetchone()[0]
    db.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield db
    finally:
        db.conn.execute(f"PRAGMA foreign_keys = {int(fk)}")


def database_file(db: sqlite_utils.Database) -> str | None:
    """The file of the main database, or None for an in-memory or temporary one."""
    for _seq, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main":
            return file or None
    return None


def leave_wal(path) -> str:
    """Checkpoint and switch the journal to DELETE mode; returns the journal mode now in force."""
    conn = sqlite3.connect(str(path))
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        conn.close()
    return mode
