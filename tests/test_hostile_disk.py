"""A real full disk (issue 13, item 13): build into a tiny tmpfs and read what is left behind.

Needs the right to mount (root, as on the CI runner and this project's machines); without it
the test is skipped and says why.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from leafpress.build.manifest import sha256_file
from tests.conftest import MINIMAL_LEAFLET, run_process, write

LEAFLETS = ("kidney", "liver", "lungs", "spleen")


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str) -> Iterator[Path]:
    """``folder`` as a tmpfs of ``size``, unmounted afterwards; skips when it cannot be mounted."""
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def four_leaflets(project: Path) -> None:
    for number, name in enumerate(LEAFLETS, start=1):
        text = MINIMAL_LEAFLET.replace("TST-001", f"TST-00{number}").replace("your liver", f"your {name}")
        write(project / "leaflets" / f"{name}.yaml", text)


def assert_no_damage(output: Path) -> None:
    """No temporary file is left, and the manifest (if written) is whole and names only whole outputs."""
    assert not [path.name for path in output.iterdir() if path.name.endswith(".part")]
    manifest = output / ".leafpress-manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))["entries"]
        for entry in entries.values():
            for name in entry["outputs"]:
                pdf = output / name
                assert pdf.is_file() and pdf.read_bytes().rstrip().endswith(b"%%EOF"), name


def test_a_full_disk_fails_each_leaflet_clearly_and_leaves_nothing_half_written(project: Path) -> None:
    four_leaflets(project)
    with tiny_disk(project / "full", "64k") as full:
        result = run_process("build", "--jobs", "1", "--output", "full", cwd=project)
        assert result.returncode == 1, result.stdout + result.stderr
        said = result.stdout + result.stderr
        assert "Traceback" not in said and "internal error" not in said, said
        built = {path.stem for path in full.glob("*.pdf")}
        assert built != set(LEAFLETS), "the disk was not filled: make it smaller"
        for name in set(LEAFLETS) - built:
            assert f"full/{name}.pdf:1:1: cannot write the file (No space left on device)" in said, said
        assert "failed" in said.splitlines()[-1]
        assert_no_damage(full)

        # --clean on the full folder: no traceback, nothing damaged.
        (project / "leaflets" / "kidney.yaml").unlink()
        cleaned = run_process("build", "--jobs", "1", "--clean", "--output", "full", cwd=project)
        said = cleaned.stdout + cleaned.stderr
        assert cleaned.returncode in (0, 1) and "Traceback" not in said and "internal error" not in said, said
        assert not (full / "kidney.pdf").exists()
        assert_no_damage(full)

    # The same project into a folder with room builds every leaflet.
    roomy = run_process("build", "--jobs", "1", "--output", "roomy", cwd=project)
    assert roomy.returncode == 0, roomy.stderr
    for name in set(LEAFLETS) - {"kidney"}:
        assert sha256_file(project / "roomy" / f"{name}.pdf")
