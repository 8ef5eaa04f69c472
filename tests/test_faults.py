"""Faults: a load or a check killed with SIGKILL in the middle of its transaction, and readers (plain
sqlite3 and a real Datasette) reading while ``palmyra check`` rewrites the flags.

The kill lands mid-transaction deterministically without any test hook in the product: the child process
runs the real ``load_paths`` / ``run_check`` on a real file, with one function wrapped (``write_article``
for a load, the connection's ``executemany`` for a check) so that it signals and stops after part of the
transaction is written. Its page cache is kept tiny, so uncommitted pages really reach the WAL file.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import ROOT, checksum, copy_db, count, integrity

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.pipeline_bench import write_corpus  # noqa: E402
from datasette_palmyra.load import load_paths  # noqa: E402
from datasette_palmyra.publish import prepare_for_publishing  # noqa: E402

LOAD_CHILD = """
import sys, time
from pathlib import Path
from datasette_palmyra import load, store
db_path, corpus, marker = sys.argv[1:4]
real_open, real_write = store.open_db, store.write_article
def open_small(path):
    db = real_open(path)
    db.execute("PRAGMA cache_size = 8")  # pages spill to the WAL before the commit
    return db
calls = {"n": 0}
def write(db, article, values, new=False):
    n = real_write(db, article, values, new)
    calls["n"] += 1
    if calls["n"] == 60:
        Path(marker).write_text(str(calls["n"]))
        time.sleep(120)
    return n
store.open_db, store.write_article = open_small, write
load.load_paths(db_path, [corpus])
"""

CHECK_CHILD = """
import sqlite3, sys, time
from pathlib import Path
import sqlite_utils
from datasette_palmyra.run import run_check
from datasette_palmyra.ruleset import load_ruleset
db_path, marker = sys.argv[1:3]
class Pausing(sqlite3.Connection):
    def executemany(self, sql, rows):
        if sql.startswith("INSERT INTO flag_claims"):  # facts, flags and the run are written by now
            Path(marker).write_text("paused")
            time.sleep(120)
        return super().executemany(sql, rows)
conn = sqlite3.connect(db_path, factory=Pausing)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA cache_size = 8")
run_check(sqlite_utils.Database(conn), load_ruleset(None))
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 400, seed=5)
    return folder


def _child(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _wait_for(marker: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if proc.poll() is not None:
            raise AssertionError(f"child ended early: {proc.stderr.read().decode()[-2000:]}")
        assert time.monotonic() < deadline, "child never reached the pause"
        time.sleep(0.02)


def _kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    proc.stdout.close()
    proc.stderr.close()


def test_load_killed_mid_transaction_leaves_previous_state(db, corpus, tmp_path):
    before = checksum(db)
    articles = count(db, "select count(*) from articles")
    marker = tmp_path / "paused"
    proc = _child(LOAD_CHILD, str(db), str(corpus), str(marker))
    try:
        _wait_for(marker, proc)
        wal = Path(str(db) + "-wal")
        assert wal.exists() and wal.stat().st_size > 100_000  # 60 articles' uncommitted pages are on disk
        assert checksum(db) == before  # a reader meanwhile sees the last committed state, unlocked
    finally:
        _kill(proc)
    assert integrity(db) == "ok"
    assert checksum(db) == before
    report = load_paths(db, [corpus])  # the next run succeeds and loads everything
    assert len(report.loaded) == 400 and report.errors == []
    assert count(db, "select count(*) from articles") == articles + 400
    assert integrity(db) == "ok"


def test_check_killed_mid_transaction_leaves_previous_run(db, corpus, tmp_path):
    load_paths(db, [corpus])
    before = checksum(db)
    runs = count(db, "select count(*) from runs")
    marker = tmp_path / "paused"
    proc = _child(CHECK_CHILD, str(db), str(marker))
    try:
        _wait_for(marker, proc)
        assert checksum(db) == before
    finally:
        _kill(proc)
    assert integrity(db) == "ok"
    assert checksum(db) == before and count(db, "select count(*) from runs") == runs
    result = subprocess.run([sys.executable, "-m", "datasette_palmyra", "check", str(db), "--fail-on", "never"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert count(db, "select count(*) from runs") == runs + 1
    assert count(db, "select flag_count from runs order by id desc limit 1") == count(db, "select count(*) from flags")
    assert integrity(db) == "ok"


def test_load_killed_at_random_points_is_all_or_nothing(db, corpus):
    """SIGKILL after a random delay, wherever it lands: the file is valid and holds either the previous
    state or the whole load, and a reload finishes the job."""
    before = checksum(db)
    articles = count(db, "select count(*) from articles")
    rnd = random.Random(1)
    outcomes = set()
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "datasette_palmyra", "load", str(db), str(corpus), "-q"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rnd.uniform(0.3, 2.5))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        assert integrity(db) == "ok"
        now = count(db, "select count(*) from articles")
        assert now in (articles, articles + 400)
        if now == articles:
            assert checksum(db) == before
            outcomes.add("previous")
        else:
            outcomes.add("complete")
            break
    report = load_paths(db, [corpus])
    assert count(db, "select count(*) from articles") == articles + 400 and report.errors == []
    assert outcomes  # at least one kill landed (the log of which kind is in the assertion above)


# -- readers while the flags are rewritten -----------------------------------------------------------------

CONSISTENT = ("SELECT (SELECT count(*) FROM flags), (SELECT flag_count FROM runs ORDER BY id DESC LIMIT 1), "
              "(SELECT count(*) FROM flag_claims WHERE flag_id NOT IN (SELECT id FROM flags)), "
              "(SELECT max(run_id) FROM flags), (SELECT max(id) FROM runs)")


def _checks_in_background(db: Path, runs: int) -> subprocess.Popen:
    code = ("import sys, subprocess\n"
            f"for _ in range({runs}):\n"
            "    r = subprocess.run([sys.executable, '-m', 'datasette_palmyra', 'check', sys.argv[1], "
            "'--fail-on', 'never', '--format', 'csv'], stdout=subprocess.DEVNULL)\n"
            "    assert r.returncode == 0, r.returncode\n")
    return subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT)


@pytest.fixture
def big_db(db, corpus) -> Path:
    load_paths(db, [corpus])
    return db


def test_sqlite_readers_never_see_half_a_run_nor_a_lock(big_db):
    problems: list[str] = []
    seen_runs: set[int] = set()
    reads = [0]
    stop = threading.Event()

    def reader():
        conn = sqlite3.connect(f"file:{big_db}?mode=ro", uri=True, timeout=1.0, check_same_thread=False)
        try:
            while not stop.is_set():
                try:
                    flags, flag_count, orphans, flag_run, last_run = conn.execute(CONSISTENT).fetchone()
                except sqlite3.OperationalError as e:
                    problems.append(f"read failed: {e}")
                    return
                reads[0] += 1
                seen_runs.add(last_run)
                if flags != flag_count or orphans or (flags and flag_run != last_run):
                    problems.append(f"half-written run: {flags} flags, run says {flag_count}, {orphans} orphans, "
                                    f"flags of run {flag_run}, last run {last_run}")
        finally:
            conn.close()

    writer = _checks_in_background(big_db, 3)
    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    try:
        assert writer.wait(timeout=240) == 0
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert problems == []
    assert len(seen_runs) >= 3 and reads[0] > 50, (seen_runs, reads)  # the reads did overlap the rewrites


@pytest.mark.asyncio
async def test_datasette_reads_while_check_rewrites_flags(big_db, tmp_path):
    from datasette.app import Datasette

    ds = Datasette(files=[str(big_db)])
    await ds.invoke_startup()
    name = big_db.stem
    writer = _checks_in_background(big_db, 3)
    seen_runs, pages = set(), 0
    try:
        while writer.poll() is None:
            r = await ds.client.get(f"/{name}.json", params={"sql": CONSISTENT, "_shape": "array", "_nl": "on"})
            assert r.status_code == 200, r.text[:500]
            row = json.loads(r.text.splitlines()[0])
            values = list(row.values())
            flags, flag_count, orphans = values[:3]
            assert flags == flag_count and orphans == 0, row
            seen_runs.add(values[4])
            table = await ds.client.get(f"/{name}/flags.json", params={"_size": "5"})
            assert table.status_code == 200, table.text[:500]
            pages += 1
            await asyncio.sleep(0)
    finally:
        if writer.poll() is None:
            writer.kill()
        writer.wait()
    assert writer.returncode == 0
    assert pages > 10 and len(seen_runs) >= 2, (pages, seen_runs)


def test_publishing_after_wal_work_gives_a_self_contained_file(big_db, tmp_path):
    """Working files are WAL; the published copy is checkpointed, in DELETE mode, complete on its own."""
    conn = sqlite3.connect(big_db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    before = checksum(big_db)
    assert prepare_for_publishing(big_db) == "delete"
    assert not Path(str(big_db) + "-wal").exists()
    shipped = tmp_path / "shipped.db"
    shipped.write_bytes(big_db.read_bytes())  # the file alone, as a deploy would copy it
    assert checksum(shipped) == before and integrity(shipped) == "ok"


# -- one snapshot per check ----------------------------------------------------------------------


def _load_during_grouping(monkeypatch, db_path: Path, folder: Path) -> None:
    """Make a real load of ``folder`` (another connection, its own commit) happen while the check groups
    the claims it has read: the window in which a concurrent ``palmyra load`` can land."""
    from datasette_palmyra import engine

    real = engine.group_claims

    def group_then_load(*args, **kwargs):
        facts = real(*args, **kwargs)
        report = load_paths(db_path, [folder])
        assert report.errors == [] and report.loaded
        return facts

    monkeypatch.setattr(engine, "group_claims", group_then_load)


def _extra_article(tmp_path: Path) -> Path:
    folder = tmp_path / "late"
    folder.mkdir()
    (folder / "late.txt").write_text("Troops recaptured Palmyra on 27 March 2016, about 240 km from Damascus.\n",
                                     encoding="utf-8")
    return folder


def test_a_load_committed_during_a_check_makes_it_write_nothing(db, tmp_path, monkeypatch):
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import DatabaseChanged, run_check
    from datasette_palmyra.store import open_db

    runs = count(db, "select count(*) from runs")
    articles = count(db, "select count(*) from articles")
    _load_during_grouping(monkeypatch, db, _extra_article(tmp_path))
    conn = open_db(db)
    with pytest.raises(DatabaseChanged, match="changed while the check was reading"):
        run_check(conn, load_ruleset(None))
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # restored for the connection's next user
    assert not conn.conn.in_transaction
    conn.close()
    # the load landed; the check wrote nothing (no run, previous facts and flags untouched) ...
    assert count(db, "select count(*) from articles") == articles + 1
    assert count(db, "select count(*) from runs") == runs
    assert integrity(db) == "ok"
    # ... and the next check, with nothing running beside it, succeeds and covers the new article
    monkeypatch.undo()
    conn = open_db(db)
    run_check(conn, load_ruleset(None))
    conn.close()
    assert count(db, "select count(*) from runs") == runs + 1
    assert count(db, "select count(*) from fact_claims join claims on claims.id = claim_id "
                     "where claims.article_id = 'late'") > 0


def test_the_cli_says_so_in_one_line_with_exit_code_3(db, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from datasette_palmyra.cli import cli

    _load_during_grouping(monkeypatch, db, _extra_article(tmp_path))
    result = CliRunner().invoke(cli, ["check", str(db)])
    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"Error: {db}: the database changed"), result.output


def test_checked_links_satisfy_every_foreign_key(db):
    """The check writes with foreign-key enforcement off (one snapshot makes it redundant): prove the rows
    would have passed it, and that enforcement is back on afterwards."""
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import run_check
    from datasette_palmyra.store import open_db

    conn = open_db(db)
    run_check(conn, load_ruleset(None))
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert count(db, "select count(*) from fact_claims") > 0
    assert count(db, "select count(*) from (select fact_id, claim_id from fact_claims "
                     "group by 1, 2 having count(*) > 1)") == 0
    conn.close()


OLDER_FACT_CLAIMS = {
    # first version: a rowid table keyed by (fact_id, claim_id), each reason as text
    "keyed, reasons as text": (
        "CREATE TABLE fact_claims (fact_id TEXT REFERENCES facts(id), claim_id TEXT REFERENCES claims(id), "
        "reason TEXT, PRIMARY KEY (fact_id, claim_id));"
        "CREATE INDEX idx_fact_claims_claim_id ON fact_claims (claim_id);"),
    # second: a rowid table with a unique index, reasons in fact_reasons
    "rowid table, unique index": (
        "CREATE TABLE fact_claims (fact_id TEXT REFERENCES facts(id), claim_id TEXT REFERENCES claims(id), "
        "reason_id INTEGER REFERENCES fact_reasons(id));"
        "CREATE UNIQUE INDEX fact_claims_fact_claim ON fact_claims (fact_id, claim_id);"
        "CREATE INDEX idx_fact_claims_claim_id ON fact_claims (claim_id);"),
}


@pytest.mark.parametrize("layout", sorted(OLDER_FACT_CLAIMS))
def test_an_older_fact_claims_table_is_rebuilt(db, tmp_path, layout):
    """Databases checked by earlier versions stored fact_claims as a rowid table; the next check rebuilds
    it (clustered on (fact_id, claim_id), reasons in fact_reasons) and writes the same rows as on a
    fresh database."""
    from datasette_palmyra.ruleset import load_ruleset
    from datasette_palmyra.run import run_check
    from datasette_palmyra.store import FACT_CLAIMS_INDEXES, open_db

    fresh = copy_db(db, tmp_path / "fresh.db")
    old = copy_db(db, tmp_path / "old.db")
    for path in (old, fresh):
        conn = open_db(path)
        run_check(conn, load_ruleset(None))
        conn.close()
    raw = sqlite3.connect(old)
    raw.executescript("DROP TABLE fact_claims;" + OLDER_FACT_CLAIMS[layout])
    raw.close()
    conn = open_db(old)
    run_check(conn, load_ruleset(None))
    assert [c.name for c in conn["fact_claims"].columns] == ["fact_id", "claim_id", "reason_id"]
    assert [c.name for c in conn["fact_claims"].columns if c.is_pk] == ["fact_id", "claim_id"]
    assert "WITHOUT ROWID" in conn["fact_claims"].schema
    assert {i.name for i in conn["fact_claims"].indexes} >= set(FACT_CLAIMS_INDEXES)
    conn.close()
    rows = ("select fact_id, claim_id, reason from fact_claims join fact_reasons on fact_reasons.id = reason_id "
            "order by 1, 2")
    got = sqlite3.connect(old).execute(rows).fetchall()
    assert got and got == sqlite3.connect(fresh).execute(rows).fetchall()
    assert integrity(old) == "ok"
