#!/usr/bin/env python3
"""The largest leaflets within the documented limits, built and checked, timed and measured.

Each case fills one leaflet file up to just under ``limits.max_file_bytes`` (1 MB by default)
in a different way: hard line breaks, list items, long prose, references, terms, the most
sections. ``build`` and ``check`` of each run as whole processes (``--jobs 1``); the table gives
the wall time and the peak memory of the process (wait4's ru_maxrss). The targets are the
issue's: under 10 s and 500 MB each.

    python bench/large_leaflets.py [--only NAME] [--command build|check]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.large_leaflets import LARGE_LEAFLETS  # noqa: E402

GENERATE = REPO / "generate.py"
TARGET_SECONDS = 10
TARGET_MB = 500


def measure(args: list[str], cwd: Path) -> tuple[float, float, int, str]:
    """Run ``generate.py ARGS``: wall seconds, peak MB of its largest process, exit code, stderr."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, str(GENERATE), *args],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    assert process.stderr is not None
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status), stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="run only the case of this name")
    parser.add_argument("--command", choices=["build", "check"], action="append")
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
            leaflet.write_text(make(), encoding="utf-8")
            size = leaflet.stat().st_size
            for command in commands:
                seconds, peak_mb, code, stderr = measure([command, "--jobs", "1"], project)
                verdict = "" if seconds < TARGET_SECONDS and peak_mb < TARGET_MB else "  over target"
                print(f"{name:<22} {size:>9,} {command:<7} {seconds:>8.1f} {peak_mb:>8.0f} {code:>4}{verdict}")
                if code not in (0, 1) or "Traceback" in stderr:
                    print(stderr[-2000:])


if __name__ == "__main__":
    main()
