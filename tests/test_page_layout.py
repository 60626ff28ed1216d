"""Pages a designer would sign off, measured on real PDFs of the test leaflets in tests/data/layout.

The leaflets are built once per session in each print format and measured with leafpress's own
layout reader (leafpress.pdf.layout) and pdfplumber.
"""

from __future__ import annotations

import functools
import re
import shutil
import statistics
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from leafpress.pdf.layout import Layout, measure
from tests.conftest import REPO, made_once, run_cli, structure_elements

LAYOUT = REPO / "tests" / "data" / "layout"
LEAFLETS = (
    "colonoscopy",
    "chemotherapy-fatigue",
    "picc-line",
    "lymphoedema",
    "warfarin",
    "home-oxygen",
    "hip-replacement",  # a new user's leaflet: a box, lists, a table, references
)
A4_FORMATS = {"standard": ".pdf", "large-print": ".large-print.pdf"}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder: every test leaflet in standard, large print and booklet, and the PICC line bilingual."""

    def make(root: Path) -> None:
        shutil.copytree(LAYOUT, root, dirs_exist_ok=True)
        formats = ("standard", "large-print", "bilingual", "booklet")
        result = run_cli(*(arg for name in formats for arg in ("--format", name)), cwd=root)
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "layout", make, parallel=True) / "output"


def _pdf(built: Path, leaflet: str, suffix: str) -> Path:
    path = built / f"{leaflet}{suffix}"
    assert path.exists(), sorted(p.name for p in built.iterdir())
    return path


def _file_version(path: Path) -> tuple[Path, int, int]:
    """What the readings below are cached on: a file written again is read again."""
    stat = path.stat()
    return path, stat.st_mtime_ns, stat.st_size


# Several tests read the same built PDF: each is read once per test worker (pdfplumber is slow).
def _page_lines(path: Path) -> list[list[str]]:
    """Each page's lines of text, top to bottom."""
    return [list(lines) for lines in _read_page_lines(_file_version(path))]


@functools.cache
def _read_page_lines(version: tuple[Path, int, int]) -> tuple[tuple[str, ...], ...]:
    with pdfplumber.open(version[0]) as document:
        return tuple(
            tuple(line.strip() for line in (page.extract_text() or "").splitlines() if line.strip())
            for page in document.pages
        )


def _measure(path: Path) -> Layout:
    return _read_measure(_file_version(path))


@functools.cache
def _read_measure(version: tuple[Path, int, int]) -> Layout:
    return measure(version[0].read_bytes())


ALL_PDFS = [(leaflet, suffix) for leaflet in LEAFLETS for suffix in A4_FORMATS.values()] + [
    ("picc-line", ".bilingual.pdf")
]


@pytest.mark.parametrize(("leaflet", "suffix"), ALL_PDFS)
def test_nothing_is_drawn_near_the_paper_edge(built: Path, leaflet: str, suffix: str) -> None:
    layout = _measure(_pdf(built, leaflet, suffix))
    assert layout.nearest_edge_mm is not None and layout.nearest_edge_mm >= 10, layout.to_json()
    assert not [p for p in layout.problems if p.rule in ("off-page", "edge", "blank")], layout.to_json()


@pytest.mark.parametrize(("leaflet", "suffix"), ALL_PDFS)
def test_the_last_page_is_never_a_stub(built: Path, leaflet: str, suffix: str) -> None:
    """At least 40% of the last page is used: the end matter, or a designed Notes area after it."""
    layout = _measure(_pdf(built, leaflet, suffix))
    assert layout.fill[-1] >= 0.40, layout.to_json()


def test_a_notes_area_fills_the_room_left_and_can_be_switched_off(built: Path, tmp_path: Path) -> None:
    filled = _page_lines(_pdf(built, "picc-line", ".large-print.pdf"))
    assert "Notes" in filled[-1] and "Questions to ask your team, and their answers:" in filled[-1]
    assert all("Notes" not in lines for lines in filled[:-1])  # only ever on the last page

    shutil.copytree(LAYOUT, tmp_path, dirs_exist_ok=True)
    for other in (name for name in LEAFLETS if name != "picc-line"):
        (tmp_path / "leaflets" / f"{other}.yaml").unlink()
    (tmp_path / "leaflets" / "picc-line.cy.yaml").unlink()
    config = tmp_path / "leafpress.yaml"
    config.write_text(config.read_text() + "layout:\n  notes: false\n")
    result = run_cli("--format", "large-print", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plain = _page_lines(tmp_path / "output" / "picc-line.large-print.pdf")
    assert len(plain) == len(filled)
    assert all("Notes" not in lines for lines in plain)


# Side by side, a page's lines mix both columns: the single-column formats are read here.
@pytest.mark.parametrize(("leaflet", "suffix"), [pair for pair in ALL_PDFS if pair[1] != ".bilingual.pdf"])
def test_a_reference_entry_never_splits_and_its_heading_never_ends_a_page(
    built: Path, leaflet: str, suffix: str
) -> None:
    pages = _page_lines(_pdf(built, leaflet, suffix))
    where = [
        (number, index)
        for number, lines in enumerate(pages)
        for index, line in enumerate(lines)
        if line == "References"
    ]
    assert where, "no References heading"
    page, index = where[-1]
    after_heading = pages[page][index + 1 :]
    footer = 1  # the running footer is the page's last line
    assert len(after_heading) - footer >= 2, f"References ends page {page + 1}"
    # Every later page that carries on the list starts with a new entry ("3." ...), never mid-entry.
    entries = len(re.findall(r"^  - key: ", (LAYOUT / "leaflets" / f"{leaflet}.yaml").read_text(), re.MULTILINE))
    numbers = [int(m.group(1)) for line in after_heading if (m := re.match(r"^(\d+)\.\s", line))]
    for lines in pages[page + 1 :]:
        if max(numbers, default=0) >= entries:
            break
        assert lines and re.match(r"^\d+\.\s", lines[0]), f"a reference entry is split: {lines[:2]}"
        numbers += [int(m.group(1)) for line in lines if (m := re.match(r"^(\d+)\.\s", line))]


@pytest.mark.parametrize(("leaflet", "suffix"), ALL_PDFS)
def test_an_email_address_never_breaks_at_its_hyphen(built: Path, leaflet: str, suffix: str) -> None:
    text = "\n".join("\n".join(lines) for lines in _page_lines(_pdf(built, leaflet, suffix)))
    addresses = set(re.findall(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+", (LAYOUT / "leafpress.yaml").read_text()))
    addresses |= set(re.findall(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+", (LAYOUT / "leaflets" / f"{leaflet}.yaml").read_text()))
    assert addresses
    for address in addresses:
        for position, character in enumerate(address):
            if character == "-":
                broken = address[: position + 1] + "\n" + address[position + 1 :]
                assert broken not in text, f"{address} breaks at a hyphen in {leaflet}{suffix}"


@pytest.mark.parametrize(("leaflet", "suffix"), ALL_PDFS + [(leaflet, ".booklet.pdf") for leaflet in LEAFLETS])
def test_pages_are_well_filled(built: Path, leaflet: str, suffix: str) -> None:
    """Every page but the last at least 65% filled, the median page at least 85% (a booklet's A5
    pages in reading order: the page before its back cover holds a Notes area, not a stub)."""
    fill = _measure(_pdf(built, leaflet, suffix)).fill
    assert all(share >= 0.65 for share in fill[:-1]), fill
    assert statistics.median(fill) >= 0.85, fill


def _booklet_pages(path: Path) -> list[str]:
    """The text of each A5 page of an imposed booklet, in reading order (undoing the imposition)."""
    return list(_read_booklet_pages(_file_version(path)))


@functools.cache
def _read_booklet_pages(version: tuple[Path, int, int]) -> tuple[str, ...]:
    with pdfplumber.open(version[0]) as document:
        halves = []
        for sheet in document.pages:
            middle = float(sheet.width) / 2
            halves.append(
                (
                    sheet.crop((0, 0, middle, sheet.height)).extract_text() or "",
                    sheet.crop((middle, 0, sheet.width, sheet.height)).extract_text() or "",
                )
            )
    count = 2 * len(halves)
    pages = [""] * count
    for index, (left, right) in enumerate(halves):
        # Sheet side i holds pages (count - 1 - i, i) on even sides and (i, count - 1 - i) on odd ones.
        low, high = index, count - 1 - index
        pages[high], pages[low] = (left, right) if index % 2 == 0 else (right, left)
    return tuple(pages)


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_a_booklet_pads_with_notes_pages_and_its_back_cover_holds_the_details(built: Path, leaflet: str) -> None:
    pages = _booklet_pages(_pdf(built, leaflet, ".booklet.pdf"))
    assert len(pages) % 4 == 0
    bodies = [" ".join(line for line in page.splitlines()[:-1]) for page in pages]  # without the footer
    assert all(body.strip() for body in bodies), "a blank page in the booklet"
    back = " ".join(pages[-1].split())
    code = re.search(r"^code: (\S+)", (LAYOUT / "leaflets" / f"{leaflet}.yaml").read_text(), re.MULTILINE)
    assert code and code.group(1) in back
    for detail in ("Last reviewed", "Next review due", "Riverside Health Information Trust", "0300 555 0199"):
        assert detail in back, f"{detail!r} not on the back cover of {leaflet}"
    notes = [number for number, body in enumerate(bodies) if body.startswith("Notes")]
    # Padding pages, if any, come together just before the back matter, never after it.
    assert notes == list(range(notes[0], notes[0] + len(notes))) if notes else True
    assert all(number < len(pages) - 1 for number in notes)


def _continued_lines(pages: list[list[str]]) -> list[tuple[int, int, str]]:
    return [
        (number, index, line)
        for number, lines in enumerate(pages)
        for index, line in enumerate(lines)
        if line.endswith(("(continued)", "(parhad)"))
    ]


@pytest.mark.parametrize("suffix", list(A4_FORMATS.values()))
def test_a_box_or_glossary_that_splits_repeats_its_heading_at_the_top_of_the_next_page(
    built: Path, suffix: str
) -> None:
    """The warfarin leaflet's daily-routine box is longer than a page: it must split, and say so."""
    pages = _page_lines(_pdf(built, "warfarin", suffix))
    continued = _continued_lines(pages)
    assert ("Your daily routine (continued)") in [line for _, _, line in continued], continued
    # Only ever the first line of a page, and only where its box or list really runs on.
    for number, index, line in continued:
        assert index == 0, f"{line!r} is not at the top of page {number + 1}"
        heading = line.removesuffix(" (continued)")
        assert any(heading == earlier for lines in pages[:number] for earlier in lines), heading
    # Every page the box runs on to starts with its repeated heading.
    starts = [n for n, lines in enumerate(pages) if "Your daily routine" in lines]
    ends = [n for n, lines in enumerate(pages) if any(line.startswith("Every few months.") for line in lines)]
    for number in range(starts[0] + 1, ends[0] + 1):
        assert pages[number][0] == "Your daily routine (continued)", pages[number][:2]
    if suffix == ".large-print.pdf":  # twenty terms at 18pt run over a page
        assert any(line == "Words to know (continued)" for _, _, line in continued), continued


@pytest.mark.parametrize(
    ("leaflet", "suffix"), [("warfarin", ".pdf"), ("warfarin", ".large-print.pdf"), ("picc-line", ".bilingual.pdf")]
)
def test_a_leaflet_with_repeated_headings_is_still_pdf_ua(built: Path, leaflet: str, suffix: str) -> None:
    from leafpress.pdf.conformance import validate_pdfua

    pdf = _pdf(built, leaflet, suffix)
    assert _continued_lines(_page_lines(pdf)) if suffix != ".bilingual.pdf" else True
    verdict = validate_pdfua(pdf.read_bytes())
    assert verdict.compliant, verdict.summary()


def test_the_repeated_heading_is_in_the_leaflets_language(built: Path, tmp_path: Path) -> None:
    """Welsh says "(parhad)"; a language without the label says "(continued)", tagged as English."""
    welsh = [line for _, _, line in _continued_lines(_page_lines(_pdf(built, "picc-line.cy", ".pdf")))]
    assert welsh and all(line.endswith(" (parhad)") for line in welsh), welsh

    shutil.copytree(LAYOUT, tmp_path, dirs_exist_ok=True)
    for other in (tmp_path / "leaflets").glob("*.yaml"):
        if other.name != "warfarin.yaml":
            other.unlink()
    source = tmp_path / "leaflets" / "warfarin.yaml"
    source.write_text(source.read_text().replace("language: en-GB", "language: fr"))
    result = run_cli("--format", "standard", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "output" / "warfarin.pdf"
    assert "Your daily routine (continued)" in [line for _, _, line in _continued_lines(_page_lines(pdf))]
    assert _headings_with_an_english_part(pdf), "the English label is not tagged as English"


def _headings_with_an_english_part(pdf: Path) -> int:
    """How many spans tagged as English sit in a heading (the headings' own text is in French)."""
    return sum(
        kind == "/Span" and lang == "en-GB" and (parent or "").startswith("/H")
        for kind, lang, parent in structure_elements(pdf)
    )


# Approved, so that no "DRAFT" mark heads each page.
APPROVED = (
    "authors: [Test Team]\napproved_by:\n  name: Dr Priya Nair\n  role: Clinical Lead\n  date: 2025-04-10\n"
    "review:\n  last_reviewed: 2025-04-01\n"
)
_SENTENCES = (
    "Each step below takes only a minute or two.",
    "You can ask someone at home to help you with them.",
    "If a step is hard for you, tell your nurse at your next visit.",
    "Some people keep a note of each step on the fridge door.",
    "It gets easier with practice over the first few weeks.",
    "Your team will show you each step before you go home.",
    "Take your time and do not rush any of them.",
)
_STEPS = (
    "Wash and dry your hands.",
    "Lay out what you need on a clean tray.",
    "Check the date on each packet.",
    "Do the task as your nurse showed you.",
    "Put used items in the yellow bin.",
)


def _lists_leaflet() -> str:
    """Sections whose numbered lists fall at every height of the page, so page breaks cut many lists."""
    sections = []
    for number in range(1, 15):
        intro = " ".join(_SENTENCES[: 1 + number % len(_SENTENCES)])
        steps = "\n".join(f"      {index}. {step}" for index, step in enumerate(_STEPS, start=1))
        sections.append(f"  - heading: Task {number}\n    body: |\n      {intro}\n\n{steps}\n")
    return (
        "title: Daily care tasks\ncode: TLY-190\nversion: '1.0'\nlanguage: en-GB\n"
        "summary:\n  - Do each task the same way every day.\nsections:\n" + "".join(sections) + APPROVED
    )


def test_a_list_keeps_at_least_two_items_on_each_side_of_a_page_break(tmp_path: Path) -> None:
    shutil.copytree(LAYOUT, tmp_path, dirs_exist_ok=True)
    for other in (tmp_path / "leaflets").glob("*.yaml"):
        other.unlink()
    (tmp_path / "leaflets" / "tasks.yaml").write_text(_lists_leaflet())
    result = run_cli("--format", "standard", "--format", "large-print", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    cut = 0
    for suffix in A4_FORMATS.values():
        pages = _page_lines(tmp_path / "output" / f"tasks{suffix}")
        for before, after in zip(pages, pages[1:], strict=False):
            step = re.match(r"^(\d)\.\s", after[0])
            if step is None:
                continue
            cut += 1
            first = int(step.group(1))
            assert first >= 3, f"a list's first item alone before a break: {before[-3:]} | {after[:2]}"
            assert first <= len(_STEPS) - 1, f"a list's last item alone after a break: {after[:2]}"
    assert cut, "no page break fell inside a list: the test proves nothing"


_CITATION_AT_END = re.compile(r"\[\d+(?:, \d+)*\][.,;:]?$")


@pytest.mark.parametrize(("leaflet", "suffix"), [pair for pair in ALL_PDFS if pair[1] != ".bilingual.pdf"])
def test_a_line_never_breaks_after_the_first_word_of_a_sentence_ending_in_a_citation(
    built: Path, leaflet: str, suffix: str
) -> None:
    """WeasyPrint broke "… can help. Longer / naps later … at night [4]." when a citation was an
    inline box of its own: the full A4 column, large print and the booklet's narrow A5 column."""
    pages = _page_lines(_pdf(built, leaflet, suffix))
    booklet = [page.splitlines() for page in _booklet_pages(_pdf(built, leaflet, ".booklet.pdf"))]
    every = [line for page in pages for line in page], [line for page in booklet for line in page]
    for lines in every:
        for line, following in zip(lines, lines[1:], strict=False):
            # One word, then the rest of its sentence (not a one-word heading and its first line).
            lone_word = line.isalpha() and following[:1].islower()
            assert not (lone_word and _CITATION_AT_END.search(following)), f"{line!r} alone, then {following!r}"


@pytest.mark.parametrize("leaflet", LEAFLETS)
def test_a_booklet_is_measured_as_its_a5_pages_in_reading_order(built: Path, leaflet: str) -> None:
    """Each A5 page against its own half of the sheet (8 mm from the edge), not the A4 sheet (10 mm)."""
    path = _pdf(built, leaflet, ".booklet.pdf")
    layout = _measure(path)
    pages = _booklet_pages(path)
    assert layout.pages == len(pages) == 2 * len(PdfReader(path).pages)
    assert layout.nearest_edge_mm is not None and 8 <= layout.nearest_edge_mm < 10, layout.to_json()
    assert not [p for p in layout.problems if p.rule in ("off-page", "edge", "blank")], layout.to_json()
    # In reading order: the back cover (the last page) holds the details, and is measured last.
    assert "Next review due" in pages[-1] and layout.fill[-1] >= 0.40, layout.to_json()
    assert all(share > 0 for share in layout.fill), layout.to_json()


def test_a_picture_that_would_jump_is_drawn_smaller_to_stay_with_its_text(built: Path) -> None:
    """The colonoscopy's bowel drawing does not fit under the first section's text on the booklet's
    A5 page: drawn a little smaller it stays there, instead of leaving the page 60% filled."""
    path = _pdf(built, "colonoscopy", ".booklet.pdf")
    pages = _booklet_pages(path)
    page = next(number for number, text in enumerate(pages) if "What a colonoscopy is" in text)
    assert "a specially trained nurse" in pages[page]  # the section's last words, before the drawing
    assert " ".join(pages[page + 1].split()).startswith("Why you might need one")
    assert _measure(path).fill[page] >= 0.85


# The labels of the contact and "About this information" details (English catalogue).
_DETAIL_LABELS = (
    "Contact", "Phone", "Opening hours", "Email", "Last reviewed", "Next review due", "Version",
    "Leaflet code", "Written by", "Reviewed by", "Approved by", "Approved on",
)  # fmt: skip


@pytest.mark.parametrize(("leaflet", "suffix"), [pair for pair in ALL_PDFS if pair[1] != ".bilingual.pdf"])
def test_a_details_label_never_ends_a_page_without_its_value(built: Path, leaflet: str, suffix: str) -> None:
    """The details are a grid, which WeasyPrint cut inside a row ("Email" at a page's foot, the
    address over the page, drawn above its top): a details list is cut only between rows."""
    pages = _page_lines(_pdf(built, leaflet, suffix))
    for number, lines in enumerate(pages[:-1]):
        body = lines[:-1]  # without the running footer
        assert body and body[-1] not in _DETAIL_LABELS, f"page {number + 1} ends with the label {body[-1]!r}"


@pytest.mark.parametrize(("leaflet", "suffix"), [pair for pair in ALL_PDFS if pair[1] != ".bilingual.pdf"])
def test_the_organisations_address_never_starts_the_last_page_alone(built: Path, leaflet: str, suffix: str) -> None:
    """The end matter closes with the address and the quality mark: they take the part of "About
    this information" before them along to the last page, rather than sit there alone over Notes."""
    pages = _page_lines(_pdf(built, leaflet, suffix))
    assert pages[-1][0] != "Riverside Health Information Trust", pages[-1][:3]
