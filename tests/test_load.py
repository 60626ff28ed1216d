"""Loading YAML: positions are kept, and what PyYAML lets through is refused."""

from pathlib import Path

import pytest

from leafpress.core.errors import LeafpressError
from leafpress.source.load import load_yaml
from tests.conftest import write


def load_error(tmp_path: Path, text: str | bytes) -> LeafpressError:
    path = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        write(path, text)
    with pytest.raises(LeafpressError) as info:
        load_yaml(path)
    return info.value


def test_positions_point_at_keys(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", "title: A\nsections:\n  - heading: One\n    body: |\n      Text\n")
    loaded = load_yaml(path)
    assert loaded.location(("sections", 0, "heading")).line == 3
    assert loaded.location(("sections", 0, "body")).column == 5
    assert loaded.text_line(("sections", 0, "body")) == 5


def test_duplicate_key_is_refused_with_both_lines(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsubtitle: B\ntitle: C\n")
    assert (error.location.line, error.location.column) == (3, 1)
    assert "duplicate key 'title'" in error.message and "line 1" in error.message


def test_syntax_error_shows_the_line_and_a_caret(tmp_path: Path) -> None:
    error = load_error(tmp_path, 'title: "unclosed\nsubtitle: x\n')
    assert error.location.line >= 1
    assert "YAML syntax error" in error.message
    assert "^" in error.excerpt


def test_tab_indentation_gets_a_tab_hint(tmp_path: Path) -> None:
    error = load_error(tmp_path, "title: A\nsections:\n\t- heading: x\n")
    assert error.location.line == 3
    assert "tabs" in error.hint


def test_list_instead_of_leaflet(tmp_path: Path) -> None:
    error = load_error(tmp_path, "- title: A\n")
    assert "a list, not a leaflet" in error.message


def test_empty_file(tmp_path: Path) -> None:
    assert "empty" in load_error(tmp_path, "\n  \n").message


def test_not_utf8_points_at_the_bad_byte(tmp_path: Path) -> None:
    error = load_error(tmp_path, b"title: A\nsubtitle: caf\xe9\n")
    assert "not UTF-8" in error.message
    assert (error.location.line, error.location.column) == (2, 14)


def test_impossible_date(tmp_path: Path) -> None:
    error = load_error(tmp_path, "review:\n  last_reviewed: 2023-02-30\n")
    assert "'2023-02-30' is not a real date" in error.message
    assert (error.location.line, error.location.column) == (2, 18)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 9)}]")
    error = load_error(tmp_path, "\n".join(lines) + "\n")
    assert "expands to more than" in error.message
