"""What kind of conflict a flag reports, as the dashboard groups it and as the charts draw it.

The rules engine names each finding (lower_than_earlier, same_as_of, correction, ...) in flags.finding; for a
database without that column the store classifies a flag once (``store.queries.FINDING_FALLBACK``), in SQL
for the queries and in Python (``finding_of``) for rows already read."""

from __future__ import annotations

from ..store.queries import finding_of

__all__ = ["FINDING_GROUP", "FINDING_GROUP_LABEL", "finding_of"]

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
