"""The text layer read by pdftotext in its own process, beside other work, from a real PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from weasyprint import HTML

from leafpress.pdf.findings import measure_pdf
from leafpress.pdf.text_layer import TextLayer, pdf_text, pdf_words


@pytest.fixture(scope="module")
def pdf() -> bytes:
    html = "<html lang='en'><body><h1>Looking after your liver</h1><p>Call 999 if your skin turns yellow.</p>"
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def test_the_text_read_beside_other_work_is_the_text_read_alone(pdf: bytes) -> None:
    with TextLayer(pdf) as layer:
        measured = measure_pdf(pdf, 6)  # starts its own pdftotext meanwhile
        text = layer.text()
    assert text == pdf_text(pdf)
    assert "Looking after your liver" in text
    assert set(measured.words) == pdf_words(pdf) >= {"liver", "yellow", "999", "skin"}


def test_leaving_before_the_text_is_taken_ends_the_process_and_removes_the_copy(pdf: bytes) -> None:
    with TextLayer(pdf) as layer:
        folder = Path(layer._folder.name)
        assert (folder / "leaflet.pdf").read_bytes() == pdf
    assert layer._process.returncode is not None  # ended and waited for: no process left behind
    assert not folder.exists()


def test_an_unreadable_file_gives_no_words_rather_than_an_error() -> None:
    with TextLayer(b"%PDF-1.7 not really a PDF") as layer:
        assert layer.words() == set()
