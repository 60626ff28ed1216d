"""A layout made again after a page-break change reuses the pages before the change (leafpress.compat.relayout),
and the PDF is the one a whole new layout gives: the same drawing on every page, the same structure tree."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pikepdf
import pytest

import leafpress.compat.relayout as relayout
from leafpress.build.pipeline import build_leaflet
from leafpress.source.project import open_project
from tests.conftest import REPO

LAYOUT = REPO / "tests" / "data" / "layout"

# Each needs page-break changes: a repeated heading, boxes let split, and a grid cut by a page break
# (warfarin in large print: its page cannot be resumed from the earlier layout, an earlier one is).
CASES = [
    (REPO, "secondary-liver-cancer", "standard"),
    (REPO, "cancer-of-unknown-primary", "large-print"),
    (LAYOUT, "warfarin", "large-print"),
    (REPO, "secondary-liver-cancer-in-brief.cy", "bilingual"),  # rows are tables cut by page breaks
]


def _drawn(path: Path) -> list[bytes]:
    """Every page's drawing, as parsed operators, its links (where, and to what), and the structure
    tree's roles, text and languages."""
    with pikepdf.open(path) as pdf:
        pages = [_drawing(page) for page in pdf.pages]
        links = [repr([_link(annotation) for annotation in page.obj.get("/Annots", [])]).encode() for page in pdf.pages]
        tree = pdf.Root.get("/StructTreeRoot")  # a print-only booklet has none
        return [*pages, *links, repr(_structure(tree)).encode()]


def _drawing(page: pikepdf.Page) -> bytes:
    """A page's operators, then those of each form it draws (an imposed booklet draws its pages so)."""
    drawings = [pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page))]
    forms = page.obj.get("/Resources", {}).get("/XObject", {})
    for name in sorted(forms.keys()):
        if forms[name].get("/Subtype") == "/Form":
            drawings.append(name.encode() + pikepdf.unparse_content_stream(pikepdf.parse_content_stream(forms[name])))
    return b"\n".join(drawings)


def _link(annotation: Any) -> tuple[str, list[int], str, str]:
    action = annotation.get("/A")
    return (
        str(annotation.get("/Subtype")),
        [round(float(number)) for number in annotation.get("/Rect", [])],
        repr(annotation.get("/Dest")),
        repr(action.get("/URI") if action is not None else None),
    )


def _structure(node: Any) -> list[Any]:
    if not isinstance(node, pikepdf.Dictionary):
        return [repr(node)]
    kids = node.get("/K")
    children = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
    fields = [str(node.get(key, "")) for key in ("/S", "/Alt", "/Lang", "/ActualText")]
    return [fields, [_structure(child) for child in children]]


def _whole(self: relayout.PageReuse, first_changed_page: int, render: Any, *_: Any) -> Any:
    return render()


def _own_styles(self: relayout.PageReuse, original: Any, html: Any, *args: Any, **kwargs: Any) -> Any:
    return original(html, *args, **kwargs)


def _made_afresh(patch: pytest.MonkeyPatch) -> None:
    """The reference: every layout made whole, every style computed anew."""
    patch.setattr(relayout.PageReuse, "render_from", _whole)
    patch.setattr(relayout.PageReuse, "_computed_styles", _own_styles)


@contextmanager
def _counted() -> Iterator[list[relayout.PageReuse]]:
    """Every PageReuse the builds open, to count the pages they reused."""
    opened: list[relayout.PageReuse] = []
    original = relayout.reusing_pages

    @contextmanager
    def reusing_pages() -> Iterator[relayout.PageReuse]:
        with original() as reuse:
            opened.append(reuse)
            yield reuse

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("leafpress.compat.reusing_pages", reusing_pages)
        yield opened


@pytest.mark.parametrize(("project", "leaflet", "fmt"), CASES, ids=[f"{c[1]}-{c[2]}" for c in CASES])
def test_layout_made_again_from_a_changed_page_is_the_whole_layout(
    project: Path, leaflet: str, fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = open_project(project)
    source = project / "leaflets" / f"{leaflet}.yaml"
    with _counted() as reuses:
        reused = build_leaflet(source, opened, tmp_path / "reused", fmt)
    assert reused.ok and reused.output, [error.render() for error in reused.errors]
    assert sum(reuse.reused_pages for reuse in reuses) > 0, "no page was reused: the test proves nothing"
    assert sum(reuse.reused_styles for reuse in reuses) > 0, "no style was reused: the test proves nothing"

    _made_afresh(monkeypatch)
    made_whole = build_leaflet(source, opened, tmp_path / "whole", fmt)
    assert made_whole.ok and made_whole.output
    assert _drawn(reused.output) == _drawn(made_whole.output)


def _restyled_examples(tmp_path: Path, css: str) -> Path:
    """A copy of the example project with ``css`` added as the project's last stylesheet."""
    project = tmp_path / "project"
    for name in ("leaflets", "assets", "styles"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "leafpress.yaml", project)
    (project / "styles" / "zz-restyle.css").write_text(css, encoding="utf-8")
    return project


def test_earlier_pages_are_laid_out_again_when_an_edit_restyles_them(tmp_path: Path) -> None:
    """A project style can react to a page-break change anywhere (``:has()``): the pages it restyles
    are then laid out again, not reused with their old look."""
    # The title on the first page turns red once a box lets itself split or a heading is repeated,
    # and is underlined once a block is moved to a new page (the end matter's closing block).
    project = _restyled_examples(
        tmp_path,
        "body:has(.may-split) h1, body:has(.continued) h1 { color: rgb(170, 0, 0); }\n"
        "body:has(.starts-page) h1 { text-decoration: underline; }\n",
    )
    source = project / "leaflets" / "secondary-liver-cancer.yaml"
    opened = open_project(project)
    with _counted() as reuses:
        reused = build_leaflet(source, opened, tmp_path / "reused", "standard")
    assert reused.ok and reused.output, [error.render() for error in reused.errors]
    assert reuses and all(reuse.reused_pages == 0 for reuse in reuses)
    with pytest.MonkeyPatch.context() as patch:
        _made_afresh(patch)
        made_whole = build_leaflet(source, opened, tmp_path / "whole", "standard")
    assert made_whole.output is not None
    drawn = _drawn(reused.output)
    assert drawn == _drawn(made_whole.output)
    assert b"0.666667 0 0 rg" in drawn[0], "the title is red: the restyled first page was drawn again"


def test_styles_taken_from_the_earlier_layout_are_those_a_new_cascade_gives(tmp_path: Path) -> None:
    """A new layout takes an element's style from the earlier one only when the same declarations won
    its cascade and its parent's style was taken too. Project styles that react to the edits (a
    sibling after a repeated heading, items renumbered by a list cut in two), and styles WeasyPrint
    changes as it lays them out (the body's overflow, a table's margins moved to its wrapper, a
    first letter, list markers), still give the drawing of a layout made afresh."""
    project = _restyled_examples(
        tmp_path,
        "body { overflow: hidden; }\n"
        "table { margin: 4mm 2mm; }\n"
        ".continued + p { font-style: italic; }\n"
        "li:nth-child(2n) { color: rgb(0, 80, 160); }\n"
        "li::marker { color: rgb(160, 0, 80); }\n"
        "section p::first-letter { font-weight: bold; }\n",
    )
    opened = open_project(project)
    for leaflet, fmt in (("secondary-liver-cancer", "standard"), ("secondary-cancer", "large-print")):
        source = project / "leaflets" / f"{leaflet}.yaml"
        with _counted() as reuses:
            reused = build_leaflet(source, opened, tmp_path / "reused", fmt)
        assert reused.ok and reused.output, [error.render() for error in reused.errors]
        assert sum(reuse.reused_styles for reuse in reuses) > 0, "no style was reused: the test proves nothing"
        with pytest.MonkeyPatch.context() as patch:
            _made_afresh(patch)
            made_whole = build_leaflet(source, opened, tmp_path / "whole", fmt)
        assert made_whole.output is not None
        assert _drawn(reused.output) == _drawn(made_whole.output), (leaflet, fmt)


def test_a_notes_area_with_no_room_is_taken_out_keeping_the_pages_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The leaflet laid out with a Notes area that finds no room on its last page: the area is taken
    out of that layout, and only its page is laid out again — the same PDF as laying the leaflet out
    afresh without it, for far fewer pages made."""
    from leafpress.render.layouts import Layouts

    opened = open_project(REPO)
    source = REPO / "leaflets" / "secondary-cancer.yaml"  # its area does not fit on its last page
    with _counted() as reuses:
        kept = build_leaflet(source, opened, tmp_path / "kept", "standard")
    assert kept.ok and kept.output, [error.render() for error in kept.errors]

    def afresh(self: Layouts, laid_out: Any, css_class: str, html: str) -> Any:
        return self(html)  # the reference: the leaflet laid out again from its HTML without the area

    monkeypatch.setattr(Layouts, "without", afresh)
    with _counted() as fresh_reuses:
        fresh = build_leaflet(source, opened, tmp_path / "fresh", "standard")
    assert fresh.output is not None
    assert _drawn(kept.output) == _drawn(fresh.output)
    made = sum(reuse.made_pages for reuse in reuses)
    made_afresh = sum(reuse.made_pages for reuse in fresh_reuses)
    assert made < made_afresh - len(_drawn(kept.output)) + 1, (made, made_afresh)
    with pikepdf.open(kept.output) as pdf:
        last = str(len(pdf.pages))
    last_page = subprocess.run(
        ["pdftotext", "-f", last, "-l", last, str(kept.output), "-"], capture_output=True, text=True
    )
    assert last_page.stdout.strip() and "Notes" not in last_page.stdout


def test_pages_with_pictures_are_reused(tmp_path: Path) -> None:
    """A picture's size travels in a custom property (``--natural-width``) whose tokens each cascade
    makes anew: equal values must still count as the same style, or no page with a picture is reused."""
    opened = open_project(REPO)
    with _counted() as reuses:
        result = build_leaflet(REPO / "leaflets" / "secondary-cancer.yaml", opened, tmp_path, "standard")
    assert result.ok, [error.render() for error in result.errors]
    assert sum(reuse.reused_pages for reuse in reuses) >= sum(reuse.made_pages for reuse in reuses) // 3


@pytest.mark.parametrize(
    "leaflet", ["secondary-liver-cancer-in-brief.cy.yaml", "secondary-liver-cancer-in-brief.pl.yaml"]
)
def test_a_booklets_notes_pages_are_added_keeping_the_pages_before_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, leaflet: str
) -> None:
    """A booklet padded to a multiple of four pages gets its Notes pages (and the Notes area on the
    page before them) added to the layout it has: the pages before the back cover are kept, and the
    PDF is the one laying the padded leaflet out afresh gives."""
    from leafpress.render.layouts import Layouts

    opened = open_project(REPO)
    source = REPO / "leaflets" / leaflet
    with _counted() as reuses:
        kept = build_leaflet(source, opened, tmp_path / "kept", "booklet")
    assert kept.ok and kept.output, [error.render() for error in kept.errors]

    def afresh(self: Layouts, laid_out: Any, marker: str, fragment: str, html: str) -> Any:
        return self(html)  # the reference: the padded leaflet laid out from its HTML

    monkeypatch.setattr(Layouts, "insert", afresh)
    with _counted() as fresh_reuses:
        fresh = build_leaflet(source, opened, tmp_path / "fresh", "booklet")
    assert fresh.output is not None
    assert _drawn(kept.output) == _drawn(fresh.output)
    text = subprocess.run(["pdftotext", str(kept.output), "-"], capture_output=True, text=True).stdout
    assert "Notes" in text or "Nodiadau" in text or "Notatki" in text
    assert sum(reuse.made_pages for reuse in reuses) < sum(reuse.made_pages for reuse in fresh_reuses)


def test_pages_after_a_change_are_reused_once_the_new_layout_reaches_a_break_the_earlier_one_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a page-break change, the new layout catches the earlier one up: once a page ends where
    it ended before (same place in the content, same counters), the pages after it are the earlier
    ones — found by element in the edited tree, as a repeated heading shifts the boxes' indexes.
    The PDF is the one a whole layout gives."""
    opened = open_project(REPO)
    source = REPO / "leaflets" / "secondary-cancer.yaml"  # changes on its second page, then later ones
    with _counted() as reuses:
        caught_up = build_leaflet(source, opened, tmp_path / "caught-up", "large-print")
    assert caught_up.ok and caught_up.output, [error.render() for error in caught_up.errors]
    assert sum(reuse.caught_up_pages for reuse in reuses) >= 5

    _made_afresh(monkeypatch)
    made_whole = build_leaflet(source, opened, tmp_path / "whole", "large-print")
    assert made_whole.output is not None
    assert _drawn(caught_up.output) == _drawn(made_whole.output)


@pytest.mark.parametrize("fmt", ["large-print", "booklet"])
def test_pages_after_several_changes_in_one_pass_are_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """One pass can change several page breaks (a box let split here, a details list cut there):
    no page up to the last of them is taken from the earlier layout, whose boxes show the tree as it
    was (a details list whose rows have since moved: the build failed, and a booklet lost its pages)."""
    from tests.test_fill_measure import _tall_box_leaflet

    project = tmp_path / "project"
    shutil.copytree(LAYOUT, project)
    for other in (project / "leaflets").glob("*.yaml"):
        other.unlink()
    source = project / "leaflets" / "active.yaml"
    source.write_text(_tall_box_leaflet(), encoding="utf-8")
    opened = open_project(project)
    caught_up = build_leaflet(source, opened, tmp_path / "caught-up", fmt)
    assert caught_up.ok and caught_up.output, [error.render() for error in caught_up.errors]

    _made_afresh(monkeypatch)
    made_whole = build_leaflet(source, opened, tmp_path / "whole", fmt)
    assert made_whole.output is not None
    assert _drawn(caught_up.output) == _drawn(made_whole.output)
