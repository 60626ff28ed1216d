"""A citation never starts a line alone: "… sticks to your skin" / "[1]." is set "… sticks to your" /
"skin [1].", in every paragraph of a leaflet whose paragraphs end at every point of the line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import REPO, run_cli

LAYOUT = REPO / "tests" / "data" / "layout"
_WORDS = [
    "Your",
    "nurse",
    "will",
    "show",
    "you",
    "how",
    "to",
    "look",
    "after",
    "it",
    "at",
    "home",
    "and",
    "what",
    "to",
    "watch",
    "for",
]


def _leaflet() -> str:
    # Paragraphs one word longer each time, so that the citation falls at every place on a line.
    paragraphs = "\n\n".join(
        f"      {' '.join(_WORDS[: 4 + length % len(_WORDS)])} every day{' so' * (length // 4)} [@guide]."
        for length in range(40)
    )
    return (
        "title: Caring for your wound\ncode: TLY-310\nversion: '1.0'\nlanguage: en-GB\n"
        "summary:\n  - Keep it clean and dry.\nsections:\n"
        f"  - heading: At home\n    body: |\n{paragraphs}\n"
        "references:\n  - key: guide\n    type: web\n    organisation: NHS\n    title: Wound care\n"
        "    year: 2024\n    url: https://www.nhs.uk/\n    accessed: 2025-01-10\n"
        "authors: [Test Team]\napproved_by:\n  name: Dr Priya Nair\n  role: Clinical Lead\n"
        "  date: 2025-04-10\nreview:\n  last_reviewed: 2025-04-01\n"
    )


@pytest.mark.parametrize(("fmt", "suffix"), [("standard", ".pdf"), ("large-print", ".large-print.pdf")])
def test_a_citation_never_starts_a_line_alone(tmp_path: Path, fmt: str, suffix: str) -> None:
    shutil.copytree(LAYOUT / "assets", tmp_path / "assets")
    shutil.copy(LAYOUT / "leafpress.yaml", tmp_path / "leafpress.yaml")
    (tmp_path / "leaflets").mkdir()
    (tmp_path / "leaflets" / "wound.yaml").write_text(_leaflet())
    result = run_cli("build", "leaflets/wound.yaml", "--format", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with pdfplumber.open(tmp_path / "output" / f"wound{suffix}") as document:
        lines = [line.strip() for page in document.pages for line in (page.extract_text() or "").splitlines()]
    cited = [line for line in lines if line.endswith("[1].")]
    assert len(cited) == 40, cited
    assert not [line for line in cited if re.fullmatch(r"\[1\]\.", line)], "a citation starts a line alone"
