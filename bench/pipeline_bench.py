"""End to end on a generated corpus: 100,000 articles through ``palmyra load`` and ``palmyra check`` (1 and 2
jobs each) and publishing; seconds, speed-up, database size and peak memory of each step.

Articles are built from bench/corpus.py's English and Norwegian sentence templates (60/40), 4-12 sentences
each, with a source, a publication date and a title, and written as JSON lines files of 5,000 articles: the
format a scraper or a Spark job would ship. Each step runs as its own ``palmyra`` process, so its peak
memory (the process and its workers) is read from ``os.wait4``. The check with 2 jobs must write the same
facts, memberships and flags as with 1.

Targets on a 2-core machine: a load with 2 jobs at least 1.7x faster than 1; generate + load + check (2 jobs
each) + publish under 10 minutes; no step over 2 GB of memory.

    python bench/run.py pipeline                      # 100,000 articles
    python bench/run.py pipeline -- --articles 5000   # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus import EN_TEMPLATES, NB_TEMPLATES, PLACES, _en_slots, _fill, _nb_slots  # noqa: E402

TARGET_SPEEDUP = 1.7
TARGET_PIPELINE_S = 600.0
TARGET_PEAK_MB = 2048.0
PER_FILE = 5000
SOURCES = {"en": ["TASS", "RT", "Reuters", "AP", "SANA", "Al-Masdar"], "nb": ["NRK", "Aftenposten", "VG", "NTB"]}


def articles(n: int, seed: int = 11) -> Iterator[dict]:
    """n article dicts (id, source, published, language, title, body); same (n, seed), same articles."""
    r = random.Random(seed)
    slots = {"en": _en_slots(), "nb": _nb_slots()}
    templates = {"en": EN_TEMPLATES, "nb": NB_TEMPLATES}
    weights = {k: [w for _, w, _ in v] for k, v in templates.items()}
    start = dt.date(2015, 5, 1).toordinal()
    for i in range(n):
        lang = "en" if r.random() < 0.6 else "nb"
        sentences = [_fill(t, slots[lang], r) for _, _, t in r.choices(templates[lang], weights[lang], k=r.randint(4, 12))]
        place = r.choice(PLACES)
        title = (f"Fighting near {place} continues" if lang == "en" else f"Kampene ved {place} fortsetter")
        yield {
            "id": f"gen-{i:06d}",
            "source": r.choice(SOURCES[lang]),
            "published": dt.date.fromordinal(start + r.randrange(700)).isoformat(),
            "language": lang,
            "title": title,
            "body": " ".join(sentences[:3]) + "\n\n" + " ".join(sentences[3:]),
        }


def write_corpus(folder: Path, n: int, seed: int = 11) -> tuple[int, int]:
    """JSON lines files of PER_FILE articles; returns (files, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    files, size, out = 0, 0, None
    for i, a in enumerate(articles(n, seed)):
        if i % PER_FILE == 0:
            if out:
                out.close()
            out = (folder / f"part-{files:04d}.jsonl").open("w", encoding="utf-8")
            files += 1
        line = json.dumps(a, ensure_ascii=False) + "\n"
        size += len(line.encode("utf-8"))
        out.write(line)
    if out:
        out.close()
    return files, size


def run_step(args: list[str]) -> tuple[float, float, int]:
    """Run one ``palmyra`` command; (seconds, peak MB of it and its workers, exit code)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "datasette_palmyra", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code not in (0, 1):
        print(err[-2000:], file=sys.stderr)
    return secs, usage.ru_maxrss / 1024, code


def same_claims(a: Path, b: Path) -> bool:
    conn = sqlite3.connect(a)
    conn.execute("ATTACH ? AS other", [str(b)])
    diff = conn.execute("SELECT count(*) FROM (SELECT * FROM claims EXCEPT SELECT * FROM other.claims)").fetchone()[0]
    diff += conn.execute("SELECT count(*) FROM (SELECT * FROM other.claims EXCEPT SELECT * FROM claims)").fetchone()[0]
    conn.close()
    return diff == 0


def same_check_results(a: Path, b: Path) -> bool:
    """The same facts, memberships (with their reasons) and flags in both databases."""
    conn = sqlite3.connect(a)
    conn.execute("ATTACH ? AS other", [str(b)])
    queries = [
        "SELECT id, label, kind, varies, origin, claim_count, source_count, flag_count, max_severity FROM {p}facts",
        "SELECT fact_id, claim_id, reason FROM {p}fact_claims JOIN {p}fact_reasons ON {p}fact_reasons.id = reason_id",
        "SELECT id, rule, severity, certainty, fact, message, claim_ids, intervals, gap, tolerance FROM {p}flags",
    ]
    diff = 0
    for q in queries:
        mine, theirs = q.format(p="main."), q.format(p="other.")
        diff += conn.execute(f"SELECT count(*) FROM ({mine} EXCEPT {theirs})").fetchone()[0]
        diff += conn.execute(f"SELECT count(*) FROM ({theirs} EXCEPT {mine})").fetchone()[0]
    conn.close()
    return diff == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the corpus and databases in this folder")
    args = ap.parse_args(argv)
    from datasette_palmyra.publish import prepare_for_publishing

    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus, db1, db2 = work / "corpus", work / "jobs1.db", work / "jobs2.db"
        for p in (db1, db2):
            for suffix in ("", "-wal", "-shm"):
                Path(str(p) + suffix).unlink(missing_ok=True)
        t0 = time.perf_counter()
        files, size = write_corpus(corpus, args.articles, args.seed)
        gen = time.perf_counter() - t0
        print(f"corpus: {args.articles} articles in {files} JSON lines files, {size / 1e6:.1f} MB, "
              f"generated in {gen:.1f} s", flush=True)
        load1, mem1, c1 = run_step(["load", str(db1), str(corpus), "--jobs", "1", "-q"])
        print(f"load --jobs 1: {load1:7.1f} s  {args.articles / load1:7.0f} articles/s  peak {mem1:6.0f} MB", flush=True)
        load2, mem2, c2 = run_step(["load", str(db2), str(corpus), "--jobs", "2", "-q"])
        print(f"load --jobs 2: {load2:7.1f} s  {args.articles / load2:7.0f} articles/s  peak {mem2:6.0f} MB", flush=True)
        identical = same_claims(db1, db2)
        conn = sqlite3.connect(db2)
        n_claims = conn.execute("SELECT count(*) FROM claims").fetchone()[0]
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.close()
        print(f"loaded: {n_articles} articles, {n_claims} claims; --jobs 1 and 2 identical: {identical}")
        check1, mem3, c3 = run_step(["check", str(db1), "--fail-on", "never", "--format", "csv", "--jobs", "1"])
        print(f"check --jobs 1:{check1:7.1f} s  peak {mem3:6.0f} MB", flush=True)
        check, mem4, c4 = run_step(["check", str(db2), "--fail-on", "never", "--format", "csv", "--jobs", "2"])
        conn = sqlite3.connect(db2)
        n_flags, n_facts = conn.execute("SELECT (SELECT count(*) FROM flags), (SELECT count(*) FROM facts)").fetchone()
        conn.close()
        same_results = same_check_results(db1, db2)
        print(f"check --jobs 2:{check:7.1f} s  peak {mem4:6.0f} MB  {check1 / check:.2f}x; {n_facts} facts, "
              f"{n_flags} flags; results identical to --jobs 1: {same_results}", flush=True)
        t0 = time.perf_counter()
        mode = prepare_for_publishing(db2)
        publish = time.perf_counter() - t0
        db_mb = db2.stat().st_size / 1e6
        print(f"publish:       {publish:7.1f} s  journal {mode}, database {db_mb:.1f} MB "
              f"({db_mb * 1e6 / max(1, n_articles):.0f} bytes per article)")

        speedup = load1 / load2
        pipeline = gen + load2 + check + publish
        peak = max(mem1, mem2, mem3, mem4)
        ok_speed, ok_mem = speedup >= TARGET_SPEEDUP, peak < TARGET_PEAK_MB
        scale = args.articles / 100_000
        print(f"\nspeed-up with 2 jobs: {speedup:.2f}x  target >= {TARGET_SPEEDUP}x  {'PASS' if ok_speed else 'FAIL'}")
        print(f"whole pipeline (generate + load -j2 + check -j2 + publish): {pipeline:.1f} s  target < "
              f"{TARGET_PIPELINE_S * scale:.0f} s for {args.articles} articles  "
              f"{'PASS' if pipeline < TARGET_PIPELINE_S * scale else 'FAIL'}")
        print(f"peak memory of any step: {peak:.0f} MB  target < {TARGET_PEAK_MB:.0f} MB  {'PASS' if ok_mem else 'FAIL'}")
        out = REPO / "bench" / "out"
        out.mkdir(exist_ok=True)
        (out / "pipeline.json").write_text(json.dumps({
            "articles": args.articles, "claims": n_claims, "facts": n_facts, "flags": n_flags,
            "generate_s": gen, "load_jobs1_s": load1, "load_jobs2_s": load2, "check_jobs1_s": check1, "check_s": check,
            "check_identical": same_results,
            "publish_s": publish, "speedup": speedup, "pipeline_s": pipeline, "peak_mb": peak,
            "db_mb": db_mb, "identical": identical, "exit_codes": [c1, c2, c3, c4],
        }, indent=2))
        ok = (identical and same_results and ok_speed and ok_mem and pipeline < TARGET_PIPELINE_S * scale
              and max(c1, c2) == 0)
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
