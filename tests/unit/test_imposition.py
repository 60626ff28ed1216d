"""Imposing pages on sheets keeps where each named destination leads, whatever form it takes."""

from __future__ import annotations

from io import BytesIO

import pikepdf

from leafpress.pdf.imposition import A4_LANDSCAPE, impose_booklet, is_imposed_booklet

A5 = (419.53, 595.28)


def _a5_pages(count: int, destinations: dict[str, list[object]]) -> bytes:
    """``count`` blank A5 pages whose named destinations are ``destinations``, each given as
    [page index, view, numbers...] (an index past the last page is written as a page number)."""
    pdf = pikepdf.new()
    for _ in range(count):
        pdf.add_blank_page(page_size=A5)
    tree = pikepdf.NameTree.new(pdf)
    for name, (page, *view) in destinations.items():
        assert isinstance(page, int)
        target = pdf.pages[page].obj if page < count else page
        tree[name] = pikepdf.Array([target, *view])
    pdf.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_destinations_of_every_form_lead_to_the_sheet_their_page_went_to() -> None:
    source = _a5_pages(
        4,
        {
            "about-heading": [3, pikepdf.Name.XYZ, 30, 500, 0],
            "kept-view": [1, pikepdf.Name.XYZ, None, None, None],  # null: keep the reader's position
            "whole-page": [2, pikepdf.Name.Fit],
            "elsewhere": [7, pikepdf.Name.Fit],  # a page number, as a remote destination has
        },
    )
    booklet = impose_booklet(source)
    assert is_imposed_booklet(booklet)
    with pikepdf.open(BytesIO(booklet)) as pdf:
        places = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        sheets = [page.obj.objgen for page in pdf.pages]
        assert set(places) == {"about-heading", "kept-view", "whole-page"}
        # Four pages: the first side holds the back cover (page 4) on the left, page 1 on the right;
        # the second side pages 2 and 3.
        assert sheets.index(places["about-heading"][0].objgen) == 0
        assert sheets.index(places["kept-view"][0].objgen) == 1
        assert sheets.index(places["whole-page"][0].objgen) == 1
        half = A4_LANDSCAPE[0] / 2
        x, y = (float(value) for value in places["about-heading"][2:4])
        assert 0 < x < half and 0 < y < A4_LANDSCAPE[1]
        # A view with no place of its own goes to the top left corner of its page on the sheet.
        x, y = (float(value) for value in places["whole-page"][2:4])
        assert half <= x < half + 5 and A4_LANDSCAPE[1] - 5 < y <= A4_LANDSCAPE[1]
