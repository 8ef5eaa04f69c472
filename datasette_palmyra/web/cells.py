"""Datasette's own table pages, marked: a severity marker on each flagged claim in ``claims`` (the message as
tooltip, a link to the flag's page) and links in ``flags`` and ``facts``. No query per cell."""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import Markup

from ..store import json_list
from . import access, databases, urls
from .formats import sev_class

log = logging.getLogger(__name__)

# the only (table, column) cells render_cell touches; a set test on the column name is the first line, because
# datasette calls the hook for every cell of every table and query page (~2,200 on a claims page)
MARKED_COLUMNS = frozenset({"text", "claim_ids", "article_ids", "fact", "label"})
MARKED_TABLES = frozenset({"claims", "flags", "facts"})


def render_cell(row, value, column, table, database, datasette):
    """Flag markers in ``claims``; links in ``flags`` and ``facts``. No query per cell: the flagged claims
    of a database are read once and cached until its file changes, and whether this request's actor may see
    the flags (a marker shows a flag's message) is asked once per request. A plain function, not a
    coroutine: every other cell returns None before anything else runs, and datasette need not await it."""
    if column not in MARKED_COLUMNS or table not in MARKED_TABLES:
        return None
    try:
        if table == "claims" and column == "text":
            visible = access.flags_visible_cached(database)
            if visible is False:
                return None
            flagged = databases.cached_flags(datasette, database)
            if visible and flagged is not None:
                return claim_marker(datasette, database, row, value, flagged)

            async def load_then_mark():
                try:
                    if not await access.flags_visible(datasette, database):
                        return None
                    flags = databases.cached_flags(datasette, database)
                    if flags is None:
                        flags = await databases.load_flags(datasette, database)
                    return claim_marker(datasette, database, row, value, flags)
                except Exception:
                    log.exception("datasette-palmyra: render_cell failed")
                    return None

            return load_then_mark
        if table == "flags" and column in ("claim_ids", "article_ids", "fact"):
            return flags_cell(datasette, database, column, value)
        if table == "facts" and column == "label" and "id" in row.keys():
            return Markup('<a href="{}">{}</a>').format(urls.fact_url(datasette, database, row["id"]),
                                                       value if value is not None else row["id"])
    except Exception:
        log.exception("datasette-palmyra: render_cell failed")
    return None


def claim_marker(datasette, database, row, value, flagged) -> Markup | None:
    try:
        flags = flagged.get(row["id"]) if "id" in row.keys() else None
    except (KeyError, IndexError, TypeError):
        return None
    if not flags:
        return None
    return claim_cell(datasette, database, value, flags)


def flags_cell(datasette, database: str, column: str, value: Any) -> Markup | None:
    if value is None:
        return None
    if column == "fact":
        return Markup('<a href="{}">{}</a>').format(urls.fact_url(datasette, database, value), value)
    items = [str(v) for v in json_list(value)]
    if not items:
        return None
    if column == "claim_ids":
        links = [(urls.article_url(datasette, database, urls.claim_article_id(c), c), c, "claim in its article")
                 for c in items]
    else:
        links = [(urls.article_url(datasette, database, a), a, "annotated article") for a in items]
    return links_cell(links)


def claim_cell(datasette, database: str, value: Any, flags: list[dict[str, Any]]) -> Markup:
    """A claims-table cell of a flagged claim: coloured marker with the severity, message as tooltip."""
    top = flags[0]
    title = "; ".join(f"{f['severity']}: {f['message'] or f['rule']}" for f in flags)
    return Markup('<a class="pm-marker {}" href="{}" title="{}">{}{}</a> {}').format(
        sev_class(top["severity"]),
        urls.flag_url(datasette, database, top["flag_id"]),
        title,
        top["severity"] or "flag",
        f" +{len(flags) - 1}" if len(flags) > 1 else "",
        "" if value is None else value,
    )


def links_cell(items: list[tuple[str, str, str]]) -> Markup:
    """Several (href, text, title) links in one cell."""
    return Markup(", ").join(
        Markup('<a href="{}" title="{}">{}</a>').format(href, title, text) for href, text, title in items
    )
