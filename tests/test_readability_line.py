"""The build's readability line never stops a build: what goes wrong in it is one warning naming the leaflet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, run_cli, write


@pytest.fixture
def unscorable(project: Path) -> Path:
    """Two leaflets, and a project word list whose entry has no letters: scoring them fails for real,
    with the word list's line named (the build itself does not read the word list)."""
    write(project / "leaflets" / "kidney.yaml", MINIMAL_LEAFLET.replace("TST-001", "TST-002"))
    write(project / "words" / "plain_words.yaml", '"--": a dash\n')
    return project


def test_a_failing_readability_line_is_one_warning_per_leaflet_and_every_leaflet_builds(unscorable: Path) -> None:
    result = run_cli("build", "--format", "text", cwd=unscorable)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for name in ("liver", "kidney"):
        said = [line for line in result.stderr.splitlines() if line.startswith(f"leaflets/{name}.yaml: warning:")]
        assert len(said) == 1, result.stderr
        assert (
            "no readability line, the leaflet is built: words/plain_words.yaml:1:1: the entry '--' holds no letter"
            in said[0]
        )
        assert (unscorable / "output" / f"{name}.txt").is_file()
    assert "2 built, 0 skipped as unchanged, 0 failed" in result.stderr


def test_with_strict_a_leaflet_whose_readability_is_unknown_fails_alone(unscorable: Path) -> None:
    write(unscorable / "words" / "plain_words.yaml", '"--": a dash\n')
    result = run_cli("build", "--strict", "--format", "text", "leaflets/liver.yaml", cwd=unscorable)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "leaflets/liver.yaml: warning: no readability line, the leaflet fails (--strict)" in result.stderr


def test_check_reports_the_failure_for_each_leaflet_and_checks_them_all(unscorable: Path) -> None:
    result = run_cli("check", cwd=unscorable)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "internal error" not in result.stderr
    # Said for each leaflet it stops from being scored, and every leaflet is still judged.
    said = "words/plain_words.yaml:1:1: the entry '--' holds no letter or digit, so it can never match a word"
    assert result.stderr.count(said) == 2, result.stderr
    assert "0 of 2 leaflet(s) passed" in result.stdout + result.stderr
