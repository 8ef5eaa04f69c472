"""Bad input, one case at a time: each gets a one-line error naming the file (and line where there is one)
and what is wrong, a non-zero exit where it is fatal, and leaves the database exactly as it was.

Every case runs against a copy of a real database (the seeds, loaded and checked: articles, claims, facts,
flags, runs all filled) and compares a digest of every row before and after.
"""

from __future__ import annotations

import json
import math
import os
import random
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import checksum, count

from datasette_palmyra.cli import cli
from datasette_palmyra.load import MAX_BYTES, ArticleInput, LoadError, _finite_claims, load_paths

RU = ("МОСКВА, 12 декабря. Пальмира находится в 215 километрах от Дамаска. "
      "Более 4000 боевиков атаковали город, сообщили в министерстве обороны.")
NB = ("Kampene foregår 40 kilometer fra Palmyra, sier hæren. Over 4 000 IS-krigere angrep byen. "
      "Økonomien i området er ødelagt, og få vil bo på gårdene nå.")


def load_cli(db: Path, *args: str) -> tuple[int, list[str]]:
    """``palmyra load DB ARGS -q``: exit code and the lines it printed (errors go to stderr)."""
    result = CliRunner().invoke(cli, ["load", str(db), *args, "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, [ln for ln in result.output.splitlines() if ln.strip()]


def check_cli(db: Path, *args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", str(db), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, [ln for ln in result.output.splitlines() if ln.strip()]


def assert_rejected(db: Path, path: Path, expect: str, *, line: int | None = None) -> None:
    """Loading ``path`` fails (exit 1 skipped, exit 2 under --strict) with one line naming it, and the
    database is exactly as it was."""
    before = checksum(db)
    for args, code in (([], 1), (["--strict"], 2)):
        got, lines = load_cli(db, str(path), *args)
        where = f"{path}:{line}:" if line else f"{path}"
        matching = [ln for ln in lines if where in ln and expect in ln]
        assert got == code and matching, (args, got, lines)
        assert len(matching) == 1 and "Traceback" not in "\n".join(lines)
        assert checksum(db) == before


# -- files that are not articles ---------------------------------------------------------------------------

NOISE = random.Random(3).randbytes(5000).replace(b"\x00", b"\x01")  # no NUL: found by its control characters
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489") + os.urandom(2000)


@pytest.mark.parametrize("name, data, expect", [
    ("photo.txt", PNG, "binary file, not text"),
    ("photo.html", PNG, "binary file, not text"),
    ("noise.txt", NOISE, "binary file, not text"),
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n\t \r\n", "empty file"),
    ("blank.jsonl", b"\n\n", "empty file"),
    ("scripts-only.html", b"<html><head><script>var n = '300 km';</script><style>p{width:40px}</style></head>"
                          b"<body><nav>Home</nav></body></html>", "empty article (no text outside scripts"),
])
def test_files_that_are_not_articles(db, tmp_path, name, data, expect):
    path = tmp_path / name
    path.write_bytes(data)
    assert_rejected(db, path, expect)


def test_fifty_megabyte_file_is_refused_without_being_read(db, tmp_path):
    """Policy: an article file over MAX_BYTES (20 MB) is refused from its size alone, in constant memory;
    many articles belong in a .jsonl file, which is read line by line and has no size limit."""
    big = tmp_path / "huge.txt"
    line = "Over 2,000 targets were struck 40 km from Palmyra, the ministry said on Monday.\n"
    with big.open("w", encoding="utf-8") as f:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert big.stat().st_size > 50 * 1024 * 1024 > MAX_BYTES
    before = checksum(db)
    tracemalloc.start()
    t0 = time.perf_counter()
    report = load_paths(db, [big])
    secs = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert secs < 5 and peak < 10 * 1024 * 1024, (secs, peak)
    assert report.loaded == [] and len(report.errors) == 1
    assert report.errors[0].startswith(f"{big}: 50.0 MB is over the 20 MB limit")
    assert checksum(db) == before
    assert_rejected(db, big, "is over the 20 MB limit")


def test_oversized_jsonl_line_is_reported_with_its_line_and_the_rest_loads(db, tmp_path):
    path = tmp_path / "wire.jsonl"
    good = {"id": "w1", "body": "About 300 militants were killed 40 km from Homs.", "published": "2016-03-28"}
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps(good) + "\n")
        f.write(json.dumps({"id": "w2", "body": "x " * (MAX_BYTES // 2 + 10)}) + "\n")
        f.write(json.dumps({**good, "id": "w3"}) + "\n")
    report = load_paths(db, [path])
    assert report.loaded == ["w1", "w3"]  # the long line is skipped whole, the next one read
    assert report.errors == [f"{path}:2: line over the 20 MB limit for one article"]


# -- encodings ---------------------------------------------------------------------------------------------

def test_cp1251_russian_loads_with_correct_cyrillic(db, tmp_path):
    path = tmp_path / "tass-ru.txt"
    path.write_bytes(RU.encode("cp1251"))
    report = load_paths(db, [path])
    assert report.loaded == ["tass-ru"] and report.errors == []
    assert report.warnings == [f"{path}: not UTF-8; read as cp1251"]
    body, lang = _article(db, "tass-ru")
    assert body == RU and lang == "ru"
    assert ("215 километрах", 215000) in _claims(db, "tass-ru")


def test_latin1_norwegian_loads_with_correct_aeoeaa(db, tmp_path):
    path = tmp_path / "nrk.txt"
    path.write_bytes(NB.encode("latin-1"))
    report = load_paths(db, [path])
    assert report.loaded == ["nrk"] and report.errors == []
    assert report.warnings[0].startswith(f"{path}: not UTF-8; read as ")
    body, lang = _article(db, "nrk")
    assert body == NB and lang == "nb"
    assert "æ" in body and "ø" in body and "å" in body
    assert ("40 kilometer", 40000) in _claims(db, "nrk")


def test_utf8_with_bom_and_utf16_read_as_such(db, tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + NB.encode("utf-8"))
    (tmp_path / "wide.txt").write_bytes(NB.encode("utf-16"))
    report = load_paths(db, [tmp_path])
    assert sorted(report.loaded) == ["bom", "wide"] and report.warnings == [] and report.errors == []
    assert _article(db, "bom")[0] == NB == _article(db, "wide")[0]


def test_invalid_utf8_in_text_is_read_and_reported(db, tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes(b"Over 2,000 targets were struck \xc3\x28 near Palmyra, \x93the ministry\x94 said.")
    report = load_paths(db, [path])
    assert report.loaded == ["mixed"]
    assert report.warnings == [f"{path}: not UTF-8; read as cp1252"]
    assert "\u201cthe ministry\u201d" in _article(db, "mixed")[0]


def test_invalid_utf8_in_json_lines_names_the_line(db, tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(json.dumps({"id": "ok", "body": "It lies 215 km from Damascus."}).encode() + b"\n"
                     + b'{"id": "bad", "body": "caf\xe9 40 km"}\n')
    before = checksum(db)
    code, lines = load_cli(db, str(path), "--strict")  # strict: the good line 1 is not written either
    assert code == 2 and lines == [f"error: {path}:2: not UTF-8 (byte 26 of the line); JSON lines must be UTF-8"]
    assert checksum(db) == before
    report = load_paths(db, [path])  # otherwise the good lines load and the bad one is reported
    assert report.loaded == ["ok"]
    assert report.errors == [f"{path}:2: not UTF-8 (byte 26 of the line); JSON lines must be UTF-8"]


# -- HTML --------------------------------------------------------------------------------------------------

def test_html_scripts_styles_and_furniture_are_not_text(db, tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<!doctype html><html lang='en'><head><title>Palmyra retaken</title>"
        "<style>.x { width: 300px } /* 40 km */</style>"
        "<script>var t = '</p>999 km'; if (a < b && c > 2) { document.write('<p>5000 militants</p>') }</script>"
        "<script type='application/ld+json'>{\"distance\": \"777 km\"}</script></head>"
        "<body><header>Menu 12 items</header><nav>Home | World</nav>"
        "<article><p>The army retook Palmyra, 215 km from Damascus, on 27 March 2016.</p>"
        "<!-- 888 km in a comment --><noscript>Enable 3 scripts</noscript>"
        "<p>About 400 militants were killed.</p></article><footer>© 2016 11 rights</footer>"
        "<script>track(123456)</script></body></html>", encoding="utf-8")
    report = load_paths(db, [path])
    assert report.loaded == ["page"] and report.errors == []
    body, _ = _article(db, "page")
    for junk in ("999", "5000", "777", "888", "300px", "Menu", "Home", "Enable", "rights", "123456"):
        assert junk not in body, junk
    texts = {t for t, _ in _claims(db, "page")}
    assert {"215 km", "About 400"} <= texts
    assert not {t for t in texts if any(n in t for n in ("999", "5000", "777", "888", "123456"))}


# -- JSON that is not a list of articles -------------------------------------------------------------------

@pytest.mark.parametrize("doc, expect", [
    ({"headline": "x"}, "article 1 has no 'body' or 'text' string"),
    (42, "article 1 is a number, not an object with a 'body'"),
    ("Over 2,000 targets", "article 1 is a string, not an object with a 'body'"),
    ([], "a JSON list with no articles"),
    ([{"id": "a", "body": "Over 2,000 targets."}, [1, 2]], "article 2 is a list, not an object"),
    ({"articles": "none"}, "article 1 has no 'body' or 'text' string"),
    ([{"id": "a", "body": 5}], "article 1 has no 'body' or 'text' string"),
    ([{"id": "a", "body": "Over 2,000 targets.", "title": ["a", "b"]}], "article 1: 'title' must be a string, not a list"),
    ([{"id": {"x": 1}, "body": "Over 2,000 targets."}], "article 1: 'id' must be a string, not an object"),
    ([{"id": "a", "body": "Over 2,000 targets.", "language": "xx"}], "language 'xx' has no data files"),
])
def test_json_that_is_not_a_list_of_articles(db, tmp_path, doc, expect):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert_rejected(db, path, expect)


def test_broken_json_names_the_line(db, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text('[\n  {"id": "a",\n   "body": "Over 2,000 targets."\n  ,]\n', encoding="utf-8")
    assert_rejected(db, path, "not valid JSON", line=4)


def test_json_wrapped_in_an_articles_key_loads(db, tmp_path):
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"articles": [{"id": "w1", "body": "Over 2,000 targets.", "published": "2016"}]}))
    assert load_paths(db, [path]).loaded == ["w1"]


# -- manifests and dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("entries, line, expect", [
    ("  - path: a.txt\n    id: one\n  - path: missing.txt\n    id: two\n", 4, "file missing.txt does not exist"),
    ("  - path: a.txt\n    id: one\n  - path: b.txt\n    id: one\n", 4, "duplicate id 'one' (first at line 2)"),
    ("  - path: a.txt\n    published: 2016-02-30\n", 2, "published '2016-02-30': "),
    ("  - path: a.txt\n    published: 2099-01-01\n", 2, "published '2099-01-01' is in the future (today is "),
    ("  - path: a.txt\n    language: xx\n", 2, "language 'xx' has no data files"),
    ("  - path: a.txt\n    lang: en\n", 2, "unknown key(s) lang"),
    ("  - path: a.txt\n    id: [one\n", 4, "not valid YAML"),
])
def test_manifest_errors_are_fatal_and_located(db, tmp_path, entries, line, expect):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt"):
        (corpus / name).write_text("Over 2,000 targets were struck.", encoding="utf-8")
    manifest = corpus / "manifest.yml"
    manifest.write_text("articles:\n" + entries, encoding="utf-8")
    before = checksum(db)
    code, lines = load_cli(db, str(corpus))  # the folder's own manifest.yml is used
    assert code == 2
    assert [ln for ln in lines if f"{manifest}:{line}" in ln and expect in ln], lines
    assert checksum(db) == before


@pytest.mark.parametrize("suffix, content", [
    (".txt", "Date: 2099-05-01\nOver 2,000 targets were struck."),
    (".md", "---\npublished: 2099-05-01\n---\nOver 2,000 targets were struck."),
    (".json", json.dumps({"id": "future", "body": "Over 2,000 targets.", "published": "2099-05-01"})),
])
def test_published_in_the_future_is_refused(db, tmp_path, suffix, content):
    """Policy: refused, not warned about (see load.published_problem); one day of slack for time zones."""
    path = tmp_path / f"future{suffix}"
    path.write_text(content, encoding="utf-8")
    assert_rejected(db, path, "published '2099-05-01' is in the future (today is ")


def test_impossible_published_in_a_file_is_refused(db, tmp_path):
    path = tmp_path / "feb.jsonl"
    path.write_text(json.dumps({"id": "feb", "body": "Over 2,000 targets.", "published": "2016-02-30"}) + "\n")
    assert_rejected(db, path, "published '2016-02-30'")


def test_missing_path_is_fatal(db, tmp_path):
    before = checksum(db)
    code, lines = load_cli(db, str(tmp_path / "nowhere"))
    assert code == 2 and lines == [f"error: {tmp_path / 'nowhere'}: no such file or folder"]
    assert checksum(db) == before


# -- content that is valid but unusual ---------------------------------------------------------------------

def test_articles_with_no_claims_load_and_check(db, tmp_path):
    (tmp_path / "quiet.txt").write_text("Residents described heavy shelling through the night.", encoding="utf-8")
    (tmp_path / "quiet.jsonl").write_text(json.dumps({"id": "q2", "body": "It is not just a symbolic victory."}))
    report = load_paths(db, [tmp_path])
    assert sorted(report.loaded) == ["q2", "quiet"] and report.claims == 0
    assert count(db, "select count(*) from claims where article_id in ('quiet', 'q2')") == 0
    assert count(db, "select claim_count from articles where id = 'quiet'") == 0
    code, lines = check_cli(db, "--fail-on", "never")
    assert code == 0 and "articles" in lines[0]


ABSURD = [
    ("en", "The blast was felt 1e308 km away and 1.8e308 people heard it."),
    ("en", "It is 999 999 999 999 km away, and 999,999,999,999 km from the sun."),
    ("nb", "Det er 999 999 999 999 km unna, og det kostet 999 999 999 999 milliarder kroner."),
    ("en", "Some " + "9" * 400 + " km away, " + ",".join(["999"] * 110) + " billion dollars were spent."),
    ("nb", "Det er " + " ".join(["999"] * 120) + " km unna."),
    ("en", "Between 10 and " + "1" * 330 + " militants, " + "7" * 320 + "% of them, attacked Palmyra on Monday."),
]


@pytest.mark.parametrize("language, text", ABSURD)
def test_absurd_numbers_are_stored_finite_or_left_out(db, tmp_path, language, text):
    path = tmp_path / "absurd.jsonl"
    path.write_text(json.dumps({"id": "absurd", "body": text, "language": language, "published": "2016-12-12"}))
    report = load_paths(db, [path])
    assert report.loaded == ["absurd"] and report.errors == []
    conn_rows = _rows(db, "select low, high, value, precision from claims")
    for row in conn_rows:
        for v in row:
            if isinstance(v, float):
                assert math.isfinite(v), row
    assert count(db, "select count(*) from claims where typeof(low) = 'null' and typeof(high) = 'null' "
                     "and typeof(value) = 'null' and kind != 'date'") == 0
    code, lines = check_cli(db, "--fail-on", "never", "--format", "json")
    assert code == 0, lines
    flags = json.loads("\n".join(lines))
    for f in flags:
        for c in f["claims"]:
            for v in (c["low"], c["high"]):
                assert not isinstance(v, float) or math.isfinite(v)
    gaps = _rows(db, "select gap from flags where gap is not null")
    assert all(math.isfinite(g) for (g,) in gaps)


def test_infinite_and_empty_claims_are_dropped_and_pairs_follow():
    """The loader's own guard, whatever an extractor returns: inf and NaN never reach SQLite."""
    claims = [
        {"kind": "length", "text": "inf km", "start": 0, "end": 6, "value": float("inf"), "low": float("inf"),
         "high": float("inf"), "pair": 2},
        {"kind": "length", "text": "40 km", "start": 10, "end": 15, "value": 40.0, "low": 40000.0,
         "high": 40000.0, "pair": 2, "pair_role": "stated"},
        {"kind": "length", "text": "25 miles", "start": 17, "end": 25, "value": 25.0, "low": 40233.6,
         "high": 40233.6, "pair": 1, "pair_role": "conversion"},
        {"kind": "count", "text": "999…", "start": 30, "end": 40, "value": None, "low": None, "high": None},
        {"kind": "percent", "text": "nan%", "start": 41, "end": 45, "value": 1.0, "low": float("nan"), "high": 2.0},
        {"kind": "date", "text": "Monday", "start": 50, "end": 56, "value": None, "low": None, "high": None},
    ]
    warnings: list[str] = []
    out = _finite_claims(ArticleInput(id="a", body="", path="a.txt"), claims, warnings)
    assert [c["text"] for c in out] == ["40 km", "25 miles", "Monday"]
    assert [c.get("pair") for c in out] == [1, 0, None]
    assert len(warnings) == 3 and all(w.startswith("a.txt: a: left out ") for w in warnings)


# -- rule files --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, line, expect", [
    (b"rules:\n  - id: a\n    kind: agree\n   severity: [error\n", 4, "not valid YAML"),
    (b"facts: {a: 1\nrules: [", 2, "not valid YAML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", 1, "cannot read rule file"),
    (b"- just\n- a list\n", 1, "a rule file"),
    (b"rules:\n  - id: r\n    kind: agree\n    pattern: '(a+)+$'\n", 4, "pattern"),
])
def test_rule_files_that_are_not_rules(db, tmp_path, content, line, expect):
    rules = tmp_path / "bad.yml"
    rules.write_bytes(content)
    before = checksum(db)
    code, lines = check_cli(db, "--rules", str(rules))
    assert code == 2, lines
    located = [ln for ln in lines if ln.startswith(f"{rules}:{line}:") and expect in ln]
    assert located, lines
    assert "Traceback" not in "\n".join(lines)
    assert checksum(db) == before


def test_regex_looking_words_are_matched_literally_and_fast(db, tmp_path):
    """Rule files take words, never regular expressions: a catastrophic pattern is escaped, so it can
    neither backtrack nor match anything but itself."""
    evil = "(a+)+$"
    rules = tmp_path / "evil.yml"
    rules.write_text(
        "facts:\n"
        "  - id: evil-count\n    kind: count\n    words: ['" + evil + "', '(.*a){20}']\n"
        "rules:\n  - id: evil-agree\n    kind: agree\n    fact: evil-count\n    tolerance: 1%\n",
        encoding="utf-8")
    attack = "a" * 5000 + "! About 300 militants and " + "a" * 40 + "b, about 500 militants, attacked."
    path = tmp_path / "attack.jsonl"
    path.write_text(json.dumps({"id": "attack", "body": attack, "source": "X", "published": "2016-12-12"}) + "\n"
                    + json.dumps({"id": "attack2", "body": attack.replace("300", "900"), "source": "Y",
                                  "published": "2016-12-12"}) + "\n")
    assert load_paths(db, [path]).loaded == ["attack", "attack2"]
    t0 = time.perf_counter()
    code, lines = check_cli(db, "--rules", str(rules), "--fail-on", "never", "--format", "json")
    assert time.perf_counter() - t0 < 10 and code == 0, lines
    assert count(db, "select count(*) from fact_claims where fact_id = 'evil-count'") == 0
    # the same words written literally in a text are found
    literal = tmp_path / "literal.jsonl"
    literal.write_text("\n".join(json.dumps({"id": f"lit{i}", "body": f"About {n} militants {evil} attacked.",
                                             "source": s, "published": "2016-12-12"})
                                 for i, (n, s) in enumerate([(300, "X"), (900, "Y")])))
    assert load_paths(db, [literal]).loaded == ["lit0", "lit1"]
    code, lines = check_cli(db, "--rules", str(rules), "--fail-on", "never")
    assert count(db, "select count(*) from fact_claims where fact_id = 'evil-count'") == 2, lines


# -- helpers -----------------------------------------------------------------------------------------------

def _rows(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def _article(db: Path, aid: str) -> tuple[str, str]:
    return _rows(db, "select body, language from articles where id = ?", (aid,))[0]


def _claims(db: Path, aid: str) -> list[tuple[str, float]]:
    return [(t, (float(v) if isinstance(v, (int, float)) else v))
            for t, v in _rows(db, "select text, low from claims where article_id = ?", (aid,))]


def test_load_error_is_an_exception_with_one_line_per_problem(tmp_path):
    manifest = tmp_path / "manifest.yml"
    manifest.write_text("articles:\n  - path: x.txt\n  - path: y.txt\n", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_paths(tmp_path / "m.db", [tmp_path], manifest=manifest)
    assert str(e.value).splitlines() == [f"{manifest}:2: file x.txt does not exist",
                                         f"{manifest}:3: file y.txt does not exist"]
    assert not (tmp_path / "m.db").exists()
