"""The output folder: names that clash across formats and proofs, and a manifest that lies.

Rebuilt with the real command line: clashes are refused before anything is built, at the
leaflet's path:line:column, exit 1, the manifest keeping only true entries; ``--clean`` deletes
only what leafpress wrote, inside the output folder.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write

MANIFEST = ".leafpress-manifest.json"


def titled(title: str, code: str) -> str:
    return MINIMAL_LEAFLET.replace("Looking after your liver", title).replace("TST-001", code)


@pytest.mark.parametrize(
    ("other", "formats", "name"),
    [
        ("x.large-print.yaml", ("standard", "large-print"), "x.large-print.pdf"),
        ("x.readability.yaml", ("html",), "x.readability.html"),
        ("x.accessibility.yaml", ("html",), "x.accessibility.html"),
        ("x.easy-read.yaml", ("standard",), "x.easy-read.pdf"),
        ("x.yml", ("standard",), "x.pdf"),
    ],
)
def test_output_names_that_clash_across_formats_and_proofs_are_refused(
    project: Path, other: str, formats: tuple[str, ...], name: str
) -> None:
    (project / "leaflets" / "liver.yaml").unlink()
    write(project / "leaflets" / "x.yaml", titled("The x leaflet", "TST-010"))
    write(project / "leaflets" / other, titled("The other leaflet", "TST-011"))
    write(project / "leaflets" / "fine.yaml", titled("A fine leaflet", "TST-012"))
    args = [item for fmt in formats for item in ("--format", fmt)]
    result = run_cli(*args, cwd=project)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    first, second = sorted([f"leaflets/{other}", "leaflets/x.yaml"])
    assert f"{second}:1:1: {first} already writes {name} — rename one of the two leaflet files" in result.stderr
    # The rest of the batch built; the refused leaflet wrote nothing, and the manifest says so.
    assert (project / "output" / "fine.pdf").exists() or (project / "output" / "fine.html").exists()
    entries = json.loads((project / "output" / MANIFEST).read_text(encoding="utf-8"))["entries"]
    assert not [entry for entry in entries.values() if entry["source"] == second]
    owners = [entry["source"] for entry in entries.values() if name in entry["outputs"]]
    assert owners in ([], [first])
    # Naming just the refused leaflet is refused the same way: the other still owns the name.
    alone = run_cli("build", second, *args, cwd=project)
    assert alone.returncode == 1 and f"{second}:1:1: {first} already writes {name}" in alone.stderr
    # check writes proofs beside the outputs: it refuses the clash too.
    checked = run_cli("check", second, cwd=project)
    assert checked.returncode == 1 and f"{second}:1:1: {first} already writes" in checked.stderr


def test_clean_deletes_only_what_leafpress_wrote_in_the_output_folder(project: Path) -> None:
    assert run_cli(cwd=project).returncode == 0
    keep = {
        "outside": write(project / "precious.txt", "keep me\n"),
        "config": project / "leaflets" / "liver.yaml",
        "other-in-output": write(project / "output" / "notes.txt", "keep me\n"),
        "absolute": write(project.parent / f"{project.name}-abs.pdf", "keep me\n"),
    }
    manifest_path = project / "output" / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["entries"]["leaflets/gone.yaml [standard]"] = {
        "source": "leaflets/gone.yaml",
        "format": "standard",
        "key": "0" * 64,
        "files": {},
        "outputs": [
            "../precious.txt",
            "../leaflets/liver.yaml",
            "notes.txt",
            str(keep["absolute"]),
            ".leafpress-manifest.json",
            "gone.pdf",
        ],
    }
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    write(project / "output" / "gone.pdf", "%PDF-1.7 left over\n")
    result = run_cli("--clean", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for path in keep.values():
        assert path.exists(), path
    assert manifest_path.exists()
    assert not (project / "output" / "gone.pdf").exists()
    assert "not removing '../precious.txt'" in result.stderr
    assert f"not removing {str(keep['absolute'])!r}" in result.stderr
    assert "removed output/gone.pdf" in result.stderr
