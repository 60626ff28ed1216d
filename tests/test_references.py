"""References: each type validated and formatted (Vancouver, Harvard), cited by key, linked both ways."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from leafpress.enrich.references import csl_locale, csl_name
from leafpress.pdf.text_layer import pdf_text as text_layer
from tests.conftest import made_once, run_cli, write
from tests.test_build import pdf_text

LEAFLET = """\
title: Living with liver metastases
code: REF-001
version: "1.0"
summary:
  - Treatment can help [@nice-ablation].
sections:
  - heading: About it
    body: |
      Cancer can spread to the liver [@martin-2020].
      Many cancers do this [@devita-2023; @martin-2020].

      Read more online [@griscom-2023], and in the yearly report [@cruk-2020].
references:
  - key: devita-2023
    type: book
    authors: [DeVita VT, Lawrence TS, Rosenberg SA]
    title: "Cancer: Principles and Practice of Oncology"
    edition: 12
    publisher: Wolters Kluwer
    place: Philadelphia
    year: 2023
  - key: martin-2020
    type: article
    authors: [Martin J, Petrillo A, Smyth EC]
    title: "Colorectal liver metastases: current management and future perspectives"
    journal: World Journal of Clinical Oncology
    year: 2020
    volume: 11
    issue: 10
    pages: 761-808
    doi: 10.5306/wjco.v11.i10.761
    pmid: 33200074
  - key: nice-ablation
    type: guideline
    organisation: National Institute for Health and Care Excellence (NICE)
    title: Microwave ablation for treating liver metastases
    year: 2016
    url: https://www.nice.org.uk/guidance/ipg553
    accessed: 2023-07-01
  - key: griscom-2023
    type: web
    authors: [Griscom J, Wolf P]
    title: Liver Metastasis
    publisher: StatPearls Publishing
    year: 2023
    url: https://www.ncbi.nlm.nih.gov/books/NBK553118/
    accessed: 2024-02-29
  - key: cruk-2020
    type: report
    organisation: Cancer Research UK
    title: Cancer in the UK 2020
    publisher: Cancer Research UK
    place: London
    year: 2020
approved_by:
  name: Dr Ann Lee
  date: 2024-03-20
review:
  last_reviewed: 2024-03-15
"""

# In order of first citation: the key point cites NICE first, then the body.
VANCOUVER = [
    "1. National Institute for Health and Care Excellence (NICE). Microwave ablation for treating liver "
    "metastases [Internet]. 2016. [Accessed 1 July 2023]. Available from: https://www.nice.org.uk/guidance/ipg553",
    "2. Martin J, Petrillo A, Smyth EC. Colorectal liver metastases: current management and future perspectives. "
    "World Journal of Clinical Oncology. 2020;11(10):761–808. doi:10.5306/wjco.v11.i10.761 PMID: 33200074",
    "3. DeVita VT, Lawrence TS, Rosenberg SA. Cancer: Principles and Practice of Oncology. 12th ed. "
    "Philadelphia: Wolters Kluwer; 2023.",
    "4. Griscom J, Wolf P. Liver Metastasis [Internet]. StatPearls Publishing; 2023. [Accessed 29 February 2024]. "
    "Available from: https://www.ncbi.nlm.nih.gov/books/NBK553118/",
    "5. Cancer Research UK. Cancer in the UK 2020. London: Cancer Research UK; 2020.",
]


def flat(text: str) -> str:
    # pdftotext breaks lines inside long URLs (after a "/", or a "." before more of the address);
    # join them back.
    joined = re.sub(r"(?<=[/-]) (?=[\w.])", "", " ".join(text.split()))
    return re.sub(r"(https?://\S*\.) (?=[a-z0-9])", r"\1", joined)


def build(root: Path, leaflet: str = LEAFLET, config: str = "") -> tuple[int, str, Path]:
    if config:
        write(root / "leafpress.yaml", config)
    write(root / "leaflets" / "refs.yaml", leaflet)
    result = run_cli("build", "leaflets/refs.yaml", cwd=root)
    return result.returncode, result.stderr, root / "output" / "refs.pdf"


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, config: str = "") -> tuple[str, Path]:
    """The example leaflet built once for the whole run: what the build printed, and the PDF."""

    def make(root: Path) -> None:
        code, stderr, _ = build(root, config=config)
        assert code == 0, stderr
        (root / "build.log").write_text(stderr, encoding="utf-8")

    root = made_once(tmp_path_factory, name, make)
    return (root / "build.log").read_text(encoding="utf-8"), root / "output" / "refs.pdf"


@pytest.fixture(scope="module")
def vancouver(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return built_once(tmp_path_factory, "vancouver")


@pytest.fixture(scope="module")
def harvard(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    return built_once(tmp_path_factory, "harvard", config="references:\n  style: harvard\n")


def link_annotations(pdf: Path) -> list[tuple[int, str]]:
    """(page number, target) of every link: '#name' for internal ones, the URI for the rest."""
    links = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annotation:
                links.append((number, f"#{annotation['/Dest']}"))
            elif "/A" in annotation and "/URI" in annotation["/A"]:
                links.append((number, str(annotation["/A"]["/URI"])))
            elif "/A" in annotation and "/D" in annotation["/A"]:
                links.append((number, f"#{annotation['/A']['/D']}"))
    return links


def test_every_type_prints_in_vancouver_numbered_by_first_citation(vancouver: tuple[str, Path]) -> None:
    text = flat(pdf_text(vancouver[1]))
    positions = []
    for entry in VANCOUVER:
        assert entry in text
        positions.append(text.index(entry))
    assert positions == sorted(positions)


def test_vancouver_citations_are_numbers_linked_to_their_entries(vancouver: tuple[str, Path]) -> None:
    text = flat(pdf_text(vancouver[1]))
    assert "Treatment can help [1]." in text
    assert "Cancer can spread to the liver [2]." in text
    assert "Many cancers do this [2, 3]." in text
    assert "Read more online [4], and in the yearly report [5]." in text
    links = link_annotations(vancouver[1])
    internal = [target for _, target in links if target.startswith("#ref-")]
    assert internal == ["#ref-1", "#ref-2", "#ref-2", "#ref-3", "#ref-4", "#ref-5"]
    # Each anchor is a real destination on the page that holds its entry.
    reader = PdfReader(vancouver[1])
    assert {f"ref-{n}" for n in range(1, 6)} <= set(reader.named_destinations)


def test_doi_pmid_and_urls_are_links(vancouver: tuple[str, Path]) -> None:
    targets = {target for _, target in link_annotations(vancouver[1])}
    assert "https://doi.org/10.5306/wjco.v11.i10.761" in targets
    assert "https://pubmed.ncbi.nlm.nih.gov/33200074/" in targets
    assert "https://www.nice.org.uk/guidance/ipg553" in targets
    assert "https://www.ncbi.nlm.nih.gov/books/NBK553118/" in targets


def test_every_reference_cited_means_no_warning(vancouver: tuple[str, Path]) -> None:
    assert "never cited" not in vancouver[0]


def test_references_are_at_least_11pt(vancouver: tuple[str, Path]) -> None:
    with pdfplumber.open(vancouver[1]) as pdf:
        page = next(p for p in pdf.pages if "Cancer in the UK 2020" in (p.extract_text() or ""))
        heading = next(w for w in page.extract_words() if w["text"] == "References")
        sizes = {
            round(c["size"], 1)
            for c in page.chars
            if c["top"] > heading["bottom"] and c["text"].strip() and c["top"] < page.height - 80
        }
    assert sizes and min(sizes) >= 11


def test_every_type_prints_in_harvard_with_author_date_citations(harvard: tuple[str, Path]) -> None:
    text = flat(pdf_text(harvard[1]))
    entries = [
        "Cancer Research UK (2020) Cancer in the UK 2020. London: Cancer Research UK.",
        "DeVita, V.T., Lawrence, T.S. and Rosenberg, S.A. (2023) Cancer: Principles and Practice of Oncology. "
        "12th edn. Philadelphia: Wolters Kluwer.",
        "Griscom, J. and Wolf, P. (2023) Liver Metastasis. StatPearls Publishing. Available at: "
        "https://www.ncbi.nlm.nih.gov/books/NBK553118/ (Accessed: 29 February 2024).",
        "Martin, J., Petrillo, A. and Smyth, E.C. (2020) ‘Colorectal liver metastases: current management and "
        "future perspectives’, World Journal of Clinical Oncology, 11(10), pp. 761–808. Available at: "
        "https://doi.org/10.5306/wjco.v11.i10.761.",
        "National Institute for Health and Care Excellence (NICE) (2016) Microwave ablation for treating liver "
        "metastases. Guideline. Available at: https://www.nice.org.uk/guidance/ipg553 (Accessed: 1 July 2023).",
    ]
    positions = [text.index(entry) for entry in entries]
    assert positions == sorted(positions), "Harvard lists sort by author"
    assert "Cancer can spread to the liver (Martin, Petrillo and Smyth, 2020)." in text
    assert "Many cancers do this (DeVita, Lawrence and Rosenberg, 2023; Martin, Petrillo and Smyth, 2020)." in text
    internal = [target for _, target in link_annotations(harvard[1]) if target.startswith("#ref-")]
    # Six citations; one wrapping over two lines gives two link areas.
    assert len(internal) >= 6 and set(internal) == {f"#ref-{n}" for n in range(1, 6)}
    assert "https://doi.org/10.5306/wjco.v11.i10.761" in {target for _, target in link_annotations(harvard[1])}


def test_unknown_citation_key_is_an_error_at_its_line_and_column(tmp_path: Path) -> None:
    leaflet = LEAFLET.replace(
        "Many cancers do this [@devita-2023; @martin-2020].", "Many cancers do this [@devita-2032; @martin-2020]."
    )
    code, stderr, pdf = build(tmp_path, leaflet)
    assert code == 1
    line = leaflet.splitlines().index("      Many cancers do this [@devita-2032; @martin-2020].") + 1
    assert (
        f"leaflets/refs.yaml:{line}:28: citation of unknown reference key 'devita-2032' — did you mean 'devita-2023'?"
    ) in stderr
    assert not pdf.exists()


def test_unknown_key_in_a_plain_scalar_points_at_its_line(tmp_path: Path) -> None:
    leaflet = LEAFLET.replace("  - Treatment can help [@nice-ablation].", "  - Treatment can help [@nice].")
    code, stderr, _ = build(tmp_path, leaflet)
    assert code == 1
    assert "leaflets/refs.yaml:5:24: citation of unknown reference key 'nice'" in stderr


def test_a_reference_never_cited_is_a_warning(tmp_path: Path) -> None:
    leaflet = LEAFLET.replace(", and in the yearly report [@cruk-2020].", ".")
    code, stderr, pdf = build(tmp_path, leaflet)
    assert code == 0, stderr
    line = leaflet.splitlines().index("  - key: cruk-2020") + 1
    assert f"leaflets/refs.yaml:{line}:5: warning: reference 5 ('Cancer in the UK 2020') is never cited" in stderr
    # Still listed, after the cited ones.
    assert "5. Cancer Research UK. Cancer in the UK 2020." in flat(pdf_text(pdf))


@pytest.mark.parametrize(
    ("remove", "message"),
    [
        ("    year: 2016\n", "a guideline reference needs 'year'"),
        ("    journal: World Journal of Clinical Oncology\n", "a journal article reference needs 'journal'"),
        ("    accessed: 2024-02-29\n", "a web page reference needs 'accessed'"),
        (
            "    url: https://www.ncbi.nlm.nih.gov/books/NBK553118/\n    accessed: 2024-02-29\n",
            "a web page reference needs 'url' and 'accessed'",
        ),
        ("    publisher: Wolters Kluwer\n", "a book reference needs 'publisher'"),
        ("    organisation: Cancer Research UK\n", "a report reference needs 'authors (or organisation)'"),
    ],
)
def test_each_type_is_validated_at_its_line(tmp_path: Path, remove: str, message: str) -> None:
    assert LEAFLET.count(remove) == 1
    leaflet = LEAFLET.replace(remove, "")
    code, stderr, pdf = build(tmp_path, leaflet)
    assert code == 1
    [listed] = [line for line in stderr.splitlines() if message in line]
    reference_line = int(listed.split(":")[1])
    assert leaflet.splitlines()[reference_line - 1].startswith("  - key:")
    assert not pdf.exists()


def test_duplicate_reference_key_is_an_error(tmp_path: Path) -> None:
    leaflet = LEAFLET.replace("  - key: cruk-2020", "  - key: devita-2023")
    code, stderr, _ = build(tmp_path, leaflet)
    assert code == 1
    assert "reference key 'devita-2023' is used twice (first on line 14)" in stderr


def test_bad_doi_and_pmid_are_refused(tmp_path: Path) -> None:
    leaflet = LEAFLET.replace("doi: 10.5306/wjco.v11.i10.761", "doi: https://doi.org/10.5306/x").replace(
        "pmid: 33200074", "pmid: PMC123"
    )
    code, stderr, _ = build(tmp_path, leaflet)
    assert code == 1
    assert "'references[2].doi'" in stderr and "'references[2].pmid'" in stderr


def test_author_names_as_written() -> None:
    assert csl_name("DeVita VT") == {"family": "DeVita", "given": "V T"}
    assert csl_name("Smith, John") == {"family": "Smith", "given": "John"}
    assert csl_name("World Health Organization") == {"literal": "World Health Organization"}


def test_reference_dates_follow_the_leaflet_language(tmp_path: Path) -> None:
    assert csl_locale("en-GB") == "en-GB"
    assert csl_locale("pl") == "pl-PL"
    assert csl_locale("cy") == "cy-GB"
    assert csl_locale("xx-YY") == "en-GB"
    code, stderr, pdf = build(tmp_path, LEAFLET.replace('version: "1.0"', 'version: "1.0"\nlanguage: cy'))
    assert code == 0, stderr
    assert "[Gwelwyd 1 Gorffennaf 2023]" in flat(pdf_text(pdf))


def test_a_custom_end_matter_without_the_list_keeps_citations_as_plain_text(tmp_path: Path) -> None:
    write(tmp_path / "templates" / "end_matter.html.j2", "<p>Our own end matter</p>")
    code, stderr, pdf = build(tmp_path)
    assert code == 0, stderr
    assert "warning: citations are not linked" in stderr
    assert "Cancer can spread to the liver [2]." in flat(pdf_text(pdf))
    assert not [target for _, target in link_annotations(pdf) if target.startswith("#")]


LONG_ADDRESS = (
    "https://www.north-west-liver-support.example/patient-information/living-with-secondary-liver-cancer-at-home"
)


@pytest.mark.parametrize("style", ["vancouver", "harvard"])
def test_a_web_address_in_a_reference_never_breaks_at_its_hyphens(tmp_path: Path, style: str) -> None:
    leaflet = f"""\
title: Living at home
language: en-GB
sections:
  - heading: Help at home
    body: There is help for you at home [@home].
references:
  - key: home
    type: web
    organisation: North-West Liver Support
    title: Living with secondary liver cancer at home
    url: {LONG_ADDRESS}
    accessed: 2025-01-02
review:
  last_reviewed: 2025-03-12
"""
    write(tmp_path / "leaflets" / "home.yaml", leaflet)
    write(tmp_path / "leafpress.yaml", f"references:\n  style: {style}\n")
    for fmt, suffix in (("standard", ".pdf"), ("large-print", ".large-print.pdf")):
        result = run_cli("build", "leaflets/home.yaml", "-f", fmt, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        # As pdftotext reads it by default (screen readers and copy alike): a line broken at a
        # hyphen loses the hyphen ("north-westliver").
        text = text_layer((tmp_path / "output" / f"home{suffix}").read_bytes())
        assert "\n" in text.split("Available", 1)[1].split("Accessed")[0]  # it is long enough to wrap
        assert LONG_ADDRESS in re.sub(r"\s+", "", text)
        assert LONG_ADDRESS in " ".join(link for _, link in link_annotations(tmp_path / "output" / f"home{suffix}"))
