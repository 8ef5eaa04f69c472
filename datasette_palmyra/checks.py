"""The rule kinds: small classes, one per kind, registered by name.

Each check reads facts and returns an outcome (pass, warn, fail, error: "could not evaluate" is never
a pass) and flags. Comparisons sort once and sweep: a fact's claims are compared with the consensus
(the point most claims cover), never all pairs, so a fact with a million claims costs n log n.
Intervals are widened by the claim's rounding (``precision``: half a unit of the last written
digit, trailing zeros counted as rounding, as the extractor stores it) before the tolerance applies.
"""

from __future__ import annotations

import hashlib
import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import add, and_, attrgetter, eq, ge, gt, le, lt, or_, sub
from typing import ClassVar

from .claims import DAY_SECONDS, YEAR_SECONDS
from .facts import CheckClaim, Fact, anchor_year, iso, signature_of
from .language import words_of
from .ruleset import (
    _PINT_ERRORS,
    ROUNDING,
    SEVERITY_RANK,
    ZERO,
    OptionValidator,
    Ruleset,
    RuleSpec,
    Tolerance,
    bool_option,
    bound_option,
    choice_option,
    fact_list_option,
    severity_option,
)

INF = float("inf")
_ID = attrgetter("id")


def flag_id(rule_id: str, claim_ids) -> str:
    """Stable across runs: the same rule over the same claims gives the same id."""
    key = rule_id + "\x00" + "\x00".join(sorted(claim_ids))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Flag:
    id: str
    rule: str
    rule_kind: str
    severity: str
    certainty: str  # necessarily | possibly
    fact: str | None
    message: str
    claims: list[CheckClaim]
    intervals: list[tuple[object, object]]
    gap: float | None
    tolerance: str
    # what was found, for readers that sort findings: disagreement, same_as_of, lower_than_earlier,
    # correction, out_of_bounds, order, conversion, relative_date
    finding: str = ""


@dataclass
class Outcome:
    rule: RuleSpec
    outcome: str  # pass | warn | fail | error
    checked: int
    flags: list[Flag] = field(default_factory=list)
    message: str = ""
    # what the outcome was worked out from, so that parts checked apart (claims split by kind, see
    # parallel.py) can be merged into the outcome one run over all claims would give
    nothing: str = ""  # the message when nothing was checked
    missing: list[str] = field(default_factory=list)  # declared facts with no claims
    error: str | None = None  # the rule raised: could not evaluate


# -- formatting --------------------------------------------------------------------------------

def fmt_number(x: float) -> str:
    if x in (INF, -INF):
        return "∞" if x > 0 else "-∞"
    if abs(x) >= 1000 and float(x).is_integer():
        return f"{int(x):,}"
    s = f"{x:.4g}"
    if "e" in s:
        s = f"{x:,.0f}"
    return s


def display_unit(fact: Fact, claims: list[CheckClaim]) -> str | None:
    if fact.unit:
        return fact.unit
    if fact.kind in ("date", "count", "percent") or not claims:
        return None
    if fact.kind == "duration":
        unit = _duration_unit(claims)
        if claims is fact.claims:
            fact.unit = unit
        return unit
    written = next((c for c in claims if c.unit and c.pair_role != "conversion"), None)
    unit = _pint_unit(written) if written is not None else claims[0].norm_unit
    if fact.kind == "temperature" and unit not in TEMPERATURE_SIGNS:
        unit = "degree_Celsius"  # "41C", "38 grader": a scale symbol or a bare degree, read as Celsius
    if claims is fact.claims:
        fact.unit = unit  # computed once per fact, not once per flag
    return unit


# a duration is told in the largest of these units that its figures reach twice ("6 days", not
# "518,400 s"); the written units differ by language and are all read into seconds
_DURATION_UNITS = (("year", YEAR_SECONDS), ("day", DAY_SECONDS), ("hour", 3600.0), ("minute", 60.0))


def _duration_unit(claims: list[CheckClaim]) -> str:
    big = max((abs(v) for c in claims for v in (c.lo, c.hi) if v not in (INF, -INF)), default=0.0)
    return next((name for name, secs in _DURATION_UNITS if big >= 2 * secs), "second")


def _pint_unit(c: CheckClaim) -> str:
    """A written unit as the extractor read it: "mil" in Norwegian is 10 km (pint's own "mil" is a
    thousandth of an inch), so messages speak of the unit the figure was converted from."""
    from .language import load_language

    try:
        table = load_language(c.article.language or "en").mapping("units")
    except (ValueError, AttributeError):
        return c.unit
    got = table.get((c.unit or "").lower()) or table.get((c.unit or "").lower().replace("-", " "))
    return str(got) if got else c.unit


# temperatures are told on their own scale with its sign ("41 °C"), not in pint's words
TEMPERATURE_SIGNS = {"degree_Celsius": "°C", "degree_Fahrenheit": "°F", "kelvin": "K"}


def in_unit(x: float, unit: str | None, kind: str, difference: bool = False) -> str:
    """A value in the base unit told in ``unit``; a ``difference`` of two values (a gap) is scaled but
    not shifted, which matters on a scale whose zero is not the base's (3 K apart is 3 °C apart)."""
    if kind == "percent":
        return fmt_number(x) + "%"
    if unit is None or x in (INF, -INF):
        return fmt_number(x)
    from .extract.units import conversion, from_base

    try:
        v = x / conversion(unit).factor if difference else from_base(x, unit)
        if unit in TEMPERATURE_SIGNS:
            return f"{fmt_number(round(v, 1))} {TEMPERATURE_SIGNS[unit]}"
        if kind == "duration" and v != 1:
            return f"{fmt_number(v)} {unit}s"  # "6 days": duration units are plain English words
        return f"{fmt_number(v)} {unit.replace('_', ' ')}"
    except _PINT_ERRORS:  # a unit pint does not know or parse ("$", "kr"): the plain number
        return fmt_number(x)


def interval_text(c: CheckClaim, unit: str | None) -> str:
    """The claim's figure in words, as its qualifier says: "at least 2,000", "up to 200", "about 4,200"."""
    if c.kind == "date":
        return iso(c.lo) if c.lo == c.hi else f"{iso(c.lo)} to {iso(c.hi)}"
    q = c.qualifier
    if q == "at_least" and c.lo != -INF:
        return f"at least {in_unit(c.lo, unit, c.kind)}"
    if q == "up_to" and c.hi != INF:
        return f"up to {in_unit(c.hi, unit, c.kind)}"
    if q == "nearly" and c.hi != INF:
        return f"nearly {in_unit(c.hi, unit, c.kind)}"
    if q == "approx" and INF not in (c.hi, -c.lo):
        return f"about {in_unit((c.lo + c.hi) / 2, unit, c.kind)}"  # the extractor widens "about" both ways
    if c.lo == c.hi:
        return in_unit(c.lo, unit, c.kind)
    if c.hi == INF:
        return f"more than {in_unit(c.lo, unit, c.kind)}"
    if c.lo == -INF:
        return f"less than {in_unit(c.hi, unit, c.kind)}"
    return f"{in_unit(c.lo, unit, c.kind)} to {in_unit(c.hi, unit, c.kind)}"


_SAME_FIGURE = re.compile(r"[\s,\u00a0\u202f]+")


def says(c: CheckClaim, unit: str | None) -> str:
    """ "TASS (2016-12-12) says "More than 5,000"", with the figure in plain words only when they add
    something: a qualifier in another language ("Minst 2000" (at least 2,000)), a unit converted, a
    date's day."""
    text = f'"{c.text}"'
    if not (c.kind == "date" and c.resolution == "absolute" and c.lo == c.hi):
        norm = interval_text(c, unit)
        # "140 kilometers" is "140 km": the same figure once the units' names are set aside
        bare_norm = norm[:-len(unit)] if unit and norm.endswith(" " + unit) else norm
        bare_text = c.text
        if c.unit and bare_text.lower().endswith(c.unit.lower()):
            bare_text = bare_text[:-len(c.unit)]
        if _SAME_FIGURE.sub("", bare_norm).lower() != _SAME_FIGURE.sub("", bare_text).lower():
            text += f" ({norm})"
    return f"{c.article.label()} says {text}"


def gap_text(a: CheckClaim, b: CheckClaim, tol: Tolerance, unit: str | None) -> tuple[float, str]:
    """The raw gap between two claims (as written, before rounding) in words."""
    g = raw_gap(a, b)
    if a.kind == "date":
        return g, f"{int(g)} day{'s' if g != 1 else ''} apart"
    if tol.relative is not None:
        mag = max(abs(v) for v in (a.lo, a.hi, b.lo, b.hi) if v not in (INF, -INF))
        pct = 100.0 * g / mag if mag else 0.0
        return g, f"{fmt_number(round(pct, 1))}% apart"
    return g, f"{in_unit(g, unit, a.kind, difference=True)} apart"


def raw_gap(a: CheckClaim, b: CheckClaim) -> float:
    if a.hi < b.lo:
        return b.lo - a.hi
    if b.hi < a.lo:
        return a.lo - b.hi
    return 0.0


def order_claims(cs) -> list[CheckClaim]:
    """Messages name claims in publication order, then by id, whatever order they were found in."""
    return sorted(cs, key=lambda c: (c.article.pub_lo or 0, c.article.source or "", c.id))


# -- widening and the consensus sweep -------------------------------------------------------------

# how much of a rounding margin "half-open" keeps: all of it but its end, so that "six days" (5.5 to 6.5)
# and "seven days" (6.5 to 7.5) no longer touch
_OPEN = 1 - 1e-9


def widened(c: CheckClaim, rounding: str) -> tuple[float, float]:
    if rounding == "none":
        return c.lo, c.hi
    if rounding == "half-open" and c.wlo != c.lo and c.lo != -INF:
        return c.lo - (c.lo - c.wlo) * _OPEN, c.hi + (c.whi - c.hi) * _OPEN if c.hi != INF else INF
    return c.wlo, c.whi


def rounded_gap(a: CheckClaim, b: CheckClaim, rounding: str) -> tuple[float, float]:
    """How far apart two claims are once each is widened by its rounding (0 when they meet), and the
    largest finite bound of the two, which a relative tolerance is taken of."""
    wa, wb = widened(a, rounding), widened(b, rounding)
    g = max(wb[0] - wa[1], wa[0] - wb[1], 0.0)
    return g, max((abs(v) for v in (*wa, *wb) if v not in (INF, -INF)), default=0.0)


def _widened_bounds(claims: list[CheckClaim], rounding: str) -> tuple[list[float], list[float]]:
    """Every claim's interval widened by its rounding, as two float lists (``widened`` for a list)."""
    if rounding == "half-open":
        bounds = [widened(c, rounding) for c in claims]
        return [b[0] for b in bounds], [b[1] for b in bounds]
    if rounding != "none":
        return [c.wlo for c in claims], [c.whi for c in claims]
    return [c.lo for c in claims], [c.hi for c in claims]


def sweep_space(items: list[tuple[float, float]], tol: Tolerance):
    """A transform and half-width so that two intervals agree iff their widened images overlap.

    A relative tolerance r between positive figures is an absolute one in log space
    (b <= a / (1 - r) <=> log b - log a <= -log(1 - r)), so the sweep stays exact.
    """
    return _space([lo for lo, _ in items], [hi for _, hi in items], tol)


def _space(los: list[float], his: list[float], tol: Tolerance):
    if tol.relative is not None:
        r = tol.relative
        if r >= 1:
            return (lambda x: 0.0), INF
        if not los or min(los) > 0:
            return math.log, -math.log1p(-r) / 2  # log(inf) is inf
        big = max((abs(v) for vs in (los, his) for v in vs if v not in (INF, -INF)), default=0.0)
        return None, r * big / 2
    return None, (tol.absolute or 0.0) / 2


class Consensus:
    """The point most claims cover, found by one sweep, and the claims whose images miss it.

    The starts and the ends of the images are sorted separately (two float sorts, in C); the claims
    still open at a start are those whose end is not before it (a bisection, also in C). Closed
    intervals: touching images overlap. Members are listed only when asked: a fact of a million claims
    usually has a handful of outliers, and each needs only the most precise member.
    """

    __slots__ = ("claims", "starts", "ends", "x", "outliers", "_ranked", "_top")

    def __init__(self, claims: list[CheckClaim], tol: Tolerance, rounding: str):
        self.claims = claims
        los, his = _widened_bounds(claims, rounding)
        tr, half = _space(los, his, tol)
        if half == INF:
            a_s, b_s = [-INF] * len(claims), [INF] * len(claims)
        else:
            if tr is not None:
                los, his = list(map(tr, los)), list(map(tr, his))
            if half and any(c.qualifier == "approx" for c in claims):
                # "about 60 km" is 54-66 km: its words are its tolerance, none is added to it
                halves = [0.0 if c.qualifier == "approx" else half for c in claims]
                a_s, b_s = list(map(sub, los, halves)), list(map(add, his, halves))
            else:
                a_s = list(map(sub, los, repeat(half))) if half else los  # -inf - half stays -inf, inf + half inf
                b_s = list(map(add, his, repeat(half))) if half else his
        self.starts, self.ends = a_s, b_s
        starts, ends = sorted(a_s), sorted(b_s)
        self.x = None
        if starts:
            covered = list(map(sub, range(1, len(starts) + 1), map(bisect_left, repeat(ends), starts)))
            self.x = starts[covered.index(max(covered))]  # the first start where the most claims overlap
        x = self.x
        # the claims whose image misses x, picked in C: usually a handful of a fact's claims
        miss = map(or_, map(gt, a_s, repeat(x)), map(lt, b_s, repeat(x)))
        self.outliers = [(claims[k], a_s[k], b_s[k]) for k in compress(range(len(a_s)), miss)]
        self._ranked: list | None = None
        self._top = None

    def members(self) -> list[tuple[CheckClaim, float, float]]:
        x = self.x
        return [(c, a, b) for c, a, b in zip(self.claims, self.starts, self.ends, strict=True) if a <= x <= b]

    def nearest(self, o, other_article: bool = True):
        """The member to compare an outlier with: the most precise one (narrowest image, then claim id)
        from another article. Comparing with the loosest member ("June 2017") would hide a clash with
        the precise majority ("2 June"). The most precise member is found once (one pass); the full
        ranking only when it shares the outlier's article."""
        if self._top is None:
            # in C: the members' widths, the narrowest width, then the lowest claim id among the narrowest
            x, starts, ends = self.x, self.starts, self.ends
            member = list(map(and_, map(le, starts, repeat(x)), map(ge, ends, repeat(x))))
            widths = list(map(sub, ends, starts))
            narrowest = min(compress(widths, member), default=None)
            if narrowest is None:
                return None
            ks = list(compress(range(len(widths)), map(and_, member, map(eq, widths, repeat(narrowest)))))
            ids = list(map(_ID, map(self.claims.__getitem__, ks)))
            k = ks[ids.index(min(ids))]
            self._top = (self.claims[k], starts[k], ends[k])
        if not other_article or self._top[0].article.id != o[0].article.id:
            return self._top
        if self._ranked is None:
            self._ranked = by_precision(self.members())
        return nearest_member(o, self._ranked, other_article)


def consensus(claims: list[CheckClaim], tol: Tolerance, rounding: str):
    """(members, outliers, x): members' images cover x, the point most claims cover (see Consensus)."""
    found = Consensus(claims, tol, rounding)
    return found.members(), found.outliers, found.x


def by_precision(members):
    """Consensus members, most precise first (narrowest interval, then claim id)."""
    return sorted(members, key=lambda m: (m[2] - m[1], m[0].id))


def nearest_member(o, ranked, other_article: bool = True):
    """The first of the ranked members, from another article than the outlier's unless told otherwise."""
    c = o[0]
    for m in ranked:
        if not other_article or m[0].article.id != c.article.id:
            return m
    return None


NOTHING = "nothing to compare (no fact reported by two sources)"


def outcome_of(rule: RuleSpec, checked: int, flags: list[Flag], nothing: str = NOTHING) -> Outcome:
    """The outcome follows the worst flag: error -> fail, warning -> warn, info -> pass (an info note,
    such as a stated correction, never reads as a failure). "error" is kept for could-not-evaluate.
    A rule that found nothing to compare passes, but its message says so, not "0 checked"."""
    if not flags:
        return Outcome(rule, "pass", checked, [], f"{checked} checked" if checked else nothing, nothing)
    worst = max(SEVERITY_RANK[f.severity] for f in flags)
    status = {SEVERITY_RANK["error"]: "fail", SEVERITY_RANK["warning"]: "warn"}.get(worst, "pass")
    infos = "" if worst > SEVERITY_RANK["info"] else " (info only)"
    return Outcome(rule, status, checked, flags, f"{len(flags)} flagged of {checked} checked{infos}", nothing)


def declared_missing(rule: RuleSpec, have: set[str]) -> list[str]:
    """The rule's declared facts that no claim of the corpus reports."""
    return [fid for fid in rule.facts or () if fid not in have]


def missing_facts(out: Outcome, missing: list[str]) -> Outcome:
    """A rule whose declared facts have no claims in this corpus: ``warn`` (a rule file written for
    another story, say), or ``error`` when the rule says ``required: true``; never a plain pass."""
    if not missing:
        return out
    out.missing = list(missing)
    names = ", ".join(missing)
    if out.rule.required:
        out.outcome = "error"
        out.message = f"could not evaluate: no claims for required fact{'s' if len(missing) > 1 else ''} {names}"
        return out
    what = f"declared fact{'s' if len(missing) > 1 else ''} {names} ha{'ve' if len(missing) > 1 else 's'} no claims in this corpus"
    if out.checked == 0 and not out.flags:
        out.message = f"not evaluated: {what}"
    else:
        out.message += f"; {what}"
    if out.outcome == "pass":
        out.outcome = "warn"
    return out


def merge_outcomes(parts: list[Outcome]) -> Outcome:
    """One rule's outcome over all claims from its outcomes over parts of them (claims split by kind):
    checked counts add up, flags join, and a declared fact is missing only if every part misses it."""
    first = parts[0]
    failed = next((p for p in parts if p.error is not None), None)
    if failed is not None:
        return failed
    out = outcome_of(first.rule, sum(p.checked for p in parts), [f for p in parts for f in p.flags], first.nothing)
    return missing_facts(out, [fid for fid in first.missing if all(fid in p.missing for p in parts[1:])])


def cap(severity: str, ceiling: str) -> str:
    return severity if SEVERITY_RANK[severity] <= SEVERITY_RANK[ceiling] else ceiling


# -- the registry ------------------------------------------------------------------------------

class Check:
    kind: ClassVar[str] = ""
    default_severity: ClassVar[str] = "error"
    options: ClassVar[dict[str, OptionValidator]] = {}
    implied_kinds: ClassVar[tuple[str, ...]] = ()  # claim kinds the rule can only apply to
    # compares claims of one kind at a time, so that a check may run with the claims split by kind
    # across processes (parallel.py); a kind that compares across kinds says False and runs in one
    per_kind: ClassVar[bool] = False

    def __init__(self, rule: RuleSpec, ruleset: Ruleset):
        self.rule = rule
        self.ruleset = ruleset
        self.tol = rule.tolerance or ZERO

    @classmethod
    def validate_rule(cls, rule: RuleSpec, ruleset: Ruleset) -> list[str]:
        return []

    def tolerance_for(self, kind: str) -> Tolerance:
        """The rule's tolerance for one fact. A percentage of a temperature means nothing (the zero of
        a temperature scale is arbitrary: 10% of 41 °C in kelvin is 31 degrees), so temperatures under a
        relative tolerance are compared by their rounding alone; an absolute one ("2 K") applies."""
        if kind in INTERVAL_SCALE_KINDS and self.tol.relative is not None:
            return INTERVAL_SCALE_TOLERANCE
        return self.tol

    def applies(self, fact: Fact) -> bool:
        if self.tol.relative is not None and fact.kind == "date":
            return False  # a percentage of a day number means nothing: date rules take days
        if self.rule.facts is not None:
            return fact.spec is not None and fact.spec.id in self.rule.facts
        if self.rule.claim_kind is not None:
            return fact.kind == self.rule.claim_kind
        return True

    def flag(self, fact: Fact | None, claims: list[CheckClaim], message: str, *, severity: str | None = None,
             certainty: str = "necessarily", gap: float | None = None, finding: str = "") -> Flag:
        claims = order_claims(claims)
        return Flag(flag_id(self.rule.id, [c.id for c in claims]), self.rule.id, self.rule.kind,
                    severity or self.rule.severity, certainty, fact.id if fact else None, message, claims,
                    [(c.low, c.high) for c in claims], gap, self.tol.text, finding or self.finding)

    finding: ClassVar[str] = "disagreement"

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:  # pragma: no cover - overridden
        raise NotImplementedError


REGISTRY: dict[str, type[Check]] = {}


def register(cls: type[Check]) -> type[Check]:
    REGISTRY[cls.kind] = cls
    return cls


def two_articles(claims: list[CheckClaim]) -> bool:
    """Whether the claims come from more than one article (stops at the first that differs)."""
    if not claims:
        return False
    first = claims[0].article.id
    return any(c.article.id != first for c in claims)


def comparable(claims: list[CheckClaim], include_relative: bool = True) -> list[CheckClaim]:
    """Claims that state a figure: the converted side of "240 km (150 miles)" repeats its partner.

    Every rule asks this of every fact: the answer is kept per claim list (a fact's claims do not change
    once grouped), so a million claims are filtered once, not once per rule; both variants (with and
    without relative dates) come from the one filtering, and are the same list where no date is relative.
    """
    key = id(claims), len(claims)
    got = _COMPARABLE.get(key)
    if got is None or got[0] is not claims:
        stated = [c for c in claims if c.stated]
        absolute = [c for c in stated if not c.relative] if any(c.relative for c in stated) else stated
        got = (claims, stated, absolute)
        if len(claims) > 1000:  # small lists are cheaper to filter again than to remember
            _COMPARABLE[key] = got
    return got[1] if include_relative else got[2]


# claim list -> its comparable claims; emptied by each evaluation (run.evaluate), see comparable()
_COMPARABLE: dict[tuple, tuple[list, list, list]] = {}


INTERVAL_SCALE_KINDS = frozenset({"temperature"})
INTERVAL_SCALE_TOLERANCE = Tolerance("0 (a percentage of a temperature means nothing)", absolute=0.0)


def _tolerance_of(tol: Tolerance, a: CheckClaim, b: CheckClaim) -> Tolerance:
    """The tolerance between two claims: half of it is each one's, and a figure its words call
    approximate ("about 60 km", read as 54-66 km) brings none of its own (as in the consensus sweep)."""
    n = (a.qualifier == "approx") + (b.qualifier == "approx")
    if not n:
        return tol
    k = (2 - n) / 2
    return Tolerance(tol.text, tol.relative * k if tol.relative is not None else None,
                     (tol.absolute or 0.0) * k if tol.relative is None else None)


def _elapsed(c: CheckClaim) -> bool:
    """ "four days after the collapse": the time since an event, at the moment the clause describes,
    not the length of a thing (cues.yml ``elapsed_after``)."""
    words = words_of(c.article.language or "", "elapsed_after") if c.article is not None else ()
    if not words or not c.text:
        return False
    i = c.sentence.find(c.text)
    after = c.sentence[i + len(c.text):i + len(c.text) + 24].lower() if i >= 0 else ""
    return any(after.startswith((" " + w + " ", "\u00a0" + w + " ")) for w in words)


def _same_start(a: CheckClaim, b: CheckClaim, rounding: str) -> bool:
    """Two times elapsed since one event, told on different days, agree when they lead back to one day:
    "fire døgn etter at taket raste" on the 8th and "six days after the collapse" on the 10th both
    start on the 4th. Each is read back from its as-of date (a day's slack, for hours and time zones);
    a length ("blocked the canal for six days") is compared as a length."""
    if None in (a.as_of_lo, a.as_of_hi, b.as_of_lo, b.as_of_hi) or not (_elapsed(a) and _elapsed(b)):
        return False
    starts = []
    for c in (a, b):
        lo, hi = widened(c, rounding)
        if lo in (INF, -INF) or hi in (INF, -INF):
            return False
        starts.append((c.as_of_lo - hi / DAY_SECONDS, c.as_of_hi - lo / DAY_SECONDS))
    (a0, a1), (b0, b1) = starts
    return max(b0 - a1, a0 - b1, 0.0) <= 1.0


def _disagreement(check: Check, fact: Fact, a: CheckClaim, b: CheckClaim, rounding: str,
                  prefix: str = "", finding: str = "", possible: str | None = None) -> Flag | None:
    """A flag when a and b disagree beyond tolerance. With ``possible`` (a severity): "possibly", when
    one of them joined the fact only because its vague publication date overlaps the others'."""
    g, mag = rounded_gap(a, b, rounding)
    fact_tol = check.tolerance_for(fact.kind)
    tol = _tolerance_of(fact_tol, a, b)
    if g == 0 or tol.allows(g, mag):
        return None
    unit = display_unit(fact, fact.claims)
    raw, words = gap_text(a, b, fact_tol, unit)
    first, second = order_claims([a, b])
    correcting = [c for c in (first, second) if c.cue_kind == "correction"]
    if correcting:  # a stated correction is news, not an error: info, saying what it corrects
        k = correcting[0]
        old = second if k is first else first
        msg = (f"correction, {fact.label}: {says(k, unit)} ({k.cue.split(':', 1)[1].strip()}), "
               f"correcting {says(old, unit)}; {words}")
        return check.flag(fact, [a, b], msg, gap=raw, severity="info", finding="correction")
    msg = f"{prefix}{fact.label}: {says(first, unit)}; {says(second, unit)}; {words}, tolerance {fact_tol.text}"
    if tol is not fact_tol:
        msg += (", none for figures given as approximate" if not (tol.relative or tol.absolute)
                else ", halved: one figure is given as approximate")
    if possible is not None and fact.vague and (a.id in fact.vague or b.id in fact.vague):
        vague = next(c for c in (first, second) if c.id in fact.vague)
        msg += (f"; possibly: {vague.article.label()} is dated only to {vague.article.published}, so the two "
                "may report different days")
        return check.flag(fact, [a, b], msg, gap=raw, finding=finding, certainty="possibly", severity=possible)
    return check.flag(fact, [a, b], msg, gap=raw, finding=finding)


def as_of_text(c: CheckClaim) -> str:
    """When the figure holds, in words: "as of 2023-02-07", "before 2023-02-09"."""
    if c.as_of_lo is None:
        return f"before {iso(c.as_of_hi)}" if c.as_of_hi is not None else "undated"
    if c.as_of_lo == c.as_of_hi:
        return f"as of {iso(c.as_of_lo)}"
    return f"as of {iso(c.as_of_lo)} to {iso(c.as_of_hi)}"


def same_as_of(check: Check, fact: Fact, claims: list[CheckClaim], rounding: str) -> tuple[int, list[Flag]]:
    """Figures of a running total as of the same date, from different articles, must agree.

    Earlier figures ("up from 1,500") and stated corrections are left out: they are not reports of the
    total as of that date. One sort by as-of date, then the consensus sweep per date.
    """
    dated = sorted((c for c in claims if c.as_of_lo is not None and c.cue_kind not in ("previous", "correction")),
                   key=lambda c: (c.as_of_lo, c.as_of_hi, c.id))
    out: list[Flag] = []
    checked = 0
    i = 0
    while i < len(dated):
        j = i
        while j < len(dated) and (dated[j].as_of_lo, dated[j].as_of_hi) == (dated[i].as_of_lo, dated[i].as_of_hi):
            j += 1
        day = dated[i:j]
        if two_articles(day):
            checked += len(day)
            found = Consensus(day, check.tol, rounding)
            for o in found.outliers:
                m = found.nearest(o)
                f = _disagreement(check, fact, o[0], m[0], rounding, f"{as_of_text(o[0])}, ", "same_as_of") if m else None
                if f:
                    out.append(f)
        i = j
    return checked, out


@register
class Agree(Check):
    """Claims of one fact from different articles must overlap, within tolerance, rounding-aware."""

    kind = "agree"
    per_kind = True
    default_severity = "error"
    options = {"rounding": choice_option(ROUNDING), "relative": choice_option(("exclude", "include")),
               "possible_severity": severity_option}

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        rounding = self.rule.options.get("rounding", "precision")
        possible = cap(self.rule.options.get("possible_severity", self.rule.severity), self.rule.severity)
        include_rel = self.rule.options.get("relative", "exclude") == "include"
        have: set[str] = set()
        for fact in facts:
            if not self.applies(fact):
                continue
            stated = comparable(fact.claims, include_rel)
            if fact.spec is not None and stated:
                have.add(fact.spec.id)
            if fact.varies != "cumulative" and any(c.cue_kind == "previous" for c in stated):
                # "fell to 15 percent, against 21 percent in normal air", "5%, up from 4%": the figure
                # a report compares with is another time's or another thing's, not this fact's
                stated = [c for c in stated if c.cue_kind != "previous"]
            if not two_articles(stated):
                continue
            if fact.varies == "cumulative":
                if not self._monotone_rules():  # no monotone rule: at least figures as of one date must agree
                    n, found = same_as_of(self, fact, stated, rounding)
                    checked += n
                    flags.extend(found)
                continue
            for part in self._snapshots(fact, stated):
                checked += len(part)
                found = Consensus(part, self.tolerance_for(fact.kind), rounding)
                for o in found.outliers:
                    m = found.nearest(o)
                    if m is None or (fact.kind == "duration" and _same_start(o[0], m[0], rounding)):
                        continue
                    f = _disagreement(self, fact, o[0], m[0], rounding, possible=possible)
                    if f:
                        flags.append(f)
        return missing_facts(outcome_of(self.rule, checked, flags), declared_missing(self.rule, have))

    def _monotone_rules(self) -> bool:
        """Cumulative facts belong to monotone rules when the ruleset has one; agree then leaves them."""
        return any(r.kind == "monotone" for r in self.ruleset.rules)

    def _snapshots(self, fact: Fact, claims: list[CheckClaim]) -> list[list[CheckClaim]]:
        """Fixed facts compare everything; snapshot facts only claims with as-of dates close together."""
        if fact.varies != "snapshot":
            return [claims]
        from .facts import span_clusters

        days = (fact.spec.as_of_window_days if fact.spec else None) or self.ruleset.grouping.as_of_window_days
        dated = [c for c in claims if c.as_of_lo is not None and c.cue_kind != "previous"]
        wide = [c for c in dated if c.as_of_hi is None or c.as_of_hi - c.as_of_lo > days]
        runs = span_clusters([c for c in dated if c.as_of_hi is not None and c.as_of_hi - c.as_of_lo <= days],
                             lambda c: c.as_of_lo, days)
        for w in wide:
            # a figure as of a whole month (its article dated only "2017-06") joins the largest run of
            # days its month overlaps, the earliest of equals: it may be any of them, so it is compared once
            hi = INF if w.as_of_hi is None else w.as_of_hi + days
            near = [r for r in runs if any(w.as_of_lo - days <= c.as_of_lo <= hi for c in r)]
            if near:
                max(near, key=len).append(w)
            else:
                runs.append([w])
        return [p for p in runs if len({c.article.id for c in p}) > 1]


class _Top2:
    """The two earlier claims with the highest key from different articles: the reference for each
    later claim is the top one unless the later claim shares its article (an article does not contradict
    its own earlier figure here: that is within_article's business)."""

    __slots__ = ("key", "first", "second")

    def __init__(self, key):
        self.key = key
        self.first: CheckClaim | None = None
        self.second: CheckClaim | None = None

    def reset(self, c: CheckClaim) -> None:
        self.first, self.second = c, None

    def add(self, c: CheckClaim) -> None:
        k = self.key(c)
        if self.first is None or k > self.key(self.first):
            if self.first is not None and self.first.article.id != c.article.id:
                self.second = self.first
            self.first = c
        elif c.article.id != self.first.article.id and (self.second is None or k > self.key(self.second)):
            self.second = c

    def other_than(self, article_id: str) -> CheckClaim | None:
        if self.first is not None and self.first.article.id != article_id:
            return self.first
        return self.second


@register
class Monotone(Check):
    """A running total (a fact with ``varies: cumulative``) may grow from one date to the next, never shrink.

    Claims are compared in as-of order (the date each figure refers to: "as of Tuesday", or the
    publication date): a figure lower than one an earlier date already reported, beyond tolerance, is
    flagged, "necessarily" when its whole interval lies below the earlier one even after rounding,
    "possibly" (at ``possible_severity``) when the figures as written say lower but rounding lets them
    overlap. Figures as of the same date must agree, as in ``agree``. A figure framed as a correction
    ("revised down to") is reported at info level with the earlier figure it corrects, and replaces the
    figures before it. One sort and one sweep per fact: never all pairs.
    """

    kind = "monotone"
    per_kind = True
    default_severity = "warning"
    finding = "lower_than_earlier"
    options = {"rounding": choice_option(ROUNDING), "possible_severity": severity_option}

    def applies(self, fact: Fact) -> bool:
        return fact.varies == "cumulative" and super().applies(fact)

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        rounding = self.rule.options.get("rounding", "precision")
        for fact in facts:
            if not self.applies(fact):
                continue
            stated = [c for c in comparable(fact.claims) if c.as_of_hi is not None]
            if not two_articles(stated):
                continue
            checked += len(stated)
            _n, found = same_as_of(self, fact, stated, rounding)
            flags.extend(found)
            flags.extend(self._lower_than_earlier(fact, stated, rounding))
            flags.extend(self._corrections(fact, stated))
        return outcome_of(self.rule, checked, flags, "no cumulative facts reported by two articles")

    def _lower_than_earlier(self, fact: Fact, claims: list[CheckClaim], rounding: str) -> list[Flag]:
        """Two sorted lists and two pointers: claims enter the "earlier" set (by as-of end) as soon as
        they lie wholly before the claim being checked (by as-of start)."""
        possible = cap(self.rule.options.get("possible_severity", "info"), self.rule.severity)
        wide = {c.id: widened(c, rounding) for c in claims}
        earlier = sorted(claims, key=lambda c: (c.as_of_hi, c.cue_kind == "correction", c.id))
        later = sorted((c for c in claims if c.as_of_lo is not None and c.cue_kind not in ("correction", "previous")),
                       key=lambda c: (c.as_of_lo, c.id))
        by_wide = _Top2(lambda c: wide[c.id][0])
        by_raw = _Top2(lambda c: c.lo)
        out: list[Flag] = []
        k = 0
        unit = display_unit(fact, fact.claims)
        for c in later:
            while k < len(earlier) and earlier[k].as_of_hi < c.as_of_lo:
                e = earlier[k]
                k += 1
                if e.cue_kind == "correction":  # a correction replaces the figures before it
                    by_wide.reset(e)
                    by_raw.reset(e)
                else:
                    by_wide.add(e)
                    by_raw.add(e)
            ref = by_wide.other_than(c.article.id)
            certainty = "necessarily"
            if ref is None or not self._below(wide[c.id], wide[ref.id]):
                ref = by_raw.other_than(c.article.id)
                certainty = "possibly"
                if ref is None or not self._below((c.lo, c.hi), (ref.lo, ref.hi)):
                    continue
            raw, words = gap_text(ref, c, self.tol, unit)
            words = words.replace("apart", "lower")
            msg = (f"lower than earlier, {fact.label}: {says(ref, unit)} {as_of_text(ref)}; "
                   f"{says(c, unit)} {as_of_text(c)}; a running total cannot fall: {words}"
                   + ("" if certainty == "necessarily" else ", within rounding of each other")
                   + f", tolerance {self.tol.text}")
            out.append(self.flag(fact, [ref, c], msg, gap=raw, certainty=certainty,
                                 severity=self.rule.severity if certainty == "necessarily" else possible))
        return out

    def _below(self, later: tuple[float, float], earlier: tuple[float, float]) -> bool:
        """The later interval lies wholly below the earlier one, beyond tolerance."""
        if earlier[0] == -INF or later[1] == INF or later[1] >= earlier[0]:
            return False
        mag = max((abs(v) for v in (*later, *earlier) if v not in (INF, -INF)), default=0.0)
        return not self.tol.allows(earlier[0] - later[1], mag)

    def _corrections(self, fact: Fact, claims: list[CheckClaim]) -> list[Flag]:
        """Each stated correction, at info level, with the earlier figure it corrects: the latest earlier
        figure that differs from it, from the same outlet if there is one."""
        out: list[Flag] = []
        fixes = [c for c in claims if c.cue_kind == "correction"]
        if not fixes:
            return out
        unit = display_unit(fact, fact.claims)
        latest_first = sorted((c for c in claims if c.cue_kind != "correction"),
                              key=lambda c: (-(c.as_of_hi or 0), c.id))
        for k in fixes:
            before = [c for c in latest_first if c.as_of_hi <= k.as_of_hi and raw_gap(c, k) > 0]
            # the latest such figure; among figures of that date, the outlet's own if it gave one
            latest = [c for c in before if c.as_of_hi == before[0].as_of_hi] if before else []
            old = next((c for c in latest if c.article.source == k.article.source), latest[0] if latest else None)
            words = k.cue.split(":", 1)[1].strip()
            if old is None:
                msg = f"correction, {fact.label}: {says(k, unit)} {as_of_text(k)} ({words}); no earlier figure it corrects was found"
                out.append(self.flag(fact, [k], msg, severity="info", finding="correction", gap=None))
                continue
            raw, gwords = gap_text(old, k, self.tol, unit)
            msg = (f"correction, {fact.label}: {says(k, unit)} {as_of_text(k)} ({words}), correcting "
                   f"{says(old, unit)} {as_of_text(old)}; {gwords}")
            out.append(self.flag(fact, [old, k], msg, severity="info", finding="correction", gap=raw))
        return out


@register
class WithinArticle(Check):
    """The same fact stated twice in one article must agree."""

    kind = "within_article"
    per_kind = True
    default_severity = "warning"
    options = {"rounding": choice_option(ROUNDING)}

    def _snapshot_keys(self, fact: Fact, stated: list[CheckClaim]) -> list:
        """(article, run) for each claim of a level: an article's figures as of days within the as-of
        window of each other ("at least 2,000 evacuated on Sunday" and "1,200 in all", published Monday)."""
        from .facts import signature_of, span_clusters

        days = (fact.spec.as_of_window_days if fact.spec else None) or self.ruleset.grouping.as_of_window_days
        key_of: dict[int, tuple] = {}
        by_article: dict[str, list[CheckClaim]] = defaultdict(list)
        for c in stated:
            if c.as_of_lo is not None and c.cue_kind not in ("previous", "correction"):
                by_article[c.article.id].append(c)
        for aid, own in by_article.items():
            if any(signature_of(c).get("total") for c in own):
                # "til sammen 1200 evakuert" is all of them so far: it meets every figure its article gives
                for c in own:
                    key_of[id(c)] = (aid, 0)
                continue
            for k, run in enumerate(span_clusters(own, lambda c: c.as_of_lo, days)):
                for c in run:
                    key_of[id(c)] = (aid, k)
        return [key_of.get(id(c)) for c in stated]

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        rounding = self.rule.options.get("rounding", "precision")
        have: set[str] = set()
        for fact in facts:
            if not self.applies(fact):
                continue
            stated = comparable(fact.claims)
            if fact.spec is not None and stated:
                have.add(fact.spec.id)
            if fact.varies == "fixed":  # a compared figure ("against 21 percent at the surface") is another's
                keys: list = [c.article.id if c.cue_kind != "previous" else None for c in stated]
            elif fact.varies == "snapshot":  # a level: one article's figures as of days within the as-of window
                keys = self._snapshot_keys(fact, stated)
            else:  # a figure that changes: one article's figures as of one date ("up from" is another date)
                keys = [(c.article.id, c.as_of_lo, c.as_of_hi)
                        if c.as_of_lo is not None and c.cue_kind not in ("previous", "correction") else None
                        for c in stated]
            # most articles state a fact once: count first (in C), group only the articles stating it twice
            repeated = {k for k, n in Counter(keys).items() if n > 1 and k is not None}
            if not repeated:
                continue
            by_article: dict[object, list[CheckClaim]] = defaultdict(list)
            inside = list(map(repeated.__contains__, keys))  # in C: most claims are their article's only one
            for k, c in zip(compress(keys, inside), compress(stated, inside), strict=True):
                by_article[k].append(c)
            for same in by_article.values():
                if len({(c.start, c.end) for c in same}) < 2:
                    continue
                checked += len(same)
                los, his = _widened_bounds(same, rounding)
                if max(los) <= min(his):  # intervals on a line that pairwise overlap share a point: all agree
                    continue
                found = Consensus(same, self.tol, rounding)
                for o in found.outliers:
                    m = found.nearest(o, other_article=False)
                    f = _disagreement(self, fact, o[0], m[0], rounding, "within one article, ") if m else None
                    if f:
                        flags.append(f)
        return missing_facts(outcome_of(self.rule, checked, flags, "no fact stated twice in one article"),
                             declared_missing(self.rule, have))


@register
class BackReference(Check):
    """A count written as a reference back ("the 53 destroyed homes", "all 14 survivors", "de sju
    tankvognene"; cues.yml ``back_reference_before``) names a set its article counted before: it must
    agree with an earlier figure of its article that counts the same noun (or stands in its fact).

    Another noun's count is another set. A reference whose words ("destroyed") the earlier figure's
    clause lacks may be a part of it ("damaged 120 homes ... the 18 destroyed homes"), so it is left
    alone; so is a figure dated by its own sentence to another day than the one it points back to."""

    kind = "back_reference"
    per_kind = True  # a count is compared with counts, a sum with sums of its currency
    default_severity = "warning"
    options = {"rounding": choice_option(ROUNDING)}

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        rounding = self.rule.options.get("rounding", "precision")
        fact_of = {c.id: f for f in facts if self.applies(f) for c in f.claims}
        flags: list[Flag] = []
        checked = 0
        by_article: dict[str, list[CheckClaim]] = defaultdict(list)
        for c in claims:
            if c.kind in ("count", "money") and c.stated and c.cue_kind not in ("previous", "correction"):
                by_article[c.article.id].append(c)
        for own in by_article.values():
            # "åtte av de tolv guttene", "including the roughly 4,000 residents": the whole its parts were
            # counted from, or a part of a whole named before, not a set counted before
            refs = [c for c in own if (sig := signature_of(c)).get("refers_back") and not (sig.get("whole") or sig.get("part"))]
            for r in refs:
                # an earlier sentence's: in one sentence two sums are two ("more than the €5 million
                # already sent, because the €58 million bill")
                earlier = [c for c in own if c.end <= r.start and c.sentence != r.sentence
                           and self._same_set(r, c, fact_of)]
                if not earlier:
                    continue
                checked += 1
                if any(self._agree(r, c, rounding) for c in earlier):
                    continue
                last = max(earlier, key=attrgetter("start"))
                flags.append(self._flag(r, last, fact_of.get(r.id) or fact_of.get(last.id)))
        return outcome_of(self.rule, checked, flags, "no count refers back to an earlier one")

    @staticmethod
    def _same_set(r: CheckClaim, c: CheckClaim, fact_of: dict) -> bool:
        sr, sc = signature_of(r), signature_of(c)
        if sc.get("increment") or sc.get("part") is True or anchor_year(r, sr) != anchor_year(c, sc):
            return False  # "six more", "two of them", the toll of another year's flood
        if r.kind != c.kind or r.norm_unit != c.norm_unit:
            return False
        mods = (sr.get("mods") or "").split()
        seen = {*(sc.get("words") or ()), *(sc.get("mods") or "").split()}
        same = sr.get("head") is not None and sr.get("head") == sc.get("head") or (
            r.id in fact_of and fact_of[r.id] is fact_of.get(c.id))
        if r.kind == "money" and not same and sc.get("head") is None:
            # "put the damage at €85 million ... the €58 million damage bill": a sum no noun follows is
            # what its clause names; a count's clause names too much ("13 people, including 12 boys")
            same = bool(seen.intersection((*mods, sr.get("head"))))
        if not same:
            return False
        if mods and not seen.intersection(mods):
            return False  # "the 18 destroyed homes" after "damaged 120 homes": maybe a part of them
        # "by Thursday the 53 homes": a figure its own sentence dates after the one it points back to may
        # have grown (a figure as of the publication date is dated by nothing of its own)
        own_day = r.as_of_lo is not None and c.as_of_hi is not None and (r.as_of_lo, r.as_of_hi) != (
            r.article.pub_lo, r.article.pub_hi)
        return not (own_day and r.as_of_lo > c.as_of_hi and r.hi > c.lo)

    def _agree(self, a: CheckClaim, b: CheckClaim, rounding: str) -> bool:
        g, mag = rounded_gap(a, b, rounding)
        return g == 0 or self.tolerance_for("count").allows(g, mag)

    def _flag(self, r: CheckClaim, earlier: CheckClaim, fact: Fact | None) -> Flag:
        tol = self.tolerance_for("count")
        raw, words = gap_text(earlier, r, tol, None)
        sentence = " ".join((r.sentence or "").split())
        msg = (f"a reference back within one article: {says(r, None)} in \"{sentence[:120]}\", but earlier "
               f"it counted \"{earlier.text}\"; {words}, tolerance {tol.text}")
        return self.flag(fact, [earlier, r], msg, gap=raw)


@register
class Conversion(Check):
    """Linked pairs ("240 kilometers (150 miles)") must convert into each other within rounding."""

    kind = "conversion"
    per_kind = True
    finding = "conversion"
    default_severity = "warning"
    options = {"rounding": choice_option(ROUNDING)}

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        rounding = self.rule.options.get("rounding", "precision")
        pool = [c for c in claims if c.pair_role]  # linked pairs only: most claims stand alone
        by_id = {c.id: c for c in pool}
        for c in pool:
            if c.pair_role != "stated" or not c.pair_id or c.pair_id not in by_id:
                continue
            if self.rule.claim_kind and c.kind != self.rule.claim_kind:
                continue
            other = by_id[c.pair_id]
            if c.kind == "money" and c.norm_unit != other.norm_unit:
                continue  # "€120 million (£104 million)": no rule knows the day's exchange rate
            checked += 1
            g, mag = rounded_gap(c, other, rounding)
            tol = self.tolerance_for(c.kind)
            if g == 0 or tol.allows(g, mag):
                continue
            unit = c.unit or c.norm_unit  # in the stated side's own unit: "95 miles" is 152.9 kilometers
            msg = (f"conversion in {c.article.label()}: \"{c.text}\" is given as \"{other.text}\", "
                   f"but {other.text} is {interval_text(other, unit)}; "
                   f"{in_unit(g, unit, c.kind, difference=True)} apart after rounding, tolerance {tol.text}")
            flags.append(self.flag(None, [c, other], msg, gap=g))
        return outcome_of(self.rule, checked, flags, "no linked pairs")


@register
class RelativeDate(Check):
    """A relative date, resolved against its article's publication date, must agree with other sources.

    Where the publication date is vague the relative date covers every reading: a claim that misses
    the others under every reading is flagged; one that misses under some readings only is "possibly"
    wrong, reported at ``possible_severity``.
    """

    kind = "relative_date"
    per_kind = True
    finding = "relative_date"
    default_severity = "error"
    implied_kinds = ("date",)
    options = {"possible_severity": severity_option}

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        possible = self.rule.options.get("possible_severity", "warning")
        for fact in facts:
            if fact.kind != "date" or not self.applies(fact):
                continue
            # relative: resolved from the publication date ("last Friday"); a date whose year was inferred
            # ("partial") is still a statement of the day (see facts.derive)
            rel = [c for c in comparable(fact.claims) if c.relative]
            absolute = comparable(fact.claims, include_relative=False)
            if rel and not absolute and two_articles(rel):
                checked += len(rel)
                flags.extend(self._among_relative(fact, rel))
                continue
            if not rel or not absolute:
                continue
            # the absolute dates' consensus, once per fact: what the relative dates must agree with
            members, _outliers, _x = consensus(absolute, self.tol, "none")
            lo = max(m[0].lo for m in members)
            hi = min(m[0].hi for m in members)
            lo, hi = min(lo, hi), max(lo, hi)  # with a tolerance the members may only overlap after widening
            if not _confirmed(fact, members, rel, lo, hi, self.tol.absolute or 0.0):
                continue
            ranked = by_precision(members)
            for r in rel:
                m = nearest_member((r, r.lo, r.hi), ranked)
                if m is None:
                    continue
                checked += 1
                ref = m[0]
                slack = self.tol.absolute or 0.0
                g = max(lo - r.hi, r.lo - hi, 0.0)
                vague = r.article.pub_lo != r.article.pub_hi
                reading = f" (publication date {r.article.published}; basis: {r.basis})"
                if g > slack:
                    msg = (f"{fact.label}: {says(r, None)}{reading}; {says(ref, None)}; "
                           f"{int(g)} days apart under every reading, tolerance {self.tol.text}")
                    flags.append(self.flag(fact, [r, ref], msg, gap=g))
                elif vague and (r.lo < lo - slack or r.hi > hi + slack):
                    msg = (f"{fact.label}: {says(r, None)}{reading}; {says(ref, None)}; "
                           f"agrees under some readings of the vague publication date only")
                    flags.append(self.flag(fact, [r, ref], msg, certainty="possibly",
                                           severity=cap(possible, self.rule.severity), gap=0.0))
        return outcome_of(self.rule, checked, flags, "no relative dates with other sources to compare")

    def _among_relative(self, fact: Fact, rel: list[CheckClaim]) -> list[Flag]:
        """Where no source gives the day outright, relative dates from different articles ("on
        Saturday" in one, "yesterday" in another), each resolved against its own publication date,
        must still name one day: each outlier is compared with the most precise date of the others."""
        out: list[Flag] = []
        found = Consensus(rel, self.tol, "none")
        slack = self.tol.absolute or 0.0
        if len({m[0].article.id for m in found.members()}) < 2 and len({c.article.id for c in rel}) > 2:
            return out  # no day that two sources give: the claims do not tell one event (see _confirmed)
        for o in found.outliers:
            m = found.nearest(o)
            if m is None:
                continue
            r, ref = o[0], m[0]
            g = max(ref.lo - r.hi, r.lo - ref.hi, 0.0)
            if g > slack:
                msg = (f"{fact.label}: {says(r, None)} (publication date {r.article.published}; basis: {r.basis}); "
                       f"{says(ref, None)} (publication date {ref.article.published}; basis: {ref.basis}); "
                       f"{int(g)} days apart, tolerance {self.tol.text}")
                out.append(self.flag(fact, [r, ref], msg, gap=g))
        return out


def _confirmed(fact: Fact, members, rel: list[CheckClaim], lo: float, hi: float, slack: float) -> bool:
    """Whether the day the relative dates are held to is one event's: two articles give it, or the fact
    holds only two articles. A date fact of a story's own word ("the fire": it started on the 2nd, swept
    a town on Wednesday, grew by Tuesday evening) gathers many days of many events; one article's
    absolute date among them is no day the others must agree with."""
    articles = {c.article.id for c in fact.claims}
    if len(articles) <= 2:
        return True
    support = {m[0].article.id for m in members}
    support |= {r.article.id for r in rel if r.lo - slack <= hi and lo <= r.hi + slack}
    return len(support) >= 2


@register
class Order(Check):
    """Declared events happen in order; and no event is reported after its article was published.

    "Necessarily" violated when the later event's whole interval lies before the earlier one's;
    "possibly" when they overlap in a way that allows the wrong order.
    """

    kind = "order"
    per_kind = True
    finding = "order"
    default_severity = "error"
    implied_kinds = ("date",)
    options = {"sequence": fact_list_option, "published": bool_option, "possible_severity": severity_option}

    @classmethod
    def validate_rule(cls, rule: RuleSpec, ruleset: Ruleset) -> list[str]:
        if "sequence" not in rule.options and not rule.options.get("published"):
            return ["an order rule needs 'sequence: [fact, fact, ...]' or 'published: true'"]
        for fid in rule.options.get("sequence", []):
            spec = ruleset.fact(fid)
            if spec and spec.kind != "date":
                return [f"sequence fact {fid!r} is of kind {spec.kind}, not date"]
        return []

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        checked = 0
        possible = self.rule.options.get("possible_severity", "warning")
        seq = self.rule.options.get("sequence")
        missing: list[str] = []
        if seq:
            by_spec: dict[str, list[tuple[Fact, CheckClaim]]] = defaultdict(list)
            for f in facts:
                if f.spec is not None and f.spec.id in seq:
                    by_spec[f.spec.id].extend((f, c) for c in comparable(f.claims))
            missing = [fid for fid in seq if not by_spec.get(fid)]
            present = [fid for fid in seq if by_spec.get(fid)]
            for before, after in zip(present, present[1:], strict=False):
                a_claims, b_claims = by_spec[before], by_spec[after]
                checked += len(a_claims) + len(b_claims)
                # the earliest "after" claim against every "before" claim: one pass each way
                b_min_hi = min(b_claims, key=lambda fc: (fc[1].hi, fc[1].id))
                b_min_lo = min(b_claims, key=lambda fc: (fc[1].lo, fc[1].id))
                for fa, a in sorted(a_claims, key=lambda fc: fc[1].id):
                    fb, b = b_min_hi
                    if a.lo > b.hi + (self.tol.absolute or 0):
                        msg = (f"order {fa.label} before {fb.label}: {says(a, None)}, but {says(b, None)}; "
                               f"the {fb.label} would come {int(a.lo - b.hi)} days before the {fa.label}")
                        flags.append(self.flag(fa, [a, b], msg, gap=a.lo - b.hi))
                        continue
                    fb2, b2 = b_min_lo
                    if a.hi > b2.lo and b2.article.id != a.article.id and a.hi - a.lo + b2.hi - b2.lo > 0:
                        msg = (f"order {fa.label} before {fb2.label}: {says(a, None)}; {says(b2, None)}; "
                               f"the intervals overlap, so the order may be wrong")
                        flags.append(self.flag(fa, [a, b2], msg, certainty="possibly",
                                               severity=cap(possible, self.rule.severity), gap=0.0))
        if self.rule.options.get("published"):
            for f in facts:
                if f.kind != "date" or not self.applies(f):
                    continue
                if f.spec is None and not f.whys:
                    continue
                for c in comparable(f.claims):
                    art = c.article
                    if art.pub_hi is None or _meant_after(c, art):
                        continue
                    checked += 1
                    if c.lo > art.pub_hi:
                        msg = (f"{f.label}: {says(c, None)}, {int(c.lo - art.pub_hi)} days after the article "
                               f"was published ({art.published})")
                        flags.append(self.flag(f, [c], msg, gap=c.lo - art.pub_hi))
                    elif c.hi > art.pub_hi and c.lo <= art.pub_hi and c.lo != c.hi and art.pub_lo != art.pub_hi:
                        msg = (f"{f.label}: {says(c, None)}, which may fall after the article was published "
                               f"({art.published})")
                        flags.append(self.flag(f, [c], msg, certainty="possibly",
                                               severity=cap(possible, self.rule.severity), gap=0.0))
        return missing_facts(outcome_of(self.rule, checked, flags), missing)


def _meant_after(c: CheckClaim, art) -> bool:
    """A date the text itself places after publication: in the future tense ("will meet on
    Thursday"), a relative phrase that points forward ("next week", "i morgen"), or a day and month
    whose year the words of its clause chose forward ("has scaled back its 14 July fireworks": a year
    left unwritten is never read past publication otherwise)."""
    return c.cue_kind == "future" or (c.relative and c.lo > art.pub_hi) or (
        c.resolution == "partial" and (c.basis or "").startswith("year inferred") and c.lo > art.pub_hi)


@register
class Bounds(Check):
    """Plausible ranges: a percentage within 0-100, a distance between two places within a range."""

    kind = "bounds"
    per_kind = True
    finding = "out_of_bounds"
    default_severity = "error"
    options = {"min": bound_option, "max": bound_option}

    @classmethod
    def validate_rule(cls, rule: RuleSpec, ruleset: Ruleset) -> list[str]:
        if "min" not in rule.options and "max" not in rule.options:
            return ["a bounds rule needs 'min', 'max' or both"]
        if rule.facts is None and rule.claim_kind is None:
            return ["a bounds rule needs 'fact', 'facts' or 'claim_kind' to say which claims it bounds"]
        lo, hi = rule.options.get("min"), rule.options.get("max")
        if lo is not None and hi is not None and lo > hi:
            return ["a bounds rule's 'min' is above its 'max': no value could pass"]
        return []

    def run(self, facts: list[Fact], claims: list[CheckClaim]) -> Outcome:
        flags: list[Flag] = []
        lo = self.rule.options.get("min", -INF)
        hi = self.rule.options.get("max", INF)
        if self.rule.facts is not None:
            pool = [(f, c) for f in facts if self.applies(f) for c in comparable(f.claims)]
        else:
            pool = [(None, c) for c in claims if c.kind == self.rule.claim_kind
                    and c.pair_role != "conversion"]
        checked = len(pool)
        for f, c in pool:
            unit = display_unit(f, [c]) if f else c.unit if c.kind not in ("count", "percent", "date") else None
            if c.kind == "date":
                rng = f"{iso(lo) if lo != -INF else '…'} to {iso(hi) if hi != INF else '…'}"
            else:
                rng = f"{in_unit(lo, unit, c.kind) if lo != -INF else '…'} to {in_unit(hi, unit, c.kind) if hi != INF else '…'}"
            label = f.label if f else f"{c.kind} claim"
            if c.hi < lo or c.lo > hi:
                g = lo - c.hi if c.hi < lo else c.lo - hi
                msg = f"{label}: {says(c, unit)}, outside the plausible range {rng}"
                flags.append(self.flag(f, [c], msg, gap=g))
        out = outcome_of(self.rule, checked, flags, f"no {self.rule.claim_kind or 'fact'} claims")
        if self.rule.facts:
            have = {f.spec.id for f, _c in pool if f is not None and f.spec is not None}
            return missing_facts(out, [fid for fid in self.rule.facts if fid not in have])
        return out
