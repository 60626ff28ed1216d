"""Worker processes build with the very leafpress that started them, installed or not."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf

from tests.conftest import MINIMAL_LEAFLET, REPO, write


def test_parallel_workers_use_the_leafpress_of_the_checkout_that_runs_them(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO / "leafpress", checkout / "leafpress", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "generate.py", checkout / "generate.py")
    init = checkout / "leafpress" / "__init__.py"
    init.write_text(init.read_text().replace('__version__ = "', '__version__ = "9.9.9-copy+'), encoding="utf-8")
    project = tmp_path / "project"
    for name in ("one", "two", "three"):
        write(project / "leaflets" / f"{name}.yaml", MINIMAL_LEAFLET.replace("TST-001", f"TST-{name}"))
    result = subprocess.run(
        [sys.executable, str(checkout / "generate.py"), "--jobs", "2"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "2 worker processes" in result.stderr
    for name in ("one", "two", "three"):
        with pikepdf.open(project / "output" / f"{name}.pdf") as pdf:
            assert str(pdf.docinfo["/Generator"]).startswith("leafpress 9.9.9-copy+")
