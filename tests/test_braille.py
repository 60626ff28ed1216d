"""The braille format: a real .brf built by the CLI, checked by translating it back with liblouis."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, made_once, run_cli, write

WELSH = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: Gofalu am eich afu\nlanguage: cy")


def back_translate(brf: Path, table: str) -> str:
    """The .brf's text in print, page numbers left out, lines joined with spaces."""
    lines = []
    for page in brf.read_bytes().decode("ascii").split("\f"):
        page_lines = page.split("\r\n")
        if page_lines and page_lines[0].strip().startswith("#") and page_lines[0].startswith(" "):
            page_lines = page_lines[1:]  # the page number, right-aligned on the first line
        lines += [line.strip() for line in page_lines if line.strip()]
    result = subprocess.run(
        ["lou_translate", "--backward", f"en-us-brf.dis,{table}"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(result.stdout.split())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        write(root / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
        write(root / "leaflets" / "afu.yaml", WELSH)
        write(root / "leaflets" / "leber.yaml", MINIMAL_LEAFLET.replace("title:", "language: de\ntitle:", 1))
        result = run_cli("--format", "braille", cwd=root)
        assert result.returncode == 0, result.stderr
        (root / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")

    root = made_once(tmp_path_factory, "braille", make)
    return root


def test_back_translation_has_title_headings_and_review_dates(built: Path) -> None:
    text = back_translate(built / "output" / "liver.brf", "en-ueb-g2.ctb")
    for words in [
        "Looking after your liver",
        "Key points",
        "What your liver does",
        "When to get help",
        "References",
        "About this information",
        "Last reviewed: 15 March 2024",
        "Next review due: 15 March 2027",
        "Version: 1.2",
    ]:
        assert words in text, words
    assert text.index("Key points") < text.index("What your liver does") < text.index("References")


def test_pages_are_40_cells_by_25_lines_with_numbers(built: Path) -> None:
    data = (built / "output" / "liver.brf").read_bytes()
    assert all(32 <= byte < 127 or byte in (10, 12, 13) for byte in data)  # braille ASCII only
    pages = data.decode("ascii").split("\f")
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        lines = page.removesuffix("\r\n").split("\r\n")
        assert len(lines) <= 25 and all(len(line) <= 40 for line in lines)
        if number > 1:
            digits = "".join(str("JABCDEFGHI".index(letter)) for letter in lines[0].strip()[1:])
            assert lines[0].endswith("#" + lines[0].strip()[1:]) and len(lines[0]) == 40
            assert int(digits) == number


def test_welsh_uses_welsh_braille(built: Path) -> None:
    brf = built / "output" / "afu.brf"
    assert "Gofalu am eich afu" in back_translate(brf, "cy-cy-g2.ctb")


def test_a_language_without_a_table_gets_no_file(built: Path) -> None:
    assert "no braille table for de" in (built / "build.log").read_text(encoding="utf-8")
    assert not (built / "output" / "leber.brf").exists()


def test_page_size_comes_from_the_config(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    write(tmp_path / "leafpress.yaml", "braille:\n  cells_per_line: 30\n  lines_per_page: 12\n")
    result = run_cli("--format", "braille", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pages = (tmp_path / "output" / "liver.brf").read_bytes().decode("ascii").split("\f")
    lines = [line for page in pages for line in page.removesuffix("\r\n").split("\r\n")]
    assert max(len(line) for line in lines) == 30
    assert all(len(page.removesuffix("\r\n").split("\r\n")) <= 12 for page in pages)
    assert "Looking after your liver" in back_translate(tmp_path / "output" / "liver.brf", "en-ueb-g2.ctb")
