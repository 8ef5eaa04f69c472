"""Extraction grows linearly with its input, and no hostile input under 100 KB takes long.

Three measurements, each against a baseline taken in the same run:

- seconds per MB of ordinary prose (the synthetic corpus of bench/corpus.py joined into one article)
  at 100 KB, 1 MB and 10 MB, and each size's ratio to the 100 KB figure: linear growth keeps the
  ratio near 1 (quadratic growth would make it 10 and 100);
- seconds for each adversarial shape (a date or number phrase repeated to about 90 KB), against the
  target of 0.5 s and against the same number of bytes of ordinary prose;
- database bytes per text byte after ``palmyra load`` of one article written as a single sentence,
  at 100 KB and 1 MB: sentences are stored bounded, so the ratio stays flat.

    python bench/run.py scale [--sizes 100000,1000000,10000000] [--no-store]
"""

from __future__ import annotations

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus import generate

REPO = Path(__file__).resolve().parents[1]
TARGET_LINEAR = 1.5  # s/MB at the largest size over s/MB at the smallest
TARGET_HOSTILE = 0.5  # seconds for any input under 100 KB
ADVERSARIAL = {
    "'i fjor ' x 12000 (nb)": ("i fjor " * 12000, "nb"),
    "'on Monday, ' x 8000": ("on Monday, " * 8000, "en"),
    "'27 March ' x 9000": ("27 March " * 9000, "en"),
    "'one hundred and ' x 6000": ("one hundred and " * 6000, "en"),
    "'€5 ' x 30000": ("€5 " * 30000, "en"),
    "'5 km (3 miles) ' x 6000": ("5 km (3 miles) " * 6000, "en"),
}
ONE_SENTENCE = "the convoy moved 12 km north and 300 people left while 45 trucks waited near 7 bridges and "


@functools.cache
def _corpus_text(language: str, seed: int) -> str:
    return " ".join(s.text for s in generate(20_000, seed) if s.language == language)


def repeated(text: str, size: int) -> str:
    """``size`` characters of ``text``, repeated as often as needed."""
    return (text * (size // len(text) + 1))[:size]


def prose(size: int, language: str, seed: int = 7) -> str:
    """``size`` characters of ordinary sentences in one language, repeated from the synthetic corpus
    (generated once per language, not once per measurement)."""
    return repeated(_corpus_text(language, seed), size)


def timed_extract(text: str, language: str) -> tuple[float, int]:
    from datasette_palmyra.extract import extract_claims

    t0 = time.perf_counter()
    n = len(extract_claims(text, language, "2016-11-07"))
    return time.perf_counter() - t0, n


def per_mb(text: str, language: str, sizes: list[int], repeats: int = 1) -> list[tuple[int, int, float, float]]:
    """(size, claims, seconds, seconds per MB) of one extraction of the first ``size`` characters of
    ``text`` (repeated to size), best of ``repeats``, for each size."""
    rows = []
    for size in sizes:
        body = repeated(text, size)
        secs, n = min(timed_extract(body, language) for _ in range(repeats))
        rows.append((size, n, secs, secs / (size / 1e6)))
    return rows


def stored_ratio(size: int, folder: Path) -> tuple[int, int, float]:
    """(text bytes, database bytes, seconds) for ``palmyra load`` of one single-sentence article."""
    body = (ONE_SENTENCE * (size // len(ONE_SENTENCE) + 1))[:size]
    src = folder / f"one-sentence-{size}.txt"
    src.write_text(body, encoding="utf-8")
    db = folder / f"one-sentence-{size}.db"
    palmyra = Path(sys.executable).with_name("palmyra")
    t0 = time.perf_counter()
    subprocess.run([str(palmyra), "load", str(db), str(src)], check=True, capture_output=True, cwd=REPO)
    return len(body.encode()), os.path.getsize(db), time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/run.py scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000,10000000", help="prose sizes in characters, smallest first")
    ap.add_argument("--no-store", action="store_true", help="skip the database-size measurement")
    args = ap.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    ok = True

    timed_extract("More than 5,000 militants came 240 km on 27 March 2016.", "en")  # warm-up: registries
    timed_extract("Mer enn 5 000 krigere kom 240 kilometer 27. mars 2016.", "nb")
    print(f"{'prose':10} {'size':>10} {'claims':>8} {'seconds':>8} {'s/MB':>6} {'ratio':>6}")
    for language in ("en", "nb"):
        rows = per_mb(_corpus_text(language, 7), language, sizes)
        base = rows[0][3]
        for size, n, secs, mb in rows:
            print(f"{language:10} {size:10d} {n:8d} {secs:8.2f} {mb:6.2f} {mb / base:6.2f}")
        growth = rows[-1][3] / base
        verdict = "PASS" if growth <= TARGET_LINEAR else "FAIL"
        ok &= verdict == "PASS"
        print(f"{'':10} linear growth ({language}): s/MB at {sizes[-1]} over {sizes[0]} = {growth:.2f}"
              f"  target <= {TARGET_LINEAR}  {verdict}")

    print(f"\n{'adversarial input':28} {'chars':>7} {'claims':>7} {'seconds':>8} {'x prose':>8}  target < {TARGET_HOSTILE} s")
    for name, (text, language) in ADVERSARIAL.items():
        secs, n = timed_extract(text, language)
        same, _ = timed_extract(prose(len(text), language), language)
        verdict = "PASS" if secs < TARGET_HOSTILE else "FAIL"
        ok &= verdict == "PASS"
        print(f"{name:28} {len(text):7d} {n:7d} {secs:8.2f} {secs / same:8.1f}  {verdict}")

    if not args.no_store:
        print(f"\n{'one-sentence article':20} {'text bytes':>11} {'db bytes':>11} {'db/text':>8} {'seconds':>8}")
        with tempfile.TemporaryDirectory() as tmp:
            ratios = []
            for size in (100_000, 1_000_000):
                text_bytes, db_bytes, secs = stored_ratio(size, Path(tmp))
                ratios.append(db_bytes / text_bytes)
                print(f"{'':20} {text_bytes:11d} {db_bytes:11d} {ratios[-1]:8.1f} {secs:8.1f}")
        growth = ratios[-1] / ratios[0]
        verdict = "PASS" if growth <= TARGET_LINEAR else "FAIL"
        ok &= verdict == "PASS"
        print(f"{'':20} database growth: db/text at 1 MB over 100 KB = {growth:.2f}  target <= {TARGET_LINEAR}  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
