"""The real pipeline on our own corpus and on the seeds: load, extract, group, check.

Every planted inconsistency (tests/corpus/expected.yml) must be flagged by a rule of its kind, and no
flag may name two claims that agree. Recall and false flags are printed (pytest -s shows them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from datasette_palmyra import load
from datasette_palmyra.ruleset import load_ruleset
from datasette_palmyra.run import run_check
from datasette_palmyra.store import open_db

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"


def _has(flag, article: str, text: str) -> bool:
    return any(c.article.id == article and c.text == text for c in flag.claims)


EXPECTED = yaml.safe_load((CORPUS / "expected.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("corpus") / "corpus.db"
    report = load.load_paths(db_path, [CORPUS], manifest=CORPUS / "manifest.yml", strict=True)
    assert len(report.loaded) >= 10
    return db_path


@pytest.fixture(scope="module")
def corpus_result(corpus_db):
    ruleset = load_ruleset([ROOT / "rules" / "default.yml", CORPUS / "rules.yml"])
    return run_check(open_db(corpus_db), ruleset)


def _score(flags) -> tuple[list[dict], list[str]]:
    """The planted inconsistencies no flag of their kind names, and the flags naming two agreeing claims."""
    missed = []
    for planted in EXPECTED["planted"]:
        hit = [f for f in flags if f.rule_kind == planted["kind"]
               and all(_has(f, a, t) for a, t in planted["claims"])
               and f.certainty == planted.get("certainty", f.certainty)]
        if not hit:
            missed.append(planted)
    false = []
    for (a1, t1), (a2, t2) in EXPECTED["agreeing"]:
        false.extend(f.message for f in flags if _has(f, a1, t1) and _has(f, a2, t2))
    return missed, false


def test_corpus_recall_and_false_flags(corpus_result):
    flags = corpus_result.flags
    missed, false = _score(flags)
    kinds = {p["kind"] for p in EXPECTED["planted"]}
    n = len(EXPECTED["planted"])
    print(f"\ncorpus: {len(flags)} flags; recall {1 - len(missed) / n:.2f} ({n - len(missed)}"
          f"/{n} planted, kinds {sorted(kinds)}); false flags on agreeing pairs: {len(false)}")
    assert kinds >= {"agree", "within_article", "conversion", "relative_date", "order", "bounds"}
    assert not missed, f"planted inconsistencies not flagged: {missed}"
    assert not false, f"agreeing claims flagged: {false}"


# what the shipped rules cannot know without the corpus's own rules.yml: "12 June 2017" (liberated)
# disagrees only once "liberation" and "recapture" are declared one event; "July 2017" breaks only a
# declared capture-before-recapture sequence; 1,400 km is out of only a declared plausible range (the
# default agree rule still flags it against the 140 km others report, but as agree, not bounds)
NEEDS_DECLARED = [
    {"kind": "agree", "claims": [["dt-future", "12 June 2017"]]},
    {"kind": "order", "claims": [["hh-again", "July 2017"]]},
    {"kind": "bounds", "claims": [["gw-evacuated", "1,400 kilometers"]]},
]


def test_corpus_recall_with_default_rules_only(corpus_db):
    """The default grouping on a corpus it was not written for: no declared fact, only rules/default.yml."""
    result = run_check(open_db(corpus_db), load_ruleset([ROOT / "rules" / "default.yml"]))
    missed, false = _score(result.flags)
    n = len(EXPECTED["planted"])
    print(f"\ncorpus, default rules only: {len(result.flags)} flags; recall {1 - len(missed) / n:.2f} "
          f"({n - len(missed)}/{n} planted); false flags on agreeing pairs: {len(false)}; missed: {missed}")
    assert missed == NEEDS_DECLARED
    assert not false, f"agreeing claims flagged: {false}"
    # the distance is one fact although two of its sentences name one place ("190 kilometers from Deir
    # ez-Zor" in an article about Raqqa): the article's place completes the pair
    distance = next(f for f in result.facts if f.kind == "length")
    assert {c.article.id for c in distance.claims} >= {"dc-retook", "lw-recapture", "gw-evacuated", "eup-history"}


def test_corpus_every_claim_in_a_fact_says_why(corpus_result):
    for fact in corpus_result.facts:
        for c in fact.claims:
            assert fact.reasons[c.id], (fact.id, c.id)
    distance = next(f for f in corpus_result.facts if f.id == "raqqa-dez-distance")
    # "The city, 190 kilometers from Deir ez-Zor": Raqqa only by the article's main place
    dc = next(c for c in distance.claims if c.article.id == "dc-retook")
    assert "in an article about Raqqa" in distance.reasons[dc.id]


def test_seeds_with_shipped_rules_raise_no_error_and_explain_findings(tmp_path):
    db_path = tmp_path / "seeds.db"
    load.load_paths(db_path, [ROOT / "seeds"], manifest=ROOT / "seeds" / "manifest.yml", strict=True)
    ruleset = load_ruleset([ROOT / "rules" / "default.yml", ROOT / "rules" / "palmyra.yml"])
    result = run_check(open_db(db_path), ruleset)
    errors = [f.message for f in result.flags if f.severity == "error"]
    assert not errors, errors
    assert not [o for o in result.outcomes if o.outcome == "error"]
    facts = {f.id: f for f in result.facts}
    # 27 March / March 27 / mars 2016 / March 2016 are one fact, and it passes
    liberation = {c.text for c in facts["palmyra-liberation-2016"].claims}
    assert {"27 March", "March 27", "mars 2016", "March 2016"} <= liberation
    assert {"desember i fjor", "December 2016"} <= {c.text for c in facts["palmyra-second-capture"].claims}
    assert {"240 kilometers", "150 miles"} <= {c.text for c in facts["palmyra-damascus-distance"].claims}
    for f in result.flags:
        assert f.message and f.severity in ("info", "warning")
    print(f"\nseeds: {len(result.flags)} flags, none at error level: " + "; ".join(f.message for f in result.flags))
