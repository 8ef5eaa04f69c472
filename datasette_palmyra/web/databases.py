"""Which attached databases hold the palmyra tables, and the flagged claims of each (what render_cell marks),
both kept until the database's file changes (a stat of the file and its WAL, no query)."""

from __future__ import annotations

import os
import time
import weakref
from dataclasses import dataclass, field
from typing import Any

from ..store import queries
from .formats import SEVERITY_RANK

_HAS_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def known_palmyra_databases(datasette) -> list[str]:
    """The palmyra databases found so far (``palmyra_databases`` fills this at startup): for the hooks that
    cannot wait on a query."""
    known = _HAS_TABLES.get(datasette) or {}
    return [name for name, hit in known.items() if hit[2] and name in datasette.databases]


async def palmyra_databases(datasette) -> list[str]:
    """Names of attached databases that hold the palmyra tables. Asked on every table page (0.65 looks up
    canned queries there), so the answer is kept per database until its file changes."""
    names = []
    known = _HAS_TABLES.setdefault(datasette, {})
    for name, db in datasette.databases.items():
        if name == "_internal" or getattr(db, "is_memory", False) and name.startswith("_"):
            continue
        key = _version_key(db)
        hit = known.get(name)
        if hit is not None and key is not None and hit[0] == key and hit[1] is db:
            if hit[2]:
                names.append(name)
            continue
        try:
            tables = set(await db.table_names())
        except Exception:
            continue
        has = {"articles", "claims", "flags"} <= tables
        known[name] = (key, db, has)
        if has:
            names.append(name)
    return names


# -- flagged claims cache (render_cell) -----------------------------------------------------------------


@dataclass
class FlagCache:
    key: Any = None
    checked: float = 0.0
    claims: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _version_key(db) -> Any:
    """Cheap change marker for a database file: a stat of the file and its WAL, no query."""
    if getattr(db, "is_mutable", True) is False:
        return "immutable"
    path = getattr(db, "path", None)
    if not path or getattr(db, "is_memory", False):
        return None
    parts = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            parts.append((st.st_mtime_ns, st.st_size))
        except OSError:
            parts.append(None)
    return tuple(parts)


def cached_flags(datasette, database: str) -> dict[str, list[dict[str, Any]]] | None:
    """The flagged-claims map if it is still valid, else None (then call ``load_flags``)."""
    entry = _CACHES.get(datasette, {}).get(database)
    if entry is None:
        return None
    db = datasette.databases.get(database)
    if db is None:
        return None
    key = _version_key(db)
    if key is None:  # memory databases: trust the cache for two seconds
        return entry.claims if time.monotonic() - entry.checked < 2 else None
    return entry.claims if key == entry.key else None


async def load_flags(datasette, database: str) -> dict[str, list[dict[str, Any]]]:
    """Read every flagged claim of a database once: claim id -> its flags, worst first."""
    db = datasette.get_database(database)
    key = _version_key(db)
    claims: dict[str, list[dict[str, Any]]] = {}
    try:
        rows = await queries.flagged_claims(db)
    except Exception:
        rows = []
    for r in rows:
        claims.setdefault(r[0], []).append(
            {"flag_id": r[1], "severity": r[2], "rule": r[3], "message": r[4], "fact": r[5]}
        )
    for flags in claims.values():
        flags.sort(key=lambda f: -SEVERITY_RANK.get(f["severity"], 0))
    _CACHES.setdefault(datasette, {})[database] = FlagCache(key=key, checked=time.monotonic(), claims=claims)
    return claims
