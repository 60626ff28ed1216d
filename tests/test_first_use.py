"""A first build by a new user: each test is a defect found by trying leafpress afresh."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MINIMAL_LEAFLET, run_cli, write


def test_a_warning_is_printed_once_however_many_formats_are_built(project: Path) -> None:
    # A reference that no body cites: a warning for the leaflet, not for each format of it.
    leaflet = MINIMAL_LEAFLET.replace(" [@nice-liver].", ".")
    write(project / "leaflets" / "liver.yaml", leaflet)
    result = run_cli("build", "--jobs", "1", "--format", "text", "--format", "html", cwd=project)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if "is never cited" in line]
    assert len(warnings) == 1, result.stderr
    assert "leaflets/liver.yaml" in warnings[0] and "[@nice-liver]" in warnings[0]
    assert (project / "output" / "liver.txt").is_file() and (project / "output" / "liver.html").is_file()
