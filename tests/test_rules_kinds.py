"""Each rule kind on hand-made claim rows (inputs written through store.replace_article), plus the
run's storage: one transaction, stable flag ids, JSON output, exit codes, and order independence."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasette_palmyra.check_cli import check
from datasette_palmyra.report import format_json
from datasette_palmyra.ruleset import load_ruleset
from datasette_palmyra.run import evaluate, exit_code, run_check, write_results
from datasette_palmyra.store import ensure_schema, open_db, replace_article

ROOT = Path(__file__).resolve().parent.parent

RULES = """\
facts:
  - {id: dist, label: distance Palmyra–Damascus, kind: length, unit: km, entities: [Palmyra, Damascus]}
  - {id: first, label: first capture, kind: date, event: [capture], entities: [Palmyra], dates: {from: 2015-01-01, to: 2015-12-31}}
  - {id: second, label: liberation, kind: date, event: [liberation], entities: [Palmyra]}
rules:
  - {id: dist-agree, kind: agree, fact: dist, tolerance: 5%}
  - {id: dist-within, kind: within_article, fact: dist, tolerance: 5%, severity: warning}
  - {id: conv, kind: conversion, tolerance: 2%}
  - {id: dist-bounds, kind: bounds, fact: dist, min: 100 km, max: 400 km}
  - {id: pct, kind: bounds, claim_kind: percent, min: 0, max: 100}
  - {id: rel, kind: relative_date, fact: second, possible_severity: warning}
  - {id: seq, kind: order, sequence: [first, second]}
  - {id: future, kind: order, published: true, severity: warning}
"""


def article(aid, source, published, low=None, high=None, language="en"):
    return {"id": aid, "source": source, "published": published, "published_low": low or published,
            "published_high": high or published, "language": language, "title": aid, "body": aid}


def km(text, value, sentence, **kw):
    d = {"kind": "length", "text": text, "start": sentence.find(text), "end": sentence.find(text) + len(text),
         "value": value, "unit": "km", "qualifier": "exact", "low": value * 1000.0, "high": value * 1000.0,
         "norm_unit": "m", "precision": 500.0, "sentence": sentence}
    d.update(kw)
    return d


def date(text, low, high, sentence, basis=None):
    i = sentence.find(text)
    return {"kind": "date", "text": text, "start": i, "end": i + len(text), "value": low, "low": low, "high": high,
            "granularity": "day" if low == high else "month", "basis": basis, "sentence": sentence}


D = "Palmyra lies {} from Damascus."


def build(tmp_path, articles, name="t.db"):
    db = open_db(tmp_path / name)
    ensure_schema(db)
    with db.atomic():
        for art, claims in articles:
            replace_article(db, art, claims)
    return db


def ruleset(tmp_path):
    p = tmp_path / "rules.yml"
    p.write_text(RULES, encoding="utf-8")
    return load_ruleset([p])


def flags_of(result, rule):
    return [f for f in result.flags if f.rule == rule]


def test_agree_rounding_aware_and_message(tmp_path):
    db = build(tmp_path, [
        (article("tass", "TASS", "2016-12-12"), [km("240 km", 240, D.format("240 km"))]),
        (article("lw", "Levant Wire", "2016-03-27"), [km("210 km", 210, D.format("210 km"))]),
        (article("rt", "RT", "2016-03-28"), [km("238 km", 238, D.format("238 km"))]),
    ])
    result = run_check(db, ruleset(tmp_path))
    (flag,) = flags_of(result, "dist-agree")
    assert flag.message == ('distance Palmyra–Damascus: Levant Wire (2016-03-27) says "210 km"; '
                            'TASS (2016-12-12) says "240 km"; 12.5% apart, tolerance 5%')
    assert flag.severity == "error" and {c.article.id for c in flag.claims} == {"lw", "tass"}
    assert exit_code(result, "error") == 1 and exit_code(result, "never") == 0


def test_within_article_and_conversion(tmp_path):
    s1 = "Palmyra, 240 kilometers (150 miles) from Damascus, and 200 km from Damascus by road."
    s2 = "Palmyra, 240 kilometers (120 miles) from Damascus."
    a = [km("240 kilometers", 240, s1, pair=1, pair_role="stated", precision=5000.0),
         km("150 miles", 150, s1, unit="miles", low=241401.6, high=241401.6, pair=0, pair_role="conversion",
            precision=8046.72),
         km("200 km", 200, s1)]
    b = [km("240 kilometers", 240, s2, pair=1, pair_role="stated", precision=5000.0),
         km("120 miles", 120, s2, unit="miles", low=193121.28, high=193121.28, pair=0, pair_role="conversion",
            precision=8046.72)]
    db = build(tmp_path, [(article("a", "A", "2016-12-12"), a), (article("b", "B", "2016-12-13"), b)])
    result = run_check(db, ruleset(tmp_path))
    (within,) = flags_of(result, "dist-within")
    assert {c.text for c in within.claims} == {"240 kilometers", "200 km"} and within.severity == "warning"
    (conv,) = flags_of(result, "conv")
    assert {c.text for c in conv.claims} == {"240 kilometers", "120 miles"}
    assert "conversion in B (2016-12-13)" in conv.message


def test_bounds(tmp_path):
    s = "About 120% of residents left Palmyra, 1,400 km from Damascus."
    pct = {"kind": "percent", "text": "120%", "start": 6, "end": 10, "value": 120, "low": 120.0, "high": 120.0,
           "sentence": s}
    db = build(tmp_path, [(article("a", "A", "2016-12-12"), [pct, km("1,400 km", 1400, s)])])
    result = run_check(db, ruleset(tmp_path))
    assert [f.claims[0].text for f in flags_of(result, "pct")] == ["120%"]
    (b,) = flags_of(result, "dist-bounds")
    assert "outside the plausible range 100 km to 400 km" in b.message


def test_relative_date_necessary_and_possible(tmp_path):
    s_abs = "The army liberated Palmyra on 27 March 2016."
    s_rel = "The army liberated Palmyra last Sunday."
    db = build(tmp_path, [
        (article("abs", "RT", "2016-03-28"), [date("27 March 2016", "2016-03-27", "2016-03-27", s_abs)]),
        (article("wrong", "X", "2016-04-05"),
         [date("last Sunday", "2016-04-03", "2016-04-03", s_rel, "most recent Sunday before published 2016-04-05")]),
        (article("vague", "Y", "2016-04", "2016-04-01", "2016-04-30"),
         [date("last Sunday", "2016-03-27", "2016-04-24", s_rel, "most recent Sunday before published 2016-04")]),
    ])
    result = run_check(db, ruleset(tmp_path))
    by_article = {f.claims[-1].article.id if f.claims[0].article.id == "abs" else f.claims[0].article.id: f
                  for f in flags_of(result, "rel")}
    assert by_article["wrong"].certainty == "necessarily" and by_article["wrong"].severity == "error"
    assert by_article["vague"].certainty == "possibly" and by_article["vague"].severity == "warning"


def test_order_sequence_and_publication(tmp_path):
    s1 = "IS captured Palmyra in May 2015."
    s2 = "The army liberated Palmyra on 27 March 2015."
    s3 = "The army liberated Palmyra on 30 March 2016."
    db = build(tmp_path, [
        (article("a", "A", "2016-04-01"), [date("May 2015", "2015-05-01", "2015-05-31", s1)]),
        (article("b", "B", "2016-04-01"), [date("27 March 2015", "2015-03-27", "2015-03-27", s2)]),
        (article("c", "C", "2016-03-29"), [date("30 March 2016", "2016-03-30", "2016-03-30", s3)]),
    ])
    result = run_check(db, ruleset(tmp_path))
    seq = flags_of(result, "seq")
    assert any(f.certainty == "necessarily" and {c.text for c in f.claims} == {"May 2015", "27 March 2015"}
               for f in seq)
    (future,) = flags_of(result, "future")
    assert future.claims[0].text == "30 March 2016" and "1 days after the article was published" in future.message


def test_stable_ids_one_transaction_and_json(tmp_path):
    db = build(tmp_path, [
        (article("tass", "TASS", "2016-12-12"), [km("240 km", 240, D.format("240 km"))]),
        (article("lw", "Levant Wire", "2016-03-27"), [km("210 km", 210, D.format("210 km"))]),
    ])
    rs = ruleset(tmp_path)
    first = run_check(db, rs)
    second = run_check(db, rs)
    assert [f.id for f in first.flags] == [f.id for f in second.flags]
    assert second.run_id == first.run_id + 1
    stored = {r["id"] for r in db.query("SELECT id FROM flags")}
    assert stored == {f.id for f in second.flags}
    # a run that fails while writing leaves the previous results intact
    broken = evaluate(db, rs)
    broken.flags[0].claims[0].id = "no-such-claim"  # violates the flag_claims foreign key
    with pytest.raises(sqlite3.IntegrityError):
        write_results(db, broken)
    assert {r["id"] for r in db.query("SELECT id FROM flags")} == stored
    assert db.execute("SELECT max(id) FROM runs").fetchone()[0] == second.run_id
    data = json.loads(format_json(second))
    assert set(data[0]) >= {"rule", "kind", "severity", "fact", "message", "claims"}
    # the old keys stay; each claim also carries what a reader needs to follow it back to its source
    claim = data[0]["claims"][0]
    assert set(claim) >= {"id", "article", "text", "start", "end", "low", "high"}
    by_article = {c["article"]: c for f in data for c in f["claims"]}
    assert by_article["tass"]["outlet"] == "TASS" and by_article["tass"]["published"] == "2016-12-12"
    assert by_article["tass"]["sentence"] and "240 km" in by_article["tass"]["sentence"]
    assert {"url", "language", "unit", "qualifier"} <= set(claim)
    assert data[0]["rule_kind"] == data[0]["kind"] and "gap" in data[0] and "tolerance" in data[0]


def test_check_command_formats_and_exit_codes(tmp_path):
    build(tmp_path, [
        (article("tass", "TASS", "2016-12-12"), [km("240 km", 240, D.format("240 km"))]),
        (article("lw", "Levant Wire", "2016-03-27"), [km("210 km", 210, D.format("210 km"))]),
    ])
    (tmp_path / "rules.yml").write_text(RULES, encoding="utf-8")
    runner = CliRunner()
    args = [str(tmp_path / "t.db"), "--rules", str(tmp_path / "rules.yml")]
    r = runner.invoke(check, args + ["--format", "json"])
    assert r.exit_code == 1, r.output
    assert json.loads(r.output)[0]["rule"] == "dist-agree"
    assert runner.invoke(check, args + ["--fail-on", "never"]).exit_code == 0
    r = runner.invoke(check, args + ["--format", "csv"])
    out = r.stdout_bytes.decode()  # (.output turns CRLF into LF)
    assert out.endswith("\r\n") and not out.endswith("\r\n\r\n")  # RFC 4180, no blank record
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert list(rows[0])[:4] == ["id", "rule", "kind", "severity"]
    assert rows[0]["rule"] == "dist-agree" and rows[0]["finding"]
    assert sorted(rows[0]["sources"].split(" | ")) == ["Levant Wire", "TASS"]
    assert sorted(rows[0]["published"].split(" | ")) == ["2016-03-27", "2016-12-12"]
    r = runner.invoke(check, [str(tmp_path / "t.db")])  # the shipped default rules: warnings at most
    assert r.exit_code == 0, r.output
    assert "WARNING" in r.output and "[sources-agree] distance " in r.output and "210 km" in r.output
    assert runner.invoke(check, [str(tmp_path / "t.db"), "--fail-on", "warning"]).exit_code == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(list(range(5))), st.lists(st.integers(200, 260), min_size=5, max_size=5))
def test_flags_do_not_depend_on_article_order(tmp_path_factory, order, values):
    tmp = tmp_path_factory.mktemp("perm")
    arts = [(article(f"a{i}", f"S{i}", f"2016-12-1{i}"), [km(f"{v} km", v, D.format(f"{v} km"))])
            for i, v in enumerate(values)]
    rs = ruleset(tmp)
    base = run_check(build(tmp, arts, "base.db"), rs)
    perm = run_check(build(tmp, [arts[i] for i in order], "perm.db"), rs)
    assert [(f.id, f.message) for f in base.flags] == [(f.id, f.message) for f in perm.flags]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(100, 300), st.lists(st.floats(-0.49, 0.49), min_size=2, max_size=6))
def test_agreeing_intervals_never_flag(tmp_path_factory, centre, offsets):
    """Figures that all lie within rounding of one value agree, whatever the tolerance."""
    tmp = tmp_path_factory.mktemp("agree")
    arts = [(article(f"a{i}", f"S{i}", "2016-12-12"),
             [km("x km", centre + o, D.format("x km"), precision=500.0)]) for i, o in enumerate(offsets)]
    result = run_check(build(tmp, arts), ruleset(tmp))
    assert not flags_of(result, "dist-agree")


def test_undated_articles_are_checked_and_their_changing_figures_compared_with_nothing(tmp_path):
    """Articles loaded without a publication date (no manifest): a count changes from week to week, so
    with no date there is no run of articles to compare it with; fixed facts are still compared."""
    from datasette_palmyra.load import load_paths

    folder = tmp_path / "undated"
    folder.mkdir()
    (folder / "a.txt").write_text("More than 5,000 militants attacked Palmyra. Palmyra lies 240 km from Damascus.\n",
                                  encoding="utf-8")
    (folder / "b.txt").write_text("About 300 militants attacked Palmyra. Palmyra lies 400 km from Damascus.\n",
                                  encoding="utf-8")
    report = load_paths(tmp_path / "u.db", [folder])
    assert report.errors == [] and len(report.loaded) == 2
    db = open_db(tmp_path / "u.db")
    assert db.execute("select count(*) from articles where published_low is null").fetchone()[0] == 2
    result = run_check(db, load_ruleset(None))
    counts = [f for f in result.facts if f.kind == "count"]
    assert len(counts) == 2 and all(len(f.claims) == 1 for f in counts)  # one per article: compared with nothing
    assert any("no publication date" in why for f in counts for why in f.whys)
    distance = [f for f in result.flags if f.rule_kind == "agree" and "distance" in f.message]
    assert len(distance) == 1 and "240 km" in distance[0].message and "400 km" in distance[0].message
