"""Keep left-to-right runs whole inside right-to-left text.

In an Arabic or Urdu sentence, a web address, a phone number or "paracetamol 500 mg"
starts or ends with characters that have no direction of their own ("+", "/", ".").
The Unicode bidi algorithm then moves them to the wrong end: "+44 161" prints as
"161 44+". Browsers fix this with <bdi> or ``unicode-bidi: isolate``; WeasyPrint supports
neither, and the Unicode isolate characters (LRI … PDI) only last until the end of the
line, since WeasyPrint lays each line out on its own. What it does honour is ``dir`` on
an inline element: so each left-to-right run in the page's text is wrapped here in
``<span dir="ltr">``, which keeps it whole and in order even across a line break.
"""

from __future__ import annotations

import html
import re
import unicodedata

LTR_SPAN_OPEN = '<span dir="ltr">'
LTR_SPAN_CLOSE = "</span>"

# A word that reads left to right: Latin letters or digits, with the punctuation found
# inside addresses, numbers and drug doses ("https://www.nhs.uk/", "0161-496", "5mg/ml").
_WORD = r"[(\[]?[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F./:\-+@%_~?=&#,()\[\]']*"
# Words joined by single spaces form one run: "paracetamol 500 mg", "0161 496 0123".
_RUN = re.compile(rf"\+?{_WORD}(?: {_WORD})*")
# Sentence punctuation after a run belongs to the right-to-left sentence, not the run.
_TRAILING = ".,:;!?)'"
# Text between tags in the body; tags, comments and the head are left alone.
_TEXT = re.compile(r">([^<]+)<")
_SKIP_UNTIL_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)
# A link with plain text: the text gets no span inside the link (WeasyPrint would give the span
# a second link annotation outside any Link structure element); the link itself gets ``dir``.
_LINK = re.compile(r"(<a\b[^>]*>)([^<]*)(</a\s*>)", re.IGNORECASE)


def ltr_runs(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every left-to-right run in ``text``, sentence punctuation left out."""
    if first_strong_direction(text) == "ltr" and not _has_rtl(text):
        # Text with no right-to-left letters at all (an English sentence) is one run, its full stop included.
        stripped = text.strip()
        return [(text.index(stripped), text.index(stripped) + len(stripped))] if stripped else []
    runs = []
    for match in _RUN.finditer(text):
        run = match.group(0)
        core = run.rstrip(_TRAILING)
        # Keep a closing bracket that closes an opening one inside the run: "NICE (2016)".
        while core.count("(") > core.count(")") and len(core) < len(run) and run[len(core)] == ")":
            core += ")"
        if core.isascii() and core.isdigit():
            # A number alone ("999", "2025") is placed right by the bidi algorithm itself; left in
            # the line's own run it keeps the spaces either side, which extractors would lose.
            continue
        runs.append((match.start(), match.start() + len(core)))
    return runs


def isolate_ltr_runs_in_html(document: str) -> str:
    """The HTML ``document`` with each left-to-right run in its body's text in a ``<span dir="ltr">``."""
    body = _SKIP_UNTIL_BODY.search(document)
    start = body.end() if body else 0

    def fix(match: re.Match[str]) -> str:
        text = html.unescape(match.group(1))
        pieces, done = [], 0
        for run_start, run_end in ltr_runs(text):
            pieces += [
                html.escape(text[done:run_start], quote=False),
                LTR_SPAN_OPEN,
                html.escape(text[run_start:run_end], quote=False),
                LTR_SPAN_CLOSE,
            ]
            done = run_end
        pieces.append(html.escape(text[done:], quote=False))
        return ">" + "".join(pieces) + "<"

    def link(match: re.Match[str]) -> str:
        opening, text, closing = match.groups()
        plain = html.unescape(text).strip()
        if plain and " dir=" not in opening and ltr_runs(plain) == [(0, len(plain))]:
            opening = opening[:-1] + ' dir="ltr">'
        return opening + text + closing

    def outside_links(segment: str) -> str:
        # Framed so that text at either end of the segment is found as text between tags.
        return _TEXT.sub(fix, ">" + segment + "<")[1:-1]

    body_html = document[start:]
    pieces, done = [], 0
    for match in _LINK.finditer(body_html):
        pieces += [outside_links(body_html[done : match.start()]), link(match)]
        done = match.end()
    pieces.append(outside_links(body_html[done:]))
    return document[:start] + "".join(pieces)


def first_strong_direction(text: str) -> str | None:
    """ "ltr" or "rtl" from the first letter with a direction, as HTML's dir="auto" decides; None if none."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(character) in ("R", "AL") for character in text)
