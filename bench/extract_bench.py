"""Throughput of the extractor against quantulum3 on the same sentences, and our cold start.

Both tools parse the same English sentences of the synthetic corpus (bench/corpus.py) in the same
process, after one warm-up call each, so the ratio compares per-sentence work and not model loading.
The Norwegian sentences are ours alone (quantulum3 reads English only). Cold start is measured in a
fresh interpreter: import plus the first extraction, which is what a CLI user waits for.

    python bench/run.py extract [--n 10000] [--seed 7] [--peer-limit N]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from bench.corpus import generate

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 10.0
TARGET_COLD = 0.5

COLD_SCRIPT = """
import time
t0 = time.perf_counter()
from datasette_palmyra.extract import extract_claims
t1 = time.perf_counter()
claims = extract_claims("More than 5,000 militants attacked Palmyra, 240 km from Damascus, on 27 March 2016.",
                        "en", "2016-11-07")
t2 = time.perf_counter()
print(t1 - t0, t2 - t1, len(claims))
"""


def cold_start(repeats: int = 3) -> tuple[float, float, float, int]:
    """(best import + first extraction, its import part, wall time of the whole interpreter, claims)."""
    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD_SCRIPT], capture_output=True, text=True, cwd=REPO,
                             env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, check=True)
        wall = time.perf_counter() - t0
        imp, first, n = out.stdout.split()
        row = (float(imp) + float(first), float(imp), wall, int(n))
        if best is None or row[0] < best[0]:
            best = row
    assert best is not None
    return best


WARM_UP = {
    "en": "More than 5,000 militants, aged 20 to 40, came 240 km (150 miles) on 27 March 2016; 80% of $2 million, 40°C.",
    "nb": "Mer enn 5 000 krigere kom 240 kilometer 27. mars 2016; 80 prosent av 2 millioner kroner, 40 grader.",
}


def timed(fn: Callable[[str], object], texts: list[str], warm_up: str) -> tuple[float, int]:
    """Seconds for all texts after warm-up calls (which load unit registries and models), and items found."""
    fn(warm_up)
    fn(texts[0])
    found = 0
    t0 = time.perf_counter()
    for t in texts:
        found += len(fn(t))  # type: ignore[arg-type]
    return time.perf_counter() - t0, found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py extract", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="corpus size (English and Norwegian)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peer-limit", type=int, default=0,
                    help="time quantulum3 on only the first N English sentences (0: all); ours runs on the same N")
    args = ap.parse_args(argv)

    corpus = generate(args.n, args.seed)
    en = [s.text for s in corpus if s.language == "en"]
    nb = [s.text for s in corpus if s.language == "nb"]
    if args.peer_limit:
        en = en[: args.peer_limit]
    print(f"corpus: {len(corpus)} sentences (seed {args.seed}); timing {len(en)} English, {len(nb)} Norwegian")

    from datasette_palmyra.extract import extract_claims

    ours_en, n_ours_en = timed(lambda t: extract_claims(t, "en", "2016-11-07"), en, WARM_UP["en"])
    ours_nb, n_ours_nb = timed(lambda t: extract_claims(t, "nb", "2016-11-07"), nb, WARM_UP["nb"])
    rows = [("ours, English", len(en), ours_en, n_ours_en), ("ours, Norwegian", len(nb), ours_nb, n_ours_nb)]
    peer = None
    try:
        warnings.filterwarnings("ignore", module="quantulum3")
        from quantulum3 import parser
    except ImportError:
        print("quantulum3 not installed: pip install -e '.[bench]'")
    else:
        peer, n_peer = timed(parser.parse, en, WARM_UP["en"])
        rows.append(("quantulum3, English", len(en), peer, n_peer))

    print(f"\n{'tool':22} {'sentences':>9} {'seconds':>8} {'sent/s':>9} {'items':>7}")
    for name, n, secs, found in rows:
        print(f"{name:22} {n:9d} {secs:8.2f} {n / secs:9.0f} {found:7d}")

    ok = True
    if peer is not None:
        ratio = peer / ours_en
        verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
        ok &= verdict == "PASS"
        print(f"\nthroughput ratio ours/quantulum3 (English): {ratio:.1f}x  target >= {TARGET_RATIO:.0f}x  {verdict}")
    else:
        print("\nthroughput ratio: not measured (no quantulum3)")
    cold, imp, wall, n = cold_start()
    verdict = "PASS" if cold < TARGET_COLD else "FAIL"
    ok &= verdict == "PASS"
    print(f"cold start (fresh interpreter, import + first extraction): {cold:.3f} s "
          f"(import {imp:.3f} s; whole interpreter {wall:.3f} s; {n} claims)  target < {TARGET_COLD} s  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
