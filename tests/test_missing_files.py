"""A file named on the command line that does not exist: its error alone, at no line, exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


@pytest.mark.parametrize("output", [(), ("--json",), ("--csv",)], ids=["table", "json", "csv"])
def test_status_of_a_missing_file_prints_only_the_error(project: Path, output: tuple[str, ...]) -> None:
    result = run_cli("status", *output, "leaflets/gone.yaml", cwd=project)
    assert result.returncode == 1
    assert result.stderr == "leaflets/gone.yaml: no such file — check the path\n"
    assert result.stdout == ""


def test_status_of_a_missing_file_beside_a_good_one_lists_the_good_one(project: Path) -> None:
    result = run_cli("status", "--json", "leaflets/gone.yaml", "leaflets/liver.yaml", cwd=project)
    assert result.returncode == 1
    assert "leaflets/gone.yaml: no such file" in result.stderr
    assert '"file": "leaflets/liver.yaml"' in result.stdout


def test_build_and_check_of_a_missing_file_name_no_line(project: Path) -> None:
    for command in ("build", "check"):
        result = run_cli(command, "leaflets/gone.yaml", cwd=project)
        assert result.returncode == 1, command
        assert "leaflets/gone.yaml: no such file — check the path" in result.stderr, (command, result.stderr)
        assert "gone.yaml:1:1" not in result.stderr
