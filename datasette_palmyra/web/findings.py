"""What kind of conflict a flag reports, as the dashboard groups it and as the charts draw it.

The rules engine names each finding (lower_than_earlier, same_as_of, correction, ...) in flags.finding; for a
database without that column ``queries.FINDING_FALLBACK_SQL`` and ``finding_of`` here derive it the same
way from the rule kind and the message's first words."""

from __future__ import annotations

from typing import Any

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
    """A flag's finding, for rows already read: the classification of ``queries.FINDING_FALLBACK_SQL``
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
