"""One link in the text is one Link element, however many lines it wraps onto."""

from __future__ import annotations

from pathlib import Path

import pikepdf

from leafpress.pdf.conformance import validate_pdfua
from tests.conftest import run_cli, write

URL = "https://www.nhs.uk/conditions/secondary-liver-cancer/treatment-options/"
LEAFLET = f"""\
title: Finding help online
code: TST-LN
summary:
  - You can read more on the web.
sections:
  - heading: More to read
    body: |
      There is plenty of clear and trusted advice about looking after yourself on the
      [National Health Service website about secondary liver cancer and its treatment]({URL}) for you.

      Or ask at the [hospital library](https://library.example.org/).
review:
  last_reviewed: 2025-03-12
"""


def _links(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, bool]]:
    """Every Link element, and whether it sits inside another Link."""
    found, stack = [], [(pdf.Root.StructTreeRoot, False)]
    while stack:
        element, in_link = stack.pop()
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                if kid.S == "/Link":
                    found.append((kid, in_link))
                stack.append((kid, in_link or kid.S == "/Link"))
    return found


def test_a_wrapped_link_and_its_printed_address_are_one_link_element(tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "ln.yaml", LEAFLET)
    result = run_cli("build", "leaflets/ln.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "output" / "ln.pdf").read_bytes()
    with pikepdf.open(tmp_path / "output" / "ln.pdf") as pdf:
        links = _links(pdf)
        assert not any(nested for _, nested in links)
        targets = []
        for link, _ in links:
            uris = {str(kid.Obj.A.URI) for kid in link.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid}
            assert len(uris) == 1
            targets.append(uris.pop())
        assert sorted(targets) == sorted([URL, "https://library.example.org/"])
        # The long link wraps: its one element holds an annotation per line, each pointing back to it.
        long_link = next(link for link, _ in links if str(next(iter(link.K)).Obj.A.URI) == URL)
        annotations = [kid.Obj for kid in long_link.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid]
        assert len(annotations) > 1
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        assert all(parents[int(a.StructParent)].objgen == long_link.objgen for a in annotations)
    assert validate_pdfua(data).compliant


def test_bold_or_italic_words_inside_a_link_leave_every_annotation_directly_under_its_link(tmp_path: Path) -> None:
    # WeasyPrint gives <strong> and <i> inside <a> annotations of their own, under their own elements;
    # a Harvard citation of three or more authors reads "Smith et al., 2020" with "et al." in italics.
    write(tmp_path / "leafpress.yaml", "language: en-GB\nreferences:\n  style: harvard\n")
    leaflet = f"""\
title: Links with emphasis
summary:
  - Help is there when you need it.
sections:
  - heading: Getting help
    body: |
      If you are worried, [call **NHS 111** or go *online*]({URL}) at any time of day or night.
      Most people feel better within a week [@trial].
references:
  - key: trial
    type: article
    authors: [Smith J, Jones K, Brown L]
    title: Recovery at home
    journal: Journal of Home Care
    year: 2020
review:
  last_reviewed: 2025-03-12
"""
    write(tmp_path / "leaflets" / "em.yaml", leaflet)
    result = run_cli("build", "leaflets/em.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "not PDF/UA-1 compliant" not in result.stderr
    data = (tmp_path / "output" / "em.pdf").read_bytes()
    with pikepdf.open(tmp_path / "output" / "em.pdf") as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", []) if a.Subtype == "/Link"]
        assert len(annotations) >= 4  # the link and its bold and italic parts, the citation and its "et al."
        for annotation in annotations:
            link = parents[int(annotation.StructParent)]
            assert link.S == "/Link"
            assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Obj") == annotation for kid in link.K)
        # One Link element for the web link, however many parts it has.
        web = [
            link
            for link, _ in _links(pdf)
            if any(
                str(k.Obj.get("/A", {}).get("/URI", "")) == URL
                for k in link.K
                if isinstance(k, pikepdf.Dictionary) and "/Obj" in k
            )
        ]
        assert len(web) == 1
    assert validate_pdfua(data).compliant
