"""Serving benchmark: what the plugin costs on a large database.

Generates (once, cached in bench/out/) a database of 100,000 articles and 1,000,000 claims with facts and
flags, then times, in one process on the same file, the claims table page with the plugin and without it
(the plugin unregistered), and the plugin's article and fact pages. Prints medians and the ratio.

    python bench/serve_bench.py [--articles 100000] [--claims-per-article 10] [--requests 30]

The ratio is printed for the page as users get it (facet suggestions included) and for the page without
suggestions (``_nosuggest=1``), where the fixed cost of datasette dispatching ``render_cell`` to one more
plugin for each of the ~2,200 cells weighs more. The latter is measured twice: one side after the other, and
in turns (plugin, none, none, plugin, ... on the same pages), whose median per-request ratio is the one
checked, since a busy machine skews two runs apart. Last, the cost of one cell's dispatch with and without
the plugin, and of our function alone.

Targets, printed as PASS/FAIL (exit 1 on a FAIL): the plugin adds under 20% to the claims table page; the
article and fact pages take under 100 ms median.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out"
SOURCES = ["TASS", "RT", "NRK", "Reuters", "AP", "AFP", "BBC", "SANA"]
SUBJECTS = ["militants", "soldiers", "civilians", "tanks", "air strikes", "sorties", "vehicles", "residents"]


def generate(path: Path, n_articles: int, per_article: int, seed: int = 7) -> None:
    """Direct sqlite inserts into the real schema (FTS triggers dropped: search is not what is timed)."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from datasette_palmyra import store

    rnd = random.Random(seed)
    tmp = path.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    db = store.open_db(tmp)
    store.ensure_schema(db)
    db.conn.close()
    conn = sqlite3.connect(tmp)
    for (name,) in conn.execute("select name from sqlite_master where type = 'trigger'").fetchall():
        conn.execute(f"drop trigger [{name}]")
    conn.execute("pragma journal_mode = off")
    conn.execute("pragma synchronous = off")
    n_facts = max(1, n_articles // 10)
    fact_members: dict[int, list[str]] = {}
    flagged: list[tuple[str, str, str]] = []
    with conn:
        articles, claims, fact_claims = [], [], []
        for a in range(n_articles):
            aid = f"a{a:06d}"
            source = SOURCES[a % len(SOURCES)]
            day = 1 + a % 28
            parts, pos = [], 0
            for c in range(per_article):
                if c % 3 == 0:
                    lo = f"2016-03-{1 + (a + c) % 28:02d}"
                    text = f"{1 + (a + c) % 28} March 2016"
                    sentence, kind, low, high, unit = f"Fighting resumed on {text} near Palmyra. ", "date", lo, lo, "day"
                else:
                    n = rnd.randint(2, 9000)
                    text = f"{n:,}"
                    subj = SUBJECTS[(a + c) % len(SUBJECTS)]
                    sentence, kind, low, high, unit = f"Officials said {text} {subj} were involved. ", "count", n, n, "count"
                start = pos + sentence.index(text)
                cid = f"{aid}:{start}-{start + len(text)}"
                claims.append((cid, aid, kind, text, start, start + len(text), low, "exact", low, high, unit,
                               sentence.strip()))
                if c < 2:
                    fid = (a * 2 + c) % n_facts
                    fact_members.setdefault(fid, []).append(cid)
                    fact_claims.append((f"f{fid:05d}", cid, "bench"))
                parts.append(sentence)
                pos += len(sentence)
            body = "".join(parts)
            articles.append((aid, source, f"2016-03-{day:02d}", f"2016-03-{day:02d}", f"2016-03-{day:02d}", "en",
                             f"Report {a} on Palmyra", body, per_article))
            if len(claims) >= 50_000:
                flush(conn, articles, claims, fact_claims)
                articles, claims, fact_claims = [], [], []
        flush(conn, articles, claims, fact_claims)
        conn.execute("insert into runs (id, started, finished, outcome) values (1, '2024', '2024', 'fail')")
        conn.executemany("insert into facts (id, label, kind, claim_count) values (?, ?, ?, ?)",
                         [(f"f{i:05d}", f"bench fact {i}", "count", len(m)) for i, m in fact_members.items()])
        flags, flag_claims = [], []
        for i, members in fact_members.items():
            if i % 2 or len(members) < 2:
                continue
            pair = members[:2]
            fid = f"flag{i:05d}"
            sev = ("error", "warning", "info")[i % 3]
            flags.append((fid, 1, "bench-rule", sev, f"f{i:05d}", f"claims disagree in fact {i}", json.dumps(pair),
                          json.dumps(sorted({c.split(':')[0] for c in pair})), json.dumps(["TASS", "RT"])))
            flag_claims += [(fid, c, sev) for c in pair]
            flagged += [(fid, c, sev) for c in pair]
        conn.executemany("insert into flags (id, run_id, rule, severity, fact, message, claim_ids, article_ids,"
                         " sources) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", flags)
        conn.executemany("insert into flag_claims values (?, ?, ?)", flag_claims)
    conn.execute("pragma journal_mode = delete")
    conn.execute("analyze")
    conn.close()
    tmp.rename(path)


def flush(conn, articles, claims, fact_claims) -> None:
    conn.executemany("insert into articles (id, source, published, published_low, published_high, language, title,"
                     " body, claim_count) values (?, ?, ?, ?, ?, ?, ?, ?, ?)", articles)
    conn.executemany("insert into claims (id, article_id, kind, text, start, end, value, qualifier, low, high,"
                     " norm_unit, sentence) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
    conn.executemany("insert into fact_claims values (?, ?, ?)", fact_claims)


async def median_ms(ds, paths: list[str], requests: int) -> float:
    for p in paths[:3]:  # warm caches and connections
        r = await ds.client.get(p)
        assert r.status_code == 200, (p, r.status_code, r.text[:300])
    times = []
    for i in range(requests):
        p = paths[i % len(paths)]
        t = time.perf_counter()
        r = await ds.client.get(p)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, (p, r.status_code)
    return statistics.median(times)


async def interleaved(ds, bare, paths: list[str], requests: int, plugin, name: str) -> dict[str, float]:
    """The same page with and without the plugin, request after request in turns, so that load from anything
    else on the machine weighs on both sides alike; the plugin is registered only for its own turns."""
    from datasette.plugins import pm

    with_ms, without_ms, ratios = [], [], []
    for i in range(requests + 2):
        p = paths[i % len(paths)]
        pair = []
        turns = ((True, ds), (False, bare)) if i % 2 else ((False, bare), (True, ds))
        for on, app in turns:  # who goes first alternates: the second may find a warmer cache
            if not on:
                pm.unregister(plugin)
            try:
                t = time.perf_counter()
                r = await app.client.get(p)
                pair.append((time.perf_counter() - t) * 1000)
            finally:
                if not on:
                    pm.register(plugin, name)
            assert r.status_code == 200, (p, r.status_code)
        if i % 2 == 0:
            pair.reverse()  # (plugin, none)
        if i >= 2:  # the first two warm caches
            with_ms.append(pair[0])
            without_ms.append(pair[1])
            ratios.append(pair[0] / pair[1])
    return {"plugin": statistics.median(with_ms), "none": statistics.median(without_ms),
            "ratio": statistics.median(ratios)}


def cell_cost_us() -> dict[str, float]:
    """What one cell costs datasette's render_cell dispatch with the plugin and without, and our function
    alone (non-marked cell, the common case), best of 7 x 100,000 calls."""
    import sqlite3 as _sqlite3
    import timeit

    import datasette
    from datasette.plugins import pm

    from datasette_palmyra import web as plugin

    conn = _sqlite3.connect(":memory:")
    conn.row_factory = _sqlite3.Row
    row = conn.execute("select 'a:1-2' as id, 'x' as text, 'count' as kind").fetchone()
    extra = {"request": None, "pks": ["id"], "column_type": "text"} if datasette.__version__.startswith("1") else {}

    def call():
        return pm.hook.render_cell(row=row, value="count", column="kind", table="claims", database="bench",
                                   datasette=None, **extra)

    def best(f) -> float:
        return min(timeit.repeat(f, number=100_000, repeat=7)) / 100_000 * 1e6

    with_plugin = best(call)
    name = pm.get_name(plugin)
    pm.unregister(plugin)
    try:
        without = best(call)
    finally:
        pm.register(plugin, name)
    ours = best(lambda: plugin.render_cell(row=row, value="count", column="kind", table="claims",
                                           database="bench", datasette=None))
    return {"dispatch with plugin": with_plugin, "dispatch without": without, "our function": ours}


async def measure(path: Path, requests: int, table_requests: int) -> dict[str, float]:
    from datasette.app import Datasette
    from datasette.plugins import pm

    from datasette_palmyra import web as plugin
    from datasette_palmyra.web.urls import encode

    conn = sqlite3.connect(path)
    n_articles = conn.execute("select count(*) from articles").fetchone()[0]
    flagged_articles = [r[0] for r in conn.execute(
        "select distinct claims.article_id from flag_claims join claims on claims.id = flag_claims.claim_id limit 20")]
    facts = [r[0] for r in conn.execute("select fact from flags limit 20")]
    conn.close()
    rnd = random.Random(1)
    # table pages: the first page and pages deep into the table, the same list with and without the plugin
    table_paths = ["/bench/claims"] + [
        f"/bench/claims?_sort=id&id__gte=a{rnd.randrange(n_articles):06d}" for _ in range(9)]
    # the same pages without facet suggestions: rendering alone, where the plugin's cells are a larger share
    quiet_paths = [p + ("&" if "?" in p else "?") + "_nosuggest=1" for p in table_paths]
    results: dict[str, float] = {}
    ds = Datasette(immutables=[str(path)])  # default settings: the page as users get it
    await ds.invoke_startup()
    results["claims table, plugin"] = await median_ms(ds, table_paths, table_requests)
    results["claims _nosuggest, plugin"] = await median_ms(ds, quiet_paths, requests)
    results["article page"] = await median_ms(
        ds, [f"/-/palmyra/bench/articles/{encode(a)}" for a in flagged_articles], requests)
    results["fact page"] = await median_ms(ds, [f"/-/palmyra/bench/facts/{encode(f)}" for f in facts], requests)
    results["dashboard"] = await median_ms(ds, ["/-/palmyra"], max(3, requests // 5))
    name = pm.get_name(plugin)
    pm.unregister(plugin)
    try:
        bare = Datasette(immutables=[str(path)])
        await bare.invoke_startup()
        results["claims table, no plugin"] = await median_ms(bare, table_paths, table_requests)
        results["claims _nosuggest, no plugin"] = await median_ms(bare, quiet_paths, requests)
    finally:
        pm.register(plugin, name)
    turns = await interleaved(ds, bare, quiet_paths, requests, plugin, name)
    results["_nosuggest in turns, plugin"] = turns["plugin"]
    results["_nosuggest in turns, none"] = turns["none"]
    results["_nosuggest in turns ratio"] = turns["ratio"]
    return results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--claims-per-article", type=int, default=10)
    ap.add_argument("--requests", type=int, default=30, help="timed requests per page kind")
    ap.add_argument("--table-requests", type=int, default=10,
                    help="timed requests of the full claims table page (slow: facet suggestions on 1M rows)")
    ap.add_argument("--db", type=Path, default=None, help="database file (default: bench/out/serve-<n>.db)")
    args = ap.parse_args(argv)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    OUT.mkdir(parents=True, exist_ok=True)
    path = args.db or OUT / f"serve-{args.articles}x{args.claims_per_article}.db"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.articles, args.claims_per_article)
        print(f"generated {path} ({args.articles:,} articles, {args.articles * args.claims_per_article:,} claims)"
              f" in {time.perf_counter() - t:.1f} s", flush=True)
    bench_link = path.parent / "bench.db"  # datasette names a database after its file
    bench_link.unlink(missing_ok=True)
    bench_link.symlink_to(path.name)
    results = asyncio.run(measure(bench_link, args.requests, args.table_requests))
    import datasette

    print(f"datasette {datasette.__version__}")
    turns_ratio = results.pop("_nosuggest in turns ratio")
    for k, v in results.items():
        print(f"{k:30s} {v:8.1f} ms median")
    ratio = results["claims table, plugin"] / results["claims table, no plugin"]
    quiet = turns_ratio  # the interleaved measure: the two sides share whatever else loads the machine
    print(f"{'claims table ratio':30s} {ratio:8.2f}x (plugin / none)")
    print(f"{'claims _nosuggest ratio':30s} {results['claims _nosuggest, plugin'] / results['claims _nosuggest, no plugin']:8.2f}x"
          " (plugin / none, measured one after the other)")
    print(f"{'claims _nosuggest, in turns':30s} {quiet:8.2f}x (median of per-request ratios, interleaved)")
    cells = cell_cost_us()
    for k, v in cells.items():
        print(f"{'per cell: ' + k:30s} {v:8.3f} us")
    extra = cells["dispatch with plugin"] - cells["dispatch without"]
    print(f"{'per 2,200-cell page':30s} {extra * 2.2:8.2f} ms added by render_cell dispatch"
          f" ({cells['our function'] * 2.2:.2f} ms in our function)")
    checks = [
        ("plugin adds < 20% to the claims table page", ratio < 1.2),
        ("plugin adds < 20% to the claims table page without facet suggestions", quiet < 1.2),
        ("article page < 100 ms median", results["article page"] < 100),
        ("fact page < 100 ms median", results["fact page"] < 100),
    ]
    for label, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
