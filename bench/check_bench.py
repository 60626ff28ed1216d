#!/usr/bin/env python3
"""Benchmark: ``check`` over 100 generated leaflets (target: under 3 seconds on 2 cores).

Prints two figures: the whole command as a user runs it (``python generate.py check --json``,
interpreter start and imports included), and the checking alone, in one process.
Run with ``python bench/check_bench.py`` (or ``make bench``); it is never a timed test.
"""

from __future__ import annotations

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
TARGET_SECONDS = 3.0

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
    rng = random.Random(4)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "leaflets").mkdir()
        for number in range(LEAFLETS):
            (root / "leaflets" / f"leaflet-{number:03d}.yaml").write_text(leaflet(number, rng), encoding="utf-8")

        cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(REPO / "generate.py"), "check", "--json"], cwd=root, capture_output=True, text=True
        )
        command = time.perf_counter() - started
        cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
        records = json.loads(result.stdout or "{}").get("leaflets", [])
        if len(records) != LEAFLETS or any("errors" in record or not record["scores"] for record in records):
            sys.exit(f"check did not score every leaflet: {result.stderr[-2000:]}")

        os.chdir(root)  # the leaflet paths are relative to the project, as for a user
        project = open_project(root)
        sources = project.leaflet_files()
        quiet = Console(file=io.StringIO())
        started = time.perf_counter()
        code = run_check(sources, project, root / "output", True, quiet, quiet)
        in_process = time.perf_counter() - started
        os.chdir(REPO)

    verdict = "under" if command < TARGET_SECONDS else "OVER"
    load = os.getloadavg()[0]
    print(
        f"check over {LEAFLETS} leaflets: {command:.2f} s for the whole command, {cpu:.2f} s of CPU "
        f"({verdict} the {TARGET_SECONDS:.0f} s target; load average {load:.1f} on {os.cpu_count()} cores); "
        f"{in_process:.2f} s checking in one process, {1000 * in_process / LEAFLETS:.1f} ms per leaflet, "
        f"proof pages included (exit code {code})"
    )


if __name__ == "__main__":
    main()
