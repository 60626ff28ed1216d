"""Fuzz the pipeline: thousands of mutated leaflets, in process, and count how each run ends.

    .venv/bin/python bench/fuzz.py                 # 2,000 mutants, 1 in 40 taken all the way to a PDF
    .venv/bin/python bench/fuzz.py -n 5000 --pdf-every 20 --seed 7

Each mutant goes through load → validate → enrich → render HTML (and, for a sample, render
PDF → write). A run may end in a built leaflet or in a clean ``path:line:column: message —
hint`` error; anything else (an exception, an "internal error", an error without a place or a
hint) is a failure, printed with the seed that reproduces it. Exit code 1 when any failed.
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from leafpress.source.project import open_project  # noqa: E402
from tests.conftest import MINIMAL_LEAFLET  # noqa: E402
from tests.fuzzing import mutate, run_once  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=2000, help="how many mutants (default 2000)")
    parser.add_argument("--pdf-every", type=int, default=40, help="take every Nth mutant to a PDF (default 40)")
    parser.add_argument("--seed", type=int, default=1, help="first seed; mutant i uses seed + i")
    args = parser.parse_args()

    seeds = [MINIMAL_LEAFLET, *(p.read_text(encoding="utf-8") for p in sorted((REPO / "leaflets").glob("*.yaml")))]
    counts: collections.Counter[str] = collections.Counter()
    first_words: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="leafpress-fuzz-") as temp:
        root = Path(temp)
        (root / "leaflets").mkdir()
        shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
        project = open_project(root)
        for i in range(args.count):
            seed = args.seed + i
            source = root / "leaflets" / f"mutant-{seed}.yaml"
            source.write_bytes(mutate(seeds[seed % len(seeds)], random.Random(seed)))
            pdf = args.pdf_every > 0 and i % args.pdf_every == 0
            try:
                outcome = run_once(source, project, root / "output", pdf=pdf)
            except BaseException as exc:  # noqa: BLE001 (every way out is counted)
                if isinstance(exc, KeyboardInterrupt):
                    raise
                counts["FAILED"] += 1
                failures.append(f"seed {seed}:\n{''.join(traceback.format_exception(exc))}")
                continue
            finally:
                source.unlink(missing_ok=True)
            counts[f"{outcome.kind}{' (PDF)' if pdf else ''}"] += 1
            if outcome.kind == "error":
                message = outcome.message.split(": ", 1)[1] if ": " in outcome.message else outcome.message
                first_words[" ".join(message.split()[:3])] += 1
    elapsed = time.monotonic() - started

    print(f"{args.count} mutated leaflets in {elapsed:.0f} s (seeds {args.seed}–{args.seed + args.count - 1})")
    for kind in ("built", "error", "built (PDF)", "error (PDF)", "FAILED"):
        print(f"  {kind:<12} {counts[kind]:>6}")
    print("most common errors:")
    for words, number in first_words.most_common(12):
        print(f"  {number:>6}  {words} …")
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
