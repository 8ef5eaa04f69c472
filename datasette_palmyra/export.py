"""Exports of a checked database's flags: what the last ``palmyra check`` stored, with the reviews since.

The JSON, NDJSON and CSV exports are the check's own report formats (``report.json_text`` and friends),
read back from the tables instead of recomputed, so a newsroom can export without running the rules
again. ClaimReview is schema.org's vocabulary for a fact-check (what search engines and fact-check
aggregators read): one ClaimReview per confirmed flag (or per reviewed flag), its rating the verdict.
"""

from __future__ import annotations

import json
from typing import Any

import sqlite_utils

from .report import csv_text, json_text, ndjson_text
from .store import flags as stored
from .store import json_list, latest_reviews, plain


class ExportError(ValueError):
    """The database holds nothing to export (never checked)."""


def stored_flags(db: sqlite_utils.Database, open_only: bool = False) -> list[dict[str, Any]]:
    """The stored flags in the check report's shape (``report.flag_dict``), most severe first, each with its
    latest review; with ``open_only`` only the flags nobody has reviewed."""
    if not stored.has_flags(db):
        raise ExportError("the database has no flags table: run 'palmyra check' first")
    reviews = latest_reviews(db)
    claims: dict[str, dict[str, Any]] = {}
    for r in stored.flagged_claims(db):
        claims[r["id"]] = {
            "id": r["id"], "article": r["article_id"], "text": r["text"], "start": r["start"], "end": r["end"],
            "low": plain(r["low"]), "high": plain(r["high"]), "unit": r["norm_unit"],
            "qualifier": r["qualifier"], "sentence": r["sentence"], "outlet": r["source"] or None,
            "published": r["published"] or None, "url": r["url"] or None, "language": r["language"] or None,
        }
    out = []
    for f in stored.flags_by_severity(db):
        review = reviews.get(f["id"])
        if open_only and review:
            continue
        ids = [str(c) for c in json_list(f.get("claim_ids"))]
        out.append({
            "id": f["id"], "rule": f["rule"], "kind": f["rule_kind"], "rule_kind": f["rule_kind"],
            "severity": f["severity"], "certainty": f.get("certainty"), "finding": f.get("finding"),
            "fact": f.get("fact"), "message": f["message"], "gap": f.get("gap"), "tolerance": f.get("tolerance"),
            "claims": [claims[c] for c in ids if c in claims],
            "review": {k: review[k] for k in ("verdict", "note", "reviewer", "time")} if review else None,
        })
    return out


# What each verdict says about the claims, as a fact-check rating. A flag says "these sources disagree";
# ``confirmed`` rates that statement true, so the claims are inconsistent (1 of 5); ``rounding`` and
# ``not-an-error`` rate the sources consistent (5 of 5); the rest carry no number, only their words.
RATINGS: dict[str, tuple[str, int | None]] = {
    "confirmed": ("Inconsistent across sources", 1),
    "different-facts": ("Not comparable: different facts", None),
    "rounding": ("Consistent within rounding", 5),
    "not-an-error": ("Consistent", 5),
    "other": ("See the reviewer's note", None),
}


def claim_reviews(flags: list[dict[str, Any]], publisher: str | None = None, site: str | None = None,
                  database: str = "palmyra", all_reviewed: bool = False) -> list[dict[str, Any]]:
    """A schema.org ClaimReview (JSON-LD) for each confirmed flag (each reviewed one with
    ``all_reviewed``): the claim reviewed is the flag's message, its appearances the articles that state
    the figures, the rating the verdict. ``site`` (the published Datasette's address) makes each
    review's ``url`` the flag's page there."""
    out = []
    for f in flags:
        review = f.get("review")
        if not review or not (all_reviewed or review["verdict"] == "confirmed"):
            continue
        words, value = RATINGS.get(review["verdict"], (review["verdict"], None))
        rating: dict[str, Any] = {"@type": "Rating", "alternateName": words}
        if value is not None:
            rating.update({"ratingValue": value, "bestRating": 5, "worstRating": 1})
        appearances = []
        for c in f["claims"]:
            if any(a["_article"] == c["article"] for a in appearances):
                continue
            work: dict[str, Any] = {"@type": "NewsArticle", "_article": c["article"]}
            if c.get("url"):
                work["url"] = c["url"]
            if c.get("published"):
                work["datePublished"] = c["published"]
            if c.get("outlet"):
                work["publisher"] = {"@type": "Organization", "name": c["outlet"]}
            if c.get("language"):
                work["inLanguage"] = c["language"]
            work["text"] = c.get("sentence") or c["text"]
            appearances.append(work)
        dated = sorted((a for a in appearances if a.get("datePublished")), key=lambda a: a["datePublished"])
        for a in appearances:
            a.pop("_article")
        item: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
        if dated:
            item["firstAppearance"] = dated[0]
        cr: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": f["message"],
            "itemReviewed": item,
            "reviewRating": rating,
            "datePublished": (review.get("time") or "")[:10] or None,
            "author": {"@type": "Organization" if publisher else "Person",
                       "name": publisher or review.get("reviewer") or "unknown"},
            "identifier": f["id"],
        }
        if review.get("note"):
            cr["reviewBody"] = review["note"]
        if site:
            from datasette.utils import tilde_encode

            cr["url"] = f"{site.rstrip('/')}/-/palmyra/{tilde_encode(database)}/flags/{tilde_encode(f['id'])}"
        out.append({k: v for k, v in cr.items() if v is not None})
    return out


FORMATS = ("json", "ndjson", "csv", "claimreview")


def export_text(flags: list[dict[str, Any]], fmt: str, publisher: str | None = None, site: str | None = None,
                database: str = "palmyra", all_reviewed: bool = False) -> str:
    if fmt == "json":
        return json_text(flags)
    if fmt == "ndjson":
        return ndjson_text(flags)
    if fmt == "csv":
        return csv_text(flags)
    if fmt == "claimreview":
        return json.dumps(claim_reviews(flags, publisher, site, database, all_reviewed), ensure_ascii=False, indent=2)
    raise ValueError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
