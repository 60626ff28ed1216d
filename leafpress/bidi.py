"""Keep left-to-right runs whole inside right-to-left text.

In an Arabic or Urdu sentence, a web address, a phone number or "paracetamol 500 mg"
starts or ends with characters that have no direction of their own ("+", "/", ".").
The Unicode bidi algorithm then moves them to the wrong end: "+44 161" prints as
"161 44+". Browsers fix this with <bdi> or ``unicode-bidi: isolate``; WeasyPrint supports
neither, but Pango honours the Unicode isolate characters, so each left-to-right run in
the page's text is wrapped in LEFT-TO-RIGHT ISOLATE … POP DIRECTIONAL ISOLATE here.
The characters are invisible, draw no glyph and are left out of the PDF's text.
"""

from __future__ import annotations

import html
import re
import unicodedata

LRI = "\u2066"
PDI = "\u2069"

# A word that reads left to right: Latin letters or digits, with the punctuation found
# inside addresses, numbers and drug doses ("https://www.nhs.uk/", "0161-496", "5mg/ml").
_WORD = r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F./:\-+@%_~?=&#,()']*"
# Words joined by single spaces form one run: "paracetamol 500 mg", "0161 496 0123".
_RUN = re.compile(rf"\+?{_WORD}(?: {_WORD})*")
# Sentence punctuation after a run belongs to the right-to-left sentence, not the run.
_TRAILING = ".,:;!?)'"
# Text between tags in the body; tags, comments and the head are left alone.
_TEXT = re.compile(r">([^<]+)<")
_SKIP_UNTIL_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def isolate_ltr_runs(text: str) -> str:
    """``text`` with every left-to-right run wrapped in isolate characters."""

    def wrap(match: re.Match[str]) -> str:
        run = match.group(0)
        core = run.rstrip(_TRAILING)
        # Keep a closing bracket that closes an opening one inside the run: "(NICE)".
        while core.count("(") > core.count(")") and len(core) < len(run) and run[len(core)] == ")":
            core += ")"
        return f"{LRI}{core}{PDI}{run[len(core):]}"

    return _RUN.sub(wrap, text)


def isolate_ltr_runs_in_html(document: str) -> str:
    """The HTML ``document`` with left-to-right runs isolated in the text of its body."""
    body = _SKIP_UNTIL_BODY.search(document)
    start = body.end() if body else 0

    def fix(match: re.Match[str]) -> str:
        text = html.unescape(match.group(1))
        return ">" + html.escape(isolate_ltr_runs(text), quote=False) + "<"

    return document[:start] + _TEXT.sub(fix, document[start:])


def first_strong_direction(text: str) -> str | None:
    """"ltr" or "rtl" from the first letter with a direction, as HTML's dir="auto" decides; None if none."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None
