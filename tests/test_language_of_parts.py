"""Language of parts (WCAG 3.1.2): whatever stays in English in a leaflet in another language is
tagged as English, in the HTML and in the PDF's structure, so a Welsh or Hindi voice does not read it.

Leaflets in eight languages are built: the Welsh, Polish and Arabic examples (whose references are
English sources) and the Bengali, Hindi, Tamil, Urdu and Chinese test leaflets (Hindi and Tamil
have no labels catalogue, so their headings such as "Key points" stay English).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from leafpress.enrich.document import LABELS
from leafpress.source.load import load_yaml
from tests.conftest import REPO, languages_in_structure, made_once, run_cli, write

EXAMPLES = {
    "cy": "secondary-liver-cancer-in-brief.cy",
    "pl": "secondary-liver-cancer-in-brief.pl",
    "ar": "secondary-liver-cancer-in-brief.ar",
}
SCRIPTS = ["bn", "hi", "ta", "ur", "zh-Hans"]
CONFIG = """\
language: en-GB
organisation:
  name: Northway Cancer Support
  address: 12 Harbour Street, Northway NW1 4AB
  feedback: Tell us what you think of this leaflet.
"""
ENGLISH_LABELS = {text.rstrip(":").strip() for text in LABELS.values() if "{" not in text}


def build_parts(root: Path) -> None:
    """The examples in Welsh, Polish and Arabic and the test leaflets in SCRIPTS (as <tag>.yaml),
    built in standard and html in the project ``root`` (tests/test_scripts.py reads them too)."""
    write(root / "leafpress.yaml", CONFIG)
    shutil.copytree(REPO / "leaflets" / "images", root / "leaflets" / "images")
    shutil.copy(REPO / "leaflets" / "secondary-liver-cancer-in-brief.yaml", root / "leaflets")
    for stem in EXAMPLES.values():
        shutil.copy(REPO / "leaflets" / f"{stem}.yaml", root / "leaflets")
    for tag in SCRIPTS:
        shutil.copy(REPO / "tests" / "data" / "scripts" / f"liver.{tag}.yaml", root / "leaflets" / f"{tag}.yaml")
    stems = [*EXAMPLES.values(), *SCRIPTS]
    files = [f"leaflets/{stem}.yaml" for stem in stems]
    result = run_cli("build", *files, "--format", "standard", "--format", "html", cwd=root)
    assert result.returncode == 0, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return made_once(tmp_path_factory, "parts", build_parts, parallel=True)


def _stem(tag: str) -> str:
    return EXAMPLES.get(tag, tag)


def _language_of(element: lxml.html.HtmlElement) -> str:
    node: lxml.html.HtmlElement | None = element
    while node is not None:
        if node.get("lang"):
            return node.get("lang")
        node = node.getparent()
    return ""


def _english_texts(tag: str, built: Path) -> set[str]:
    """English words this leaflet prints as they are: labels, organisation details, reference titles."""
    texts = set(ENGLISH_LABELS) | {"Northway Cancer Support", "12 Harbour Street, Northway NW1 4AB"}
    data = load_yaml(built / "leaflets" / f"{_stem(tag)}.yaml").data
    texts |= {reference["title"] for reference in data.get("references", [])}
    return texts


@pytest.mark.parametrize("tag", [*EXAMPLES, *SCRIPTS])
def test_english_left_in_a_leaflet_in_another_language_is_tagged_english_in_html(built: Path, tag: str) -> None:
    page = lxml.html.fromstring((built / "output" / f"{_stem(tag)}.html").read_bytes())
    assert page.get("lang", "").split("-")[0] == tag.split("-")[0]
    english = _english_texts(tag, built)
    found = []
    for element in page.body.iter():
        own_text = (element.text or "").strip().rstrip(":").strip()
        if own_text in english and not len(element):
            found.append(own_text)
            assert _language_of(element).startswith("en"), f"{own_text!r} in <{element.tag}> is not tagged English"
    assert found, "no English passage found: the test would prove nothing"


def test_labels_that_a_catalogue_translates_are_not_tagged_english(built: Path) -> None:
    page = lxml.html.fromstring((built / "output" / f"{EXAMPLES['cy']}.html").read_bytes())
    (heading,) = page.xpath('//h2[@id="references-heading"]')
    assert heading.text_content() == "Cyfeiriadau" and heading.get("lang") is None


def _english_elements(pdf: Path) -> list[str]:
    """The structure types of the elements marked /Lang en-…, in the tree's order."""
    return [kind for kind, language in languages_in_structure(pdf) if language.startswith("en")]


@pytest.mark.parametrize("tag", ["hi", "ta"])
def test_english_headings_of_a_leaflet_with_no_catalogue_carry_lang_en_in_the_pdf(built: Path, tag: str) -> None:
    with pikepdf.open(built / "output" / f"{tag}.pdf") as pdf:
        assert str(pdf.Root.Lang) == tag
    english = _english_elements(built / "output" / f"{tag}.pdf")
    assert "/H2" in english  # "Key points"


@pytest.mark.parametrize("tag", list(EXAMPLES))
def test_english_reference_titles_carry_lang_en_in_the_pdf(built: Path, tag: str) -> None:
    english = _english_elements(built / "output" / f"{_stem(tag)}.pdf")
    titles = len(load_yaml(built / "leaflets" / f"{_stem(tag)}.yaml").data["references"])
    assert english.count("/Span") >= titles


def test_every_languages_html_page_passes_axe_and_reflows_at_320px(built: Path) -> None:
    from leafpress.checks.html_page import REFLOW_WIDTH, check_html_pages

    tags = [*EXAMPLES, *SCRIPTS]
    verdicts = check_html_pages([built / "output" / f"{_stem(tag)}.html" for tag in tags], REPO)
    if not verdicts[0].checked:
        pytest.skip(verdicts[0].problems[0])  # no browser or axe-core here: `make test` installs them
    for tag, verdict in zip(tags, verdicts, strict=True):
        assert verdict.checked and verdict.violations == [], (tag, verdict.problems)
        assert verdict.width_at_320 is not None and verdict.width_at_320 <= REFLOW_WIDTH, (tag, verdict.problems)
