"""The readability proof page passes axe-core's automated accessibility rules in headless Chromium."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO, example_output, run_cli, write
from tests.test_html_axe import _describe, axe_violations, browser  # noqa: F401 (a fixture); skips when axe or Chromium is missing
from tests.test_readability import JARGON


def test_proof_page_of_a_jargon_leaflet_passes_axe(browser, tmp_path: Path) -> None:  # noqa: F811
    write(tmp_path / "leaflets" / "jargon.yaml", JARGON)
    run_cli("check", cwd=tmp_path)
    violations = axe_violations(browser, tmp_path / "output" / "jargon.readability.html")
    assert not violations, _describe(violations)


def test_proof_page_of_an_example_leaflet_passes_axe(browser, examples_built: Path, tmp_path: Path) -> None:  # noqa: F811
    example_output(examples_built, "secondary-liver-cancer", tmp_path)
    run_cli("check", "leaflets/secondary-liver-cancer.yaml", "-o", tmp_path, cwd=REPO)
    violations = axe_violations(browser, tmp_path / "secondary-liver-cancer.readability.html")
    assert not violations, _describe(violations)
