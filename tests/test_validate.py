"""Validation: every mistake is named, placed, and says how to fix it."""

from pathlib import Path

import pytest

from leafpress.core.errors import LeafpressError, LeafpressErrors
from leafpress.core.model import Leaflet
from leafpress.source.load import load_yaml
from leafpress.source.validate import validate
from tests.conftest import MINIMAL_LEAFLET, write


def errors_for(tmp_path: Path, text: str) -> list[LeafpressError]:
    loaded = load_yaml(write(tmp_path / "x.yaml", text))
    with pytest.raises((LeafpressError, LeafpressErrors)) as info:
        validate(loaded, Leaflet)
    return info.value.errors if isinstance(info.value, LeafpressErrors) else [info.value]


def test_valid_leaflet_passes(tmp_path: Path) -> None:
    leaflet = validate(load_yaml(write(tmp_path / "x.yaml", MINIMAL_LEAFLET)), Leaflet)
    assert leaflet.title == "Looking after your liver"
    assert leaflet.version == "1.2"
    assert len(leaflet.sections) == 2


def test_unknown_key_suggests_the_near_spelling(tmp_path: Path) -> None:
    [error] = errors_for(tmp_path, MINIMAL_LEAFLET.replace("title: Looking", "titel: Looking"))
    assert "unknown key 'titel'" in error.message
    assert "did you mean 'title'?" in error.hint
    assert error.location.line == 1


def test_unknown_nested_key_suggests_from_its_own_model(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, MINIMAL_LEAFLET.replace("    callout: urgent", "    calout: urgent"))
    assert any("did you mean 'callout'?" in e.hint for e in errors)


def test_missing_required_key(tmp_path: Path) -> None:
    text = "\n".join(line for line in MINIMAL_LEAFLET.splitlines() if not line.startswith("title:")) + "\n"
    [error] = errors_for(tmp_path, text)
    assert error.message == "'title' is missing from the file"


def test_empty_sections(tmp_path: Path) -> None:
    errors = errors_for(tmp_path, "title: A\nsections: []\nreview:\n  last_reviewed: 2024-01-01\n")
    assert errors[0].message == "'sections' is empty"
    assert errors[0].location.line == 2


def test_wrong_type_names_what_was_given(tmp_path: Path) -> None:
    errors = errors_for(
        tmp_path, "title: [a, b]\nsections:\n  - heading: A\n    body: B\nreview:\n  last_reviewed: 2024-01-01\n"
    )
    assert errors[0].message == "'title' should be text, not a list"


def test_review_dates_in_the_wrong_order(tmp_path: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "  last_reviewed: 2024-03-15", "  last_reviewed: 2024-03-15\n  next_review: 2023-01-01"
    )
    [error] = errors_for(tmp_path, text)
    assert "must come after last_reviewed" in error.message
    assert error.location.line == text.splitlines().index("  next_review: 2023-01-01") + 1
    assert "leave next_review out" in error.hint
