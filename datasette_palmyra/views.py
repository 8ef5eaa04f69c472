"""Data behind the plugin's pages: dashboard counts, the annotated article, the per-fact comparison.

Kept apart from ``plugin.py`` so the hooks stay thin and these functions can be tested and timed on their
own. Every function reads through datasette's ``Database.execute`` (read-only connections), so the pages
work on immutable databases; nothing here ever writes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import time
import urllib.parse
import weakref
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

PLUGIN = "datasette-palmyra"
PALMYRA_TABLES = ("articles", "claims", "facts", "fact_claims", "flags", "flag_claims")
SEVERITY_RANK = {"error": 3, "warning": 2, "info": 1}
DEFAULT_SETTINGS: dict[str, Any] = {
    "context_chars": 160,  # characters of article text shown around a claim on fact pages
    "dashboard_facts": 25,  # facts listed on the dashboard
    "strip_width": 960,  # pixel width of the SVG strip on fact pages
    "severity_colors": {"error": "#c62828", "warning": "#e08a00", "info": "#1e6fb8"},
}

COLOR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20}")

# Canned queries every palmyra database gets (metadata.yml repeats them for palmyra.db; a test keeps both equal).
CANNED_QUERIES: dict[str, dict[str, Any]] = {
    "conflicts_by_source": {
        "title": "Conflicts by source",
        "description": "Flags per outlet and severity: which sources disagree with others most.",
        "sql": (
            "select j.value as source, flags.severity, count(distinct flags.id) as flags\n"
            "from flags, json_each(flags.sources) as j\n"
            "where json_valid(flags.sources)\n"
            "group by j.value, flags.severity\n"
            "order by flags desc, source"
        ),
    },
    "claims_of_fact": {
        "title": "Claims of one fact",
        "description": "Every claim grouped into a fact, with its outlet, date and normalized interval.",
        "sql": (
            "select fact_claims.fact_id, claims.id as claim_id, articles.source, articles.published,\n"
            "  claims.text, claims.low, claims.high, claims.norm_unit, fact_claims.reason\n"
            "from fact_claims\n"
            "join claims on claims.id = fact_claims.claim_id\n"
            "join articles on articles.id = claims.article_id\n"
            "where fact_claims.fact_id = :fact\n"
            "order by articles.published, articles.source"
        ),
    },
    "unresolved_relative_dates": {
        "title": "Unresolved relative dates",
        "description": "Date claims whose interval is open or wider than a month: relative words the "
        "publication date could not pin down.",
        "sql": (
            "select claims.id, claims.article_id, articles.published, claims.text, claims.low, claims.high,\n"
            "  claims.granularity, claims.basis\n"
            "from claims join articles on articles.id = claims.article_id\n"
            "where claims.kind = 'date'\n"
            "  and (claims.low is null or claims.high is null\n"
            "       or julianday(claims.high) - julianday(claims.low) > 31)\n"
            "order by articles.published"
        ),
    },
}


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
    return datasette.urls.row(database, "flags", encode(flag_id))


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


async def can_view_instance(datasette, actor: dict | None) -> bool:
    if hasattr(datasette, "allowed"):
        return await datasette.allowed(action="view-instance", actor=actor)
    return await datasette.permission_allowed(actor, "view-instance", default=True)


async def palmyra_databases(datasette) -> list[str]:
    """Names of attached databases that hold the palmyra tables."""
    names = []
    for name, db in datasette.databases.items():
        if name == "_internal" or getattr(db, "is_memory", False) and name.startswith("_"):
            continue
        try:
            tables = set(await db.table_names())
        except Exception:
            continue
        if {"articles", "claims", "flags"} <= tables:
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
        rows = await db.execute(
            "select flag_claims.claim_id, flags.id, coalesce(flag_claims.severity, flags.severity) as severity,"
            " flags.rule, flags.message, flags.fact from flag_claims join flags on flags.id = flag_claims.flag_id"
        )
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


def json_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except (TypeError, ValueError):
        return []
    return parsed if isinstance(parsed, list) else []


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


async def article_data(datasette, database: str, article_id: str) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    rows = (await db.execute("select * from articles where id = ?", [article_id])).rows
    if not rows:
        return None
    article = dict(rows[0])
    claim_rows = [dict(r) for r in await db.execute(
        "select * from claims where article_id = ? order by start, end", [article_id])]
    ids = [c["id"] for c in claim_rows]
    facts_of: dict[str, list[str]] = {}
    flags_of: dict[str, list[dict[str, Any]]] = {}
    flags: dict[str, dict[str, Any]] = {}
    if ids:
        ph = ",".join("?" * len(ids))
        tables = set(await db.table_names())
        if "fact_claims" in tables:
            for r in await db.execute(f"select claim_id, fact_id from fact_claims where claim_id in ({ph})", ids):
                facts_of.setdefault(r[0], []).append(r[1])
        if {"flags", "flag_claims"} <= tables:
            for r in await db.execute(
                "select flag_claims.claim_id, coalesce(flag_claims.severity, flags.severity) as sev, flags.*"
                f" from flag_claims join flags on flags.id = flag_claims.flag_id where flag_claims.claim_id in ({ph})"
                " order by flags.id", ids,
            ):
                d = dict(r)
                flag = flags.setdefault(d["id"], flag_dict(datasette, database, d))
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
        "annotated": annotate_body(datasette, database, body, claims),
    }


def plain(value: Any) -> Any:
    """BLOB-affinity columns can hand back bytes; JSON and templates want text or numbers."""
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return value


def flag_dict(datasette, database: str, row: dict[str, Any]) -> dict[str, Any]:
    claim_ids = [str(c) for c in json_list(row.get("claim_ids"))]
    return {
        "id": row["id"],
        "anchor": urllib.parse.quote(str(row["id"]), safe=""),
        "rule": row.get("rule"),
        "rule_kind": row.get("rule_kind"),
        "severity": row.get("severity"),
        "certainty": row.get("certainty"),
        "fact": row.get("fact"),
        "fact_url": fact_url(datasette, database, row["fact"]) if row.get("fact") else None,
        "message": row.get("message"),
        "claim_ids": claim_ids,
        "claims": [
            {"id": c, "url": article_url(datasette, database, claim_article_id(c), c)} for c in claim_ids
        ],
        "sources": [str(s) for s in json_list(row.get("sources"))],
        "gap": row.get("gap"),
        "tolerance": row.get("tolerance"),
        "url": flag_url(datasette, database, row["id"]),
    }


# -- fact page ------------------------------------------------------------------------------------------


async def fact_data(datasette, database: str, fact_id: str) -> dict[str, Any] | None:
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    frows = (await db.execute("select * from facts where id = ?", [fact_id])).rows
    fact = dict(frows[0]) if frows else None
    rows = [dict(r) for r in await db.execute(
        "select claims.*, fact_claims.reason, articles.source, articles.published, articles.title as article_title,"
        " substr(articles.body, max(1, claims.start + 1 - :w), claims.end - claims.start + 2 * :w) as window,"
        " max(0, claims.start - :w) as window_start, length(articles.body) as body_len"
        " from fact_claims join claims on claims.id = fact_claims.claim_id"
        " left join articles on articles.id = claims.article_id"
        " where fact_claims.fact_id = :fact order by articles.published, articles.source, claims.id",
        {"fact": fact_id, "w": int(conf["context_chars"])},
    )]
    flag_rows = [dict(r) for r in await db.execute(
        "select * from flags where fact = ? or id in (select flag_id from flag_claims where claim_id in"
        " (select claim_id from fact_claims where fact_id = ?))", [fact_id, fact_id])]
    if fact is None and not rows and not flag_rows:
        return None
    flags = sorted((flag_dict(datasette, database, r) for r in flag_rows),
                   key=lambda f: (-SEVERITY_RANK.get(f["severity"], 0), f["id"]))
    sev_of: dict[str, str | None] = {}
    for f in flags:
        for cid in f["claim_ids"]:
            sev_of[cid] = worst([sev_of.get(cid), f["severity"]])
    kind = (fact or {}).get("kind") or (rows[0]["kind"] if rows else None)
    claims = []
    for r in rows:
        body_window = r.pop("window") or ""
        offset = r["start"] - r.pop("window_start")
        body_len = r.pop("body_len") or 0
        # the window is a slice of the body: re-cut it at sentence edges
        text_end = offset + (r["end"] - r["start"])
        before, quote, after, at_start, at_end = context_window(body_window, offset, text_end, 10**9)
        cut_before = not at_start and r["start"] - offset > 0
        cut_after = not at_end and r["end"] + len(after) < body_len
        claims.append({
            "id": r["id"],
            "article_id": r["article_id"],
            "article_title": r.get("article_title"),
            "article_url": article_url(datasette, database, r["article_id"], r["id"]),
            "source": r.get("source"),
            "published": r.get("published"),
            "kind": r["kind"],
            "text": r["text"],
            "before": before,
            "quote": quote,
            "after": after,
            "cut_before": cut_before,
            "cut_after": cut_after,
            "low": plain(r.get("low")),
            "high": plain(r.get("high")),
            "norm_unit": r.get("norm_unit"),
            "qualifier": r.get("qualifier"),
            "interval": fmt_interval(plain(r.get("low")), plain(r.get("high")), r.get("norm_unit")),
            "reason": r.get("reason"),
            "severity": sev_of.get(r["id"]),
        })
    strip = build_strip(claims, kind, conf)
    return {
        "database": database,
        "fact_id": fact_id,
        "fact": fact,
        "kind": kind,
        "claims": claims,
        "flags": flags,
        "strip": strip,
        "sources": sorted({c["source"] for c in claims if c["source"]}),
    }


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
        bars.append({
            "claim_id": c["id"],
            "label": f"{c['source'] or '?'} · {c['published'] or '?'}",
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
    return {
        "width": width,
        "height": 24 + len(claims) * row_h + 30,
        "label_width": label_w,
        "plot_x0": label_w + pad,
        "plot_x1": label_w + pad + plot_w,
        "row_height": row_h,
        "axis": {"min": amin, "max": amax, "unit": unit, "is_date": is_date},
        "ticks": ticks,
        "bars": bars,
    }


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
        parts.append(Markup(
            '<line class="pm-grid" x1="{x}" x2="{x}" y1="14" y2="{y}"/>'
            '<text class="pm-tick" x="{x}" y="{ty}" text-anchor="middle">{label}</text>'
        ).format(x=t["x"], y=axis_y, ty=axis_y + 16, label=t["label"]))
    parts.append(Markup('<line class="pm-axis" x1="{}" x2="{}" y1="{y}" y2="{y}"/>').format(x0, x1, y=axis_y))
    if strip["axis"]["unit"]:
        parts.append(Markup('<text class="pm-unit" x="{}" y="12" text-anchor="end">{}</text>').format(
            x1, "days" if strip["axis"]["is_date"] else strip["axis"]["unit"]))
    for b in strip["bars"]:
        color = colors.get(b["severity"] or "", "#4a6fa5")
        y = b["y"]
        parts.append(Markup(
            '<g class="pm-bar-row" data-claim="{cid}"><title>{label}: {text} = {interval}</title>'
            '<text class="pm-bar-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
            '<rect class="pm-bar {cls}" x="{bx}" y="{by}" width="{bw}" height="14" rx="3" fill="{color}"/>'
        ).format(cid=b["claim_id"], label=b["label"], text=b["text"], interval=b["interval"],
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


async def dashboard_data(datasette, database: str) -> dict[str, Any]:
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    tables = set(await db.table_names())

    async def rows(sql: str, params: Any = None) -> list[dict[str, Any]]:
        return [dict(r) for r in await db.execute(sql, params or [])]

    run = None
    if "runs" in tables:
        found = await rows("select * from runs order by id desc limit 1")
        run = found[0] if found else None
    sev_order = "case severity when 'error' then 3 when 'warning' then 2 when 'info' then 1 else 0 end"
    by_severity = await rows(f"select severity, count(*) as n from flags group by severity order by {sev_order} desc")
    by_rule = await rows(
        f"select rule, severity, count(*) as n from flags group by rule, severity order by n desc, {sev_order} desc")
    by_source = await rows(
        "select j.value as source, count(distinct flags.id) as n from flags, json_each(flags.sources) as j"
        " where json_valid(flags.sources) group by j.value order by n desc")
    facts: list[dict[str, Any]] = []
    if "facts" in tables:
        facts = await rows(
            "select facts.id, facts.label, facts.kind, facts.source_count, facts.claim_count,"
            " coalesce(c.n, 0) as flags, c.worst from facts left join ("
            f"  select fact, count(*) as n, max({sev_order}) as worst from flags group by fact"
            ") as c on c.fact = facts.id order by c.worst desc, flags desc, facts.id limit ?",
            [int(conf["dashboard_facts"])],
        )
    rank_name = {v: k for k, v in SEVERITY_RANK.items()}
    for f in facts:
        f["worst"] = rank_name.get(f["worst"])
        f["url"] = fact_url(datasette, database, f["id"])
    base = datasette.urls.table(database, "flags")
    for r in by_severity:
        r["url"] = base + "?" + urllib.parse.urlencode({"severity": r["severity"] or ""})
    for r in by_rule:
        r["url"] = base + "?" + urllib.parse.urlencode({"rule": r["rule"] or "", "severity": r["severity"] or ""})
    for r in by_source:
        r["url"] = base + "?" + urllib.parse.urlencode({"sources__arraycontains": r["source"] or ""})
    counts = (await rows(
        "select (select count(*) from articles) as articles, (select count(*) from flags) as flags"
        + (", (select count(*) from facts) as facts" if "facts" in tables else "")))[0]
    return {
        "database": database,
        "database_url": datasette.urls.database(database),
        "flags_url": base,
        "claims_url": datasette.urls.table(database, "claims"),
        "articles_url": datasette.urls.table(database, "articles"),
        "counts": counts,
        "run": run,
        "by_severity": by_severity,
        "by_rule": by_rule,
        "by_source": by_source,
        "facts": facts,
    }
