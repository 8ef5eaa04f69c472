"""Loading: seeds with their manifest, every input format, idempotent reloads, bad input."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

from datasette_palmyra.cli import cli
from datasette_palmyra.load import LoadError, load_paths

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def checksum(db_path: Path) -> str:
    """A digest of every row of every table: equal before and after means nothing changed."""
    db = sqlite_utils.Database(db_path)
    h = hashlib.sha256()
    for name in sorted(db.table_names()):
        rows = sorted(repr(sorted(row.items())) for row in db.query(f"select * from [{name}]"))
        h.update(f"{name}:{len(rows)}".encode())
        for row in rows:
            h.update(row.encode())
    db.close()
    return h.hexdigest()


def test_seeds_load_with_manifest(tmp_path):
    db_path = tmp_path / "p.db"
    result = CliRunner().invoke(cli, ["load", str(db_path), str(SEEDS), "--manifest", str(SEEDS / "manifest.yml")])
    assert result.exit_code == 0, result.output
    db = sqlite_utils.Database(db_path)
    assert db["articles"].count == 5
    sources = {r["source"] for r in db["articles"].rows}
    assert sources == {"TASS", "RT", "NRK"}
    claims = list(db["claims"].rows)
    assert len(claims) > 30
    bodies = {r["id"]: r["body"] for r in db["articles"].rows}
    for c in claims:  # offsets index into the stored body
        assert bodies[c["article_id"]][c["start"]:c["end"]] == c["text"]
    assert not any("bookmarkicon" in b for b in bodies.values())  # navigation junk kept out
    km = db.execute("select low from claims where text = '240 kilometers'").fetchone()
    assert km == (240000,)
    # the conversion pair is linked in both directions
    pair = db.execute(
        "select a.text, b.text from claims a join claims b on a.pair_id = b.id where a.text = '240 kilometers'"
    ).fetchall()
    assert pair == [("240 kilometers", "150 miles")]
    # full-text search works on articles
    hits = list(db["articles"].search("Palmyra"))
    assert len(hits) >= 4


def test_reload_is_idempotent_and_changed_file_replaces(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    db_path = tmp_path / "p.db"
    first = load_paths(db_path, [corpus])
    assert len(first.loaded) == 5 and first.errors == []
    before = checksum(db_path)
    again = load_paths(db_path, [corpus])
    assert again.loaded == [] and len(again.unchanged) == 5
    assert checksum(db_path) == before
    # change one article: only it is replaced, its claims follow the new text
    tass = corpus / "000_8fe0fb877fd5bb1a.txt"
    tass.write_text(tass.read_text(encoding="utf-8").replace("240 kilometers (150 miles)", "215 km"), encoding="utf-8")
    third = load_paths(db_path, [corpus])
    assert third.loaded == ["tass-2016-12-12-palmyra-attack"]
    db = sqlite_utils.Database(db_path)
    texts = [r["text"] for r in db["claims"].rows_where("article_id = ?", ["tass-2016-12-12-palmyra-attack"])]
    assert "215 km" in texts and "240 kilometers" not in texts
    assert db["articles"].count == 5


def test_formats_html_json_jsonl(tmp_path):
    (tmp_path / "a.html").write_text(
        "<html lang='en'><head><title>Siege</title><script>var x = '999 km';</script></head>"
        "<body><nav>Home 12 items</nav><p>About 300 militants were killed 40 km from Homs.</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "b.json").write_text(json.dumps([
        {"id": "j1", "source": "Wire", "published": "2016-03-28", "language": "en", "title": "T", "body": "Over 2,000 targets were struck."},
        {"id": "j2", "source": "Wire", "published": "2016-03", "language": "nb", "text": "Over 4 000 IS-krigere."},
    ]), encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "l1", "body": "It lies 215 km from Damascus.", "published": "2016-12-12"}) + "\n",
        encoding="utf-8",
    )
    db_path = tmp_path / "f.db"
    report = load_paths(db_path, [tmp_path])
    assert report.errors == []
    db = sqlite_utils.Database(db_path)
    arts = {r["id"]: r for r in db["articles"].rows}
    assert set(arts) == {"a", "j1", "j2", "l1"}
    assert arts["a"]["title"] == "Siege" and "999" not in arts["a"]["body"] and "Home" not in arts["a"]["body"]
    assert arts["a"]["language"] == "en"
    assert arts["l1"]["language"] == "en"  # guessed
    claims = {(r["article_id"], r["text"]) for r in db["claims"].rows}
    assert ("a", "About 300") in claims and ("a", "40 km") in claims
    assert ("j2", "Over 4 000") in claims and ("l1", "215 km") in claims


def test_bad_file_is_reported_and_skipped_or_stops_under_strict(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Over 2,000 targets were struck.", encoding="utf-8")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (corpus / "bad.json").write_text('{"id": "x", "body": ', encoding="utf-8")
    db_path = tmp_path / "b.db"
    report = load_paths(db_path, [corpus])
    assert report.loaded == ["good"]
    assert any("bin.txt: binary file" in e for e in report.errors)
    assert any("bad.json:1: not valid JSON" in e for e in report.errors)
    # strict: the first bad file stops the load, and nothing at all is written
    db2 = tmp_path / "strict.db"
    result = CliRunner().invoke(cli, ["load", str(db2), str(corpus), "--strict", "-q"])
    assert result.exit_code == 2
    assert "error:" in result.output and ("bin.txt" in result.output or "bad.json" in result.output)
    assert not db2.exists() or sqlite_utils.Database(db2)["articles"].count == 0


def test_manifest_errors_name_file_and_line(tmp_path):
    (tmp_path / "a.txt").write_text("Over 2,000 targets.", encoding="utf-8")
    manifest = tmp_path / "manifest.yml"
    manifest.write_text(
        "articles:\n"
        "  - path: a.txt\n    id: one\n    published: 2016-02-30\n"
        "  - path: missing.txt\n    id: one\n"
        "  - path: a.txt\n    id: two\n    lang: en\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as e:
        load_paths(tmp_path / "m.db", [tmp_path], manifest=manifest)
    msg = str(e.value)
    assert f"{manifest}:2: published '2016-02-30'" in msg
    assert f"{manifest}:5: file missing.txt does not exist" in msg
    assert f"{manifest}:5: duplicate id 'one' (first at line 2)" in msg
    assert f"{manifest}:7: unknown key(s) lang" in msg
    result = CliRunner().invoke(cli, ["load", str(tmp_path / "m.db"), str(tmp_path), "--manifest", str(manifest)])
    assert result.exit_code == 2 and "duplicate id" in result.output


def test_failed_load_leaves_database_as_it_was(tmp_path, monkeypatch):
    db_path = tmp_path / "t.db"
    load_paths(db_path, [SEEDS])
    before = checksum(db_path)
    corpus = tmp_path / "new"
    corpus.mkdir()
    for i in range(3):
        (corpus / f"n{i}.txt").write_text(f"About {i + 1}00 militants were killed.", encoding="utf-8")
    import datasette_palmyra.store as store

    real = store.write_article
    calls = {"n": 0}

    def failing(db, article, values, new=False):
        calls["n"] += 1
        if calls["n"] == 2:  # fail in the middle of the transaction
            raise RuntimeError("disk full")
        return real(db, article, values, new)

    monkeypatch.setattr(store, "write_article", failing)
    with pytest.raises(RuntimeError):
        load_paths(db_path, [corpus])
    assert checksum(db_path) == before


def test_parallel_extraction_gives_identical_rows(tmp_path):
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    load_paths(one, [SEEDS], jobs=1)
    load_paths(two, [SEEDS], jobs=2)
    q = "select * from claims order by id"
    assert list(sqlite_utils.Database(one).query(q)) == list(sqlite_utils.Database(two).query(q))


def test_extract_command_prints_json_lines():
    result = CliRunner().invoke(
        cli, ["extract", "--lang", "en", "--published", "2016-12-12", "-"],
        input="The Islamic State attacked Palmyra, located 240 kilometers (150 miles) from Damascus, last Friday.",
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    by_text = {r["text"]: r for r in rows}
    assert by_text["last Friday"]["low"] == "2016-12-09"
    assert by_text["240 kilometers"]["low"] == 240000
    assert by_text["150 miles"]["pair"] == rows.index(by_text["240 kilometers"])
    bad = CliRunner().invoke(cli, ["extract", "--published", "2016-02-30", "-"], input="x")
    assert bad.exit_code == 2 and "2016-02-30" in bad.output


def test_database_from_an_earlier_version_gains_new_columns(tmp_path):
    """Columns added to the schema since a database was made are added on the next load or check."""
    db_path = tmp_path / "old.db"
    load_paths(db_path, [SEEDS])
    db = sqlite_utils.Database(db_path)
    for table, column in (("claims", "extra"), ("claims", "resolution"), ("flags", "finding")):
        db[table].transform(drop={column})
    db.close()
    report = load_paths(db_path, [SEEDS / "000_8fe0fb877fd5bb1a.txt"])  # loaded without the manifest: a new article id, so a write
    assert report.errors == []
    db = sqlite_utils.Database(db_path)
    assert {"extra", "resolution"} <= set(db["claims"].columns_dict)
    assert "finding" in db["flags"].columns_dict


def test_each_folder_keeps_its_own_manifest(tmp_path):
    """Two story folders loaded together (as 'serve --build seeds --build examples/ferry' does): each
    folder's manifest.yml names its own files' outlets and dates."""
    db = tmp_path / "two.db"
    report = load_paths(db, [ROOT / "seeds", ROOT / "examples" / "ferry"])
    assert not report.errors and len(report.loaded) == 10
    rows = sqlite_utils.Database(db).execute("select id, source, published from articles").fetchall()
    assert all(source and published for _, source, published in rows), rows
    assert {"Nordic Wire", "Fjordposten"} <= {source for _, source, _ in rows}
    assert report.no_source == report.no_date == 0 and not report.guessed
    assert report.missing_note() is None


def test_a_load_without_manifest_says_once_what_the_rules_will_miss(tmp_path):
    folder = tmp_path / "loose"
    folder.mkdir()
    (folder / "a.txt").write_text("Mer enn 300 mennesker døde forrige uke i flommen.\n", encoding="utf-8")
    (folder / "b.txt").write_text("More than 300 people died in the flood last week.\n", encoding="utf-8")
    (folder / "c.txt").write_text("Более 300 человек погибли на прошлой неделе.\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["load", str(tmp_path / "l.db"), str(folder)])
    assert r.exit_code == 0, r.output
    lines = [line for line in r.output.splitlines() if "with no" in line]
    assert lines == ["note: 3 articles with no outlet and 3 articles with no publication date: the rules compare "
                     "sources and dates, so these are compared with little or nothing; give a manifest "
                     "(--manifest, or manifest.yml in the folder) with source and published"]
    summary = r.output.splitlines()[-1]
    assert summary.endswith("language guessed for 3 (1 en, 1 nb, 1 ru)"), summary
