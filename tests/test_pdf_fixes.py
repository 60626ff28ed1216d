"""The tagging fixes, each checked on the structure tree of a real built PDF."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from tests.conftest import MINIMAL_LEAFLET, made_once, run_cli, write

DIAGRAM = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80">
<rect x="5" y="5" width="190" height="70" fill="#e9f1f8" stroke="#0b4f8a" stroke-width="3"/></svg>
"""

LONG_LIST = "\n".join(f"      - Item number {n} in a long list of things to bring with you." for n in range(1, 41))

FIGURES_AND_LISTS = MINIMAL_LEAFLET.replace(
    """sections:
""",
    f"""sections:
  - heading: A picture
    image:
      src: diagram.svg
      alt: A blue box standing for the liver.
      caption: The liver sits under your ribs.
    body: |
      A decorative rule follows.

      ![](rule.svg "decorative")
  - heading: What to bring
    body: |
      Bring these things:

{LONG_LIST}
""",
)


def _elements(node: pikepdf.Object) -> list[pikepdf.Object]:
    found = []
    kids = node.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            found.append(kid)
            found.extend(_elements(kid))
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:

    def make(root: Path) -> None:
        write(root / "leaflets" / "liver.yaml", FIGURES_AND_LISTS)
        write(root / "leaflets" / "diagram.svg", DIAGRAM)
        write(root / "leaflets" / "rule.svg", DIAGRAM.replace("e9f1f8", "ffffff"))
        result = run_cli(cwd=root)
        assert result.returncode == 0, result.stderr

    root = made_once(tmp_path_factory, "fixes", make)
    return root / "output" / "liver.pdf"


def test_footers_are_pagination_artifacts_not_orphans(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        reachable = {element.objgen for element in _elements(pdf.Root.StructTreeRoot)}
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        for page in pdf.pages:
            parents = dict(zip(nums[::2], nums[1::2], strict=True))[int(page.StructParents)]
            # Every marked-content id maps to an element in the tree, or to nothing (an artifact).
            for element in parents:
                assert not isinstance(element, pikepdf.Dictionary) or element.objgen in reachable
            artifacts = [
                op
                for op in pikepdf.parse_content_stream(page)
                if str(op.operator) == "BDC"
                and op.operands[0] == "/Artifact"
                and op.operands[1].get("/Type") == "/Pagination"
            ]
            assert len(artifacts) == 2
    with pdfplumber.open(built) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            artifact_text = "".join(c["text"] for c in page.chars if c.get("tag") == "Artifact")
            assert f"Page {number} of {len(pdf.pages)}" in artifact_text
            assert "TST-001" in artifact_text
            body_text = "".join(c["text"] for c in page.chars if c.get("tag") != "Artifact")
            assert "Page " + str(number) + " of" not in body_text


def test_figure_element_holds_the_image_and_its_caption(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        elements = _elements(pdf.Root.StructTreeRoot)
        figures = [e for e in elements if e.S == "/Figure" and "liver" in str(e.get("/Alt", ""))]
        assert len(figures) == 1
        figure = figures[0]
        assert str(figure.Alt) == "A blue box standing for the liver."
        assert "/BBox" in figure.A
        kinds = [str(kid.S) for kid in figure.K if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        assert kinds == ["/Caption"]
        assert any(isinstance(kid, int) or not isinstance(kid, pikepdf.Dictionary) for kid in figure.K)
        # No Figure is left inside a NonStruct wrapper of its own.
        for element in elements:
            if element.S == "/Figure":
                assert element.P.S != "/NonStruct" or len(element.P.K) > 2


def test_decorative_image_is_an_artifact_and_out_of_the_tree(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Figure"]
        # The logo is not in a bare project; the diagram is; the alt="" rule is not.
        assert all(str(f.get("/Alt", "")).strip() for f in figures)
        assert len(figures) == 1
        page = pdf.pages[0]
        plain_artifacts = [
            op
            for op in pikepdf.parse_content_stream(page)
            if str(op.operator) == "BMC" and op.operands[0] == "/Artifact"
        ]
        assert plain_artifacts


def test_list_split_by_a_page_break_is_one_list(built: Path) -> None:
    with pikepdf.open(built) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        lists = [
            e
            for e in _elements(pdf.Root.StructTreeRoot)
            if e.S == "/L" and any("/S" in kid and kid.S == "/LI" for kid in e.K)
        ]
        items = {id(e): [kid for kid in e.K if kid.S == "/LI"] for e in lists}
        long_lists = [e for e in lists if len(items[id(e)]) >= 40]
        assert len(long_lists) == 1, [len(v) for v in items.values()]
        the_list = long_lists[0]
        assert len(items[id(the_list)]) == 40
        item_pages = {pages[item.Pg.objgen] for item in items[id(the_list)]}
        assert len(item_pages) >= 2  # it really does cross a page break
        # One section holds it: the section was split by the same break, and joined too.
        sections = [
            e
            for e in _elements(pdf.Root.StructTreeRoot)
            if e.S == "/Sect"
            and any(kid.objgen == the_list.objgen for kid in e.K if isinstance(kid, pikepdf.Dictionary))
        ]
        assert len(sections) == 1
        parts = [e for e in _elements(pdf.Root.StructTreeRoot) if e.S == "/Part"]
        assert len(parts) == 1


def test_text_survives_the_fixes_in_reading_order(built: Path) -> None:
    with pdfplumber.open(built) as pdf:
        text = " ".join(page.extract_text() for page in pdf.pages)
    positions = [
        text.index(s)
        for s in ("A picture", "The liver sits under your ribs", "Item number 1 in", "Item number 40 in", "References")
    ]
    assert positions == sorted(positions)
