"""Hostile and careless input, one row per case: a clear line naming the file (and line) and what is
wrong, a non-zero exit, no traceback, and the database exactly as it was.

Policy, the same everywhere: a bad article (a file, or a line of a .jsonl file) is skipped and named,
the good ones of the batch load, exit 1 if nothing loaded; under ``--strict`` the whole batch is
refused (exit 2). A bad manifest, rule file, database or option is fatal before anything is written
(exit 2, or 1 for a database that cannot be written).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import checksum, count
from test_bad_input import assert_rejected, check_cli, load_cli

from datasette_palmyra import yamlfile
from datasette_palmyra.cli import cli

GOOD = "Over 2,000 targets were struck 40 km from Homs on 27 March 2016."
BOMB = "a: &a [x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
                                  for i in range(12))


def _jsonl(*bodies: str) -> bytes:
    return b"".join(bodies[k].encode("utf-8") + b"\n" for k in range(len(bodies)))


# -- articles: skipped and named, or the batch refused under --strict ---------------------------------------

@pytest.mark.parametrize("name, data, line, expect", [
    ("surrogate.jsonl", _jsonl('{"id": "s1", "body": "5 km \\ud800 from Homs"}'), 1, "lone surrogate (\\ud800"),
    ("surrogate-id.jsonl", _jsonl('{"id": "s\\udfff", "body": "5 km from Homs"}'), 1, "'id' holds a lone surrogate"),
    ("deep.jsonl", _jsonl('{"id": "d", "body": ' + "[" * 100_000 + "]" * 100_000 + "}"), 1, "nested too deeply"),
    ("deep-title.jsonl", _jsonl('{"id": "t", "body": "5 km", "title": ' + "[" * 5000 + "]" * 5000 + "}"), 1,
     "nested too deeply"),
    ("long-int.jsonl", _jsonl('{"id": ' + "9" * 5000 + ', "body": "5 km"}'), 1, "integer string conversion"),
    ("utf16.jsonl", b"\xff\xfe" + '{"id": "u", "body": "5 km"}\n'.encode("utf-16-le"), None,
     "UTF-16 text (byte-order mark); JSON lines must be UTF-8"),
])
def test_articles_that_cannot_be_read(db, tmp_path, name, data, line, expect):
    path = tmp_path / name
    path.write_bytes(data)
    assert_rejected(db, path, expect, line=line)


def test_a_bad_line_is_skipped_and_the_good_lines_around_it_load(db, tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_bytes(_jsonl(json.dumps({"id": "g1", "body": GOOD}), '{"id": "bad", "body": "\\ud800"}',
                            json.dumps({"id": "g2", "body": GOOD})))
    code, lines = load_cli(db, str(path))
    assert code == 0 and any(f"{path}:2:" in ln and "lone surrogate" in ln for ln in lines), lines
    assert count(db, "select count(*) from articles where id in ('g1', 'g2', 'bad')") == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_number_beyond_float_range_is_left_out_not_fatal(db, tmp_path, jobs):
    """"1e400 joules" is no OverflowError: the claim is left out with a warning, the rest loads."""
    (tmp_path / "yield.txt").write_text("A yield of 1e400 joules was reported. " + GOOD, encoding="utf-8")
    result = CliRunner().invoke(cli, ["load", str(db), str(tmp_path / "yield.txt"), "--jobs", jobs])
    assert result.exit_code == 0 and result.exception is None, result.output
    assert "left out '1e400 joules'" in result.output
    assert count(db, "select count(*) from claims where article_id = 'yield' and text like '%km%'") == 1


def test_devices_and_pipes_are_refused_without_reading(db, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):  # neither ends: reading would never return
        assert_rejected(db, path, "not a regular file")


def test_a_folder_with_nothing_to_load_says_so(db, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF-1.4")
    assert_rejected(db, tmp_path / "empty", "folder with no article files")


def test_a_link_to_nothing_is_named_and_the_rest_loads(db, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    code, lines = load_cli(db, str(folder))
    assert code == 0 and [ln for ln in lines if f"{folder / 'gone.txt'}: a link to" in ln and "does not exist" in ln]
    assert count(db, "select count(*) from articles where id = 'good'") == 1


def test_strict_refusal_leaves_no_new_database_behind(tmp_path):
    (tmp_path / "empty").mkdir()
    db = tmp_path / "new.db"
    code, lines = load_cli(db, str(tmp_path / "empty"), "--strict")
    assert code == 2 and lines
    assert not list(tmp_path.glob("new.db*"))


# -- manifests: fatal, located, nothing written ------------------------------------------------------------

@pytest.mark.parametrize("name, text, line, expect", [
    ("manifest.yml", BOMB, 1, "anchors (&name) are not accepted"),
    ("manifest.yml", "- path: a.txt\n  title: !!python/object/apply:os.system [echo]\n", 2, "tags ("),
    ("manifest.yml", "x: " + "[" * 20_000 + "]" * 20_000 + "\n", 1, "not valid YAML"),
    ("manifest.yml", "- path: a.txt\n  title:\n" + "  - " * 60 + "deep\n", 3, "nested more than 40 levels"),
    ("manifest.yml", "? [a, b]\n: x\n", 1, "found unhashable key"),
    ("manifest.yml", "- path: a.txt\n  5: x\n", 1, "unknown key(s) 5"),
    ("manifest.yml", "- path: .\n", 1, ". is not a file"),
    ("manifest.yml", "- path: a.txt\n  published: 2016-03-27/2016-04/2016-05\n", 1, "an interval has two ends"),
    ("manifest.csv", "a.txt,TASS\n", 1, "starts with a header row"),
    ("manifest.csv", 'path,source,title\na.txt,TASS,"never closed\n', 2, "not valid CSV"),
    ("manifest.csv", "path,title\na.txt," + "x" * 200_000 + "\n", 2, "field larger than field limit"),
])
def test_manifests_that_cannot_be_used(db, tmp_path, name, text, line, expect):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    manifest = corpus / name
    manifest.write_text(text, encoding="utf-8")
    before = checksum(db)
    started = time.perf_counter()
    code, lines = load_cli(db, str(corpus))
    assert time.perf_counter() - started < 30  # an alias bomb is refused, never expanded
    where = f"{manifest}:{line}" if line else f"{manifest}"
    assert code == 2 and [ln for ln in lines if where in ln and expect in ln], lines
    assert checksum(db) == before


def test_a_multi_line_quoted_csv_field_is_still_read(db, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(GOOD, encoding="utf-8")
    (corpus / "manifest.csv").write_text('path,source,title\na.txt,TASS,"Two\nlines"\n', encoding="utf-8")
    code, lines = load_cli(db, str(corpus))
    assert code == 0, lines
    assert count(db, "select count(*) from articles where id = 'a' and source = 'TASS' and title = 'Two\nlines'") == 1


# -- rule files: refused before anything runs --------------------------------------------------------------

@pytest.mark.parametrize("text, line, expect", [
    (BOMB, 1, "anchors (&name) are not accepted"),
    ("rules: !!python/object/apply:os.system [echo]\n", 1, "tags ("),
    ("rules:\n" + "- " * 60 + "x\n", 2, "nested more than 40 levels"),
    ("rules:\n- id: x\n  kind: bounds\n  claim_kind: date\n  max: 2016-13-45\n", 5, "not a date"),
    ("rules:\n- id: x\n  kind: bounds\n  claim_kind: count\n  min: 100\n  max: 1\n", 2, "'min' is above its 'max'"),
    ("", 1, "no facts or rules (the file is empty or only comments)"),
    ("# all rules commented out\n# - id: x\n", 1, "no facts or rules"),
    ("facts: []\n", 1, "no rules in 1 rule file"),
    # a unit of 50 KB: refused at once, and quoted short
    ("rules:\n- id: x\n  kind: agree\n  claim_kind: length\n  tolerance: 5 " + "k" * 50_000 + "\n", 5,
     "a unit name is at most 60 characters, not 50000"),
    ("rules:\n- id: x\n  kind: bounds\n  claim_kind: length\n  max: 5 " + "m" * 50_000 + "\n", 5,
     "a unit name is at most 60 characters"),
])
def test_rule_files_that_would_run_wrong(db, tmp_path, text, line, expect):
    rules = tmp_path / "bad.yml"
    rules.write_text(text, encoding="utf-8")
    before = checksum(db)
    code, lines = check_cli(db, "--rules", str(rules))
    where = f"{rules}:{line}:" if line else f"{rules}:"
    assert code == 2 and [ln for ln in lines if ln.startswith(where) and expect in ln], lines
    assert all(len(ln) < 400 for ln in lines), [len(ln) for ln in lines]  # no value echoed whole
    assert checksum(db) == before


def test_an_empty_rules_folder_is_refused_unless_allowed(db, tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    before = checksum(db)
    code, lines = check_cli(db, "--rules", str(folder))
    assert code == 2 and any("folder holds no rule files" in ln and "--allow-empty" in ln for ln in lines), lines
    assert checksum(db) == before
    runs = count(db, "select count(*) from runs")
    assert count(db, "select count(*) from facts") > 0
    code, lines = check_cli(db, "--rules", str(folder), "--allow-empty")
    assert code == 0, lines
    assert count(db, "select count(*) from runs") == runs + 1  # asked for: it runs, with no rule
    assert count(db, "select count(*) from flags") == 0


def test_yaml_reader_table():
    """The one reader of YAML: what it gives, and what it refuses with a position."""
    cases = [
        ("a: 1\nb: [x, y]\n", {"a": 1, "b": ["x", "y"]}),
        ("d: 2016-03-27\n", {"d": __import__("datetime").date(2016, 3, 27)}),
        ("d: 2016-02-30\n", {"d": "2016-02-30"}),  # no date: the string, for the caller to report
        ("", None),
        ("x: ! 3\n", {"x": 3}),
        ("a: &x 1\nb: *x\n", (1, "anchors")),
        ("a: *x\n", (1, "aliases (*name) are not accepted")),
        ("x: !foo 3\n", (1, "tags (!foo)")),
        ("a: \x07\n", (1, "control character U+0007")),
        ("a: 1\n---\nb: 2\n", (2, "but found another document")),
    ]
    for text, want in cases:
        if isinstance(want, tuple):
            with pytest.raises(yamlfile.YamlError) as e:
                yamlfile.load(text)
            assert e.value.line == want[0] and want[1] in e.value.problem, (text, e.value.line, e.value.problem)
        else:
            assert yamlfile.load(text) == want, text
    assert yamlfile.load("d: 2016-03-27\n", dates=False) == {"d": "2016-03-27"}


# -- databases --------------------------------------------------------------------------------------------

def test_a_database_that_is_not_ours_is_refused_before_anything_changes(tmp_path):
    import sqlite3

    db = tmp_path / "mine.db"
    conn = sqlite3.connect(db)
    conn.execute("create table articles (name text, rating int)")
    conn.execute("insert into articles values ('my notes', 5)")
    conn.commit()
    conn.close()
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    before = checksum(db)
    code, lines = load_cli(db, str(tmp_path / "a.txt"))
    assert code == 2 and any("'articles' table was not made by palmyra" in ln for ln in lines), lines
    code, lines = check_cli(db)
    assert code == 2 and any("was not made by palmyra" in ln for ln in lines), lines
    assert checksum(db) == before


def test_two_loads_of_one_database_queue(tmp_path):
    """The second writer waits for the first (BEGIN IMMEDIATE and a busy timeout): both load."""
    db = tmp_path / "shared.db"
    files = []
    for k in range(2):
        path = tmp_path / f"part{k}.jsonl"
        path.write_text("".join(json.dumps({"id": f"p{k}-{i}", "body": f"{GOOD} Item {i}."}) + "\n"
                                for i in range(400)), encoding="utf-8")
        files.append(path)
    cmd = [sys.executable, "-m", "datasette_palmyra", "load", str(db)]
    procs = [subprocess.Popen([*cmd, str(f), "-q"], stderr=subprocess.PIPE, text=True) for f in files]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert all(code == 0 for code, _err in results), results
    assert count(db, "select count(*) from articles") == 800


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_workers_end_with_a_killed_load(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"id": f"m{i}", "body": f"{GOOD} Item {i}. " * 40}) + "\n"
                            for i in range(20000)), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "datasette_palmyra", "load", str(tmp_path / "k.db"),
                               str(path), "--jobs", "2", "-q"], stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(children) < 2:
        time.sleep(0.2)
        out = subprocess.run(["pgrep", "-P", str(parent.pid)], capture_output=True, text=True).stdout
        children = [int(x) for x in out.split()]
    assert len(children) >= 2, "the pool never started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 20
    alive = children
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [c for c in alive if Path(f"/proc/{c}").exists() and "Z" not in _state(c)]
    assert not alive, f"workers {alive} outlived their parent"


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return "Z"


# -- extract on standard input ------------------------------------------------------------------------------

@pytest.mark.parametrize("data, code, expect", [
    ("5 km from Homs".encode("utf-16"), 0, '"text": "5 km"'),  # UTF-16 with its mark, as load reads it
    (b"5 km from Homs \xff\xfe and more", 0, '"text": "5 km"'),  # not UTF-8: read as cp1252, as load does
    (b"5 km \xed\xa0\x80\xed\xb0\x80 (CESU-8)", 0, '"text": "5 km"'),
    (b"\x00\x01\x02 5 km", 2, "binary file, not text"),
])
def test_extract_reads_what_load_reads(data, code, expect):
    result = CliRunner().invoke(cli, ["extract", "-", "--lang", "en"], input=data)
    assert result.exit_code == code and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == code, result.output
    assert expect in result.output, result.output
    assert "Traceback" not in result.output


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="flock held across exec: POSIX")
def test_a_file_served_immutably_is_not_rewritten_under_the_server(db, tmp_path):
    """``palmyra serve`` (immutable) and ``palmyra check`` or ``load`` on the same file: Datasette trusts an
    immutable file never to change and read a rewritten one as "malformed" (HTTP 500). The writer is refused
    in one line while the server runs, and works once it has stopped."""
    import urllib.request

    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "datasette_palmyra", "serve", str(db), "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/palmyra.json", timeout=2) as r:
                    assert r.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "the server never answered"
                time.sleep(0.3)
        before = checksum(db)
        for want, (code, lines) in ((1, check_cli(db)), (2, load_cli(db, str(_write(tmp_path / "new.txt", GOOD))))):
            assert code == want and len(lines) == 1, lines
            assert lines[0].lower().startswith(f"error: {db}: palmyra serve is serving it read-only"), lines
        assert checksum(db) == before
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/palmyra.json", timeout=5) as r:
            assert r.status == 200  # still serving what it served
    finally:
        server.terminate()
        server.wait(timeout=20)
    code, lines = check_cli(db, "--fail-on", "never")
    assert code == 0, lines


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
