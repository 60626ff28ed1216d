"""The epub format: real EPUBs from the example leaflets, checked by epubcheck and read back."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

EPUBCHECK = Path("/usr/share/java/epubcheck.jar")
EXAMPLES = ["secondary-liver-cancer.yaml", "secondary-liver-cancer-in-brief.cy.yaml"]
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(scope="module")
def built(examples_built: Path) -> Path:
    """The output folder of the examples' build from the checkout (tests/conftest.py), epub among its formats."""
    return examples_built


@pytest.mark.parametrize("name", EXAMPLES)
def test_epubcheck_passes(built: Path, name: str) -> None:
    epub = built / name.replace(".yaml", ".epub")
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(epub)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout and "0 fatals" in result.stdout


def test_package_has_language_navigation_and_accessibility_metadata(built: Path) -> None:
    with zipfile.ZipFile(built / "secondary-liver-cancer.epub") as epub:
        assert epub.namelist()[0] == "mimetype" and epub.read("mimetype") == b"application/epub+zip"
        opf = etree.fromstring(epub.read("EPUB/package.opf"))
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        content = etree.fromstring(epub.read("EPUB/leaflet.xhtml"))
        pictures = [(img.get("src"), img.get("alt")) for img in content.iter(f"{{{NS['x']}}}img")]
        for src, _ in pictures:
            assert epub.read(f"EPUB/{src}")  # every picture is packaged
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "en-GB"
    properties = [(m.get("property"), m.text) for m in opf.iterfind("opf:metadata/opf:meta", NS)]
    assert ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA") in properties
    names = {name for name, _ in properties}
    assert {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilitySummary"} <= names
    assert ("schema:accessibilityFeature", "alternativeText") in properties
    links = [a.text for a in nav.iter(f"{{{NS['x']}}}a")]
    headings = ["".join(h.itertext()).strip() for h in content.iter(f"{{{NS['x']}}}h2")]
    assert links[1:] == headings and "About this information" in links
    assert content.get("lang") == "en-GB"
    assert pictures and all(alt is not None for _, alt in pictures)
    assert any(alt for _, alt in pictures)
    assert all(not src.startswith(("file:", "data:")) for src, _ in pictures)


def test_welsh_book_is_in_welsh(built: Path) -> None:
    with zipfile.ZipFile(built / "secondary-liver-cancer-in-brief.cy.epub") as epub:
        opf = etree.fromstring(epub.read("EPUB/package.opf"))
        content = etree.fromstring(epub.read("EPUB/leaflet.xhtml"))
    assert opf.findtext("opf:metadata/dc:language", namespaces=NS) == "cy"
    assert content.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
