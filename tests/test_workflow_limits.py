"""Every command holds leaflets to the project's own limits (``limits:`` in leafpress.yaml), not the defaults."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write

# Over the default 600 lines; the project allows 1,500 (its translation is a little longer).
STEPS = "\n\n".join(f"      Step {number}: rest, and drink a glass of water." for number in range(1, 330))
LONG = MINIMAL_LEAFLET.replace("references:\n", f"  - heading: Every day\n    body: |\n{STEPS}\nreferences:\n", 1)


@pytest.fixture
def roomy(tmp_path: Path) -> Path:
    write(tmp_path / "leafpress.yaml", "limits:\n  max_file_lines: 1500\n")
    write(tmp_path / "leaflets" / "long.yaml", LONG)
    assert 600 < len(LONG.splitlines()) < 1000
    return tmp_path


def test_translations_export_and_import_use_the_projects_raised_limits(roomy: Path) -> None:
    exported = run_cli("translations", "export", "leaflets/long.yaml", "--to", "cy", cwd=roomy)
    assert exported.returncode == 0, exported.stderr
    xliff = roomy / "long.cy.xlf"
    text = xliff.read_text(encoding="utf-8")
    assert "<source>Step 329: rest, and drink a glass of water.</source>" in text
    xliff.write_text(re.sub(r"<source>(.*?)</source>", r"<source>\1</source><target>Cy \1</target>", text, flags=re.S))
    imported = run_cli("translations", "import", "long.cy.xlf", cwd=roomy)
    assert imported.returncode == 0, imported.stderr
    assert "Cy Step 329: rest" in (roomy / "leaflets" / "long.cy.yaml").read_text(encoding="utf-8")


def test_audit_reads_a_leaflet_the_projects_limits_allow(roomy: Path) -> None:
    result = run_cli("audit", cwd=roomy)
    assert result.returncode == 0, result.stderr
    [row] = csv.DictReader(io.StringIO((roomy / "output" / "audit" / "leaflets.csv").read_text(encoding="utf-8")))
    assert row["title"] == "Looking after your liver" and row["errors"] == "", row


def test_the_builds_readability_line_uses_the_projects_limits(roomy: Path) -> None:
    result = run_cli("build", "--format", "text", cwd=roomy)
    assert result.returncode == 0, result.stderr
    assert "readability leaflets/long.yaml: meets targets" in result.stderr, result.stderr


def test_a_lowered_limit_is_held_to_by_the_workflow_commands_too(project: Path) -> None:
    write(project / "leafpress.yaml", "limits:\n  max_file_bytes: 1000\n")
    write(
        project / "leaflets" / "liver.yaml",
        MINIMAL_LEAFLET.replace("subtitle: A short guide", "subtitle: " + "A" * 100),
    )
    exported = run_cli("translations", "export", "leaflets/liver.yaml", "--to", "cy", cwd=project)
    assert exported.returncode == 1
    assert "leaflets/liver.yaml:1:1: the file is" in exported.stderr and "over the limit of 1,000" in exported.stderr
    assert not (project / "liver.cy.xlf").exists()
