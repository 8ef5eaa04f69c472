"""Spans of text already claimed, with an overlap test in O(log n).

An article written as one long run ("27 March 27 March ...") has thousands of candidate spans; a linear
scan of the taken ones per candidate made extraction quadratic in its input.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable


class Spans:
    """(start, end) spans, overlapping or not; ``overlaps`` asks whether any meets [start, end)."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        self._starts: list[int] = []
        self._ends: list[int] = []
        for s, e in sorted(spans):
            self._starts.append(s)
            self._ends.append(e)
        self._reach = self._prefix_max()

    def _prefix_max(self) -> list[int]:
        out, best = [], -1
        for e in self._ends:
            best = max(best, e)
            out.append(best)
        return out

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self._starts, end)  # spans starting before ``end``
        return i > 0 and self._reach[i - 1] > start

    def covered_to(self, pos: int) -> int:
        """The end of the furthest-reaching span that holds ``pos`` (``pos`` itself when none does)."""
        i = bisect.bisect_right(self._starts, pos)  # spans starting at or before ``pos``
        return max(pos, self._reach[i - 1]) if i else pos

    def add(self, start: int, end: int) -> None:
        """Add a span that overlaps none held (the chosen claims of a scan): the ends stay sorted."""
        i = bisect.bisect_left(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)
        self._reach.insert(i, max(end, self._reach[i - 1] if i else -1))
        # spans after it end after it (disjoint), so their reach is unchanged

    def __iter__(self):
        return iter(zip(self._starts, self._ends, strict=True))
