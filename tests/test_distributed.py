"""Extraction on Dask (issue 17): ``palmyra extract-corpus`` on a real LocalCluster of 2 worker processes, then
``palmyra load --claims``, against ``palmyra load --jobs 1`` on the same input, compared row by row.

The corpus is generated here: a few thousand short English and Norwegian articles from bench/corpus.py's
sentence templates in JSON lines files (split into line ranges by --partition-size), Russian articles as
.txt files described by a manifest (outlet, date, language, URL), and one file of each other kind (HTML,
Markdown with front matter, a JSON list, a cp1251 text), with the input problems a load reports: a line
that is not JSON, an article id used twice, a date in the future.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("dask.bag", reason="the dask extra is not installed: pip install -e '.[dask]'")
distributed = pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.corpus import EN_TEMPLATES, NB_TEMPLATES, PLACES, _en_slots, _fill, _nb_slots  # noqa: E402
from datasette_palmyra.cli import cli  # noqa: E402

ARTICLES = 3000  # in JSON lines; the Russian and other files come on top
PARTITION_SIZE = 300

RU_SENTENCES = [
    "По данным Минобороны России, в районе Пальмиры уничтожены {n} боевиков.",
    "Пальмира находится в {km} километрах к северо-востоку от Дамаска.",
    "Как сообщили в штабе, за сутки выполнено {n} боевых вылетов.",
    "{d} марта {y} года сирийская армия освободила город.",
    "В операции участвовали более {n} военнослужащих.",
    "Ущерб памятникам оценивается в {n} миллионов долларов.",
    "Ранее сообщалось, что боевики вновь атаковали город.",
    "Из города эвакуированы около {n} мирных жителей.",
]


def _ru_body(r: random.Random) -> str:
    out = []
    for t in r.sample(RU_SENTENCES, r.randint(2, 4)):
        out.append(t.format(n=r.randint(2, 9000), km=r.choice([215, 240, 250]), d=r.randint(1, 28),
                            y=r.choice([2016, 2017])))
    return " ".join(out)


def write_corpus(root: Path, n: int = ARTICLES, seed: int = 17) -> Path:
    """The test corpus under ``root/corpus`` (see the module docstring); same seed, same files."""
    r = random.Random(seed)
    corpus = root / "corpus"
    (corpus / "news").mkdir(parents=True)
    (corpus / "ru").mkdir()
    (corpus / "misc").mkdir()
    slots = {"en": _en_slots(), "nb": _nb_slots()}
    templates = {"en": EN_TEMPLATES, "nb": NB_TEMPLATES}
    weights = {k: [w for _, w, _ in v] for k, v in templates.items()}
    sources = {"en": ["TASS", "RT", "Reuters", "AP"], "nb": ["NRK", "Aftenposten", "NTB"]}
    files = [corpus / "news" / "a.jsonl", corpus / "news" / "b.jsonl"]
    lines: list[list[str]] = [[], []]
    for i in range(n):
        lang = "en" if r.random() < 0.6 else "nb"
        k = r.randint(1, 3)
        body = " ".join(_fill(t, slots[lang], r) for _, _, t in r.choices(templates[lang], weights[lang], k=k))
        item = {"id": f"gen-{i:05d}", "source": r.choice(sources[lang]), "language": lang,
                "published": f"2016-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                "title": f"{r.choice(PLACES)} {i}", "body": body}
        if i % 97 == 5:
            del item["language"]  # guessed from the text
        if i % 89 == 7:
            item["url"] = f"https://news.example/{i}"
        lines[i * 2 // n].append(json.dumps(item, ensure_ascii=False))
    lines[1].insert(40, '{"id": "broken", "body": "unterminated')  # not JSON: reported, skipped
    lines[1].insert(80, "")  # blank lines are not articles
    lines[1].insert(120, json.dumps({"id": "gen-00003", "body": "Reused id: 5 people."}))  # duplicate id
    lines[1].insert(160, json.dumps({"id": "future", "published": "2091-01-01", "body": "Some 40 people."}))
    for f, ls in zip(files, lines, strict=True):
        f.write_text("\n".join(ls) + "\n", encoding="utf-8")
    manifest = ["articles:"]
    for i in range(60):
        path = corpus / "ru" / f"ru-{i:03d}.txt"
        path.write_text(_ru_body(r) + "\n", encoding="utf-8")
        manifest.append(f"  - {{path: ru/{path.name}, id: ru-{i:03d}, source: {r.choice(['TASS', 'RIA'])}, "
                        f"published: '2016-0{r.randint(3, 9)}-1{r.randint(0, 9)}', language: ru, "
                        f"title: 'Пальмира {i}', url: 'https://ru.example/{i}'}}")
    (corpus / "manifest.yml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    (corpus / "misc" / "page.html").write_text(
        "<html lang='en'><head><title>Palmyra retaken</title><meta property='og:site_name' content='AP'>"
        "<meta property='article:published_time' content='2017-03-02T10:00'></head><body><nav>Home</nav>"
        "<p>Syrian troops entered Palmyra on Thursday, 240 kilometers from Damascus.</p></body></html>",
        encoding="utf-8")
    (corpus / "misc" / "note.md").write_text(
        "---\nsource: NRK\npublished: 2016-03-28\nlanguage: nb\n---\nMer enn 400 mennesker ble drept i mars.\n",
        encoding="utf-8")
    (corpus / "misc" / "list.json").write_text(json.dumps([
        {"id": "list-1", "language": "en", "published": "2016-03-27", "body": "About 2,000 fighters fled."},
        {"id": "list-2", "language": "en", "published": "2016-03-28", "body": "Officials counted 35 tanks."},
    ]), encoding="utf-8")
    (corpus / "misc" / "legacy.txt").write_bytes(
        "date 2016-12\nБоевики ИГ вновь вошли в Пальмиру, около 4000 человек.\n".encode("cp1251"))
    return corpus


def run(*args: str) -> tuple[int, str]:
    """The real command, in this process (Click's runner): exit code and standard error."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stderr


def rows(db: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
    finally:
        conn.close()


def dump(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def messages(stderr: str, prefix: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith(prefix)]


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def built(tmp_path_factory, cluster):
    """The corpus, the reference database of ``palmyra load --jobs 1``, and extract-corpus's output."""
    root = tmp_path_factory.mktemp("dask")
    corpus = write_corpus(root)
    reference = root / "reference.db"
    code, ref_err = run("load", reference, corpus, "--jobs", "1")
    assert code == 0, ref_err
    out = root / "out"
    code, err = run("extract-corpus", corpus, "--out", out, "--scheduler", cluster.scheduler_address,
                    "--partition-size", PARTITION_SIZE)
    assert code == 0, err
    return {"root": root, "corpus": corpus, "reference": reference, "ref_err": ref_err, "out": out,
            "extract_err": err}


def test_extract_corpus_then_load_claims_equals_load(built):
    summary = messages(built["extract_err"], f"{built['out']}: ")
    assert len(summary) == 1 and "0 already complete" in summary[0], built["extract_err"]
    parts = sorted(built["out"].glob("part-*.jsonl"))
    assert len(parts) >= ARTICLES // PARTITION_SIZE  # the JSON lines files went in line ranges
    db = built["root"] / "claims.db"
    code, err = run("load", db, "--claims", built["out"])
    assert code == 0, err
    for table in ("articles", "claims"):
        mine, theirs = rows(db, table), rows(built["reference"], table)
        assert mine == theirs, table
    n_articles = len(rows(db, "articles"))
    assert n_articles == ARTICLES + 60 + 5  # the duplicate, the broken and the future lines left out
    conn = sqlite3.connect(db)
    signed = conn.execute("SELECT count(*) FROM claims WHERE signature IS NOT NULL").fetchone()[0]
    languages = {lang for (lang,) in conn.execute("SELECT DISTINCT language FROM articles")}
    with_url = conn.execute("SELECT count(*) FROM articles WHERE url LIKE 'https://ru.example/%'").fetchone()[0]
    conn.close()
    assert signed > 1000 and languages == {"en", "nb", "ru"} and with_url == 60
    # the problems, in the words and order of the load itself
    skipped = messages(err, "skipped:")
    assert skipped == messages(built["ref_err"], "skipped:") and len(skipped) == 3, err
    assert any("b.jsonl:41: not valid JSON" in s for s in skipped)
    assert any("'gen-00003' already used by" in s for s in skipped)
    assert messages(err, "warning:") and messages(err, "warning:") == messages(built["ref_err"], "warning:")
    assert f"{n_articles} articles loaded, 0 unchanged" in err
    # the same counts (a plain load also says which languages it guessed: the partitions do not record that)
    ours = messages(err, f"{db}: ")[0].split(": ", 1)[1]
    ref = messages(built["ref_err"], f"{built['reference']}: ")[0].split(": ", 1)[1].split("; language guessed")[0]
    assert ours == ref


def test_rerun_skips_complete_partitions(built, cluster, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built["out"], out)
    parts = sorted(out.glob("part-*.jsonl"))
    before = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in parts}
    code, err = run("extract-corpus", built["corpus"], "--out", out, "--scheduler", cluster.scheduler_address,
                    "--partition-size", PARTITION_SIZE)
    assert code == 0, err
    assert f"{len(parts)} partitions (0 written, {len(parts)} already complete)" in err
    assert {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in out.glob("part-*.jsonl")} == before
    # a partition lost (a run killed before its rename leaves only a temporary file): only it is made again
    lost = parts[3]
    lost.unlink()
    (out / f".{lost.name}.deadbeef.tmp").write_text('{"half": ', encoding="utf-8")
    code, err = run("extract-corpus", built["corpus"], "--out", out, "--scheduler", cluster.scheduler_address,
                    "--partition-size", PARTITION_SIZE)
    assert code == 0, err
    assert f"(1 written, {len(parts) - 1} already complete)" in err
    assert lost.read_bytes() == before[lost.name][1]  # the same rows again
    assert not list(out.glob(".*.tmp"))
    assert (out / "index.json").read_bytes() == (built["out"] / "index.json").read_bytes()


def test_corrupt_partition_is_named_and_nothing_is_written(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built["out"], out)
    db = tmp_path / "seeds.db"  # a database with other articles in it already
    assert run("load", db, ROOT / "seeds", "-q")[0] == 0
    before = dump(db)
    part = sorted(out.glob("part-*.jsonl"))[2]  # partitions 0 and 1 are written before it fails
    original = part.read_text(encoding="utf-8").splitlines(keepends=True)
    lines = list(original)
    lines[9] = lines[9][: len(lines[9]) // 2] + "\n"  # line 10 cut in half
    part.write_text("".join(lines), encoding="utf-8")
    code, err = run("load", db, "--claims", out)
    assert code == 2
    assert err.startswith(f"error: {part}:10: not valid JSON") and len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    assert dump(db) == before
    # valid JSON whose article no longer matches its content hash (an edited body) is refused too
    lines = list(original)
    record = json.loads(lines[12])
    record["article"]["body"] += " Now 7 more."
    lines[12] = json.dumps(record, ensure_ascii=False) + "\n"
    part.write_text("".join(lines), encoding="utf-8")
    code, err = run("load", db, "--claims", out)
    assert code == 2 and err.startswith(f"error: {part}:13: article") and "content hash" in err, err
    assert dump(db) == before
    # a new database is not left behind
    fresh = tmp_path / "fresh.db"
    code, err = run("load", fresh, "--claims", out)
    assert code == 2 and not fresh.exists()


def test_second_load_claims_adds_no_rows(built, tmp_path):
    db = tmp_path / "twice.db"
    assert run("load", db, "--claims", built["out"])[0] == 0
    before = dump(db)
    code, err = run("load", db, "--claims", built["out"])
    assert code == 0, err
    n = len(rows(db, "articles"))
    assert f"0 articles loaded, {n} unchanged, 0 claims" in err
    assert dump(db) == before
    # and a load of the files themselves after it finds every article unchanged too: the same hashes
    code, err = run("load", db, built["corpus"])
    assert f"0 articles loaded, {n} unchanged" in err
    assert dump(db) == before


def test_default_local_cluster_and_errors(tmp_path):
    """Without --scheduler, a LocalCluster of this machine's cores; input errors are one line, exit 2."""
    out = tmp_path / "out"
    code, err = run("extract-corpus", ROOT / "seeds", "--out", out)
    assert code == 0, err
    assert "5 articles, " in err and "1 partitions (1 written" in err
    db, ref = tmp_path / "d.db", tmp_path / "ref.db"
    assert run("load", db, "--claims", out)[0] == 0 and run("load", ref, ROOT / "seeds")[0] == 0
    assert rows(db, "claims") == rows(ref, "claims") and rows(db, "articles") == rows(ref, "articles")

    code, err = run("extract-corpus", tmp_path / "nothing-here", "--out", tmp_path / "o2")
    assert code == 2 and err == f"error: {tmp_path / 'nothing-here'}: no such file or folder\n"
    bad = tmp_path / "bad" / "manifest.yml"
    bad.parent.mkdir()
    (bad.parent / "a.txt").write_text("Some 5 people.\n", encoding="utf-8")
    bad.write_text("articles:\n  - {path: a.txt, published: 2099-01-01}\n", encoding="utf-8")
    code, err = run("extract-corpus", bad.parent, "--out", tmp_path / "o3")
    assert code == 2 and err.startswith(f"error: {bad}:2: published '2099-01-01' is in the future"), err
    assert not (tmp_path / "o3").exists()
    (out / "index.json").unlink()  # as a run stopped before its end leaves it
    code, err = run("load", tmp_path / "x.db", "--claims", out)
    assert code == 2 and err.startswith(f"error: {out / 'index.json'}: missing: the extraction did not finish")
    assert not (tmp_path / "x.db").exists()
    code, err = run("load", tmp_path / "x.db", ROOT / "seeds", "--claims", out)
    assert code == 2 and "not both" in err
    code, err = run("extract-corpus", bad.parent, "--out", bad.parent / "claims")
    assert code == 2 and err == f"error: {bad.parent / 'claims'}: --out is inside the input folder {bad.parent}; put it elsewhere\n"
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):  # nothing listens on port 9
        code, err = run("extract-corpus", ROOT / "seeds", "--out", tmp_path / "o4", "--scheduler", "tcp://127.0.0.1:9")
    assert code == 2 and err.startswith("error: tcp://127.0.0.1:9: cannot reach the Dask scheduler"), err
    assert len(err.splitlines()) == 1
