"""Grouping and reporting on small real corpora (articles written here, loaded through the real
extractor): vague publication dates, one flag per finding, rule files for another story, the clause's
verb, and messages in plain words."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from datasette_palmyra.load import load_paths
from datasette_palmyra.ruleset import RuleFileError, load_ruleset
from datasette_palmyra.run import exit_code, run_check
from datasette_palmyra.store import open_db

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / "rules" / "default.yml"


def corpus(tmp_path: Path, articles: list[tuple[str, str, str, str]], lang: str = "en"):
    """Articles (id, source, published, text) written as files, loaded with a manifest."""
    folder = tmp_path / "arts"
    folder.mkdir()
    manifest = []
    for aid, source, published, text in articles:
        (folder / f"{aid}.txt").write_text(text, encoding="utf-8")
        manifest.append({"path": f"{aid}.txt", "id": aid, "source": source, "published": published,
                         "language": lang})
    (folder / "manifest.yml").write_text(yaml.safe_dump(manifest), encoding="utf-8")
    db_path = tmp_path / "c.db"
    load_paths(db_path, [folder], manifest=folder / "manifest.yml", strict=True)
    return open_db(db_path)


def check(db, *paths):
    return run_check(db, load_ruleset(list(paths) or [DEFAULT]))


RAQQA = [
    ("lw", "Levant Wire", "2017-06-03", "Raqqa evacuated\n\nAbout 2,000 civilians were evacuated from Raqqa on Friday."),
    ("gw", "Gulf Wire", "2017-06-05", "Raqqa\n\nSome 2,100 civilians were evacuated from Raqqa, officials said."),
    ("nv", "Nordic View", "2017-06", "Raqqa\n\nOnly 600 civilians were evacuated from Raqqa, aid workers said."),
]


def test_month_dated_article_is_compared_as_possibly(tmp_path):
    """An article dated only to June 2017 joins the run of articles its month overlaps; its
    disagreement depends on the unknown day, so it is "possibly", at the rule's possible_severity."""
    result = check(corpus(tmp_path, RAQQA))
    fact = next(f for f in result.facts if f.kind == "count")
    assert {c.article.id for c in fact.claims} == {"lw", "gw", "nv"}
    assert fact.vague == {c.id for c in fact.claims if c.article.id == "nv"}
    nv = next(c for c in fact.claims if c.article.id == "nv")
    assert "published 2017-06, which overlaps" in fact.reasons[nv.id]
    assert fact.label == "count of residents in evacuation, Raqqa (reported 3–5 June 2017)"
    (flag,) = [f for f in result.flags if f.rule == "sources-agree"]
    assert (flag.certainty, flag.severity) == ("possibly", "info")
    assert {c.article.id for c in flag.claims} == {"nv", "lw"} or {c.article.id for c in flag.claims} == {"nv", "gw"}
    assert "possibly: Nordic View (2017-06) is dated only to 2017-06" in flag.message


def test_month_dated_article_far_from_the_others_is_not_placed_with_them(tmp_path):
    arts = RAQQA[:2] + [("nv", "Nordic View", "2017-09", RAQQA[2][3])]
    result = check(corpus(tmp_path, arts))
    assert not [f for f in result.flags if f.rule == "sources-agree"]
    counts = [f for f in result.facts if f.kind == "count"]
    assert sorted(len(f.claims) for f in counts) == [1, 2]


PALMYRA = [
    ("a", "Levant Wire", "2016-03-28",
     "Palmyra retaken\n\nThe Syrian army recaptured Palmyra on 27 March 2016. "
     "The ancient city lies 240 kilometers (150 miles) from Damascus."),
    ("b", "Desert Courier", "2016-03-27",
     "Army in Palmyra\n\nPalmyra is 170 km from Damascus. Syrian troops recaptured Palmyra on 24 March 2016."),
]


def test_main_place_completes_a_distance_and_one_flag_per_finding(tmp_path):
    """ "The ancient city lies 240 km from Damascus" in an article about Palmyra is the distance
    Palmyra–Damascus. With the Palmyra rules too, the declared rule (error) and the default one
    (warning) find the same date clash: one flag, naming the other rule."""
    db = corpus(tmp_path, PALMYRA)
    result = check(db)
    distance = next(f for f in result.facts if f.kind == "length")
    assert {c.text for c in distance.claims} >= {"240 kilometers", "170 km"}
    assert any(f.rule == "sources-agree" and f.fact == distance.id for f in result.flags)
    dates = next(f for f in result.facts if f.kind == "date")
    assert dates.label == "date of recapture, Palmyra, March 2016"

    result = check(db, ROOT / "rules")
    same = [f for f in result.flags if {c.text for c in f.claims} == {"27 March 2016", "24 March 2016"}]
    assert len(same) == 1, [f.message for f in same]
    assert same[0].rule == "palmyra-events-agree" and same[0].severity == "error"
    assert same[0].message.endswith("(also found by rule dates-agree, warning)")
    by_rule = {o.rule.id: o for o in result.outcomes}
    assert by_rule["dates-agree"].message.endswith("1 shown under rule palmyra-events-agree")
    # the Palmyra facts of 2015 and December 2016 have no claims here: a warning, not an error
    order = by_rule["palmyra-event-order"]
    assert order.outcome == "warn"
    assert order.message == ("not evaluated: declared facts palmyra-first-capture, palmyra-second-capture "
                             "have no claims in this corpus")
    assert by_rule["palmyra-attackers-within-article"].outcome == "warn"
    assert not [o for o in result.outcomes if o.outcome == "error"]


def test_a_declared_fact_without_claims_fails_only_when_required(tmp_path):
    db = corpus(tmp_path, PALMYRA[:1])
    rules = tmp_path / "r.yml"
    rules.write_text("facts:\n  - {id: toll, label: deaths, kind: count, counted: dead}\n"
                     "rules:\n  - {id: toll-agree, kind: agree, fact: toll, tolerance: 5%}\n"
                     "  - {id: toll-must, kind: agree, fact: toll, tolerance: 5%, required: true}\n",
                     encoding="utf-8")
    result = check(db, rules)
    by_rule = {o.rule.id: o for o in result.outcomes}
    assert (by_rule["toll-agree"].outcome, by_rule["toll-must"].outcome) == ("warn", "error")
    assert by_rule["toll-must"].message == "could not evaluate: no claims for required fact toll"
    assert exit_code(result) == 1
    rules.write_text("rules:\n  - {id: r, kind: agree, required: maybe}\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"r.yml:2:36: required must be true or false"):
        load_ruleset([rules])


def test_nothing_to_compare_says_so(tmp_path):
    result = check(corpus(tmp_path, PALMYRA[:1]))
    out = next(o for o in result.outcomes if o.rule.id == "sources-agree")
    assert (out.outcome, out.message) == ("pass", "nothing to compare (no fact reported by two sources)")


def test_seed_attackers_and_killed_are_different_figures(tmp_path):
    """TASS: "More than 5,000 militants ... have launched an offensive" and "300 militants were wiped
    out": the clause's verb (attack) and the kill verb (dead) keep them apart."""
    db_path = tmp_path / "seeds.db"
    load_paths(db_path, [ROOT / "seeds"], manifest=ROOT / "seeds" / "manifest.yml", strict=True)
    result = check(open_db(db_path))
    fact_of = {c.text: f for f in result.facts for c in f.claims if c.article.source == "TASS"}
    assert fact_of["More than 5,000"].id.startswith("count:militants/attack:")
    assert fact_of["300"].id.startswith("count:militants/dead:")
    assert not [f for f in result.flags if f.rule == "same-article"]


@pytest.mark.parametrize("text, lang, published, shown", [
    ("Minst 2000 sivile ble evakuert fra Raqqa. Bare 1200 sivile ble evakuert fra Raqqa.", "nb", "2017-06-07",
     ['"Minst 2000" (at least 2,000)', '"1200"']),
    ("More than 5,000 civilians were evacuated from Raqqa. Only 1,900 civilians were evacuated from Raqqa.",
     "en", "2017-06-07", ['"More than 5,000";', '"1,900";']),
    ("Up to 2,000 civilians were evacuated from Raqqa. Some 4,200 civilians were evacuated from Raqqa.",
     "en", "2017-06-07", ['"Up to 2,000";', '"Some 4,200" (about 4,200)']),
])
def test_messages_use_the_qualifier_and_do_not_repeat_figures(tmp_path, text, lang, published, shown):
    result = check(corpus(tmp_path, [("x", "Raqqa Post", published, "Raqqa\n\n" + text)], lang))
    (flag,) = [f for f in result.flags if f.rule == "same-article"]
    for part in shown:
        assert part in flag.message, flag.message


def test_clause_boundaries_are_vocabulary(tmp_path):
    """A vocabulary file next to a rule file adds clause words: here 'whilst' cuts the clause, so the
    event word after it no longer names what the count before it counts."""
    text = "Raqqa\n\nSome 300 militants were seen near Raqqa whilst troops launched an offensive."
    db = corpus(tmp_path, [("x", "Raqqa Post", "2017-06-07", text)])
    rules = tmp_path / "rules" / "r.yml"
    rules.parent.mkdir()
    rules.write_text("rules:\n  - {id: r, kind: agree, tolerance: 5%}\n", encoding="utf-8")
    before = {f.id for f in check(db, rules).facts}
    assert any(i.startswith("count:militants/attack:") for i in before), before
    (rules.parent / "vocabulary").mkdir()
    (rules.parent / "vocabulary" / "more.yml").write_text(
        "clause_boundaries:\n  always:\n    en: [whilst]\n", encoding="utf-8")
    after = {f.id for f in check(db, rules).facts}
    assert not any(i.startswith("count:militants/attack:") for i in after), after
    (rules.parent / "vocabulary" / "more.yml").write_text(
        "clause_boundaries:\n  allways:\n    en: [whilst]\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"more.yml:2:3: unknown clause boundary kind 'allways'.*'always'"):
        load_ruleset([rules])
