"""The README's main command, end to end: build the seeds' database, run the rules, serve a page."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def palmyra(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "datasette_palmyra", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_readme_main_command_builds_checks_and_serves(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    build = ["--build", "seeds", "--build", "examples/ferry", "--rules", "rules"]
    assert "palmyra serve palmyra.db " + " ".join(build) in readme.splitlines()[1]
    db = tmp_path / "palmyra.db"
    done = palmyra("serve", str(db), *build, "--get", "/-/palmyra.json")
    assert done.returncode == 0, done.stderr
    assert "10 articles loaded" in done.stderr and "note:" not in done.stderr  # each folder's manifest
    assert re.search(r"^10 articles, \d+ claims, \d+ facts, \d+ rules: \d+ flags", done.stderr, re.M)  # the summary
    page = json.loads(done.stdout)  # the dashboard's JSON, from a real datasette with the plugin
    (summary,) = page["databases"]
    assert summary["counts"]["articles"] == 10 and summary["run"]["id"] == 1
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from articles").fetchone() == (10,)
    # the demo story's planted disagreements are what the dashboard shows, and nothing else
    flags = conn.execute("select finding, group_concat(distinct articles.id) from flags"
                         " join flag_claims on flag_claims.flag_id = flags.id"
                         " join claims on claims.id = flag_claims.claim_id"
                         " join articles on articles.id = claims.article_id group by flags.id").fetchall()
    assert sorted(f for f, _ in flags) == ["conversion", "disagreement", "disagreement", "lower_than_earlier",
                                          "relative_date"]
    assert all(set(arts.split(",")) <= {"nw-tue", "fp-wed", "hg-thu", "sv-thu", "nw-fri"} for _, arts in flags)
    assert conn.execute("select count(*) from runs").fetchone() == (1,)
    # served read-only: the file was checkpointed out of WAL mode first
    assert conn.execute("pragma journal_mode").fetchone() == ("delete",)
    # and a second build changes nothing but adds a run
    again = palmyra("serve", str(db), *build, "--get", "/-/palmyra.json")
    assert again.returncode == 0 and "0 articles loaded, 10 unchanged" in again.stderr


def test_check_json_and_exit_codes(tmp_path):
    db = tmp_path / "p.db"
    assert palmyra("load", str(db), "seeds", "-q").returncode == 0
    done = palmyra("check", str(db), "--rules", "rules", "--format", "json", "--fail-on", "never")
    assert done.returncode == 0, done.stderr
    flags = json.loads(done.stdout)
    assert isinstance(flags, list)
    for f in flags:
        assert {"rule", "kind", "severity", "fact", "message", "claims"} <= set(f)
    bad = tmp_path / "bad.yml"
    bad.write_text("rules:\n  - id: x\n    kind: agre\n", encoding="utf-8")
    done = palmyra("check", str(db), "--rules", str(bad))
    assert done.returncode == 2
    assert f"{bad}:3:" in done.stderr and "agree" in done.stderr


def test_a_file_that_is_not_sqlite_is_a_usage_error(tmp_path):
    notdb = tmp_path / "notes.db"
    notdb.write_text("hello", encoding="utf-8")
    for args in (["load", str(notdb), "seeds"], ["serve", str(notdb), "--get", "/"], ["check", str(notdb)]):
        done = palmyra(*args)
        assert done.returncode == 2, (args, done.stderr)
        assert f"{notdb}: not an SQLite database" in done.stderr
        assert "Traceback" not in done.stderr
    assert notdb.read_text(encoding="utf-8") == "hello"
