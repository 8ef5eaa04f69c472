"""Data behind the plugin's pages: the dashboard's counts, the annotated article, the per-fact comparison,
one flag with everything a fact-checker decides from, and the banner atop Datasette's index and database
pages.

Kept apart from the hooks and routes so these functions can be tested and timed on their own. Every read
is a named function of ``store.queries`` over Datasette's read-only connections, so the pages work on
immutable databases; nothing here ever writes.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

from markupsafe import Markup, escape

from ..store import REVIEW_VERDICTS, json_list, plain, queries
from .access import FACT_TABLES, FLAG_TABLES, visible_palmyra
from .charts import build_chart, build_strip
from .findings import FINDING_GROUP, FINDING_GROUP_LABEL, finding_of
from .formats import SEVERITY_RANK, as_of_text, fmt_gap, fmt_interval, kind_class, sev_class, worst
from .options import settings
from .urls import article_url, claim_article_id, dashboard_url, encode, fact_url, flag_url

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
    article = await queries.article_row(db, article_id)
    if article is None:
        return None
    claim_rows = await queries.article_claims(db, article_id)
    ids = [c["id"] for c in claim_rows]
    facts_of: dict[str, list[str]] = {}
    flags_of: dict[str, list[dict[str, Any]]] = {}
    flags: dict[str, dict[str, Any]] = {}
    if ids:
        tables = set(await db.table_names())
        if with_facts and "fact_claims" in tables:
            for claim_id, fact_id in await queries.facts_of_claims(db, ids):
                facts_of.setdefault(claim_id, []).append(fact_id)
        if with_flags and {"flags", "flag_claims"} <= tables:
            for d in await queries.flags_of_claims(db, ids):
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
    fact = await queries.fact_row(db, fact_id)
    if fact is not None and not with_flags:
        for col in ("flag_count", "max_severity"):
            fact.pop(col, None)
    rows = await queries.fact_claims_in_context(db, fact_id, int(conf["context_chars"]))
    flag_rows = await queries.flags_of_fact(db, fact_id) if with_flags else []
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


def gap_unit(kind: str | None, claims: list[dict[str, Any]]) -> str | None:
    """The unit a flag's gap is measured in: days for dates, else the claims' normalized unit."""
    if kind == "date" or any(c.get("kind") == "date" for c in claims):
        return "day"
    return next((c.get("norm_unit") for c in claims if c.get("norm_unit")), None)


def rule_kind_text(kind: Any) -> str | None:
    """What a rule kind requires, in its own class's words (the registry is the one place it is said)."""
    from ..checks import REGISTRY

    cls = REGISTRY.get(str(kind or ""))
    doc = " ".join((cls.__doc__ or "").replace("``", "").split()) if cls else ""
    return doc.split(". ")[0].rstrip(".") + "." if doc else None


# -- flag page ------------------------------------------------------------------------------------------


async def flag_data(datasette, database: str, flag_id: str, *, with_facts: bool = True) -> dict[str, Any] | None:
    """One flag with everything a fact-checker decides from: each claim in its sentence with outlet, date,
    URL and language, the intervals on one strip, the gap and tolerance in words, the rule, why the claims
    were grouped, and the review so far."""
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    row = await queries.flag_row(db, flag_id)
    if row is None:
        return None
    rows = await queries.flag_claims_in_context(db, flag_id, row.get("fact") or "", int(conf["context_chars"]))
    kind = rows[0]["kind"] if rows else None
    flag = flag_dict(datasette, database, row, link_fact=with_facts, unit=gap_unit(kind, rows))
    claims = [context_claim(datasette, database, r, flag["severity"]) for r in rows]
    fact = None
    if with_facts and row.get("fact"):
        fact = await queries.fact_row(db, row["fact"])
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
        "reviews": await queries.flag_reviews(db, flag_id),
        "verdicts": dict(REVIEW_VERDICTS),
    }


# -- dashboard and banner ---------------------------------------------------------------------------------


async def dashboard_data(datasette, database: str, *, with_facts: bool = True) -> dict[str, Any]:
    """Counts of one database's flags; the facts list only when the actor may see facts."""
    db = datasette.get_database(database)
    conf = settings(datasette, database)
    tables = set(await db.table_names())
    if not with_facts:
        tables.discard("facts")
    run = await queries.latest_run(db) if "runs" in tables else None
    by_severity = await queries.flags_by_severity(db)
    by_rule = await queries.flags_by_rule(db)
    by_source = await queries.flags_by_source(db)
    facts: list[dict[str, Any]] = []
    if "facts" in tables:
        facts = await queries.facts_most_flagged(db, int(conf["dashboard_facts"]))
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
    counts = await queries.table_counts(db, with_facts="facts" in tables)
    reviews: dict[str, Any] | None = None
    if "reviews" in tables:
        by_verdict = await queries.latest_verdict_counts(db)
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
    has_column = await queries.has_finding_column(db)
    groups: dict[str, dict[str, Any]] = {}
    for r in await queries.flags_by_finding(db, has_column):
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
        found = await queries.flags_with_finding(
            db, has_column, finding, limit, fact_label=link_facts and "facts" in tables, verdict="reviews" in tables)
        return [flag_dict(datasette, database, r, link_fact=link_facts) for r in found]

    return {"by_finding": by_finding, "lower_than_earlier": await listed("lower_than_earlier"),
            "corrections": await listed("correction")}


async def top_banner(datasette, request, only: str | None = None) -> str:
    """One line above the index or database page: the flags there, by severity, and the dashboard's link."""
    parts = []
    for name in await visible_palmyra(datasette, request.actor, only):
        counts = {r["severity"]: r["n"] for r in await queries.flags_by_severity(datasette.get_database(name))}
        total = sum(counts.values())
        detail = ", ".join(f"{counts[s]:,} {s}" for s in ("error", "warning", "info") if counts.get(s))
        parts.append(Markup("{n}: {total:,} flag{s}{detail}").format(
            n=name, total=total, s="" if total == 1 else "s", detail=f" ({detail})" if detail else ""))
    if not parts:
        return ""
    return str(Markup('<p class="pm-top-banner">Consistency flags — {parts} — <a href="{url}">open the '
                      'dashboard</a></p>').format(parts=Markup("; ").join(parts), url=dashboard_url(datasette)))
