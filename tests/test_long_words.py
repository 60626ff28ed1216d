"""A word longer than its line (a Welsh place name, a German compound) is broken, never cut off."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import run_cli, write

PLACE = "Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch"
COMPOUND = "Donaudampfschifffahrtsgesellschaftskapitänsmütze"
LEAFLET = f"""\
title: {PLACE} clinic
language: en-GB
summary:
  - Come to {PLACE} for your appointment.
sections:
  - heading: {COMPOUND}
    body: Bring your {COMPOUND} and your notes.
review:
  last_reviewed: 2025-03-12
"""
FORMATS = {"standard": ".pdf", "large-print": ".large-print.pdf", "booklet": ".booklet.pdf", "dl": ".dl.pdf"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("long-words")
    write(root / "leafpress.yaml", "language: en-GB\nformats: [standard, large-print]\n")
    write(root / "leaflets" / "clinic.yaml", LEAFLET)
    result = run_cli("build", *(arg for name in FORMATS for arg in ("-f", name)), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("suffix", FORMATS.values())
def test_no_letter_is_drawn_past_the_paper_edge(built: Path, suffix: str) -> None:
    with pdfplumber.open(built / "output" / f"clinic{suffix}") as pdf:
        for page in pdf.pages:
            outside = [c["text"] for c in page.chars if c["x0"] < 0 or c["x1"] > page.width]
            assert not outside, f"page {page.page_number}: {''.join(outside)}"
            # Nor into the last 5 mm of paper, which office printers do not print on.
            margin = 5 * 72 / 25.4
            assert all(margin <= c["x0"] and c["x1"] <= page.width - margin for c in page.chars)


def test_check_passes_the_broken_words_as_read_whole(built: Path) -> None:
    result = run_cli("check", "--json", cwd=built)
    accessibility = json.loads(result.stdout)["leaflets"][0]["accessibility"]
    assert accessibility["passed"] is True, accessibility["pdfs"]
    assert all(pdf["text_fidelity"] == 1.0 for pdf in accessibility["pdfs"])
