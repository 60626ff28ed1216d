"""Right-to-left text that reads back whole in pdf.js as well as in pdftotext.

WeasyPrint draws each run of a right-to-left line as its glyphs left to right (visual order),
and the runs of a line in logical order. pdf.js rebuilds words from where the glyphs land,
and two things go wrong:

- A glyph of no width moves nothing, so pdf.js measures the next glyph from the glyph before
  it. Noto Naskh draws lam-alef (لا) as a zero-width alef, then the lam: where the alef comes
  first after a space or at the start of a run, the gap is counted twice and pdf.js puts a
  space inside the word ("ل ا"). There the pair's text goes on the lam (in drawing order, as
  every right-to-left extractor reverses it) and the alef reads as a space, which pdf.js skips
  and pdftotext takes as the word break that is there anyway. (A zero-width glyph may not
  be given a width: PDF/UA wants the font's own widths.)
- The space between two runs (a bold phrase and the plain text after it) is the first or last
  glyph of a run, where pdf.js drops spaces (it only ever adds one between two glyphs), and
  the next run starts at the other end of the line, so no gap shows: "إذاشعرت". The space
  goes on the text of the run's outermost letter, on the side the space is drawn. A run
  followed on its line by another column (a bilingual title beside its English one) gets one
  too, for the gap between them.

Each change is a new character code drawing the same glyph (see :class:`FontCodes`); nothing
drawn moves.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf

from leafpress.pdf.unicode_map import FontCodes, codes_of, recode, remappable, saved_with_codes

_SHOW_TEXT = {"Tj", "TJ", "'", '"'}
# pdf.js reads a gap wider than this share of an em (TRACKING_SPACE_FACTOR) as a space.
_GAP = 102  # thousandths of an em, as in TJ arrays
# pdf.js skips a glyph whose text starts with white space: a space drawn before a glyph reads as
# a zero-width space (a word break, not white space) and the space.
_LEADING_SPACE = "\u200b "


@dataclass
class _Glyph:
    """One drawn glyph of a run: where its code is and what it reads as."""

    instruction: int
    font: FontCodes
    code: int
    width: float
    text: str
    after_gap: bool  # nothing drawn just before it: a run's start, a space, or a wide TJ gap


@dataclass
class _Run:
    """The glyphs of one text object (BT … ET): a run of one font, drawn left to right from (x, y)."""

    glyphs: list[_Glyph] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    advance: float = 0.0  # thousandths of an em

    def add(self, index: int, font: FontCodes, operands: list[pikepdf.Object]) -> None:
        after_gap, shift = not self.glyphs, 0.0
        items = [
            each for operand in operands for each in (operand if isinstance(operand, pikepdf.Array) else [operand])
        ]
        for item in items:
            if isinstance(item, pikepdf.String):
                for code in codes_of([item]):
                    text, width = font.to_unicode.get(code, ""), font.widths.get(code, 0)
                    gap = after_gap or -shift >= _GAP or (bool(self.glyphs) and _spaces(self.glyphs[-1].text))
                    self.glyphs.append(_Glyph(index, font, code, width, text, gap))
                    self.advance += width
                    after_gap, shift = False, 0.0
            else:  # a TJ adjustment, in thousandths of an em: negative moves the next glyph on
                shift += float(item)
                self.advance -= float(item)

    def apart_from(self, following: _Run) -> bool:
        """Whether ``following`` (drawn next) is on this run's line, left of it with a gap between:
        another column, whose first word pdf.js would join to this run's last."""
        same_line = abs(following.y - self.y) <= 0.5 * max(self.size, following.size)
        gap = self.x - (following.x + following.advance * following.size / 1000)
        return same_line and gap >= _GAP * self.size / 1000


def _right_to_left(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def _letters(text: str) -> bool:
    return bool(text) and all(unicodedata.category(char).startswith("L") for char in text)


def _spaces(text: str) -> bool:
    return bool(text) and text.isspace()


def _mend_run(run: list[_Glyph], space_after: bool) -> dict[int, str]:
    """The new text of the glyphs (by index in ``run``) that pdf.js would misread; ``space_after``:
    the run's last word is followed by a gap, not a space (the next column of the line)."""
    texts = {index: glyph.text for index, glyph in enumerate(run)}
    # A zero-width letter drawn first after a gap, before a letter that has a width (lam-alef).
    for index, (glyph, following) in enumerate(zip(run, run[1:], strict=False)):
        if glyph.after_gap and glyph.width == 0 and following.width > 0 and _letters(glyph.text + following.text):
            texts[index + 1] = glyph.text + texts[index + 1]
            texts[index] = " "
    # A space drawn at either end of the run: its text rides on the outermost letter.
    shown = [index for index, glyph in enumerate(run) if glyph.width > 0 and not _spaces(texts[index])]
    if shown and ((shown[0] > 0 and _spaces(run[0].text)) or space_after):
        texts[shown[0]] = _LEADING_SPACE + texts[shown[0]]
    if shown and shown[-1] < len(run) - 1 and _spaces(run[-1].text):
        texts[shown[-1]] = texts[shown[-1]] + " "
    return {index: text for index, text in texts.items() if text != run[index].text}


class _Page:
    """A page's content stream, read run by run (BT … ET) with the font of each glyph."""

    def __init__(self, page: pikepdf.Page, fonts: dict[tuple[int, int], FontCodes]) -> None:
        resources = page.obj.get("/Resources")
        found = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
        self.font_resources = found if isinstance(found, pikepdf.Dictionary) else pikepdf.Dictionary()
        self.fonts = fonts
        self.instructions = [
            item for item in pikepdf.parse_content_stream(page) if isinstance(item, pikepdf.ContentStreamInstruction)
        ]

    def _font(self, name: pikepdf.Object) -> FontCodes | None:
        resource = self.font_resources.get(str(name))
        if not isinstance(resource, pikepdf.Dictionary) or not remappable(resource):
            return None
        if resource.objgen not in self.fonts:
            self.fonts[resource.objgen] = FontCodes(resource)
        return self.fonts[resource.objgen]

    def runs(self) -> list[_Run]:
        runs: list[_Run] = []
        font: FontCodes | None = None
        size = 0.0
        for index, instruction in enumerate(self.instructions):
            name, operands = str(instruction.operator), list(instruction.operands)
            if name == "BT":
                runs.append(_Run())
            elif name == "Tm" and len(operands) == 6 and runs:
                runs[-1].x, runs[-1].y = float(operands[4]), float(operands[5])
            elif name == "Tf" and len(operands) == 2:
                font, size = self._font(operands[0]), float(operands[1])
            elif name in _SHOW_TEXT and font is not None and runs:
                runs[-1].size = size
                runs[-1].add(index, font, operands)
        return [run for run in runs if run.glyphs]

    def mend(self) -> bool:
        """Recode the glyphs pdf.js would misread; whether anything changed."""
        codes: dict[int, list[list[int]]] = {}
        changed = False
        runs = self.runs()
        for run, following in zip(runs, [*runs[1:], None], strict=True):
            if not any(_right_to_left(glyph.text) for glyph in run.glyphs):
                continue
            mended = _mend_run(run.glyphs, space_after=following is not None and run.apart_from(following))
            for position, glyph in enumerate(run.glyphs):
                code = glyph.code
                if position in mended:
                    new = glyph.font.code_for(glyph.font.glyph_of(glyph.code), mended[position])
                    if new is not None:
                        code, changed = new, True
                codes.setdefault(glyph.instruction, []).append([code])
        if changed:
            for index, recoded in codes.items():
                instruction = self.instructions[index]
                if len(codes_of(list(instruction.operands))) == len(recoded):
                    self.instructions[index] = pikepdf.ContentStreamInstruction(
                        recode(list(instruction.operands), recoded), instruction.operator
                    )
        return changed


def mend_right_to_left_text(data: bytes) -> bytes:
    """``data`` with its right-to-left runs' glyph codes mended for pdf.js (unchanged if none)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        fonts: dict[tuple[int, int], FontCodes] = {}
        changed = False
        for page in pdf.pages:
            reader = _Page(page, fonts)
            if reader.mend():
                page.obj.Contents = pikepdf.Stream(pdf, pikepdf.unparse_content_stream(reader.instructions))
                changed = True
        return saved_with_codes(pdf, fonts.values()) if changed else data
