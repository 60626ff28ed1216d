"""Numbered lists keep their numbers, wherever they start or break, and body headings never skip a level."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from leafpress.enrich.markdown import markdown_tree
from leafpress.pdf.conformance import validate_pdfua
from leafpress.pdf.text_layer import pdf_text
from tests.conftest import run_cli, write

STEPS = "\n".join(
    f"      {n}. Step {n}: wash your hands, then check the dressing and write down what you see." for n in range(1, 31)
)
BODY_HEAD = """\
title: Caring for your line
language: en-GB
sections:
  - heading: Every day
    callout: info
    body: |
"""
REVIEW = "review:\n  last_reviewed: 2025-03-12\n"


@pytest.mark.parametrize(("fmt", "suffix"), [("standard", ".pdf"), ("large-print", ".large-print.pdf")])
def test_a_numbered_list_cut_by_a_page_break_goes_on_counting(tmp_path: Path, fmt: str, suffix: str) -> None:
    # The box's heading is repeated on the next page, so the list is cut in two there: the second
    # part once started again at 1 (WeasyPrint does not read <ol start>).
    write(tmp_path / "leaflets" / "line.yaml", BODY_HEAD + STEPS + "\n" + REVIEW)
    result = run_cli("build", "leaflets/line.yaml", "-f", fmt, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = pdf_text((tmp_path / "output" / f"line{suffix}").read_bytes())
    assert "(continued)" in text  # the list was cut by a page break
    numbered = re.findall(r"^(\d+)\. Step (\d+):", text, flags=re.MULTILINE)
    assert len(numbered) == 30 and all(number == step for number, step in numbered), numbered


def test_a_list_that_starts_at_three_is_numbered_from_three(tmp_path: Path) -> None:
    body = (
        "      Steps 1 and 2 are on the other side.\n\n      3. Take off the old dressing.\n      4. Wash the skin.\n"
    )
    write(tmp_path / "leaflets" / "line.yaml", BODY_HEAD + body + REVIEW)
    result = run_cli("build", "leaflets/line.yaml", "-f", "standard", "-f", "text", "-f", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for name in ("line.pdf", "line.txt"):
        path = tmp_path / "output" / name
        text = pdf_text(path.read_bytes()) if name.endswith(".pdf") else path.read_text(encoding="utf-8")
        assert re.search(r"^3\. Take off the old dressing\.\n4\. Wash the skin\.", text, flags=re.MULTILINE), text
    assert '<ol start="3"' in (tmp_path / "output" / "line.html").read_text(encoding="utf-8")


def test_a_body_heading_written_three_levels_down_sits_one_below_its_section(tmp_path: Path) -> None:
    body = (
        "      ### Before you start\n\n      Wash your hands.\n\n      ##### Things you need\n\n      A clean towel.\n"
    )
    write(tmp_path / "leaflets" / "line.yaml", BODY_HEAD.replace("    callout: info\n", "") + body + REVIEW)
    result = run_cli("build", "leaflets/line.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not PDF/UA-1 compliant" not in result.stderr
    data = (tmp_path / "output" / "line.pdf").read_bytes()
    with pikepdf.open(tmp_path / "output" / "line.pdf") as pdf:
        roles, stack = [], [pdf.Root.StructTreeRoot]
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            for kid in reversed(list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append(kid)
            if str(element.get("/S", "")) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
                roles.append(str(element.S))
    assert roles[:4] == ["/H1", "/H2", "/H3", "/H4"]  # then the end matter's own H2s
    assert validate_pdfua(data).compliant


def test_a_list_inside_a_list_keeps_its_markers_in_the_text_version(tmp_path: Path) -> None:
    body = "      1. Check the dressing\n         - is it dry?\n           - is it clean?\n      2. Call us if not\n"
    write(tmp_path / "leaflets" / "line.yaml", BODY_HEAD + body + REVIEW)
    result = run_cli("build", "leaflets/line.yaml", "-f", "text", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "output" / "line.txt").read_text(encoding="utf-8")
    assert "1. Check the dressing\n  - is it dry?\n    - is it clean?\n2. Call us if not" in text


@pytest.mark.parametrize(
    ("markdown", "levels"),
    [
        ("### A", ["h3"]),
        ("# A\n\n### B", ["h3", "h4"]),
        ("## A\n\n# B", ["h3", "h3"]),
        ("# A\n\n## B\n\n#### C\n\n# D\n\n###### E", ["h3", "h4", "h5", "h3", "h4"]),
    ],
)
def test_body_heading_levels_never_skip_one(markdown: str, levels: list[str]) -> None:
    tokens = markdown_tree(markdown)
    opened = [token.tag for token in tokens if token.type == "heading_open"]
    closed = [token.tag for token in tokens if token.type == "heading_close"]
    assert opened == closed == levels
