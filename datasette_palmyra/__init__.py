"""datasette-palmyra: numeric claims from news articles, grouped into facts and checked by rules.

The Python API, the same calls the CLI and the Datasette plugin make (each is imported on first use, so
that ``import datasette_palmyra`` and the plugin's start stay cheap):

- ``extract_claims(text, language, published)``: the claims in one text (pure: no database);
- ``load_paths(db_path, paths, manifest=None, jobs=1)``: load article files into SQLite;
- ``load_ruleset(paths)``: read and validate rule files;
- ``open_db(path)``: the database, opened for writing;
- ``run_check(db, ruleset)``: group claims into facts, run the rules, store the flags;
- ``evaluate(db, ruleset)``: the same, reading only;
- ``stored_flags(db)``: the flags the last check stored, as dictionaries (what ``palmyra export`` writes);
- ``parse_published(text)``: a publication date or interval, as relative dates are resolved against.
"""

from __future__ import annotations

import importlib
from typing import Any

_API = {
    "extract_claims": "extract",
    "load_paths": "load",
    "load_ruleset": "ruleset",
    "open_db": "store",
    "run_check": "run",
    "evaluate": "run",
    "stored_flags": "export",
    "parse_published": "extract.dates",
}

__all__ = sorted(_API)


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'datasette_palmyra' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
