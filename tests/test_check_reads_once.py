"""`check` reads each leaflet file once and gives it to every check, and still reports a bad one."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from leafpress.checks import accessibility, easy_read, leaflet_file, readability, translation
from leafpress.checks.runner import check_leaflet
from leafpress.source.load import load_yaml
from leafpress.source.project import open_project
from tests.conftest import MINIMAL_LEAFLET, write

CHECK_MODULES = (leaflet_file, accessibility, easy_read, readability, translation)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often each file was loaded by the checks (the real loader runs: this only counts)."""
    counted: Counter[str] = Counter()

    def counting_load(path: Path, *args: object, **kwargs: object) -> object:
        counted[os.path.abspath(path)] += 1
        return load_yaml(path, *args, **kwargs)  # type: ignore[arg-type]

    for module in CHECK_MODULES:
        if hasattr(module, "load_yaml"):  # a module that reads no leaflet itself has none to count
            monkeypatch.setattr(module, "load_yaml", counting_load)
    return counted


def test_every_check_gets_the_leaflet_read_once(tmp_path: Path, loads: Counter[str], monkeypatch) -> None:
    source = write(tmp_path / "leaflets" / "one.yaml", MINIMAL_LEAFLET)
    monkeypatch.chdir(tmp_path)
    outcome = check_leaflet(Path("leaflets/one.yaml"), open_project(tmp_path), None, [])
    assert loads[str(source.resolve())] == 1
    assert outcome.readability is not None and outcome.readability.counts.words > 0
    assert [check.key for check in outcome.extra] == ["accessibility", "translation", "easy_read"]
    assert not outcome.errors


def test_a_leaflet_that_fails_validation_is_reported_once_with_its_line(
    tmp_path: Path, loads: Counter[str], monkeypatch
) -> None:
    source = write(tmp_path / "leaflets" / "bad.yaml", MINIMAL_LEAFLET + "sectons: []\n")
    monkeypatch.chdir(tmp_path)
    outcome = check_leaflet(Path("leaflets/bad.yaml"), open_project(tmp_path), None, [])
    assert loads[str(source.resolve())] == 1
    assert not outcome.passed and outcome.readability is None
    messages = [str(error) for error in outcome.errors]
    assert len([m for m in messages if "sectons" in m]) == 1, messages
    line = len(MINIMAL_LEAFLET.splitlines()) + 1
    assert any(error.location.line == line for error in outcome.errors)
