"""A check split by claim kind across worker processes (``palmyra check --jobs N``) finds and writes
exactly what one process does.

Real parts only: the test corpora and a generated corpus of 60,000 claims through the real loader or
the check benchmark's generator, real worker processes, real SQLite files compared table by table.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.check_bench import generate
from datasette_palmyra import parallel
from datasette_palmyra.checks import REGISTRY, Check, Outcome
from datasette_palmyra.cli import cli
from datasette_palmyra.facts import Matcher
from datasette_palmyra.load import load_paths
from datasette_palmyra.report import format_json
from datasette_palmyra.ruleset import load_ruleset
from datasette_palmyra.run import run_check
from datasette_palmyra.store import open_db

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"corpus": ROOT / "tests" / "corpus", "corpus_toll": ROOT / "tests" / "corpus_toll"}
RESULT_TABLES = ("facts", "fact_claims", "fact_reasons", "flags", "flag_claims", "rule_results")


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every result table, row for row in stored order (rowid, or the key of fact_claims), without
    the run id (a new run each time)."""
    conn = sqlite3.connect(path)
    out = {}
    for table in RESULT_TABLES:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] != "run_id"]
        out[table] = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}]").fetchall()
    conn.close()
    return out


def _twins(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The corpus loaded once, and a copy of the file: one to check in one process, one in several."""
    one = tmp_path / f"{name}-1.db"
    report = load_paths(one, [CORPORA[name]], manifest=CORPORA[name] / "manifest.yml", strict=True)
    assert report.loaded
    open_db(one).conn.close()  # checkpoint the WAL into the file before copying it
    split = tmp_path / f"{name}-split.db"
    shutil.copy(one, split)
    return one, split


def _ruleset(name: str):
    return load_ruleset([ROOT / "rules" / "default.yml", CORPORA[name] / "rules.yml"])


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_split_check_writes_what_one_process_writes(tmp_path, monkeypatch, name):
    """The planted corpora exercise every rule kind (conversions, relative dates, orders, bounds,
    running totals, declared and default facts); split by kind, the same rows come out in the same order."""
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 0)  # these corpora are small: split them anyway
    one, split = _twins(tmp_path, name)
    ruleset = _ruleset(name)
    db = open_db(split)
    groups = parallel.plan(db, ruleset, 2)
    assert groups is not None and len(groups) == 2, groups  # several kinds, so both jobs used
    db.conn.close()
    r1 = run_check(open_db(one), ruleset, jobs=1)
    r2 = run_check(open_db(split), ruleset, jobs=2)
    assert r2.claims == [] and r2.claim_count == r1.claim_count == len(r1.claims)  # it did run in workers
    assert r1.flags and {f.severity for f in r1.flags} >= {"error", "warning"}
    assert format_json(r2) == format_json(r1)
    assert [(o.rule.id, o.outcome, o.checked, o.message) for o in r2.outcomes] == \
        [(o.rule.id, o.outcome, o.checked, o.message) for o in r1.outcomes]
    assert [(f.id, f.label, len(f.claims), [c.id for c in f.claims], f.whys) for f in r2.facts] == \
        [(f.id, f.label, len(f.claims), [c.id for c in f.claims], f.whys) for f in r1.facts]
    assert _tables(split) == _tables(one)


def test_generated_corpus_cli_jobs_2_prints_and_writes_what_jobs_1_does(tmp_path, monkeypatch):
    """Above MIN_CLAIMS the split is the CLI's own choice: same JSON, same exit code, same tables."""
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 50_000)  # a corpus of 60,000 claims is quicker to make
    one = tmp_path / "gen-1.db"
    generate(one, 60_000)
    split = tmp_path / "gen-split.db"
    shutil.copy(one, split)
    assert parallel.plan(open_db(split), load_ruleset(None), 2) is not None
    runner = CliRunner()
    out1 = runner.invoke(cli, ["check", str(one), "--format", "json", "--fail-on", "warning", "--jobs", "1"])
    out2 = runner.invoke(cli, ["check", str(split), "--format", "json", "--fail-on", "warning", "--jobs", "2"])
    assert out1.exit_code == out2.exit_code == 1, (out1.output[-500:], out2.output[-500:])
    flags = json.loads(out2.output)
    assert len(flags) > 100 and flags == json.loads(out1.output)
    assert _tables(split) == _tables(one)
    assert sqlite3.connect(split).execute("SELECT count(*) FROM fact_claims").fetchone()[0] > 50_000


def test_a_pair_across_kinds_is_checked_in_one_process(tmp_path, monkeypatch):
    """The extractor links "240 km (150 miles)" only within a kind; a database that links two kinds
    anyway is checked in one process, so that the conversion rule still sees both sides."""
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 0)
    one, split = _twins(tmp_path, "corpus")
    ruleset = _ruleset("corpus")
    first = open_db(one)
    planned = parallel.plan(first, ruleset, 2)  # the groups follow the kinds' sizes, not the links
    first.conn.close()
    assert planned
    for path in (one, split):
        with sqlite3.connect(path) as conn:
            stated = conn.execute("SELECT id, kind FROM claims WHERE pair_role = 'stated' ORDER BY id").fetchone()
            # a claim of a kind another process checks: the link must cross the groups
            apart = [k for g in planned if stated[1] not in g for k in g]
            other = conn.execute(f"SELECT id FROM claims WHERE kind IN ({','.join('?' * len(apart))}) ORDER BY id",
                                 apart).fetchone()[0]
            conn.execute("UPDATE claims SET pair_id = ? WHERE id = ?", [other, stated[0]])
    db = open_db(split)
    groups = parallel.plan(db, ruleset, 2)
    assert groups and parallel.check_in_processes(db, ruleset, groups, Matcher(ruleset.vocabulary)) is None
    db.conn.close()
    r1 = run_check(open_db(one), ruleset, jobs=1)
    r2 = run_check(open_db(split), ruleset, jobs=2)
    assert r2.claims  # checked here, not in workers
    assert format_json(r2) == format_json(r1)
    assert _tables(split) == _tables(one)


def test_a_failed_worker_raises_with_its_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 0)
    _one, split = _twins(tmp_path, "corpus")
    ruleset = _ruleset("corpus")
    db = open_db(split)
    groups = parallel.plan(db, ruleset, 2)
    split.rename(tmp_path / "moved.db")  # this process keeps its open file; the workers find none
    with pytest.raises(parallel.WorkerFailed, match="unable to open database file"):
        parallel.check_in_processes(db, ruleset, groups, Matcher(ruleset.vocabulary))


def test_plan_packs_kinds_by_cost_and_stays_in_process_when_splitting_cannot_help(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 50_000)
    one = tmp_path / "gen.db"
    generate(one, 60_000)  # claims: length 35%, count 35%, date 30%; a count costs about twice the others
    db = open_db(one)
    ruleset = load_ruleset(None)
    kinds = {k for k, in db.conn.execute("SELECT DISTINCT kind FROM claims")} | {s.kind for s in ruleset.facts}
    groups = parallel.plan(db, ruleset, 2)
    assert sorted(k for g in groups for k in g) == sorted(kinds)  # every kind once
    assert groups[0] == ["count"] and {"length", "date"} <= set(groups[1])  # about equal costs
    assert parallel.plan(db, ruleset, 1) is None  # one job
    assert len(parallel.plan(db, ruleset, 1000)) == len(kinds)  # never more workers than kinds
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 100_000)
    assert parallel.plan(db, ruleset, 2) is None  # small: starting processes costs more than it saves
    memory = open_db(":memory:")
    assert parallel.plan(memory, ruleset, 2) is None  # no file for the workers to open


def test_a_rule_kind_that_compares_across_kinds_keeps_the_check_in_one_process(tmp_path, monkeypatch):
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 50_000)
    class Across(Check):
        """A user's rule kind that looks at every claim: it does not say per_kind, so no split."""

        kind = "across"

        def run(self, facts, claims):
            return Outcome(self.rule, "pass", len(claims), [], "looked at every kind")

    monkeypatch.setitem(REGISTRY, "across", Across)  # registered for this test only
    rules = tmp_path / "across.yml"
    rules.write_text("rules:\n  - {id: every-kind, kind: across}\n", "utf-8")
    one = tmp_path / "gen.db"
    generate(one, 60_000)
    db = open_db(one)
    ruleset = load_ruleset([rules])
    assert parallel.plan(db, ruleset, 2) is None
    result = run_check(db, ruleset, jobs=2)
    assert result.claims and result.outcomes[0].checked == 60_000


def test_reason_ids_hash_their_text_so_they_survive_reruns_and_write_order(tmp_path, monkeypatch):
    """Workers' facts are written as each worker finishes, in no fixed order; a reason's id is a hash
    of its text, so it is the same whatever the order, and from one run to the next."""
    from datasette_palmyra.store.results import reason_id

    monkeypatch.setattr(parallel, "MIN_CLAIMS", 0)
    one, split = _twins(tmp_path, "corpus")
    ruleset = _ruleset("corpus")
    run_check(open_db(split), ruleset, jobs=2)
    rows = sqlite3.connect(split).execute("SELECT id, reason FROM fact_reasons").fetchall()
    assert len(rows) > 5 and all(rid == reason_id(why) for rid, why in rows)
    run_check(open_db(split), ruleset, jobs=1)  # again, in one process
    assert sqlite3.connect(split).execute("SELECT id, reason FROM fact_reasons").fetchall() == rows
    used = sqlite3.connect(split).execute("SELECT count(DISTINCT reason_id) FROM fact_claims").fetchone()[0]
    assert used == len(rows)


def test_cli_jobs_must_be_a_positive_number(tmp_path):
    one, _split = _twins(tmp_path, "corpus")
    result = CliRunner().invoke(cli, ["check", str(one), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs" in result.output
    assert sqlite3.connect(one).execute("SELECT count(*) FROM runs").fetchone()[0] == 0  # nothing ran


def test_cli_reports_a_worker_that_dies_in_one_line_and_writes_nothing(tmp_path, monkeypatch):
    """A worker killed from outside (out of memory, say): exit 1, one line naming the database and
    the worker's exit code, and the previous results as they were."""
    monkeypatch.setattr(parallel, "MIN_CLAIMS", 0)
    one, _split = _twins(tmp_path, "corpus")
    run_check(open_db(one), _ruleset("corpus"), jobs=1)
    before = _tables(one)
    monkeypatch.setattr(parallel, "WORKER", [sys.executable, "-c", "raise SystemExit(9)"])  # dies at once
    result = CliRunner().invoke(cli, ["check", str(one), "--jobs", "2"])
    assert result.exit_code == 1, result.output
    assert "ended without a result (exit code 9); nothing was written" in result.output
    assert _tables(one) == before
    assert sqlite3.connect(one).execute("SELECT count(*) FROM runs").fetchone()[0] == 1


def test_claims_and_articles_survive_pickling_whole(tmp_path):
    """Flagged claims travel from the workers pickled (as their constructors' arguments): every field,
    derived ones included, comes back; articles once per pickle, shared by their claims."""
    import pickle

    from datasette_palmyra.engine import read_claims

    one, _split = _twins(tmp_path, "corpus")
    ruleset = _ruleset("corpus")
    articles, claims = read_claims(open_db(one), Matcher(ruleset.vocabulary))
    back = pickle.loads(pickle.dumps(claims, protocol=pickle.HIGHEST_PROTOCOL))
    assert len(claims) > 20 and back == claims
    assert any(c.relative for c in back) and any(not c.stated for c in back)  # derived fields kept
    by_article = {}
    for c in back:
        assert by_article.setdefault(c.article.id, c.article) is c.article  # one copy per article
    assert {a.id: a for a in by_article.values()} == {aid: articles[aid] for aid in by_article}
