"""Lists, terms and tables in the PDF's structure tree: numbering, label and body, header scope.

A screen reader announces "list of 2 items, 1." from ``ListNumbering``, reads a term with its
meaning as one item from Lbl and LBody, and ties a cell to its header from ``Scope``.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from tests.conftest import run_cli, write

LEAFLET = """\
title: Your medicines at home
code: TST-ST
summary:
  - Take each medicine at the time on its label.
sections:
  - heading: Your day
    body: |
      1. Take the white tablet with breakfast.
      2. Take the blue tablet at bedtime.
terms:
  - term: dose
    meaning: how much of a medicine you take at one time
  - term: label
    meaning: the sticker on the box that says how to take it
changes:
  - version: "1.0"
    date: 2025-01-10
    summary: First written.
review:
  last_reviewed: 2025-03-12
"""


def _elements(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                found.append(kid)
                stack.append(kid)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("structure")
    write(root / "leaflets" / "st.yaml", LEAFLET)
    result = run_cli("build", "leaflets/st.yaml", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output" / "st.pdf"


def test_numbered_and_bulleted_lists_say_their_numbering(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        numbering = [str(e.A.ListNumbering) for e in _elements(pdf) if e.S == "/L" and "/A" in e]
    assert "/Decimal" in numbering  # the numbered steps
    assert "/Disc" in numbering  # the summary's bullets


def test_each_term_and_its_meaning_are_one_item_with_label_and_body(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        items = [e for e in _elements(pdf) if e.S == "/LI"]
        labelled = [[str(kid.S) for kid in item.K] for item in items if any(kid.S == "/Lbl" for kid in item.K)]
        # No item is a lone definition: every LBody shares its item with a label.
        assert all(any(kid.S == "/Lbl" for kid in item.K) for item in items)
    assert ["/Lbl", "/LBody"] in labelled
    # "dose" and "label" (terms), and the "About this information" details, each one item.
    assert len(labelled) >= 2


def test_table_header_cells_have_a_scope(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        headers = [e for e in _elements(pdf) if e.S == "/TH"]
        assert headers
        assert all(str(e.A.Scope) == "/Column" and str(e.A.O) == "/Table" for e in headers)
