#!/usr/bin/env python3
"""The largest leaflets within the documented limits, built and checked, timed and measured.

Each case fills one leaflet file up to just under ``limits.max_file_bytes`` (1 MB by default)
in a different way: hard line breaks, list items, long prose, references, terms, the most
sections. ``build`` and ``check`` of each run as whole processes (``--jobs 1``); the table gives
the wall time and the peak memory of the process (wait4's ru_maxrss). The targets are the
issue's: under 10 s and 500 MB each.

    python bench/large_leaflets.py [--only NAME] [--command build|check] [--bytes N --lines N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from leafpress.core.config import MAX_FILE_BYTES, MAX_FILE_LINES  # noqa: E402
from tests.large_leaflets import LARGE_LEAFLETS, run_measured  # noqa: E402

TARGET_SECONDS = 10
TARGET_MB = 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the case of this name")
    parser.add_argument("--command", choices=["build", "check"], action="append")
    parser.add_argument("--bytes", type=int, default=MAX_FILE_BYTES, help="fill each leaflet to this many bytes")
    parser.add_argument("--lines", type=int, default=MAX_FILE_LINES, help="and at most this many lines")
    options = parser.parse_args()
    commands = options.command or ["build", "check"]
    print(f"{'case':<22} {'bytes':>9} {'command':<7} {'seconds':>8} {'peak MB':>8} {'exit':>4}")
    for name, make in LARGE_LEAFLETS.items():
        if options.only and name != options.only:
            continue
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            leaflet = project / "leaflets" / f"{name}.yaml"
            leaflet.parent.mkdir()
            leaflet.write_text(make(options.bytes, options.lines), encoding="utf-8")
            if (options.bytes, options.lines) != (MAX_FILE_BYTES, MAX_FILE_LINES):
                limits = f"limits:\n  max_file_bytes: {options.bytes}\n  max_file_lines: {options.lines}\n"
                (project / "leafpress.yaml").write_text(limits, encoding="utf-8")
            size = leaflet.stat().st_size
            for command in commands:
                run = run_measured(command, "--jobs", "1", cwd=project)
                peak_mb = run.peak_bytes / 2**20
                verdict = "" if run.seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "  over target"
                print(
                    f"{name:<22} {size:>9,} {command:<7} {run.seconds:>8.1f} {peak_mb:>8.0f} "
                    f"{run.returncode:>4}{verdict}"
                )
                if run.returncode not in (0, 1) or "Traceback" in run.stderr or (command == "build" and run.returncode):
                    print(run.stderr[-1500:])


if __name__ == "__main__":
    main()
