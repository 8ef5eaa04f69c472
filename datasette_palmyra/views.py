"""Data behind the plugin's pages: dashboard counts, the annotated article, the per-fact comparison.

Kept apart from the hooks (``web``) so they stay thin and these functions can be tested and timed on their
own. Every read is a named function of ``store_queries`` over datasette's read-only connections, so the
pages work on immutable databases; nothing here ever writes.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import time
import urllib.parse
import weakref
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from . import labels, store_queries
from .store import REVIEW_VERDICTS, json_list, plain

PLUGIN = "datasette-palmyra"
PALMYRA_TABLES = ("articles", "claims", "facts", "fact_claims", "fact_reasons", "flags", "flag_claims")
# what an actor must be allowed to view before a page shows flags, or facts
FLAG_TABLES = ("flags", "flag_claims")
FACT_TABLES = ("facts", "fact_claims", "fact_reasons")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
DEFAULT_SETTINGS: dict[str, Any] = {
    "context_chars": 160,  # characters of article text shown around a claim on fact pages
    "dashboard_facts": 25,  # facts listed on the dashboard
    "strip_width": 960,  # pixel width of the SVG strip on fact pages
    "severity_colors": {"error": "#c62828", "warning": "#e08a00", "info": "#1e6fb8"},
    # who may record a verdict on a flag (the palmyra-review action), as a Datasette allow block:
    # {"id": ["ana", "ben"]}; none by default. On 1.0 a ``permissions: palmyra-review:`` block works too.
    "reviewers": None,
}
REVIEW_ACTION = "palmyra-review"

COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}")
# the whole numbers a setting may take: a page is built from them, so a typo must not reach it
SETTING_RANGES = {"context_chars": (0, 5000), "dashboard_facts": (1, 1000), "strip_width": (200, 4000)}


def settings_problems(config: Any, where: str = "plugins.datasette-palmyra") -> list[str]:
    """What is wrong with one scope of the plugin's configuration, a line per option; [] when good."""
    if config is None:
        return []
    if not isinstance(config, dict):
        return [f"{where}: must be a mapping of options, not {type(config).__name__}"]
    out = []
    for key, value in config.items():
        if key in SETTING_RANGES:
            lo, hi = SETTING_RANGES[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                out.append(f"{where}.{key}: {str(value)[:40]!r} is not a whole number from {lo} to {hi}")
        elif key == "severity_colors":
            if not isinstance(value, dict):
                out.append(f"{where}.severity_colors: must map severities to colours")
                continue
            for sev, color in value.items():
                if sev not in SEVERITY_RANK:
                    out.append(f"{where}.severity_colors.{sev}: unknown severity (known: {', '.join(SEVERITY_RANK)})")
                elif not isinstance(color, str) or not COLOR.fullmatch(color):
                    out.append(f"{where}.severity_colors.{sev}: {str(color)[:40]!r} is not a colour (#rgb, #rrggbb or a name)")
        elif key == "reviewers":
            if value is not None and not isinstance(value, (dict, bool)):
                out.append(f"{where}.reviewers: must be an allow block such as {{id: [ana, ben]}}, not "
                           f"{str(value)[:40]!r}")
        else:
            out.append(f"{where}.{key}: unknown option (known: {', '.join(sorted(DEFAULT_SETTINGS))})")
    return out


def check_settings(datasette) -> None:
    """Raise ValueError naming every bad option, global or per database, before a page is served."""
    top = datasette.plugin_config(PLUGIN)
    problems = settings_problems(top)
    for name in datasette.databases:
        scoped = datasette.plugin_config(PLUGIN, database=name)
        if scoped != top:  # 0.65 answers a database's scope with the global one when it has none
            problems += settings_problems(scoped, f"databases.{name}.plugins.{PLUGIN}")
    if problems:
        raise ValueError("datasette-palmyra configuration: " + "; ".join(problems))

# The canned queries and the tables each reads are the store's (store_queries); the hooks ask them here.
CANNED_QUERY_TABLES = store_queries.CANNED_QUERY_TABLES
CANNED_QUERIES = store_queries.CANNED_QUERIES
queries_for = store_queries.queries_for


# -- how Datasette shows the palmyra tables ----------------------------------------------------------

TABLE_CONFIG_KEYS = {"description": str, "facets": list, "sort": str, "sort_desc": str, "columns": dict,
                     "size": int}
_TABLE_CONFIG: dict[str, dict[str, Any]] | None = None


def table_config() -> dict[str, dict[str, Any]]:
    """The plugin's own table configuration (``table_config.yml``), validated once: every table a palmyra
    table, every key one Datasette knows with a value of the right type."""
    global _TABLE_CONFIG
    if _TABLE_CONFIG is None:
        import yaml

        path = os.path.join(os.path.dirname(__file__), "table_config.yml")
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
        problems = table_config_problems(data)
        if problems:
            raise ValueError(f"{path}: " + "; ".join(problems))
        _TABLE_CONFIG = data
    return _TABLE_CONFIG


def table_config_problems(data: Any) -> list[str]:
    from .store import ARTICLE_COLUMNS, CLAIM_COLUMNS, FLAG_COLUMNS, REVIEW_COLUMNS

    known_columns = {"articles": ARTICLE_COLUMNS, "claims": CLAIM_COLUMNS, "flags": FLAG_COLUMNS,
                     "reviews": REVIEW_COLUMNS}
    if not isinstance(data, dict):
        return ["must map table names to their configuration"]
    out = []
    for table, conf in data.items():
        if not isinstance(conf, dict):
            out.append(f"{table}: must be a mapping")
            continue
        for key, value in conf.items():
            if key not in TABLE_CONFIG_KEYS:
                out.append(f"{table}.{key}: unknown key (known: {', '.join(TABLE_CONFIG_KEYS)})")
            elif not isinstance(value, TABLE_CONFIG_KEYS[key]):
                out.append(f"{table}.{key}: must be a {TABLE_CONFIG_KEYS[key].__name__}")
        columns = known_columns.get(table)
        for name in (conf.get("columns") or {}) if columns else ():
            if name not in columns:
                out.append(f"{table}.columns.{name}: no such column")
        for key in ("sort", "sort_desc"):
            if columns and conf.get(key) and conf[key] not in columns:
                out.append(f"{table}.{key}: no such column {conf[key]!r}")
    return out


# -- settings, urls, permissions -------------------------------------------------------------------


def settings(datasette, database: str | None = None) -> dict[str, Any]:
    """Plugin settings with defaults; the database-scoped config may be None on 1.0, so merge by hand."""
    merged = dict(DEFAULT_SETTINGS)
    for scope in (datasette.plugin_config(PLUGIN),
                  datasette.plugin_config(PLUGIN, database=database) if database else None):
        if isinstance(scope, dict):
            merged.update(scope)
    colors = dict(DEFAULT_SETTINGS["severity_colors"])
    if isinstance(merged.get("severity_colors"), dict):
        colors.update(merged["severity_colors"])
    merged["severity_colors"] = colors
    return merged


def encode(value: str) -> str:
    from datasette.utils import tilde_encode

    return tilde_encode(str(value))


def decode(value: str) -> str:
    from datasette.utils import tilde_decode

    return tilde_decode(value)


def dashboard_url(datasette, fmt: str | None = None) -> str:
    return datasette.urls.path("/-/palmyra" + (".json" if fmt == "json" else ""))


def db_route(datasette, database: str) -> str:
    db = datasette.get_database(database)
    return getattr(db, "route", None) or database


def article_url(datasette, database: str, article_id: str, claim_id: str | None = None) -> str:
    url = datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/articles/{encode(article_id)}")
    return url + (f"#claim-{urllib.parse.quote(claim_id, safe='')}" if claim_id else "")


def fact_url(datasette, database: str, fact_id: str) -> str:
    return datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/facts/{encode(fact_id)}")


def flag_url(datasette, database: str, flag_id: str) -> str:
    return datasette.urls.path(f"/-/palmyra/{encode(db_route(datasette, database))}/flags/{encode(flag_id)}")


def claim_article_id(claim_id: str) -> str:
    """Claim ids are ``<article>:<start>-<end>``; the article id is everything before the last colon."""
    return claim_id.rsplit(":", 1)[0]


async def can_view(datasette, actor: dict | None, database: str, tables: tuple[str, ...] = ()) -> bool:
    """Whether the actor may see these tables, with datasette's own rules (allow blocks included)."""
    if hasattr(datasette, "allowed"):  # 1.0 alphas
        from datasette.resources import DatabaseResource, TableResource

        if not await datasette.allowed(action="view-instance", actor=actor):
            return False
        if not await datasette.allowed(action="view-database", resource=DatabaseResource(database), actor=actor):
            return False
        for table in tables:
            if not await datasette.allowed(
                action="view-table", resource=TableResource(database, table), actor=actor
            ):
                return False
        return True
    from datasette.utils.asgi import Forbidden

    try:
        for table in tables or (None,):
            checks: list[Any] = [("view-database", database), "view-instance"]
            if table:
                checks.insert(0, ("view-table", (database, table)))
            await datasette.ensure_permissions(actor, checks)
    except Forbidden:
        return False
    return True


def reviewer_allowed(datasette, actor: dict | None, database: str | None) -> bool | None:
    """What the ``reviewers`` option says of this actor: True when it matches, None when it says nothing
    (no option, or an actor it does not name), so that other rules still decide."""
    from datasette.utils import actor_matches_allow

    allow = settings(datasette, database).get("reviewers")
    if allow is None or allow is False or actor is None:
        return None
    return True if actor_matches_allow(actor, allow) else None


async def can_review(datasette, actor: dict | None, database: str) -> bool:
    """May this actor record a verdict on this database's flags (the palmyra-review action)?"""
    if actor is None:
        return False
    if hasattr(datasette, "allowed"):  # 1.0 alphas: the action is registered (plugin.register_actions)
        from datasette.resources import DatabaseResource

        return bool(await datasette.allowed(action=REVIEW_ACTION, resource=DatabaseResource(database), actor=actor))
    return bool(await datasette.permission_allowed(actor, REVIEW_ACTION, resource=database, default=False))


async def can_view_instance(datasette, actor: dict | None) -> bool:
    if hasattr(datasette, "allowed"):
        return await datasette.allowed(action="view-instance", actor=actor)
    return await datasette.permission_allowed(actor, "view-instance", default=True)


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


# -- flagged claims cache (render_cell) ---------------------------------------------------------------


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
        rows = await store_queries.flagged_claims(db)
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


def worst(severities) -> str | None:
    best = None
    for s in severities:
        if s and (best is None or SEVERITY_RANK.get(s, 0) > SEVERITY_RANK.get(best, 0)):
            best = s
    return best


def sev_class(severity: str | None) -> str:
    return f"pm-sev-{severity}" if severity in SEVERITY_RANK else "pm-sev-other"


def kind_class(kind: str | None) -> str:
    known = {"count", "date", "percent", "duration", "age", "money"}
    return f"pm-kind-{kind}" if kind in known else "pm-kind-other"


def claim_cell(datasette, database: str, value: Any, flags: list[dict[str, Any]]) -> Markup:
    """A claims-table cell of a flagged claim: coloured marker with the severity, message as tooltip."""
    top = flags[0]
    title = "; ".join(f"{f['severity']}: {f['message'] or f['rule']}" for f in flags)
    return Markup('<a class="pm-marker {}" href="{}" title="{}">{}{}</a> {}').format(
        sev_class(top["severity"]),
        flag_url(datasette, database, top["flag_id"]),
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


# -- intervals -----------------------------------------------------------------------------------


def fmt_number(x: Any) -> str:
    if isinstance(x, (bytes, bytearray)):
        x = x.decode("utf-8", "replace")
    if isinstance(x, float):
        if math.isinf(x):
            return "∞" if x > 0 else "-∞"
        if x.is_integer() and abs(x) < 1e15:
            return f"{int(x):,}"
        return f"{x:,.6g}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def fmt_interval(low: Any, high: Any, unit: str | None) -> str:
    """[low, high] as people read it: one value when equal, open sides as 'at least' / 'at most'."""
    u = f" {unit}" if unit and unit not in ("count", "day") else ""
    if low is None and high is None:
        return "unbounded"
    if low is None:
        return f"≤ {fmt_number(high)}{u}"
    if high is None:
        return f"≥ {fmt_number(low)}{u}"
    if low == high:
        return f"{fmt_number(low)}{u}"
    return f"{fmt_number(low)} – {fmt_number(high)}{u}"


def as_axis_value(value: Any, is_date: bool) -> float | None:
    """A bound on the common axis: day ordinals for dates, plain numbers otherwise; None when open."""
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = value.decode("utf-8", "replace")
    try:
        if is_date:
            return float(dt.date.fromisoformat(str(value)[:10]).toordinal())
        return float(value)
    except (TypeError, ValueError):
        return None


# -- article page -----------------------------------------------------------------------------------


def context_window(body: str, start: int, end: int, width: int) -> tuple[str, str, str, bool, bool]:
    """Text before, the claim, text after (the claim's sentence, at most ``width`` characters a side), and
    whether each side stopped at a sentence edge."""
    lo = max(0, start - width)
    hi = min(len(body), end + width)
    before, after = body[lo:start], body[end:hi]
    for sep in ("\n", ". "):
        i = before.rfind(sep)
        if i != -1:
            before, lo = before[i + len(sep):], lo + i + len(sep)
            break
    for sep in ("\n", ". "):
        i = after.find(sep)
        if i != -1:
            after, hi = after[: i + 1], end + i + 1
            break
    return before, body[start:end], after, lo > 0, hi < len(body)


def annotate_body(datasette, database: str, body: str, claims: list[dict[str, Any]]) -> Markup:
    """The article text with each claim wrapped in a highlight; overlapping claims keep the first."""
    out: list[Any] = []
    pos = 0
    for c in sorted(claims, key=lambda c: (c["start"], -c["end"])):
        s, e = c["start"], c["end"]
        if s is None or e is None or s < pos or e > len(body) or s >= e:
            continue
        out.append(escape(body[pos:s]))
        classes = ["pm-claim", kind_class(c["kind"])]
        if c["flags"]:
            classes += ["pm-flagged", sev_class(c["severity"])]
        title = f"{c['kind']}: {c['interval']}"
        if c["flags"]:
            title += " — " + "; ".join(f"{f['severity']}: {f['message'] or f['rule']}" for f in c["flags"])
        href = c["fact_url"] or f"#row-{c['anchor']}"
        refs = Markup("").join(
            Markup('<a class="pm-flagref {}" href="#flag-{}" title="{}">⚑</a>').format(
                sev_class(f["severity"]), f["anchor"], f["message"] or f["rule"]
            )
            for f in c["flags"]
        )
        out.append(
            Markup('<span class="{}" id="claim-{}" data-kind="{}"><a href="{}" title="{}">{}</a>{}</span>').format(
                " ".join(classes), c["anchor"], c["kind"], href, title, body[s:e], refs
            )
        )
        pos = e
    out.append(escape(body[pos:]))
    return Markup("").join(out)


async def article_data(datasette, database: str, article_id: str, *, with_flags: bool = True,
                       with_facts: bool = True) -> dict[str, Any] | None:
    """The annotated article; flags (and facts) only when the caller found the actor may see those tables."""
    db = datasette.get_database(database)
    article = await store_queries.article_row(db, article_id)
    if article is None:
        return None
    claim_rows = await store_queries.article_claims(db, article_id)
    ids = [c["id"] for c in claim_rows]
    facts_of: dict[str, list[str]] = {}
    flags_of: dict[str, list[dict[str, Any]]] = {}
    flags: dict[str, dict[str, Any]] = {}
    if ids:
        tables = set(await db.table_names())
        if with_facts and "fact_claims" in tables:
            for claim_id, fact_id in await store_queries.facts_of_claims(db, ids):
                facts_of.setdefault(claim_id, []).append(fact_id)
        if with_flags and {"flags", "flag_claims"} <= tables:
            for d in await store_queries.flags_of_claims(db, ids):
                flag = flags.setdefault(d["id"], flag_dict(datasette, database, d, link_fact=with_facts))
                flags_of.setdefault(d["claim_id"], []).append(
                    {**flag, "severity": d["sev"] or flag["severity"]})
    claims = []
    for c in claim_rows:
        cflags = sorted(flags_of.get(c["id"], []), key=lambda f: -SEVERITY_RANK.get(f["severity"], 0))
        fact_ids = facts_of.get(c["id"], [])
        claims.append({
            "id": c["id"],
            "anchor": urllib.parse.quote(c["id"], safe=""),
            "kind": c["kind"],
            "text": c["text"],
            "start": c["start"],
            "end": c["end"],
            "qualifier": c.get("qualifier"),
            "low": plain(c.get("low")),
            "high": plain(c.get("high")),
            "norm_unit": c.get("norm_unit"),
            "subject": c.get("subject"),
            "interval": fmt_interval(plain(c.get("low")), plain(c.get("high")), c.get("norm_unit")),
            "facts": [{"id": f, "url": fact_url(datasette, database, f)} for f in fact_ids],
            "fact_url": fact_url(datasette, database, fact_ids[0]) if fact_ids else None,
            "flags": cflags,
            "severity": worst(f["severity"] for f in cflags),
            "row_url": datasette.urls.row(database, "claims", encode(c["id"])),
        })
    body = article.get("body") or ""
    url = article.get("url") or ""
    return {
        "article_link": url if url.lower().startswith(("http://", "https://")) else None,
        "database": database,
        "article": {k: v for k, v in article.items() if k != "body"} | {"body": body},
        "article_row_url": datasette.urls.row(database, "articles", encode(article_id)),
        "claims": claims,
        "flags": sorted(flags.values(), key=lambda f: (-SEVERITY_RANK.get(f["severity"], 0), f["id"])),
        "kinds": sorted({c["kind"] for c in claims if c["kind"]}),
        "hidden": [t for t, shown in ((FLAG_TABLES[0], with_flags), (FACT_TABLES[0], with_facts)) if not shown],
        "annotated": annotate_body(datasette, database, body, claims),
    }


def flag_dict(datasette, database: str, row: dict[str, Any], link_fact: bool = True,
              unit: str | None = None) -> dict[str, Any]:
    """A flag for the pages; ``link_fact`` False when the actor may not open fact pages; ``unit`` the
    compared claims' unit, to say the gap in words."""
    claim_ids = [str(c) for c in json_list(row.get("claim_ids"))]
    return {
        "id": row["id"],
        "anchor": urllib.parse.quote(str(row["id"]), safe=""),
        "rule": row.get("rule"),
        "rule_kind": row.get("rule_kind"),
        "finding": finding_of(row),
        "severity": row.get("severity"),
        "certainty": row.get("certainty"),
        "fact": row.get("fact"),
        "fact_url": fact_url(datasette, database, row["fact"]) if row.get("fact") and link_fact else None,
        "message": row.get("message"),
        "claim_ids": claim_ids,
        "claims": [
            {"id": c, "url": article_url(datasette, database, claim_article_id(c), c)} for c in claim_ids
        ],
        "sources": [str(s) for s in json_list(row.get("sources"))],
        "fact_label": (row.get("fact_label") if link_fact else None) or row.get("fact"),
        "verdict": row.get("verdict"),
        "gap": row.get("gap"),
        "gap_text": fmt_gap(row.get("gap"), unit),
        "tolerance": row.get("tolerance"),
        "url": flag_url(datasette, database, row["id"]),
        "table_url": datasette.urls.row(database, "flags", encode(row["id"])),
    }


# -- fact page ------------------------------------------------------------------------------------------


async def fact_data(datasette, database: str, fact_id: str, *, with_flags: bool = True) -> dict[str, Any] | None:
    """Every source's claim on one fact, the strip and chart; flags only when the actor may see them (then
    the fact row's own flag summary columns are dropped too)."""
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    fact = await store_queries.fact_row(db, fact_id)
    if fact is not None and not with_flags:
        for col in ("flag_count", "max_severity"):
            fact.pop(col, None)
    rows = await store_queries.fact_claims_in_context(db, fact_id, int(conf["context_chars"]))
    flag_rows = await store_queries.flags_of_fact(db, fact_id) if with_flags else []
    if fact is None and not rows and not flag_rows:
        return None
    kind = (fact or {}).get("kind") or (rows[0]["kind"] if rows else None)
    flags = sorted((flag_dict(datasette, database, r, unit=gap_unit(kind, rows)) for r in flag_rows),
                   key=lambda f: (-SEVERITY_RANK.get(f["severity"], 0), f["id"]))
    sev_of: dict[str, str | None] = {}
    for f in flags:
        for cid in f["claim_ids"]:
            sev_of[cid] = worst([sev_of.get(cid), f["severity"]])
    claims = [context_claim(datasette, database, r, sev_of.get(r["id"])) for r in rows]
    strip = build_strip(claims, kind, conf)
    varies = (fact or {}).get("varies") or "fixed"
    chart = build_chart(claims, varies, flags, conf)
    return {
        "database": database,
        "fact_id": fact_id,
        "fact": fact,
        "kind": kind,
        "claims": claims,
        "flags": flags,
        "varies": varies,
        "strip": strip,
        "chart": chart,
        "sources": sorted({c["source"] for c in claims if c["source"]}),
        "hidden": [] if with_flags else [FLAG_TABLES[0]],
    }


def context_claim(datasette, database: str, r: dict[str, Any], severity: str | None) -> dict[str, Any]:
    """A claim for the fact and flag pages: its sentence cut around it, where it was published, its interval."""
    body_window = r.pop("window") or ""
    offset = r["start"] - r.pop("window_start")
    body_len = r.pop("body_len") or 0
    # the window is a slice of the body: re-cut it at sentence edges
    text_end = offset + (r["end"] - r["start"])
    before, quote, after, at_start, at_end = context_window(body_window, offset, text_end, 10**9)
    return {
        "id": r["id"],
        "article_id": r["article_id"],
        "article_title": r.get("article_title"),
        "article_url": article_url(datasette, database, r["article_id"], r["id"]),
        "source": r.get("source"),
        "published": r.get("published"),
        "link": safe_link(r.get("article_link")),
        "language": r.get("article_language"),
        "kind": r["kind"],
        "text": r["text"],
        "before": before,
        "quote": quote,
        "after": after,
        "cut_before": not at_start and r["start"] - offset > 0,
        "cut_after": not at_end and r["end"] + len(after) < body_len,
        "low": plain(r.get("low")),
        "high": plain(r.get("high")),
        "norm_unit": r.get("norm_unit"),
        "qualifier": r.get("qualifier"),
        "interval": fmt_interval(plain(r.get("low")), plain(r.get("high")), r.get("norm_unit")),
        "reason": r.get("reason"),
        "severity": severity,
        "as_of_low": r.get("as_of_low"),
        "as_of_high": r.get("as_of_high"),
        "as_of": as_of_text(r.get("as_of_low"), r.get("as_of_high")),
        "cue": r.get("cue"),
    }


def safe_link(url: Any) -> str | None:
    """An article's URL as a link only when it is http(s): a ``javascript:`` URL from a manifest stays text."""
    url = plain(url)
    if isinstance(url, str) and urllib.parse.urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


def fmt_gap(gap: Any, unit: str | None) -> str | None:
    """How far apart two claims are, as a reader says it: "12 days", "30 km", "1,500"."""
    gap = plain(gap)
    if not isinstance(gap, (int, float)) or isinstance(gap, bool):
        return None if gap is None else str(gap)
    if unit == "day":
        n = round(gap)
        return f"{n:,} day{'s' if n != 1 else ''}"
    if unit == "m" and abs(gap) >= 1000:
        return f"{fmt_number(round(gap / 1000, 3))} km"
    value = fmt_number(round(gap, 6) if isinstance(gap, float) else gap)
    return value if unit in (None, "", "count") else f"{value} {unit}"


def gap_unit(kind: str | None, claims: list[dict[str, Any]]) -> str | None:
    """The unit a flag's gap is measured in: days for dates, else the claims' normalized unit."""
    if kind == "date" or any(c.get("kind") == "date" for c in claims):
        return "day"
    return next((c.get("norm_unit") for c in claims if c.get("norm_unit")), None)


def rule_kind_text(kind: Any) -> str | None:
    """What a rule kind requires, in its own class's words (the registry is the one place it is said)."""
    from .checks import REGISTRY

    cls = REGISTRY.get(str(kind or ""))
    doc = " ".join((cls.__doc__ or "").replace("``", "").split()) if cls else ""
    return doc.split(". ")[0].rstrip(".") + "." if doc else None


async def flag_data(datasette, database: str, flag_id: str, *, with_facts: bool = True) -> dict[str, Any] | None:
    """One flag with everything a fact-checker decides from: each claim in its sentence with outlet, date,
    URL and language, the intervals on one strip, the gap and tolerance in words, the rule, why the claims
    were grouped, and the review so far."""
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    row = await store_queries.flag_row(db, flag_id)
    if row is None:
        return None
    rows = await store_queries.flag_claims_in_context(db, flag_id, row.get("fact") or "", int(conf["context_chars"]))
    kind = rows[0]["kind"] if rows else None
    flag = flag_dict(datasette, database, row, link_fact=with_facts, unit=gap_unit(kind, rows))
    claims = [context_claim(datasette, database, r, flag["severity"]) for r in rows]
    fact = None
    if with_facts and row.get("fact"):
        fact = await store_queries.fact_row(db, row["fact"])
    return {
        "database": database,
        "flag_id": flag_id,
        "flag": flag,
        "rule_text": rule_kind_text(row.get("rule_kind")),
        "fact": fact,
        "fact_label": (fact or {}).get("label") or row.get("fact"),
        "kind": kind,
        "claims": claims,
        "strip": build_strip(claims, kind, conf),
        "reasons": sorted({c["reason"] for c in claims if c["reason"]}),
        "articles": [{"id": a, "url": article_url(datasette, database, a), "title": t, "source": s}
                     for a, t, s in sorted({(c["article_id"], c["article_title"] or c["article_id"], c["source"])
                                            for c in claims})],
        "hidden": [] if with_facts else [FACT_TABLES[0]],
        "reviews": await store_queries.flag_reviews(db, flag_id),
        "verdicts": dict(REVIEW_VERDICTS),
    }


def as_of_text(low: Any, high: Any) -> str | None:
    """The date a figure refers to, as people read it."""
    low, high = plain(low), plain(high)
    if low is None and high is None:
        return None
    if low is None:
        return f"on or before {high}"
    if high is None or low == high:
        return str(low)
    return f"{low} – {high}"


def build_strip(claims: list[dict[str, Any]], kind: str | None, conf: dict[str, Any]) -> dict[str, Any]:
    """Geometry of the comparison strip: one bar per claim on a shared axis (day numbers for dates)."""
    is_date = kind == "date" or any(c["kind"] == "date" for c in claims)
    width = int(conf["strip_width"])
    label_w, pad, row_h = 190, 14, 28
    plot_w = max(120, width - label_w - 2 * pad)
    bounds = []
    for c in claims:
        lo, hi = as_axis_value(c["low"], is_date), as_axis_value(c["high"], is_date)
        if is_date and hi is not None:
            hi += 1  # a day is a span: [low, high + 1) on the axis
        bounds.append((lo, hi))
    finite = [v for b in bounds for v in b if v is not None]
    if finite:
        amin, amax = min(finite), max(finite)
    else:
        amin, amax = 0.0, 1.0
    if amax - amin < 1e-9:
        spread = 1.0 if is_date else max(abs(amin) * 0.1, 1.0)
        amin, amax = amin - spread, amax + spread
    span = amax - amin
    # open bounds need room to show that they go on
    if any(hi is None for _, hi in bounds):
        amax += span * 0.3
    if any(lo is None for lo, _ in bounds):
        amin -= span * 0.3
    margin = (amax - amin) * 0.06
    amin, amax = amin - margin, amax + margin
    unit = "day" if is_date else next((c["norm_unit"] for c in claims if c["norm_unit"]), None)

    def x(v: float) -> float:
        return round(label_w + pad + (v - amin) / (amax - amin) * plot_w, 2)

    bars = []
    for i, (c, (lo, hi)) in enumerate(zip(claims, bounds, strict=True)):
        x0 = x(lo) if lo is not None else label_w + pad
        x1 = x(hi) if hi is not None else label_w + pad + plot_w
        if x1 - x0 < 4:  # points stay visible
            mid = (x0 + x1) / 2
            x0, x1 = mid - 2, mid + 2
        label = f"{c['source'] or '?'} · {c['published'] or '?'}"
        bars.append({
            "claim_id": c["id"],
            "label": label,
            # drawn right-aligned before the plot: a long source name is cut there (the row's title has it all)
            "label_text": labels.fit_text(label, STRIP_LABEL_SIZE, label_w - 4),
            "y": 24 + i * row_h,
            "x0": round(x0, 2),
            "x1": round(x1, 2),
            "open_low": lo is None,
            "open_high": hi is None,
            "severity": c["severity"],
            "interval": c["interval"],
            "text": c["text"],
        })
    ticks = []
    for v in nice_ticks(amin, amax, 5):
        label = dt.date.fromordinal(int(round(v))).isoformat() if is_date else fmt_number(v)
        ticks.append({"x": x(v), "label": label})
    height = 24 + len(claims) * row_h + 30
    # dates are wide ("2016-03-01"): on a narrow strip every k-th tick is labelled, the last one kept inside
    labels.thin_ticks(ticks, [("label", TICK_SIZE, height - 8)], (2, 0, width - 2, height))
    return {
        "width": width,
        "height": height,
        "label_width": label_w,
        "plot_x0": label_w + pad,
        "plot_x1": label_w + pad + plot_w,
        "row_height": row_h,
        "axis": {"min": amin, "max": amax, "unit": unit, "is_date": is_date},
        "ticks": ticks,
        "bars": bars,
    }


STRIP_LABEL_SIZE = 12  # px, .pm-strip .pm-bar-label in palmyra.css


def nice_ticks(lo: float, hi: float, n: int) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    out = []
    v = first
    while v <= hi + 1e-9 and len(out) < 20:
        out.append(v)
        v += step
    return out


def strip_svg(strip: dict[str, Any], colors: dict[str, str]) -> Markup:
    """The strip as inline SVG; every text is escaped by Markup.format."""
    h = strip["height"]
    parts: list[Markup] = [Markup(
        '<svg class="pm-strip" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' role="img" aria-label="Each source\'s interval on a common axis">'
        '<defs><linearGradient id="pm-fade-r" x1="0" x2="1" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        '</linearGradient><linearGradient id="pm-fade-l" x1="1" x2="0" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        "</linearGradient></defs>"
    ).format(w=strip["width"], h=h)]
    x0, x1 = strip["plot_x0"], strip["plot_x1"]
    axis_y = h - 24
    for t in strip["ticks"]:
        parts.append(Markup('<line class="pm-grid" x1="{x}" x2="{x}" y1="14" y2="{y}"/>').format(x=t["x"], y=axis_y))
        if t.get("labelled", True):
            parts.append(Markup('<text class="pm-tick" x="{x}" y="{ty}" text-anchor="{a}">{label}</text>').format(
                x=t.get("label_x", t["x"]), a=t.get("anchor", "middle"), ty=axis_y + 16, label=t["label"]))
    parts.append(Markup('<line class="pm-axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(x0, x1, y=axis_y))
    if strip["axis"]["unit"]:
        parts.append(Markup('<text class="pm-unit" x="{}" y="12" text-anchor="end">{}</text>').format(
            x1, "days" if strip["axis"]["is_date"] else strip["axis"]["unit"]))
    for b in strip["bars"]:
        color = colors.get(b["severity"] or "", "#4a6fa5")
        y = b["y"]
        parts.append(Markup(
            '<g class="pm-bar-row" data-claim="{cid}"><title>{label}: {text} = {interval}</title>'
            '<text class="pm-bar-label" x="{lx}" y="{ty}" text-anchor="end">{shown}</text>'
            '<rect class="pm-bar {cls}" x="{bx}" y="{by}" width="{bw}" height="14" rx="3" fill="{color}"/>'
        ).format(cid=b["claim_id"], label=b["label"], shown=b.get("label_text", b["label"]), text=b["text"],
                 interval=b["interval"],
                 lx=strip["label_width"], ty=y + 11, cls=sev_class(b["severity"]), bx=b["x0"], by=y,
                 bw=round(b["x1"] - b["x0"], 2), color=color))
        if b["open_high"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="40" height="14" fill="url(#pm-fade-r)"/>'
                '<path class="pm-arrow" d="M{a} {y1} L{t} {ym} L{a} {y2}" fill="{c}"/>'
            ).format(x=b["x1"] - 40, y=y, a=b["x1"], t=b["x1"] + 8, y1=y - 1, ym=y + 7, y2=y + 15, c=color))
        if b["open_low"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="40" height="14" fill="url(#pm-fade-l)"/>'
                '<path class="pm-arrow" d="M{a} {y1} L{t} {ym} L{a} {y2}" fill="{c}"/>'
            ).format(x=b["x0"], y=y, a=b["x0"], t=b["x0"] - 8, y1=y - 1, ym=y + 7, y2=y + 15, c=color))
        parts.append(Markup("</g>"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


# -- dashboard ----------------------------------------------------------------------------------------------


async def dashboard_data(datasette, database: str, *, with_facts: bool = True) -> dict[str, Any]:
    """Counts of one database's flags; the facts list only when the actor may see facts."""
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    tables = set(await db.table_names())
    if not with_facts:
        tables.discard("facts")
    run = await store_queries.latest_run(db) if "runs" in tables else None
    by_severity = await store_queries.flags_by_severity(db)
    by_rule = await store_queries.flags_by_rule(db)
    by_source = await store_queries.flags_by_source(db)
    facts: list[dict[str, Any]] = []
    if "facts" in tables:
        facts = await store_queries.facts_most_flagged(db, int(conf["dashboard_facts"]))
    rank_name = {v: k for k, v in SEVERITY_RANK.items()}
    for f in facts:
        f["worst"] = rank_name.get(f["worst"])
        f["url"] = fact_url(datasette, database, f["id"])
    base = datasette.urls.table(database, "flags")
    for f in facts:
        f["flags_url"] = base + "?" + urllib.parse.urlencode({"fact": f["id"]})
    for r in by_severity:
        r["url"] = base + "?" + urllib.parse.urlencode({"severity": r["severity"] or ""})
    for r in by_rule:
        r["url"] = base + "?" + urllib.parse.urlencode({"rule": r["rule"] or "", "severity": r["severity"] or ""})
    for r in by_source:
        r["url"] = base + "?" + urllib.parse.urlencode({"sources__arraycontains": r["source"] or ""})
    findings = await finding_sections(datasette, database, db, base, int(conf["dashboard_facts"]), with_facts)
    counts = await store_queries.table_counts(db, with_facts="facts" in tables)
    reviews: dict[str, Any] | None = None
    if "reviews" in tables:
        by_verdict = await store_queries.latest_verdict_counts(db)
        reviewed = sum(r["n"] for r in by_verdict)
        for r in by_verdict:
            r["url"] = datasette.urls.table(database, "reviews") + "?" + urllib.parse.urlencode({"verdict": r["verdict"]})
        reviews = {"open": counts["flags"] - reviewed, "reviewed": reviewed, "by_verdict": by_verdict,
                   "open_url": datasette.urls.query(database, "open_flags")}
    return {
        "database": database,
        "database_url": datasette.urls.database(database),
        "flags_url": base,
        "claims_url": datasette.urls.table(database, "claims"),
        "articles_url": datasette.urls.table(database, "articles"),
        "counts": counts,
        "reviews": reviews,
        "run": run,
        "by_severity": by_severity,
        "by_rule": by_rule,
        "by_source": by_source,
        "by_finding": findings["by_finding"],
        "lower_than_earlier": findings["lower_than_earlier"],
        "corrections": findings["corrections"],
        "facts": facts,
        "hidden": [] if with_facts else [FACT_TABLES[0]],
    }


async def finding_sections(datasette, database: str, db, flags_url: str, limit: int,
                           link_facts: bool = True) -> dict[str, Any]:
    """Flags by what they found: a figure lower than an earlier one (a running total that fell), plain
    disagreements, corrections (info), other checks — counts, and the first two lists in full."""
    has_column = await store_queries.has_finding_column(db)
    groups: dict[str, dict[str, Any]] = {}
    for r in await store_queries.flags_by_finding(db, has_column):
        group = FINDING_GROUP.get(r["finding"], "other")
        g = groups.setdefault(group, {"finding": group, "label": FINDING_GROUP_LABEL[group], "n": 0,
                                      "by_severity": {}})
        g["n"] += r["n"]
        g["by_severity"][r["severity"]] = g["by_severity"].get(r["severity"], 0) + r["n"]
    filters = {
        "lower_than_earlier": {"finding": "lower_than_earlier"} if has_column
        else {"rule_kind": "monotone", "message__startswith": "lower than earlier"},
        "correction": {"finding": "correction"} if has_column
        else {"severity": "info", "message__startswith": "correction"},
    }
    if has_column:  # datasette's table filters take a comma-separated list
        known = sorted(FINDING_GROUP)
        filters["disagreement"] = {"finding__in": ",".join(k for k in known if FINDING_GROUP[k] == "disagreement")}
        filters["other"] = {"finding__notin": ",".join(known)}
    by_finding = []
    for key in ("lower_than_earlier", "disagreement", "correction", "other"):
        g = groups.get(key, {"finding": key, "label": FINDING_GROUP_LABEL[key], "n": 0, "by_severity": {}})
        g["worst"] = worst(g["by_severity"])
        g["url"] = flags_url + "?" + urllib.parse.urlencode(filters[key]) if key in filters else None
        by_finding.append(g)
    tables = set(await db.table_names())

    async def listed(finding: str) -> list[dict[str, Any]]:
        found = await store_queries.flags_with_finding(
            db, has_column, finding, limit, fact_label=link_facts and "facts" in tables, verdict="reviews" in tables)
        return [flag_dict(datasette, database, r, link_fact=link_facts) for r in found]

    return {"by_finding": by_finding, "lower_than_earlier": await listed("lower_than_earlier"),
            "corrections": await listed("correction")}


# -- findings: what kind of conflict a flag reports --------------------------------------------------------

# dashboard groups: finding -> group
FINDING_GROUP = {"lower_than_earlier": "lower_than_earlier", "correction": "correction",
                 "disagreement": "disagreement", "same_as_of": "disagreement", "relative_date": "disagreement",
                 "consistency": "disagreement"}
FINDING_GROUP_LABEL = {
    "lower_than_earlier": "Lower than an earlier figure",
    "disagreement": "Disagreements",
    "correction": "Corrections (info)",
    "other": "Other checks",
}


def finding_of(row: dict[str, Any]) -> str:
    """A flag's finding, for rows already read: the classification of ``store_queries.FINDING_FALLBACK_SQL``
    in Python (keep the two in step)."""
    if row.get("finding"):
        return str(row["finding"])
    msg = (row.get("message") or "").lower()
    kind = row.get("rule_kind")
    if kind == "monotone" and msg.startswith("lower than earlier"):
        return "lower_than_earlier"
    if msg.startswith("correction") and row.get("severity") == "info":
        return "correction"
    if kind in ("agree", "within_article", "monotone"):
        return "disagreement"
    return str(kind or "other")


# -- the as-of chart of a fact that changes over time ---------------------------------------------------

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# what a claim is on the chart, strongest first: the colour and label come from the strongest
ROLE_RANK = {"lower_than_earlier": 5, "disagreement": 4, "correction": 3, "corrected": 2, "earlier": 1, "": 0}
DEFAULT_BAR = "#4a6fa5"
OPEN_REACH = 64  # pixels an open-ended bar reaches beyond its one bound


def day_of(value: Any) -> int | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(plain(value))[:10]).toordinal()
    except ValueError:
        return None


def number_of(value: Any) -> float | None:
    value = plain(value)
    if value is None or isinstance(value, str) and not value.strip():
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def day_label(ordinal: int) -> str:
    d = dt.date.fromordinal(ordinal)
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]}"


def claim_roles(claims: list[dict[str, Any]], flags: list[dict[str, Any]]
                ) -> tuple[dict[str, tuple[str, str | None]], list[dict[str, Any]]]:
    """Each flagged claim's part in its flags: the later, lower figure of a "lower than earlier" flag and the
    earlier one it falls below, a correction and what it corrects, or one side of a disagreement; and the
    (earlier, later) pairs of the "lower than earlier" flags, drawn as a connector."""
    by_id = {c["id"]: c for c in claims}
    roles: dict[str, tuple[str, str | None]] = {}
    links: list[dict[str, Any]] = []

    def give(cid: str, role: str, severity: str | None) -> None:
        if cid in by_id and ROLE_RANK[role] > ROLE_RANK[roles.get(cid, ("", None))[0]]:
            roles[cid] = (role, severity)

    for f in flags:
        members = [by_id[c] for c in f["claim_ids"] if c in by_id]
        if not members:
            continue
        finding = f["finding"]
        if finding == "lower_than_earlier":
            def when(c: dict[str, Any]) -> tuple[int, float]:
                d = day_of(c.get("as_of_high")) or day_of(c.get("as_of_low")) or 0
                return d, -(number_of(c.get("low")) or 0.0)
            later = max(members, key=when)
            links.extend({"from": c["id"], "to": later["id"], "severity": f["severity"], "flag": f["id"]}
                         for c in members if c is not later)
            for c in members:
                give(c["id"], "lower_than_earlier" if c is later else "earlier", f["severity"])
        elif finding == "correction":
            for c in members:
                is_fix = str(c.get("cue") or "").startswith("correction")
                give(c["id"], "correction" if is_fix else "corrected", f["severity"])
        elif FINDING_GROUP.get(finding) == "disagreement":
            for c in members:
                give(c["id"], "disagreement", f["severity"])
    return roles, links


def build_chart(claims: list[dict[str, Any]], varies: str | None, flags: list[dict[str, Any]],
                conf: dict[str, Any]) -> dict[str, Any] | None:
    """Geometry of the as-of chart for a fact whose figure changes over time (``varies`` cumulative or
    snapshot): x the date each figure refers to, y the figure, one bar per claim's interval, and a line —
    for a running total, the running maximum of the lower bounds (what the total had at least reached by
    each date; a stated correction resets it); for a snapshot, the best estimate (middle of the interval,
    the median of a day's claims). Fixed facts get no chart (None): the strip shows them."""
    if varies not in ("cumulative", "snapshot"):
        return None
    roles, links = claim_roles(claims, flags)
    points: list[dict[str, Any]] = []
    undated: list[str] = []
    for c in claims:
        a0, a1 = day_of(c.get("as_of_low")), day_of(c.get("as_of_high"))
        lo, hi = number_of(c.get("low")), number_of(c.get("high"))
        if c.get("kind") == "date" or (a0 is None and a1 is None) or (lo is None and hi is None):
            undated.append(c["id"])
            continue
        a0 = a1 if a0 is None else a0
        a1 = a0 if a1 is None else a1
        role, role_sev = roles.get(c["id"], ("", None))
        points.append({
            "claim_id": c["id"], "source": c.get("source"), "published": c.get("published"),
            "article_url": c.get("article_url"), "text": c.get("text"),
            "as_of": dt.date.fromordinal((a0 + a1) // 2).isoformat(),
            "as_of_low": dt.date.fromordinal(a0).isoformat(), "as_of_high": dt.date.fromordinal(a1).isoformat(),
            "low": lo, "high": hi, "interval": c.get("interval"), "cue": c.get("cue"),
            "role": role or None, "severity": role_sev,
            "_d0": a0, "_d1": a1, "_mid": (a0 + a1) / 2,
        })
    points.sort(key=lambda p: (p["_mid"], p["low"] if p["low"] is not None else -math.inf, p["claim_id"]))
    line = running_line(points, varies)
    width = int(conf["strip_width"])
    height = 380
    left, right, top, bottom = 72, 24, 34, 58
    chart: dict[str, Any] = {
        "varies": varies,
        "line_kind": "running maximum of the lower bounds" if varies == "cumulative"
        else "best estimate (median of the interval middles) per date",
        "width": width, "height": height, "plot": {"x0": left, "x1": width - right, "y0": top, "y1": height - bottom},
        "unit": next((c.get("norm_unit") for c in claims if c.get("norm_unit")), None),
        "points": points, "line": line, "undated": undated, "x_ticks": [], "y_ticks": [], "links": links,
    }
    if not points:
        place_chart_labels(chart)
        return chart
    dmin = min(p["_d0"] for p in points)
    dmax = max(p["_d1"] for p in points)
    xmin, xmax = dmin - 0.6, dmax + 0.6
    values = [v for p in points for v in (p["low"], p["high"]) if v is not None]
    vmin, vmax = min(values), max(values)
    ymin = 0.0 if vmin >= 0 else vmin
    ymax = vmax if vmax > ymin else ymin + 1.0
    ymax += (ymax - ymin) * 0.08
    y_ticks = nice_ticks(ymin, ymax, 5)
    ymax = max(ymax, y_ticks[-1] if y_ticks else ymax)
    # the y tick labels end 8 px left of the plot: a wide figure ("12,500,000") widens the margin
    widest = max((labels.text_width(fmt_number(v), TICK_SIZE) for v in y_ticks), default=0.0)
    left = max(left, math.ceil(widest + 8 + 4))
    chart["plot"]["x0"] = left
    px0, px1, py0, py1 = left, width - right, top, height - bottom

    def x(day: float) -> float:
        return round(px0 + (day - xmin) / (xmax - xmin) * (px1 - px0), 2)

    def y(v: float) -> float:
        return round(py1 - (v - ymin) / (ymax - ymin) * (py1 - py0), 2)

    day_span = dmax - dmin
    step = 1 if day_span <= 16 else max(1, int(nice_ticks(0, day_span, 8)[1]) if day_span else 1)
    chart["x_ticks"] = [{"x": x(d), "label": day_label(d), "iso": dt.date.fromordinal(d).isoformat()}
                        for d in range(dmin, dmax + 1, step)]
    chart["y_ticks"] = [{"y": y(v), "label": fmt_number(v)} for v in y_ticks if ymin <= v <= ymax]
    for t in chart["y_ticks"]:
        t["box"] = labels.text_box(t["label"], TICK_SIZE, px0 - 8, t["y"] + 4, "end")
    # claims as of the same day side by side, not on top of each other
    same_day: dict[float, list[dict[str, Any]]] = {}
    for p in points:
        same_day.setdefault(p["_mid"], []).append(p)
    slot = min(18.0, max(8.0, (px1 - px0) / max(1.0, xmax - xmin) / 4))
    for group in same_day.values():
        for i, p in enumerate(group):
            cx = x(p["_mid"]) + (i - (len(group) - 1) / 2) * slot
            # an open bound ("at least 40") reaches a short way on and fades, as on the strip
            top_y = y(p["high"]) if p["high"] is not None else max(py0, y(p["low"]) - OPEN_REACH)
            bot_y = y(p["low"]) if p["low"] is not None else min(py1, y(p["high"]) + OPEN_REACH)
            if bot_y - top_y < 6:  # a point stays a visible block
                mid = (top_y + bot_y) / 2
                top_y, bot_y = mid - 3, mid + 3
            p.update({"x": round(cx, 2), "y0": round(top_y, 2), "y1": round(bot_y, 2),
                      "x_from": x(p["_d0"]), "x_to": x(p["_d1"]),
                      "open_low": p["low"] is None, "open_high": p["high"] is None,
                      "bar_w": 12 if p["role"] in FLAGGED_ROLES else 9})
    for seg in line:  # the line rises at the date of the figure that raised it
        seg["x"] = x(seg["_day"])
        seg["y"] = y(seg["level"])
    chart["x_end"] = x(dmax + 0.45)
    place_chart_labels(chart)
    for p in points:
        for k in ("_d0", "_d1", "_mid"):
            p.pop(k, None)
    for seg in line:
        seg.pop("_day", None)
    return chart


TICK_SIZE, ISO_SIZE, VALUE_SIZE, NOTE_SIZE = 11, 10, 11, 10.5  # px, as in palmyra.css (.pm-chart ...)
FLAGGED_ROLES = ("lower_than_earlier", "disagreement", "correction")
LABEL_RANK = {"lower_than_earlier": 0, "disagreement": 0, "correction": 0, "corrected": 1, "earlier": 1}


def bar_box(p: dict[str, Any]) -> labels.Box:
    """The box a chart bar takes, with the arrow of an open bound (8 px beyond the bar)."""
    half = p["bar_w"] / 2
    return (round(p["x"] - half - 1, 2), round(p["y0"] - (8 if p["open_high"] else 0), 2),
            round(p["x"] + half + 1, 2), round(p["y1"] + (8 if p["open_low"] else 0), 2))


def place_chart_labels(chart: dict[str, Any]) -> None:
    """Put every text of the chart where it reads: the captions and tick labels outside the plot (date ticks
    thinned so they do not collide), each bar's value and note inside the plot, clear of other labels, of
    bars and of the axis. Flagged figures are placed first; a note that does not fit is dropped before its
    value, and a label dropped is still in the bar's tooltip. Adds ``captions``, ``labels``, ``leaders`` and
    ``dropped`` to the chart; ``text_boxes`` lists all boxes drawn."""
    w, h, p = chart["width"], chart["height"], chart["plot"]
    unit = f"figure ({chart['unit']})" if chart.get("unit") else "figure"
    caption = "as of (date the figure refers to)"
    if labels.text_width(caption, TICK_SIZE) > p["x1"] - 4:
        caption = "as of"
    chart["captions"] = [
        {"cls": "pm-unit", "text": labels.fit_text(unit, TICK_SIZE, w - p["x0"] - 4), "x": p["x0"],
         "y": p["y0"] - 14, "anchor": "start"},
        {"cls": "pm-unit", "text": caption, "x": p["x1"], "y": h - 6, "anchor": "end"},
    ]
    for c in chart["captions"]:
        c["box"] = labels.text_box(c["text"], TICK_SIZE, c["x"], c["y"], c["anchor"])
    labels.thin_ticks(chart["x_ticks"], [("label", TICK_SIZE, p["y1"] + 18), ("iso", ISO_SIZE, p["y1"] + 32)],
                      (2, 0, w - 2, h))
    # the plot, less a pixel at the axis and the left edge, and the free band above it (below the unit
    # caption, which stays clear) is where bar labels may go: figures near the top need that room
    frame = (p["x0"] + 2, p["y0"] - 10, p["x1"], p["y1"] - 1)
    drawn = [pt for pt in chart["points"] if "x" in pt]
    bars = {pt["claim_id"]: bar_box(pt) for pt in drawn}
    order = sorted(range(len(drawn)), key=lambda i: (LABEL_RANK.get(drawn[i]["role"] or "", 2), i))
    taken: list[labels.Box] = [c["box"] for c in chart["captions"]]
    corners: list[tuple[float, float]] = []  # the step line as chart_svg draws it: H to each x, then V
    for seg in chart["line"]:
        if corners:
            corners.append((seg["x"], corners[-1][1]))
        corners.append((seg["x"], seg["y"]))
    if corners:
        corners.append((chart.get("x_end", corners[-1][0]), corners[-1][1]))
    line_boxes = labels.segment_boxes(corners, 2)
    chart["labels"], chart["leaders"], chart["dropped"] = [], [], []
    for i in order:
        pt = drawn[i]
        value = labels.Line(fmt_interval(pt["low"], pt["high"], None), VALUE_SIZE, "pm-cbar-value")
        note_text = ROLE_LABEL.get(pt["role"] or "", "")
        lines = [value] + ([labels.Line(note_text, NOTE_SIZE, "pm-cbar-note", bold=True)] if note_text else [])
        others = [b for cid, b in bars.items() if cid != pt["claim_id"]]
        placed = None
        while lines and placed is None:
            placed = labels.place(lines, bars[pt["claim_id"]], frame, taken, others, line_boxes)
            if placed is None:
                chart["dropped"].append({"claim_id": pt["claim_id"], "text": lines[-1].text})
                lines = lines[:-1]
        if not placed:
            continue
        box = labels.union(pl.box for pl in placed)
        taken.append(box)
        chart["labels"].extend({"claim_id": pt["claim_id"], "cls": pl.line.cls, "text": pl.line.text,
                                "x": pl.x, "y": pl.y, "anchor": pl.anchor, "box": pl.box} for pl in placed)
        lead = labels.leader(bars[pt["claim_id"]], box)
        if lead:
            chart["leaders"].append({"claim_id": pt["claim_id"], "x1": lead[0], "y1": lead[1],
                                     "x2": lead[2], "y2": lead[3]})


def text_boxes(chart: dict[str, Any]) -> list[labels.Box]:
    """Every text box the chart draws (captions, labelled ticks, bar labels): none may overlap another."""
    boxes = [c["box"] for c in chart.get("captions", [])] + [t["box"] for t in chart["y_ticks"]]
    boxes += [t["box"] for t in chart["x_ticks"] if t.get("labelled")]
    return boxes + [lb["box"] for lb in chart.get("labels", [])]


def running_line(points: list[dict[str, Any]], varies: str) -> list[dict[str, Any]]:
    """The chart's line as (date, level) steps; see ``build_chart`` for what the level means."""
    days: dict[int, list[dict[str, Any]]] = {}
    for p in points:
        days.setdefault(int(p["_mid"]), []).append(p)
    steps: list[dict[str, Any]] = []
    level: float | None = None
    for day in sorted(days):
        group = days[day]
        if varies == "cumulative":
            lows = [p["low"] for p in group if p["low"] is not None and p["role"] != "corrected"
                    and not str(p.get("cue") or "").startswith("previous")]
            fixes = [p["low"] for p in group if p["role"] == "correction" and p["low"] is not None]
            if fixes:  # a stated correction replaces the figures before it
                new = max(fixes + [v for v in lows if v is not None])
            else:
                new = max([level] + lows) if level is not None else (max(lows) if lows else None)
        else:
            mids = sorted((p["low"] + p["high"]) / 2 if p["low"] is not None and p["high"] is not None
                          else (p["low"] if p["low"] is not None else p["high"]) for p in group)
            new = mids[len(mids) // 2] if mids else level
        if new is None:
            continue
        if level is None or new != level or not steps:
            steps.append({"as_of": dt.date.fromordinal(day).isoformat(), "level": new, "_day": day})
        level = new
    return steps


ROLE_LABEL = {"lower_than_earlier": "lower than earlier", "correction": "correction", "disagreement": "disagrees",
              "corrected": "corrected", "earlier": ""}


def chart_svg(chart: dict[str, Any], colors: dict[str, str]) -> Markup:
    """The as-of chart as inline SVG (no script, no external file); every text is escaped by Markup.format."""
    w, h = chart["width"], chart["height"]
    p = chart["plot"]
    parts: list[Markup] = [Markup(
        '<svg class="pm-chart" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' role="img" aria-label="{label}">'
        '<defs><linearGradient id="pm-fade-up" x1="0" x2="0" y1="1" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        '</linearGradient><linearGradient id="pm-fade-down" x1="0" x2="0" y1="0" y2="1">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/><stop offset="1" stop-color="#fff" stop-opacity="0.9"/>'
        "</linearGradient></defs>"
    ).format(w=w, h=h, label=f"Each source's figure at the date it refers to; line: {chart['line_kind']}")]
    for t in chart["y_ticks"]:
        parts.append(Markup(
            '<line class="pm-grid" x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/>'
            '<text class="pm-tick" x="{tx}" y="{ty}" text-anchor="end">{label}</text>'
        ).format(x0=p["x0"], x1=p["x1"], y=t["y"], tx=p["x0"] - 8, ty=t["y"] + 4, label=t["label"]))
    for t in chart["x_ticks"]:
        parts.append(Markup('<line class="pm-grid pm-grid-day" x1="{x}" x2="{x}" y1="{y0}" y2="{y1}"/>').format(
            x=t["x"], y0=p["y0"], y1=p["y1"]))
        if t.get("labelled"):  # thinned: every k-th day so the labels do not collide
            parts.append(Markup(
                '<text class="pm-tick" x="{x}" y="{ty}" text-anchor="{a}">{label}</text>'
                '<text class="pm-tick pm-tick-iso" x="{x}" y="{ty2}" text-anchor="{a}">{iso}</text>'
            ).format(x=t["label_x"], a=t["anchor"], ty=p["y1"] + 18, ty2=p["y1"] + 32, label=t["label"],
                     iso=t["iso"]))
    parts.append(Markup('<line class="pm-axis" x1="{x0}" x2="{x1}" y1="{y}" y2="{y}"/>').format(
        x0=p["x0"], x1=p["x1"], y=p["y1"]))
    for c in chart.get("captions", []):
        parts.append(Markup('<text class="{cls}" x="{x}" y="{y}" text-anchor="{a}">{t}</text>').format(
            cls=c["cls"], x=c["x"], y=c["y"], a=c["anchor"], t=c["text"]))
    placed: dict[str, list[dict[str, Any]]] = {}
    for lb in chart.get("labels", []):
        placed.setdefault(lb["claim_id"], []).append(lb)
    leaders = {ld["claim_id"]: ld for ld in chart.get("leaders", [])}
    line = chart["line"]
    if line:
        d = [f"M{line[0]['x']} {line[0]['y']}"]
        for seg in line[1:]:
            d.append(f"H{seg['x']} V{seg['y']}")
        d.append(f"H{chart.get('x_end', line[-1]['x'])}")
        parts.append(Markup('<path class="pm-step pm-step-{kind}" d="{d}"><title>{title}</title></path>').format(
            kind=chart["varies"], d=" ".join(d), title=chart["line_kind"]))
    at = {pt["claim_id"]: pt for pt in chart["points"] if "x" in pt}
    for link in chart.get("links", []):
        a, b = at.get(link["from"]), at.get(link["to"])
        if a and b:
            parts.append(Markup('<line class="pm-fall" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{c}">'
                                "<title>lower than this earlier figure</title></line>").format(
                x1=a["x"], y1=a["y0"] if a["y0"] > b["y0"] else a["y1"], x2=b["x"],
                y2=b["y0"], c=colors.get(link["severity"] or "", "#667085")))
    for pt in chart["points"]:
        if "x" not in pt:
            continue
        bar_w = pt["bar_w"]
        color = colors.get(pt["severity"] or "", DEFAULT_BAR) if pt["role"] in FLAGGED_ROLES else DEFAULT_BAR
        cls = "pm-cbar" + (f" pm-role-{pt['role']}" if pt["role"] else "")
        x0 = round(pt["x"] - bar_w / 2, 2)
        title = (f"{pt['source'] or '?'} (published {pt['published'] or '?'}), as of {pt['as_of']}: "
                 f"{pt['text']} = {pt['interval']}" + (f" — {ROLE_LABEL[pt['role']]}" if pt["role"] else "")
                 + (f" ({pt['cue']})" if pt["cue"] else ""))
        parts.append(Markup('<a class="pm-cbar-link" href="{href}"><g class="{cls}" data-claim="{cid}"'
                            ' data-as-of="{asof}"><title>{title}</title>').format(
            href=pt["article_url"] or "#", cls=cls, cid=pt["claim_id"], asof=pt["as_of"], title=title))
        if pt["x_to"] - pt["x_from"] > 1:  # the figure refers to a span of days
            parts.append(Markup('<line class="pm-asof-span" x1="{a}" x2="{b}" y1="{y}" y2="{y}" stroke="{c}"/>').format(
                a=pt["x_from"], b=pt["x_to"], y=round((pt["y0"] + pt["y1"]) / 2, 2), c=color))
        # the earlier figure a flag compares with: outlined in the flag's colour; a corrected one: faded
        outline = Markup("")
        if pt["role"] == "earlier":
            outline = Markup(' stroke="{}" stroke-width="2.5"').format(colors.get(pt["severity"] or "", "#667085"))
        elif pt["role"] == "corrected":
            outline = Markup(' stroke="{}" stroke-width="1.5" stroke-dasharray="3 2" fill-opacity="0.35"').format(
                colors.get("info", "#667085"))
        parts.append(Markup('<rect class="pm-cbar-rect" x="{x}" y="{y}" width="{bw}" height="{bh}" rx="2"'
                            ' fill="{c}"{outline}/>').format(
            x=x0, y=pt["y0"], bw=bar_w, bh=round(pt["y1"] - pt["y0"], 2), c=color, outline=outline))
        if pt["open_high"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="{bw}" height="{fh}" fill="url(#pm-fade-up)"/>'
                '<path class="pm-arrow" d="M{l} {a} L{cx} {t} L{r} {a}" fill="{c}"/>'
            ).format(x=x0, y=pt["y0"], bw=bar_w, fh=round((pt["y1"] - pt["y0"]) * 0.7, 2), l=x0 - 1, r=x0 + bar_w + 1, cx=pt["x"], a=pt["y0"],
                     t=round(pt["y0"] - 8, 2), c=color))
        if pt["open_low"]:
            parts.append(Markup(
                '<rect x="{x}" y="{y}" width="{bw}" height="{fh}" fill="url(#pm-fade-down)"/>'
                '<path class="pm-arrow" d="M{l} {a} L{cx} {t} L{r} {a}" fill="{c}"/>'
            ).format(x=x0, y=round(pt["y1"] - (pt["y1"] - pt["y0"]) * 0.7, 2), bw=bar_w,
                     fh=round((pt["y1"] - pt["y0"]) * 0.7, 2), l=x0 - 1, r=x0 + bar_w + 1, cx=pt["x"], a=pt["y1"],
                     t=round(pt["y1"] + 8, 2), c=color))
        # labels where build_chart placed them; one that fits nowhere is only in the <title> above
        lead = leaders.get(pt["claim_id"])
        if lead:
            parts.append(Markup('<line class="pm-leader" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>').format(**lead))
        for lb in placed.get(pt["claim_id"], []):
            fill = Markup(' fill="{}"').format(color if color != DEFAULT_BAR else "#667085") \
                if lb["cls"] == "pm-cbar-note" else Markup("")
            parts.append(Markup('<text class="{cls}" x="{x}" y="{y}" text-anchor="{a}"{fill}>{t}</text>').format(
                cls=lb["cls"], x=lb["x"], y=lb["y"], a=lb["anchor"], fill=fill, t=lb["text"]))
        parts.append(Markup("</g></a>"))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
