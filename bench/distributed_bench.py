"""Extraction on Dask against the process pool, in the same run: articles per second of ``palmyra extract-corpus``
on a LocalCluster of 2 workers and of ``palmyra load --jobs 2``, on one generated corpus, and their ratio.

The corpus is bench/pipeline_bench.py's (English and Norwegian articles of 4-12 sentences, JSON lines files of
5,000). Each command runs as its own ``palmyra`` process. extract-corpus is timed twice: against a cluster
this bench started beforehand (``--scheduler``: what a standing cluster costs), alternating with the load
(best of ``--repeat`` runs each, 2 by default), and once on its own default
LocalCluster (cluster start-up included, like the pool start-up a load pays). ``load --claims`` is timed
after it, since extract + load --claims is what replaces one load; the database it makes must hold the same
articles and claims rows as the load's.

    python bench/run.py distributed                      # 20,000 articles
    python bench/run.py distributed -- --articles 4000   # a quick run
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.pipeline_bench import run_step, write_corpus  # noqa: E402


def same_rows(a: Path, b: Path) -> bool:
    """The same articles and claims rows (every column) in both databases."""
    conn = sqlite3.connect(a)
    conn.execute("ATTACH ? AS other", [str(b)])
    diff = 0
    for table in ("articles", "claims"):
        diff += conn.execute(f"SELECT count(*) FROM (SELECT * FROM main.{table} EXCEPT SELECT * FROM other.{table})").fetchone()[0]
        diff += conn.execute(f"SELECT count(*) FROM (SELECT * FROM other.{table} EXCEPT SELECT * FROM main.{table})").fetchone()[0]
    conn.close()
    return diff == 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--partition-size", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=2, help="Runs of load and of extract-corpus (best is kept)")
    args = ap.parse_args(argv)
    try:
        import distributed
    except ImportError:
        print("dask not installed: pip install -e '.[dask]'", file=sys.stderr)
        return 2
    n = args.articles
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        files, size = write_corpus(corpus, n, args.seed)
        print(f"corpus: {n} articles in {files} JSON lines files, {size / 1e6:.1f} MB", flush=True)

        # alternated and repeated, best of each: on a shared machine another job's burst then hits both
        loads, extracts, codes = [], [], []
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None, silence_logs=logging.ERROR) as cluster:
            for i in range(args.repeat):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{work / 'load.db'}{suffix}").unlink(missing_ok=True)
                secs, load_mb, code = run_step(["load", str(work / "load.db"), str(corpus), "--jobs", "2", "-q"])
                loads.append(secs)
                codes.append(code)
                print(f"load --jobs 2:                        {secs:6.1f} s  {n / secs:6.0f} articles/s", flush=True)
                secs, _, code = run_step(["extract-corpus", str(corpus), "--out", str(work / f"out-{i}"),
                                          "--scheduler", cluster.scheduler_address,
                                          "--partition-size", str(args.partition_size)])
                extracts.append(secs)
                codes.append(code)
                print(f"extract-corpus, standing cluster of 2: {secs:6.1f} s  {n / secs:6.0f} articles/s", flush=True)
        load_s, ext_s = min(loads), min(extracts)
        c1, c2 = max(codes), 0
        shutil.move(work / f"out-{extracts.index(ext_s)}", work / "out")
        own_s, _, c3 = run_step(["extract-corpus", str(corpus), "--out", str(work / "out-own"),
                                 "--partition-size", str(args.partition_size)])
        print(f"extract-corpus, its own LocalCluster:  {own_s:6.1f} s  {n / own_s:6.0f} articles/s "
              "(cluster start-up included)", flush=True)
        claims_s, _, c4 = run_step(["load", str(work / "claims.db"), "--claims", str(work / "out"), "-q"])
        print(f"load --claims:                        {claims_s:6.1f} s  {n / claims_s:6.0f} articles/s", flush=True)
        identical = same_rows(work / "load.db", work / "claims.db")
        parts = len(list((work / "out").glob("part-*.jsonl")))
        out_mb = sum(p.stat().st_size for p in (work / "out").glob("part-*.jsonl")) / 1e6

    ratio = load_s / ext_s
    ratio_own = load_s / own_s
    ratio_total = load_s / (ext_s + claims_s)
    print(f"\nbest of {args.repeat}: load --jobs 2 {n / load_s:.0f} articles/s, extract-corpus on 2 workers "
          f"{n / ext_s:.0f} articles/s")
    print(f"extract-corpus (2 workers) / load --jobs 2, articles per second: {ratio:.2f}x "
          f"(with its own cluster {ratio_own:.2f}x; extract + load --claims {ratio_total:.2f}x)")
    print(f"{parts} partitions, {out_mb:.1f} MB of JSON lines; databases identical: {identical}")
    out = REPO / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "distributed.json").write_text(json.dumps({
        "articles": n, "load_jobs2_s": load_s, "load_runs_s": loads, "extract_runs_s": extracts, "load_peak_mb": load_mb, "extract_standing_s": ext_s,
        "extract_own_cluster_s": own_s, "load_claims_s": claims_s, "ratio": ratio, "ratio_own_cluster": ratio_own,
        "ratio_with_load_claims": ratio_total, "partitions": parts, "partition_mb": out_mb, "identical": identical,
        "exit_codes": [c1, c2, c3, c4],
    }, indent=2))
    return 0 if identical and max(c1, c2, c3, c4) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
