"""A bilingual PDF reads each row in order, Welsh then English, also where a page break splits a row."""

from __future__ import annotations

from pathlib import Path

import page
import pikepdf
import pytest

from tests.conftest import MINIMAL_LEAFLET, made_once, run_cli, write

ENGLISH_PARAGRAPH = "Your liver cleans your blood, stores energy and helps your body fight infection every day."
WELSH_PARAGRAPH = "Mae eich iau yn glanhau eich gwaed, yn storio egni ac yn helpu eich corff i ymladd haint bob dydd."
LONG = 28  # paragraphs: far more than one landscape page holds, so the row must split


def _long(text: str, paragraph: str) -> str:
    body = "\n\n".join(f"      {paragraph} ({number})" for number in range(1, LONG + 1))
    return text.replace("      Your liver cleans your blood. It also stores energy.", body)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        write(root / "leaflets" / "liver.yaml", _long(MINIMAL_LEAFLET, ENGLISH_PARAGRAPH))
        welsh = MINIMAL_LEAFLET.replace("title: Looking after your liver", "title: Gofalu am eich iau")
        welsh = welsh.replace("code: TST-001", "code: TST-001-CY\nlanguage: cy")
        write(root / "leaflets" / "liver.cy.yaml", _long(welsh, WELSH_PARAGRAPH))
        result = run_cli("build", "leaflets/liver.cy.yaml", "--format", "bilingual", cwd=root)
        assert result.returncode == 0, result.stderr

    root = made_once(tmp_path_factory, "bilingual", make)
    return root / "output" / "liver.cy.bilingual.pdf"


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    items = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    return [kid for kid in items if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]


def _content_languages(element: pikepdf.Object, language: str, pages: dict, found: list) -> None:
    """(column language, page) of each element holding marked content, in the structure tree's reading
    order: the language of the column it is in (an English title inside the Welsh column is Welsh's)."""
    language = language or str(element.get("/Lang", ""))
    raw = element.get("/K")
    items = list(raw) if isinstance(raw, pikepdf.Array) else [raw] if raw is not None else []
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and "/S" in item:
            _content_languages(item, language, pages, found)
        elif isinstance(item, pikepdf.Dictionary) and item.get("/Type") == "/MCR":
            found.append((language, pages[item.Pg.objgen]))
        elif not isinstance(item, pikepdf.Dictionary):
            found.append((language, pages[element.Pg.objgen]))


def test_a_row_split_by_a_page_break_is_read_welsh_whole_then_english_whole(bilingual: Path) -> None:
    with pikepdf.open(bilingual) as pdf:
        pages = {p.objgen: index for index, p in enumerate(pdf.pages)}
        (document,) = _kids(pdf.Root.StructTreeRoot)
        (part,) = [kid for kid in _kids(document) if kid.S == "/Part"]
        split_rows = 0
        for row in _kids(part):
            found: list[tuple[str, int]] = []
            _content_languages(row, "", pages, found)
            languages = [language for language, _ in found]
            runs = [
                language for index, language in enumerate(languages) if index == 0 or languages[index - 1] != language
            ]
            if {"cy", "en-GB"} <= set(languages):
                assert runs == ["cy", "en-GB"], runs  # Welsh whole, then English whole
                # One column element per language, however many pages the row runs over.
                assert [str(column.get("/Lang")) for column in _kids(row)] == ["cy", "en-GB"]
            split_rows += len({page_index for _, page_index in found}) > 1
    assert split_rows, "no row ran over a page break: the test would prove nothing"


def test_the_reordered_bilingual_pdf_stays_pdfua_compliant(bilingual: Path) -> None:
    verdict = page.validate_pdf(bilingual, profile="ua1")
    assert verdict.is_compliant, [failure.rule_id for failure in verdict.failures]
