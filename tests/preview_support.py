"""Running a real preview server for tests and the latency benchmark: loopback, a free port, always stopped."""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADDRESS = re.compile(r"at (http://127\.0\.0\.1:\d+/)")


@contextlib.contextmanager
def preview_server(project: Path, *extra: str, timeout: float = 60) -> Iterator[str]:
    """Start ``generate.py preview --port 0`` in ``project``; yield its address; stop it however the test ends."""
    process = subprocess.Popen(
        [sys.executable, str(REPO / "generate.py"), "preview", "--port", "0", *extra],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield _wait_for_address(process, timeout)
    finally:
        stop(process)


def _wait_for_address(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.5):
            line = process.stdout.readline()
            if match := ADDRESS.search(line):
                return match.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"the preview stopped: {process.stderr.read() if process.stderr else ''}")
    raise TimeoutError("the preview did not print its address")


def stop(process: subprocess.Popen[str]) -> None:
    """Ctrl+C, as a user would; kill only if it does not stop in time."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


def browser_or_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make setup installs it)"
    if not CHROMIUM.exists():
        return "Debian's chromium is not installed (scripts/setup-system.sh installs it as root)"
    return None
