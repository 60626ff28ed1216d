"""The audio format: a real MP3 from the short example leaflet, its tags and chapters read back."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from leafpress.enrich.outline import outline
from leafpress.enrich.prepare import prepare
from leafpress.formats.text import outline_to_text
from leafpress.source.project import open_project
from tests.conftest import REPO

SHORT = "secondary-liver-cancer-in-brief.yaml"


@pytest.fixture(scope="module")
def built(examples_built: Path) -> Path:
    """The output folder of the examples' build from the checkout (tests/conftest.py), audio among its formats."""
    return examples_built


def test_tags_name_the_leaflet(built: Path) -> None:
    tags = ID3(built / SHORT.replace(".yaml", ".mp3"))
    assert str(tags["TIT2"]) == "Secondary liver cancer in brief"
    assert str(tags["TPE1"]) == "Northway Cancer Support"
    assert str(tags["TXXX:version"]) == "1.0"
    assert str(tags["TDRC"]) == "2025-03-12"
    assert "Synthetic speech" in str(tags["COMM::eng"])


def test_one_chapter_per_section_in_order(built: Path) -> None:
    mp3 = built / SHORT.replace(".yaml", ".mp3")
    tags = ID3(mp3)
    doc = outline(prepare(REPO / "leaflets" / SHORT, open_project(REPO)))
    toc = tags["CTOC:toc"]
    chapters = [tags[f"CHAP:{element}"] for element in toc.child_element_ids]
    assert [str(chapter.sub_frames["TIT2"]) for chapter in chapters] == [s.heading for s in doc.sections]
    assert "References" in [s.heading for s in doc.sections] and "About this information" in [
        s.heading for s in doc.sections
    ]
    length_ms = MP3(mp3).info.length * 1000
    assert chapters[0].start_time == 0 and abs(chapters[-1].end_time - length_ms) < 1000
    assert all(a.end_time == b.start_time for a, b in zip(chapters, chapters[1:], strict=False))
    assert all(chapter.end_time - chapter.start_time > 1500 for chapter in chapters)  # every section is spoken


def test_length_is_plausible_for_the_word_count(built: Path) -> None:
    mp3 = built / SHORT.replace(".yaml", ".mp3")
    doc = outline(prepare(REPO / "leaflets" / SHORT, open_project(REPO)))
    words = len(outline_to_text(doc).split())
    minutes = MP3(mp3).info.length / 60
    # Speech runs at 150 words a minute with pauses between lines and sections (web addresses spelt out).
    assert 70 <= words / minutes <= 200, (words, minutes)
