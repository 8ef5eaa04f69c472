"""A check's report: text, JSON, NDJSON and CSV, from a run's result or from flags read back (``export``).

``flag_dict`` is the shape of one flag in the JSON formats; ``export.stored_flags`` reads the stored
flags back in the same shape, so that ``palmyra export`` writes what ``palmyra check`` printed.
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

from .checks import Flag

if TYPE_CHECKING:
    from .run import CheckResult


def flag_dict(f: Flag, review: dict | None = None) -> dict:
    """A flag with what a reader needs to follow each claim back: its sentence, outlet, date, URL and
    language, and its latest review (None when nobody has reviewed it). ``kind`` is the rule kind (kept
    for scripts written against it; ``rule_kind`` says so)."""
    return {
        "id": f.id,
        "rule": f.rule,
        "kind": f.rule_kind,
        "rule_kind": f.rule_kind,
        "severity": f.severity,
        "certainty": f.certainty,
        "finding": f.finding,
        "fact": f.fact,
        "message": f.message,
        "gap": f.gap,
        "tolerance": f.tolerance,
        "claims": [{"id": c.id, "article": c.article.id, "text": c.text, "start": c.start, "end": c.end,
                    "low": c.low, "high": c.high, "unit": c.norm_unit, "qualifier": c.qualifier,
                    "sentence": c.sentence, "outlet": c.article.source or None,
                    "published": c.article.published or None, "url": c.article.url or None,
                    "language": c.article.language or None} for c in f.claims],
        "review": {k: review[k] for k in ("verdict", "note", "reviewer", "time")} if review else None,
    }


def result_dicts(result: CheckResult) -> list[dict]:
    return [flag_dict(f, result.reviews.get(f.id)) for f in result.flags]


def json_text(flags: list[dict]) -> str:
    return json.dumps(flags, ensure_ascii=False, indent=2)


def ndjson_text(flags: list[dict]) -> str:
    """One flag per line (the JSON format's objects), for jq, log shippers and streaming readers."""
    return "".join(json.dumps(f, ensure_ascii=False) + "\n" for f in flags)


CSV_COLUMNS = ["id", "rule", "kind", "severity", "certainty", "finding", "fact", "message", "gap", "tolerance",
               "claim_ids", "article_ids", "sources", "published", "urls", "verdict", "review_note"]


def csv_text(flags: list[dict]) -> str:
    """RFC 4180 (CRLF line ends, a header); several claims' values in one cell are joined by " | ",
    in the order of claim_ids."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for f in flags:
        claims, review = f["claims"], f.get("review") or {}
        w.writerow([f["id"], f["rule"], f["rule_kind"], f["severity"], f["certainty"], f["finding"], f["fact"] or "",
                    f["message"], "" if f["gap"] is None else f["gap"], f["tolerance"] or "",
                    " ".join(c["id"] for c in claims), " ".join(sorted({c["article"] for c in claims})),
                    *(" | ".join(c[key] or "" for c in claims) for key in ("outlet", "published", "url")),
                    review.get("verdict") or "", review.get("note") or ""])
    return buf.getvalue()


def format_json(result: CheckResult) -> str:
    return json_text(result_dicts(result))


def format_ndjson(result: CheckResult) -> str:
    return ndjson_text(result_dicts(result))


def format_csv(result: CheckResult) -> str:
    return csv_text(result_dicts(result))


def summary_line(result: CheckResult) -> str:
    """The report's first line: counts of articles, claims, facts, rules and flags by severity."""
    c = result.counts
    return (
        f"{result.articles} articles, {result.claim_count} claims, {len(result.facts)} facts, "
        f"{len(result.ruleset.rules)} rules: {len(result.flags)} flags "
        f"({c['error']} error, {c['warning']} warning, {c['info']} info)"
        + (f"; {sum(f.id in result.reviews for f in result.flags)} reviewed" if result.reviews else "")
        + (f"; run {result.run_id}" if result.run_id else "")
    )


def _outcome_lines(result: CheckResult) -> list[str]:
    return ["rules:"] + [f"  {o.outcome:<5} {o.rule.id} ({o.rule.kind}, {o.rule.severity}): {o.message}"
                         for o in result.outcomes]


def format_text(result: CheckResult) -> str:
    lines = [summary_line(result)]
    for f in result.flags:
        tag = f.severity.upper() + (" (possibly)" if f.certainty == "possibly" else "")
        review = result.reviews.get(f.id)
        seen = f" (reviewed: {review['verdict']})" if review else ""
        lines.append(f"{tag:<20} [{f.rule}] {f.message}{seen}")
    return "\n".join(lines + _outcome_lines(result))


def format_summary(result: CheckResult) -> str:
    """The text report's first line and the rules' outcomes, without a line per flag: for a large corpus."""
    return "\n".join([summary_line(result)] + _outcome_lines(result))


FORMATTERS = {"text": format_text, "summary": format_summary, "json": format_json, "ndjson": format_ndjson,
              "csv": format_csv}

