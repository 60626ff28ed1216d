"""Page images for the preview: drawn from the PDF, and a page that did not change keeps its image."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from weasyprint import HTML

from leafpress.preview.page_images import page_images

PAGE_BREAK = '<p style="break-before: page">'


def pdf(first: str, second: str) -> bytes:
    return HTML(string=f"<h1>{first}</h1>{PAGE_BREAK}{second}</p>").write_pdf()


def test_each_pdf_page_becomes_a_png_of_its_size() -> None:
    images = page_images(pdf("One", "Two"))
    assert len(images) == 2
    picture = Image.open(io.BytesIO(images[0].png))
    assert picture.format == "PNG" and (picture.width, picture.height) == (images[0].width, images[0].height)
    assert abs(picture.height / picture.width - 841.89 / 595.28) < 0.01  # A4, WeasyPrint's default
    assert picture.convert("L").getextrema()[0] < 80  # the heading is drawn


def test_an_unchanged_page_keeps_its_image_and_a_changed_one_is_redrawn() -> None:
    before = page_images(pdf("Same first page", "Old second page"))
    after = page_images(pdf("Same first page", "New second page"), previous=before)
    assert after[0] is before[0]
    assert after[1].digest != before[1].digest and after[1].png != before[1].png


def test_a_preview_build_scores_its_proof_as_the_readability_report_does(project: Path) -> None:
    # The proof is scored on its own thread while the pages are drawn: the same report, and
    # nothing of one build still running when the next starts.
    from leafpress.checks.readability import readability_report
    from leafpress.preview.builds import Builder
    from leafpress.source.project import open_project

    builder = Builder(project)
    try:
        first = builder.build("liver.yaml", "standard")
        assert first.ok and first.pages and first.report is not None
        alone = readability_report(project / "leaflets" / "liver.yaml", open_project(project))
        assert first.report.to_json("liver") == alone.to_json("liver")
        source = project / "leaflets" / "liver.yaml"
        source.write_text(source.read_text(encoding="utf-8").replace("stores energy", "keeps energy"), encoding="utf-8")
        second = builder.build("liver.yaml", "standard", first)
        assert second.report is not None
        edited = readability_report(source, open_project(project)).to_json("liver")
        assert second.report.to_json("liver") == edited != alone.to_json("liver")  # the edited text was scored
        source.write_text("title: [unclosed\n", encoding="utf-8")
        broken = builder.build("liver.yaml", "standard", second)
        assert not broken.ok and broken.report is None and broken.errors
    finally:
        builder.close()
