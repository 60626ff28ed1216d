"""Warnings point at their place in the leaflet file as errors do: ``path:line:column: warning: …``."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MINIMAL_LEAFLET, run_cli, write


def _place(text: str, line_start: str) -> tuple[int, int]:
    """The 1-based line and column of the first line of ``text`` that starts with ``line_start``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(line_start):
            return number, len(line) - len(line.lstrip()) + 1
    raise AssertionError(f"no line starts with {line_start!r}")


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


def _build_warnings(project: Path, leaflet: str, today: str = "2025-06-01") -> list[str]:
    """The warnings a build of ``leaflet`` (as leaflets/liver.yaml) prints, as of ``today``."""
    write(project / "leaflets" / "liver.yaml", leaflet)
    result = run_cli("build", "--format", "text", cwd=project, env={"LEAFPRESS_TODAY": today})
    assert result.returncode == 0, result.stderr
    return _warnings(result.stderr)


def test_a_reference_never_cited_warns_at_its_entry(project: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace(" [@nice-liver].", ".")
    line, column = _place(leaflet, "  - key: nice-liver")
    assert _build_warnings(project, leaflet) == [
        f"leaflets/liver.yaml:{line}:{column + 2}: warning: reference 2 ('Liver disease guidance') is never "
        "cited — cite it with [@nice-liver], or remove it"
    ]


def test_an_overdue_review_warns_at_the_review_date_it_comes_from(project: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace(
        "  last_reviewed: 2024-03-15\n", "  last_reviewed: 2024-03-15\n  next_review: 2025-01-31\n"
    )
    line, column = _place(leaflet, "  next_review:")
    assert (
        f"leaflets/liver.yaml:{line}:{column}: warning: review overdue: the next review "
        "was due on 2025-01-31 — review the leaflet and update review.last_reviewed"
    ) in _build_warnings(project, leaflet)


def test_english_labels_left_in_warn_at_the_language_the_leaflet_sets(project: Path) -> None:
    leaflet = MINIMAL_LEAFLET.replace('version: "1.2"\n', 'version: "1.2"\nlanguage: so\n')
    line, _ = _place(leaflet, "language: so")
    [warning] = [w for w in _build_warnings(project, leaflet) if "no labels catalogue" in w]
    assert warning.startswith(f"leaflets/liver.yaml:{line}:1: warning: no labels catalogue for language 'so'")


def test_a_translation_reviewed_before_its_source_warns_at_its_review_date(project: Path) -> None:
    welsh = MINIMAL_LEAFLET.replace('version: "1.2"\n', 'version: "1.2"\nlanguage: cy\n').replace(
        "2024-03-15", "2023-01-10"
    )
    write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET + "translations: [liver.cy.yaml]\n")
    write(project / "leaflets" / "liver.cy.yaml", welsh)
    result = run_cli(
        "build", "--format", "text", "leaflets/liver.cy.yaml", cwd=project, env={"LEAFPRESS_TODAY": "2025-06-01"}
    )
    assert result.returncode == 0, result.stderr
    line, column = _place(welsh, "  last_reviewed:")
    assert any(
        w.startswith(f"leaflets/liver.cy.yaml:{line}:{column}: warning: this translation ")
        for w in _warnings(result.stderr)
    ), result.stderr


def test_a_warning_from_no_place_in_the_file_names_only_the_file(project: Path) -> None:
    # The bilingual format needs a translation: nothing in the file is at fault, so no line is given.
    result = run_cli("build", "--format", "bilingual", cwd=project)
    assert result.returncode == 0, result.stderr
    assert _warnings(result.stderr) == [
        "leaflets/liver.yaml: warning: no bilingual file: it has no translation to set beside it "
        "(add liver.cy.yaml, see docs/languages.md)"
    ], result.stderr
