"""The braille format: a Braille Ready File (.brf) for embossers and braille displays.

Unified English Braille grade 2 for English, Welsh grade 2 for Welsh (and Polish and Arabic
grade 1), translated by liblouis (Debian's ``liblouis-bin``: the ``lou_translate`` program)
into North American braille ASCII, the character set of .brf files. Laid out as UK braille
transcription guidance sets it out: the title and section headings centred with a blank line
before them, sub-headings at the margin, paragraphs starting in cell 3 and running over to
cell 1, list items and terms starting at the margin (cell 3 for each list inside a list) and
running over two cells further in. Each page but the first carries its braille page number
at the top right; a heading never ends a page. Pages are 40 cells by 25 lines unless the
project says otherwise (``braille:`` in leafpress.yaml).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from leafpress.core.errors import NotApplicable
from leafpress.formats.base import Format, RenderContext

if TYPE_CHECKING:  # the outline loads only when braille is made (listing formats stays quick)
    from leafpress.enrich.reading import ReadingLine

# liblouis tables by primary language subtag: the standard literary braille of each language.
TABLES = {
    "en": "en-ueb-g2.ctb",
    "cy": "cy-cy-g2.ctb",
    "pl": "Pl-Pl-g1.utb",
    "ar": "ar-ar-g1.utb",
}
# Braille ASCII as .brf files hold it.
DISPLAY = "en-us-brf.dis"
# Seconds lou_translate may take for a whole leaflet (leaflets are size-limited; this stops a hang).
TIMEOUT = 60
_DIGITS = "JABCDEFGHI"  # 0-9 as the letters a-j after the number sign


def table_for(language: str) -> str:
    """The liblouis table for a BCP 47 tag, or NotApplicable naming the language."""
    table = TABLES.get(language.split("-")[0].lower())
    if table is None:
        raise NotApplicable(f"no braille table for {language}")
    return table


def translate(texts: list[str], table: str) -> list[str]:
    """Each of ``texts`` (one line each) in braille ASCII, through one run of lou_translate."""
    program = shutil.which("lou_translate")
    if program is None:
        raise RuntimeError("lou_translate not found: install liblouis-bin (scripts/setup-system.sh)")
    source = "\n".join(_speakable(text) for text in texts) + "\n"
    # liblouis looks for a table in the working folder before its own: run in an empty one, so a
    # file named like a table in the project (whose "include" can name any file) is never read.
    with tempfile.TemporaryDirectory(prefix="leafpress-braille-") as empty:
        result = subprocess.run(
            [program, "--forward", f"{DISPLAY},{table}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=TIMEOUT,
            check=True,
            cwd=empty,
        )
    if not result.stdout and texts:  # liblouis says a table failed to compile, and exits 0
        raise RuntimeError(f"liblouis could not load the braille table {table}")
    lines = result.stdout.decode("ascii", errors="replace").split("\n")[: len(texts)]
    if len(lines) != len(texts):
        raise RuntimeError(f"lou_translate gave {len(lines)} lines for {len(texts)}")
    return [line.rstrip("\r") for line in lines]


def _speakable(text: str) -> str:
    """``text`` without emoji and other symbols braille tables have no cells for, on one line."""
    kept = (" " if char.isspace() else char for char in text if unicodedata.category(char) not in ("So", "Cn", "Co"))
    return " ".join("".join(kept).split())


def page_number(number: int) -> str:
    """``number`` in braille ASCII: the number sign, then the digits as letters."""
    return "#" + "".join(_DIGITS[int(digit)] for digit in str(number))


@dataclass(frozen=True)
class _Block:
    lines: list[str]
    heading: bool  # keep with the next block: a heading never ends a page


def wrap(text: str, width: int, first: int, runover: int) -> list[str]:
    """``text`` in lines of ``width`` cells, the first indented ``first`` cells, the rest ``runover``."""
    lines: list[str] = []
    current = " " * first
    for word in text.split():
        while len(word) > width - runover:  # a word longer than a line is split
            if current.strip():
                lines.append(current)
            room = width - (first if not lines else runover)
            lines.append(" " * (first if not lines else runover) + word[:room])
            word = word[room:]
            current = " " * runover
        gap = " " if current.strip() else ""
        if len(current) + len(gap) + len(word) <= width:
            current += gap + word
        else:
            lines.append(current)
            current = " " * runover + word
    if current.strip():
        lines.append(current)
    return [line.rstrip() for line in lines]


def _layout(line: ReadingLine, braille: str, width: int) -> _Block:
    if line.kind in ("title", "heading"):
        wrapped = wrap(braille, width, 0, 0)
        return _Block(["", *(text.center(width).rstrip() for text in wrapped)], heading=True)
    if line.kind == "subheading":
        return _Block(["", *wrap(braille, width, 0, 0)], heading=True)
    if line.kind == "urgent":
        return _Block(["", *wrap(braille, width, 0, 0)], heading=True)
    margin = 2 * line.depth
    if line.kind in ("item", "term") or line.marker:
        return _Block(wrap(braille, width, margin, margin + 2), heading=False)
    if line.kind in ("line", "picture"):
        return _Block(wrap(braille, width, margin, margin + 2), heading=False)
    return _Block(wrap(braille, width, margin + 2, margin), heading=False)


def paginate(blocks: list[_Block], width: int, height: int) -> list[list[str]]:
    """Pages of at most ``height`` lines; pages after the first start with their number at the right."""
    pages: list[list[str]] = [[]]

    def new_page() -> None:
        number = page_number(len(pages) + 1)
        pages.append([number.rjust(width)])

    for index, block in enumerate(blocks):
        lines = list(block.lines)
        if len(pages[-1]) <= 1 and lines and lines[0] == "":
            lines = lines[1:]  # no blank line at the top of a page
        following = blocks[index + 1].lines[:1] if block.heading and index + 1 < len(blocks) else []
        if len(pages[-1]) + len(lines) + len(following) > height and len(pages[-1]) > 1:
            new_page()
            lines = lines[1:] if lines and lines[0] == "" else lines
        for text in lines:
            if len(pages[-1]) >= height:
                new_page()
            pages[-1].append(text)
    return pages


def render(html: str, context: RenderContext) -> tuple[bytes, list[str]]:
    from leafpress.enrich.outline import outline
    from leafpress.enrich.reading import ReadingLine, front_groups, section_groups

    document = context.document
    table = table_for(document.language)
    layout = context.project.config.braille
    doc = outline(document)
    say = document.labels["say_it"]
    # A title page reads the title, subtitle and organisation; the logo has nothing to feel.
    title_page = [*front_groups(doc, logo=False), [ReadingLine("paragraph", doc.organisation)]]
    groups = title_page + [group for section in doc.sections for group in section_groups(section, say)]
    lines = [line for group in groups for line in group]
    brailled = translate([line.marker + line.text for line in lines], table)
    blocks = [_layout(line, text, layout.cells_per_line) for line, text in zip(lines, brailled, strict=True)]
    pages = paginate(blocks, layout.cells_per_line, layout.lines_per_page)
    # CR LF line ends and a form feed after every page, as embossers expect.
    text = "\f".join("\r\n".join(page) + "\r\n" for page in pages)
    return text.encode("ascii", errors="replace"), []


FORMAT = Format(
    "braille",
    "Braille Ready File (.brf): UEB grade 2 (English), Welsh grade 2, for embossers and braille displays.",
    render,
    suffix=".brf",
    kind="braille",
    min_font_pt=0.0,
    order=80,
)
