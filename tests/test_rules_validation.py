"""Rule files are validated before anything runs: every mistake with its file, line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from datasette_palmyra.check_cli import check, rules
from datasette_palmyra.ruleset import RuleFileError, load_ruleset
from datasette_palmyra.store import ensure_schema, open_db

ROOT = Path(__file__).resolve().parent.parent

BAD = """\
facts:
  - id: dist
    kind: length
    unit: kg
    entities: [Palmyyra]
  - id: dist
    kind: lenght
rules:
  - id: a
    kind: agre
  - id: b
    kind: agree
    fact: dist
    severty: error
    tolerance: 5 kmm
  - id: b
    kind: agree
    severity: critical
    tolerance: 1 day
  - id: c
    kind: bounds
    fact: dst
    min: 5 seconds
"""

EXPECTED = [
    (4, 11, "unit 'kg' is a mass, but length claims are a length"),
    (5, 16, "unknown entity 'Palmyyra'", "did you mean 'Palmyra'?"),
    (6, 5, "duplicate fact id 'dist'"),
    (7, 11, "unknown claim kind 'lenght'", "did you mean 'length'?"),
    (10, 11, "unknown rule kind 'agre'", "did you mean 'agree'?"),
    (14, 5, "unknown key 'severty'", "did you mean 'severity'?"),
    (15, 16, "bad tolerance '5 kmm'", "unknown unit 'kmm'"),
    (16, 5, "duplicate rule id 'b'"),
    (18, 15, "unknown severity 'critical' (one of info, warning, error)"),
    (19, 16, "tolerance '1 day' has a unit, but the rule applies to claims of every kind"),
    (22, 11, "unknown fact 'dst'", "did you mean 'dist'?"),
]


def test_every_mistake_reported_at_once_with_line_and_column(tmp_path):
    path = tmp_path / "bad.yml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(RuleFileError) as e:
        load_ruleset([path])
    errors = e.value.errors
    for line, col, *parts in EXPECTED:
        hits = [m for m in errors if m.startswith(f"{path}:{line}:{col}: ") and all(p in m for p in parts)]
        assert hits, (line, col, parts, errors)
    assert all(re.match(rf"{re.escape(str(path))}:\d+:\d+: ", m) for m in errors)


UNKNOWN_KIND = """\
rules:
  - id: r1
    kind: agre
    severity: eror
    claim_kind: lenght
    tolerance: 5 kmm
    sequence: [a, b]
  - id: r1
    kind: agree
    severity: warning
  - kind: monotone
    severity: info
"""


def test_unknown_kind_still_checks_the_common_keys_and_the_id(tmp_path):
    """A rule of an unknown kind still has its severity, claim kind, tolerance and id checked; options
    of some other kind ('sequence') are left alone, since the kind they belong to is unknown."""
    path = tmp_path / "bad.yml"
    path.write_text(UNKNOWN_KIND, encoding="utf-8")
    r = CliRunner().invoke(rules, ["lint", str(path)])
    assert r.exit_code == 2
    errors = [m for m in r.output.splitlines() if m.startswith(str(path))]
    assert errors == [
        f"{path}:3:11: unknown rule kind 'agre'; did you mean 'agree'?",
        f"{path}:4:15: unknown severity 'eror' (one of info, warning, error); did you mean 'error'?",
        f"{path}:5:17: unknown claim kind 'lenght'; did you mean 'length'?",
        f"{path}:6:16: bad tolerance '5 kmm': unknown unit 'kmm'",
        f"{path}:8:5: duplicate rule id 'r1' (first at {path}:2)",
        f"{path}:11:5: rule has no 'id'",
    ], r.output


@pytest.mark.parametrize("tolerance,kind,message", [
    ("5 km", "date", "bad tolerance '5 km': unit 'km' is a length, but date claims are a time"),
    ("5%", "date", "dates take a number of days"),
    ("1 day", "length", "unit 'day' is a time, but length claims are a length"),
    ("-5%", "length", "must not be negative"),
    ("five", "length", "bad tolerance 'five'"),
])
def test_bad_tolerances(tmp_path, tolerance, kind, message):
    path = tmp_path / "r.yml"
    path.write_text(f"rules:\n  - id: r\n    kind: agree\n    claim_kind: {kind}\n    tolerance: {tolerance}\n",
                    encoding="utf-8")
    with pytest.raises(RuleFileError) as e:
        load_ruleset([path])
    assert e.value.errors[0].startswith(f"{path}:5:16: ") and message in e.value.errors[0], e.value.errors


def test_good_tolerances_are_normalized(tmp_path):
    path = tmp_path / "r.yml"
    path.write_text("rules:\n"
                    "  - {id: a, kind: agree, claim_kind: length, tolerance: 5 km}\n"
                    "  - {id: b, kind: agree, claim_kind: date, tolerance: 2 days}\n"
                    "  - {id: c, kind: agree, tolerance: 5%}\n", encoding="utf-8")
    rs = load_ruleset([path])
    assert [r.tolerance.absolute for r in rs.rules[:2]] == [5000.0, 2.0]
    assert rs.rules[2].tolerance.relative == pytest.approx(0.05)


def test_shipped_rules_lint_clean():
    result = CliRunner().invoke(rules, ["lint", str(ROOT / "rules"), str(ROOT / "tests" / "corpus" / "rules.yml")])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")


def test_lint_and_check_exit_2_and_write_nothing(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(rules, ["lint", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:10:11: unknown rule kind 'agre'; did you mean 'agree'?" in result.output
    db_path = tmp_path / "x.db"
    db = open_db(db_path)
    ensure_schema(db)
    before = db.execute("SELECT count(*) FROM runs").fetchone()[0]
    result = runner.invoke(check, [str(db_path), "--rules", str(bad)])
    assert result.exit_code == 2
    assert open_db(db_path).execute("SELECT count(*) FROM runs").fetchone()[0] == before == 0


def test_check_usage_errors_exit_2(tmp_path):
    runner = CliRunner()
    assert runner.invoke(check, [str(tmp_path / "missing.db")]).exit_code == 2
    assert runner.invoke(check, [str(tmp_path / "x.db"), "--format", "xml"]).exit_code == 2
    assert not (tmp_path / "missing.db").exists()
