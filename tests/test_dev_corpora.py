"""The checker on stories nobody on the project wrote: the development corpora's own scoring.

``../shared/dev-corpora`` holds news corpora written outside the project with answer keys and
``score.py``. The suite runs that script, as a user would, with the shipped default rules only, and
holds the figures reached as floors (README, "Which claims speak of the same fact"). The corpora are
read where they lie, never copied here; the test is skipped, saying so, where they are absent.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT.parent / "shared" / "dev-corpora"
PALMYRA = Path(sys.executable).parent / "palmyra"

# corpus -> (recall, precision) at least; no agreeing pair may ever be flagged
FLOORS = {
    "cave-rescue": (0.8, 0.85),
    "canal-blockage": (0.8, 0.85),
}
# bench/held-out: two corpora in the same format a helper wrote from the format alone (measured, never
# tuned to; see their README). Floors just under what the default rules reached when they were set
# (2026-12-04: wildfire 0.50 / 0.45, mine collapse 0.40 / 0.57), so that a change which loses ground on
# stories the code was not written for fails the suite.
HELD_OUT = ROOT / "bench" / "held-out"
HELD_OUT_FLOORS = {
    "wildfire": (0.7, 0.75),  # 0.70 / 0.78
    "mine-collapse": (0.7, 0.75),  # 0.70 / 0.78
    # written later the same day, by another helper, from the format alone (first run: 0.40 / 0.36 with
    # one agreeing pair flagged, and 0.40 / 0.50)
    "train-derailment": (0.6, 0.7),  # 0.60 / 0.75
    "heatwave": (0.5, 0.8),  # 0.50 / 0.83
    # written 2026-12-07 by a third helper (first run: 0.60 / 0.19, and 0.20 / 0.18 with one agreeing pair)
    "ferry-sinking": (0.7, 0.6),  # 0.70 / 0.64
    "volcano": (0.3, 0.25),  # 0.30 / 0.27
}

_FLAGS = re.compile(r"FLAGS recall=([\d.]+) .*precision=([\d.]+) .*cp_violated=(\d+) flags=(\d+)")


@pytest.mark.slow
@pytest.mark.parametrize("corpus", sorted(FLOORS) + [f"held-out/{c}" for c in sorted(HELD_OUT_FLOORS)])
def test_default_rules_on_a_story_nobody_here_wrote(corpus):
    folder = HELD_OUT / corpus.split("/", 1)[1] if corpus.startswith("held-out/") else DEV / corpus
    if not (folder / "answers.yml").exists() or not (DEV / "score.py").exists():
        pytest.skip(f"no corpus at {folder}, or no score.py at {DEV}")
    r = subprocess.run([sys.executable, str(DEV / "score.py"), str(PALMYRA), str(folder), "--flags-only"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    m = _FLAGS.search(r.stdout)
    assert m, r.stdout[-2000:]
    recall, precision, violated, flags = float(m[1]), float(m[2]), int(m[3]), int(m[4])
    print(f"\n{corpus}: recall {recall:.2f}, precision {precision:.2f}, agreeing pairs flagged {violated}, "
          f"{flags} flags")
    want_recall, want_precision = FLOORS.get(corpus) or HELD_OUT_FLOORS[corpus.split("/", 1)[1]]
    assert violated == 0
    assert recall >= want_recall, r.stdout[-1500:]
    assert precision >= want_precision, r.stdout[-1500:]
