#!/usr/bin/env python3
"""Benchmark: ``check`` over 100 generated leaflets that a build has just made.

Targets (issue #17): the whole command at most 2 s, and at most 5% of the full serial build of
the same leaflets; and the checks the build now runs on each PDF for ``check`` to reuse (the
independent validator, the read-back, the text layer and the layout figures) add at most 10% to
the build. The leaflets are first built with ``--jobs 1`` (timed: that is the base of both
shares), then checked as a user runs it (``python generate.py check --json``, interpreter start
and imports included), then checked again in one process; last, the build's checks are timed
again on each PDF the build wrote.
Run with ``python bench/check_bench.py`` (or ``make bench``); it is never a timed test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rich.console import Console  # noqa: E402

from leafpress.cli.check_report import run_check  # noqa: E402
from leafpress.source.project import open_project  # noqa: E402

LEAFLETS = 100
TARGET_SECONDS = 2.0
TARGET_SHARE_OF_BUILD = 0.05
TARGET_CHECKS_IN_BUILD = 0.10

SENTENCES = [
    "Your nurse will talk to you about your treatment.",
    "You may feel tired for a few weeks after each session.",
    "Tell your doctor straight away if you have a high temperature.",
    "Some people have a colonoscopy to look inside the bowel.",
    "Chemotherapy uses drugs to destroy cancer cells, and it is often given through a drip into a vein.",
    "Take 2.5 ml of the medicine twice a day, e.g. with breakfast and supper.",
    "Pain in your tummy (abdomen) is common and can usually be eased.",
    "The oncologist will explain the prognosis and the palliative options available to you.",
    "Drink plenty of fluids and rest when you need to.",
    "It is natural to feel worried, and it can help to talk to someone close to you.",
]
ITEMS = [
    "feeling sick",
    "tiredness",
    "a sore mouth",
    "hair loss",
    "diarrhoea",
    "a high temperature",
    "bruising or bleeding",
    "itchy skin",
]


def leaflet(number: int, rng: random.Random) -> str:
    lines = [f"title: Test leaflet {number}", f"code: BENCH-{number:03d}", "summary:"]
    lines += [f"  - {rng.choice(SENTENCES)}" for _ in range(4)]
    lines.append("sections:")
    for section in range(rng.randint(5, 9)):
        lines += [f"  - heading: Section {section + 1} of leaflet {number}", "    body: |"]
        for _ in range(rng.randint(2, 4)):
            lines += [f"      {rng.choice(SENTENCES)}" for _ in range(rng.randint(2, 5))]
            lines.append("")
        lines.append("      You may have:")
        lines.append("")
        lines += [f"      - {item}" for item in rng.sample(ITEMS, rng.randint(3, 7))]
        lines.append("")
    lines += ["terms:", "  - term: abdomen", "    meaning: the tummy", "review:", "  last_reviewed: 2025-01-10", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=LEAFLETS, help=f"leaflets (default {LEAFLETS})")
    count = parser.parse_args().count
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "leaflets").mkdir()
        for number in range(count):
            (root / "leaflets" / f"leaflet-{number:03d}.yaml").write_text(leaflet(number, rng), encoding="utf-8")

        started = time.perf_counter()
        build = subprocess.run(
            [sys.executable, str(REPO / "generate.py"), "--jobs", "1"], cwd=root, capture_output=True, text=True
        )
        serial_build = time.perf_counter() - started
        if build.returncode != 0:
            sys.exit(f"the build failed: {build.stderr[-2000:]}")

        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(REPO / "generate.py"), "check", "--json"], cwd=root, capture_output=True, text=True
        )
        command = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        records = json.loads(result.stdout or "{}").get("leaflets", [])
        if len(records) != count or any("errors" in record or not record["scores"] for record in records):
            sys.exit(f"check did not score every leaflet: {result.stderr[-2000:]}")
        pdfs = [pdf for record in records for pdf in record["accessibility"]["pdfs"]]
        reused = sum(pdf["fresh"] for pdf in pdfs)

        os.chdir(root)  # the leaflet paths are relative to the project, as for a user
        project = open_project(root)
        sources = project.leaflet_files()
        quiet = Console(file=io.StringIO())
        started = time.perf_counter()
        code = run_check(sources, project, root / "output", True, quiet, quiet, jobs=1)
        in_process = time.perf_counter() - started
        checks_in_build = _checks_in_build(sorted((root / "output").glob("*.pdf")))
        os.chdir(REPO)

    load = os.getloadavg()[0]
    share = command / serial_build
    print(
        f"| check of {count} just-built leaflets, whole command | {command:.2f} s ({cpu:.2f} s of CPU) "
        f"| ≤ {TARGET_SECONDS:g} s | {'yes' if command <= TARGET_SECONDS else 'no'} |"
    )
    print(
        f"| check as a share of their serial build ({serial_build:.1f} s) | {share:.1%} "
        f"| ≤ {TARGET_SHARE_OF_BUILD:.0%} | {'yes' if share <= TARGET_SHARE_OF_BUILD else 'no'} |"
    )
    added = checks_in_build / (serial_build - checks_in_build)
    print(
        f"| the build's checks for `check` (validator, read-back, text layer, layout) | {checks_in_build:.1f} s, "
        f"{added:.1%} of the rest of the build | ≤ {TARGET_CHECKS_IN_BUILD:.0%} "
        f"| {'yes' if added <= TARGET_CHECKS_IN_BUILD else 'no'} |"
    )
    print(
        f"({reused} of {len(pdfs)} PDFs reused from the build; {in_process:.2f} s checking in one process, "
        f"{1000 * in_process / count:.1f} ms per leaflet, proof pages included; exit code {code}; "
        f"load average {load:.1f} on {os.cpu_count()} cores)"
    )


def _checks_in_build(pdfs: list[Path]) -> float:
    """Seconds the build spends measuring ``pdfs`` for ``check`` (each PDF once, as the build does)."""
    from leafpress.formats import FORMATS
    from leafpress.pdf.findings import measure_pdf

    min_font_pt = FORMATS["standard"].min_font_pt
    measure_pdf(pdfs[0].read_bytes(), min_font_pt)  # imports and first-use set-up are not per PDF
    total = 0.0
    for path in pdfs:
        data = path.read_bytes()
        started = time.perf_counter()
        measure_pdf(data, min_font_pt)
        total += time.perf_counter() - started
    return total


if __name__ == "__main__":
    main()
