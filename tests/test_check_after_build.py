"""`check` of leaflets a build has just made does not enrich them again, yet misses no error.

The build's enrichment is the same for every format and is recorded only when it raised
nothing; `check` leans on that only while the manifest finds every output of the leaflet built
from exactly the current inputs. Each test builds real PDFs, then changes one thing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from leafpress.checks import runner
from leafpress.checks.runner import check_all
from leafpress.enrich.prepare import prepare_read
from leafpress.source.project import open_project
from tests.conftest import MINIMAL_LEAFLET, run_cli, write
from tests.test_check_gate import LANGUAGE_CONFIG

PICTURE = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="100" height="100">'
    '<circle cx="5" cy="5" r="4"/></svg>\n'
)
WITH_PICTURE = MINIMAL_LEAFLET.replace(
    "  - heading: What your liver does\n",
    "  - heading: What your liver does\n    image:\n      src: images/liver.svg\n"
    "      alt: A dark circle standing for the liver\n",
)


@pytest.fixture
def enrichments(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The leaflets `check` enriched (the real enrichment runs: this only notes each call)."""
    noted: list[str] = []

    def noting(loaded, leaflet, project, on=None):  # type: ignore[no-untyped-def]
        noted.append(loaded.path.name)
        return prepare_read(loaded, leaflet, project, on)

    monkeypatch.setattr(runner, "prepare_read", noting)
    return noted


def build(project: Path) -> None:
    write(project / "leafpress.yaml", LANGUAGE_CONFIG)
    write(project / "leaflets" / "liver.yaml", WITH_PICTURE)
    write(project / "leaflets" / "images" / "liver.svg", PICTURE)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr


def checked(project: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(project)
    (outcome,) = check_all([Path("leaflets/liver.yaml")], open_project(project), project / "output", jobs=1)
    return outcome


def test_a_just_built_leaflet_passes_without_being_enriched_again(project: Path, enrichments, monkeypatch) -> None:
    build(project)
    outcome = checked(project, monkeypatch)
    (pdf,) = outcome.extra[0].data["pdfs"]
    assert pdf["fresh"] is True and pdf["file"] == "output/liver.pdf"
    assert enrichments == []
    assert outcome.passed and not outcome.errors


def test_a_file_the_build_read_gone_is_reported_at_its_line(project: Path, enrichments, monkeypatch) -> None:
    build(project)
    (project / "leaflets" / "images" / "liver.svg").unlink()
    outcome = checked(project, monkeypatch)
    assert enrichments == ["liver.yaml"]
    assert not outcome.passed
    assert any(
        "image 'images/liver.svg' not found" in error.message and error.location.line == 11 for error in outcome.errors
    ), [str(error) for error in outcome.errors]


def test_an_edited_leaflet_is_enriched_again(project: Path, enrichments, monkeypatch) -> None:
    build(project)
    write(project / "leaflets" / "liver.yaml", WITH_PICTURE.replace("[@nice-liver]", "[@no-such-key]"))
    outcome = checked(project, monkeypatch)
    assert enrichments == ["liver.yaml"]
    assert any("no-such-key" in error.message for error in outcome.errors), [str(e) for e in outcome.errors]


def test_a_failed_build_leaves_nothing_to_lean_on(project: Path, enrichments, monkeypatch) -> None:
    build(project)
    picture = project / "leaflets" / "images" / "liver.svg"
    picture.unlink()
    assert run_cli(cwd=project).returncode == 1  # the manifest forgets the failed job
    write(picture, PICTURE)  # the earlier PDF is still there, but nothing vouches for it
    outcome = checked(project, monkeypatch)
    (pdf,) = outcome.extra[0].data["pdfs"]
    assert pdf["fresh"] is False and enrichments == ["liver.yaml"]
    assert outcome.passed, [str(error) for error in outcome.errors]


def test_body_problems_keep_their_lines_after_blank_lines_at_the_start(project: Path, monkeypatch) -> None:
    # The body is checked as the leaflet renders it (without the blank lines at its start),
    # and each problem still points at its own line of the file.
    text = MINIMAL_LEAFLET.replace(
        "    body: |\n      Your liver cleans your blood. It also stores energy.\n",
        "    body: |\n\n\n      Your liver cleans your blood. It also stores energy.\n\n"
        "      #### Too deep\n\n      ![](images/none.svg)\n",
    )
    write(project / "leaflets" / "liver.yaml", text)
    lines = text.splitlines()
    heading_line = lines.index("      #### Too deep") + 1
    image_line = lines.index("      ![](images/none.svg)") + 1
    monkeypatch.chdir(project)
    (outcome,) = check_all([Path("leaflets/liver.yaml")], open_project(project), None, jobs=1)
    problems = {problem["rule"]: problem["line"] for problem in outcome.extra[0].data["problems"]}
    assert problems.get("heading-levels") == heading_line, outcome.extra[0].data["problems"]
    assert problems.get("alt-text") == image_line, outcome.extra[0].data["problems"]
