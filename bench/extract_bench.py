"""Speed of the extractor against quantulum3 and dateparser, per character at size, and cold start.

Four measurements, each against a baseline taken in the same run:

- in process: ours and quantulum3 parse the same English sentences of the synthetic corpus
  (bench/corpus.py) after one warm-up call each, so the ratio compares per-sentence work and not model
  loading; the Norwegian sentences are ours alone (quantulum3 reads English only);
- whole processes, start-up included: the same English text (synthetic sentences and a block of
  realistic news sentences, one per line) in a temp file, read by ``palmyra extract FILE`` as one
  process, by one ``python -c`` of quantulum3 and one of dateparser's ``search_dates`` parsing the file
  line by line; best of 3 runs, the tools alternating; wall and CPU seconds;
- seconds per MB of one large English text (the same sentences joined as paragraphs) at 10 KB, 100 KB
  and 1 MB, and the ratio 1 MB / 10 KB (flat: about 1);
- cold start: ``palmyra extract`` on one sentence as a whole process, and import plus the first
  extraction in a fresh interpreter.

    python bench/run.py extract [--n 10000] [--seed 7] [--peer-limit N] [--process-sentences 3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from bench.corpus import NEWS_EN, generate
from bench.scale_bench import per_mb

REPO = Path(__file__).resolve().parents[1]
PUBLISHED = "2016-11-07"
TARGET_RATIO = 10.0  # in process, ours over quantulum3
TARGET_PROCESS = {"quantulum3": 10.0, "dateparser": 8.0}  # whole processes, ours over each peer
TARGET_FLAT = 1.3  # s/MB at 1 MB over s/MB at 10 KB
TARGET_COLD = 0.2  # seconds, `palmyra extract` on one sentence as a whole process
SIZES = [10_000, 100_000, 1_000_000]
ONE_SENTENCE = "More than 5,000 militants attacked Palmyra, 240 km from Damascus, on 27 March 2016.\n"

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

# one process of each peer reads the file line by line, as a pipeline over news sentences would, and
# prints how many items it found
PEER_SCRIPTS = {
    "quantulum3": """
import sys, warnings
warnings.filterwarnings("ignore")
from quantulum3 import parser
n = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            n += len(parser.parse(line.strip()))
print(n)
""",
    "dateparser": """
import sys, warnings
warnings.filterwarnings("ignore")
from dateparser.search import search_dates
n = 0
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if line.strip():
            n += len(search_dates(line.strip(), languages=["en"]) or ())
print(n)
""",
}


def process_env() -> dict[str, str]:
    """The environment of every timed process: bytecode written and read, as an installed package has it.
    Under PYTHONDONTWRITEBYTECODE (set where this was written) each run of an editable install compiles
    our modules from source, about 0.07 s, while the peers' site-packages hold bytecode from pip."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONWARNINGS": "ignore"}


def _run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds of the child, its standard output) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO, check=True, env=env or process_env())
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out.stdout


def palmyra_command() -> list[str]:
    """The installed console script next to this interpreter (what a user runs), else ``-m``."""
    script = Path(sys.executable).with_name("palmyra")
    return [str(script)] if script.exists() else [sys.executable, "-m", "datasette_palmyra"]


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


def cli_cold_start(folder: Path, repeats: int = 5, env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(best wall, CPU of that run, claims printed) of ``palmyra extract`` on one sentence. One run
    first, untimed, so that bytecode and the on-disk caches (unit conversions) are what a user's second
    run finds."""
    src = folder / "one-sentence.txt"
    src.write_text(ONE_SENTENCE, encoding="utf-8")
    cmd = palmyra_command() + ["extract", str(src), "--published", PUBLISHED, "--lang", "en"]
    _run(cmd, env)
    runs = [_run(cmd, env) for _ in range(repeats)]
    wall, cpu, out = min(runs)
    return wall, cpu, len(out.splitlines())


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


def in_process(en: list[str], nb: list[str]) -> bool:
    from datasette_palmyra.extract import extract_claims

    ours_en, n_ours_en = timed(lambda t: extract_claims(t, "en", PUBLISHED), en, WARM_UP["en"])
    ours_nb, n_ours_nb = timed(lambda t: extract_claims(t, "nb", PUBLISHED), nb, WARM_UP["nb"])
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

    print(f"\nin process, per sentence\n{'tool':22} {'sentences':>9} {'seconds':>8} {'sent/s':>9} {'items':>7}")
    for name, n, secs, found in rows:
        print(f"{name:22} {n:9d} {secs:8.2f} {n / secs:9.0f} {found:7d}")
    if peer is None:
        print("in-process ratio: not measured (no quantulum3)")
        return True
    ratio = peer / ours_en
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"in-process ratio ours/quantulum3 (English): {ratio:.1f}x  target >= {TARGET_RATIO:.0f}x  {verdict}")
    return verdict == "PASS"


def whole_processes(lines: list[str], folder: Path, runs: int) -> bool:
    src = folder / "english.txt"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tools = {"ours (palmyra extract)": palmyra_command() + ["extract", str(src), "--published", PUBLISHED,
                                                            "--lang", "en"]}
    for peer, script in PEER_SCRIPTS.items():
        if importlib.util.find_spec(peer) is None:
            print(f"{peer} not installed: pip install -e '.[bench]' (whole-process ratio not measured)")
        else:
            tools[peer] = [sys.executable, "-c", script, str(src)]
    best: dict[str, tuple[float, float, int]] = {}
    for _ in range(runs):  # alternating, so a burst of load on the machine falls on every tool alike
        for name, cmd in tools.items():
            wall, cpu, out = _run(cmd)
            items = len(out.splitlines()) if name.startswith("ours") else int(out.split()[-1])
            if name not in best or wall < best[name][0]:
                best[name] = (wall, cpu, items)
    print(f"\nwhole processes, start-up included: {len(lines)} English lines, {src.stat().st_size:,} bytes, "
          f"best of {runs} alternating runs (load average {os.getloadavg()[0]:.1f})")
    print(f"{'tool':24} {'wall s':>7} {'CPU s':>7} {'items':>7}")
    for name, (wall, cpu, items) in best.items():
        print(f"{name:24} {wall:7.2f} {cpu:7.2f} {items:7d}")
    ours = best["ours (palmyra extract)"]
    ok = True
    for peer, target in TARGET_PROCESS.items():
        if peer not in best:
            continue
        ratio, cpu_ratio = best[peer][0] / ours[0], best[peer][1] / ours[1]
        verdict = "PASS" if ratio >= target else "FAIL"
        ok &= verdict == "PASS"
        print(f"whole-process ratio ours/{peer}: {ratio:.1f}x wall ({cpu_ratio:.1f}x CPU)  "
              f"target >= {target:.0f}x  {verdict}")
    return ok


def flat_per_character(paragraphs: list[str]) -> bool:
    text = "\n\n".join(paragraphs)
    per_mb(text[:20_000], "en", [10_000])  # warm-up: patterns, caches per publication date
    rows = per_mb(text, "en", SIZES, repeats=2)
    print(f"\none English text of paragraphs, best of 2\n{'size':>10} {'claims':>8} {'seconds':>8} {'s/MB':>6}")
    for size, n, secs, mb in rows:
        print(f"{size:10d} {n:8d} {secs:8.2f} {mb:6.2f}")
    ratio = rows[-1][3] / rows[0][3]
    verdict = "PASS" if ratio <= TARGET_FLAT else "FAIL"
    print(f"cost per character: s/MB at {SIZES[-1]:,} over {SIZES[0]:,} = {ratio:.2f}  target <= {TARGET_FLAT}  {verdict}")
    return verdict == "PASS"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py extract", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000, help="corpus size (English and Norwegian)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--peer-limit", type=int, default=0,
                    help="time quantulum3 in process on only the first N English sentences (0: all); ours runs on the same N")
    ap.add_argument("--process-sentences", type=int, default=3000,
                    help="synthetic English sentences in the whole-process file (the news block is added)")
    ap.add_argument("--runs", type=int, default=3, help="whole-process runs of each tool (best counts)")
    args = ap.parse_args(argv)

    corpus = generate(args.n, args.seed)
    en_all = [s.text for s in corpus if s.language == "en"]
    nb = [s.text for s in corpus if s.language == "nb"]
    en = en_all[: args.peer_limit] if args.peer_limit else en_all
    print(f"corpus: {len(corpus)} sentences (seed {args.seed}); in process {len(en)} English, {len(nb)} Norwegian; "
          f"news block {len(NEWS_EN)} sentences")

    ok = in_process(en, nb)
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu, n_cli = cli_cold_start(Path(tmp))  # also writes our bytecode for the runs below
        ok &= whole_processes(en_all[: args.process_sentences] + NEWS_EN, Path(tmp), args.runs)
        ok &= flat_per_character(en_all + NEWS_EN)
        bare, _, _ = min(_run([sys.executable, "-c", "pass"]) for _ in range(5))
    cold, imp, interp, n = cold_start()
    verdict = "PASS" if wall < TARGET_COLD else "FAIL"
    ok &= verdict == "PASS"
    print(f"\ncold start of `palmyra extract` on one sentence (whole process, best of 5): {wall:.3f} s wall, "
          f"{cpu:.3f} s CPU ({n_cli} claims)  target < {TARGET_COLD} s  {verdict}")
    print(f"  a bare interpreter: {bare:.3f} s")
    print(f"  in a fresh interpreter, import + first extraction: {cold:.3f} s (import {imp:.3f} s; "
          f"whole interpreter {interp:.3f} s; {n} claims)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    sys.exit(main())
