"""The README's main command, end to end: build the seeds' database, run the rules, serve a page."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

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


# What `palmyra extract` never imports (issue 13, cold start): each is what another command needs. The
# commands that need them (check, rules, review, export) are imported when one of them runs.
NOT_IMPORTED_BY_EXTRACT = [
    "pint",  # a count and a date need no unit conversion (and conversions are cached on disk)
    "sqlite_utils",
    "datasette",
    "datasette_palmyra.run",
    "datasette_palmyra.checks",
    "datasette_palmyra.facts",
    "datasette_palmyra.ruleset",
    "datasette_palmyra.store",
    "datasette_palmyra.load",
    "datasette_palmyra.export",
]


@pytest.fixture(scope="module")
def extract_modules(tmp_path_factory) -> set[str]:
    folder = tmp_path_factory.mktemp("extract-imports")
    src = folder / "one.txt"
    src.write_text("Palmyra had 5,000 people on 27 March 2016.\n", encoding="utf-8")
    script = ("import sys\nfrom datasette_palmyra.cli import cli\n"
              f"try:\n    cli(['extract', {str(src)!r}, '--lang', 'en', '--published', '2016-11-07'])\n"
              "except SystemExit as e:\n    assert not e.code, e.code\n"
              "print('\\t'.join(sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "PALMYRA_CACHE_DIR": str(folder / "cache")})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [json.loads(line)["text"] for line in lines[:-1]] == ["5,000", "27 March 2016"]
    return set(lines[-1].split("\t"))


@pytest.mark.parametrize("module", NOT_IMPORTED_BY_EXTRACT)
def test_extract_does_not_import(extract_modules, module):
    assert module not in extract_modules


@pytest.mark.parametrize("command", ["check", "rules", "review", "export", "load", "serve", "extract",
                                     "extract-corpus"])
def test_every_command_is_listed_and_has_its_help(command):
    from click.testing import CliRunner

    from datasette_palmyra.cli import cli

    listed = CliRunner().invoke(cli, ["--help"], prog_name="palmyra")
    assert re.search(rf"^  {command} ", listed.output, re.M)
    done = CliRunner().invoke(cli, [command, "--help"], prog_name="palmyra")
    assert done.exit_code == 0 and f"Usage: palmyra {command} " in done.output
