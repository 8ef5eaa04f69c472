"""One command for every benchmark: ``python bench/run.py [NAME ...|all] [-- options for one bench]``.

Benchmarks are registered by name in BENCHES (name -> "module:function"); each function takes an argv
list and returns an exit code, so a new bench is one line here and one module in bench/.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

BENCHES: dict[str, str] = {
    "extract": "bench.extract_bench:main",
    "accuracy": "bench.accuracy:main",
    "pipeline": "bench.pipeline_bench:main",
    "check": "bench.check_bench:main",
    "serve": "bench.serve_bench:main",
    "scale": "bench.scale_bench:main",
    "distributed": "bench.distributed_bench:main",
}


def run(name: str, argv: list[str]) -> int:
    module, func = BENCHES[name].split(":")
    return importlib.import_module(module).__dict__[func](argv)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        print("\nbenchmarks: " + ", ".join(BENCHES) + ", all")
        return 0 if args else 2
    name, rest = args[0], args[1:]
    if name == "all":
        codes = []
        for bench in BENCHES:
            print(f"\n=== {bench} ===", flush=True)
            codes.append(run(bench, []))
        return max(codes)
    if name not in BENCHES:
        print(f"unknown benchmark {name!r}: choose from {', '.join(BENCHES)}, all", file=sys.stderr)
        return 2
    return run(name, rest)


if __name__ == "__main__":
    sys.exit(main())
