"""In-text citations: ``[@key]`` (or ``[@one; @two]``) in a body cites a reference by its key.

Checked against the leaflet's references (an unknown key is an error at its line and column, a
reference never cited is a warning), numbered in order of first citation for numbered styles,
and printed as links to their entries by a markdown-it rule.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

from leafpress.core.errors import LeafpressError, LeafpressErrors, LeafpressWarning, Location
from leafpress.core.model import Leaflet, Reference
from leafpress.enrich.references import ReferenceEntry
from leafpress.source.load import Key, Loaded

# "[" is excluded inside, so "[@[@[@…" is scanned once, not once per bracket.
CITATION = re.compile(r"\[(@[^\[\]\n]*)\]")
_KEY = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9_.:-]*)$")

# What markdown_to_html needs to print a citation: the keys cited → HTML.
CiteRenderer = Callable[[list[str]], Markup]


@dataclass
class CitationCheck:
    """References in the order they are first cited (uncited ones last), and the warnings found."""

    order: list[int] = field(default_factory=list)
    warnings: list[LeafpressWarning] = field(default_factory=list)


def cited_texts(leaflet: Leaflet) -> Iterator[tuple[Key, str]]:
    """Every Markdown text that may cite, with its place in the file."""
    for index, point in enumerate(leaflet.summary):
        yield ("summary", index), point
    for index, section in enumerate(leaflet.sections):
        if section.body:
            yield ("sections", index, "body"), section.body


def parse_keys(inside: str) -> list[str] | None:
    """``"@a; @b"`` → ``["a", "b"]``; None when it is not a list of keys."""
    keys = [_KEY.match(part.strip()) for part in inside.split(";")]
    return [match[1] for match in keys] if all(keys) else None  # type: ignore[index]


def check_citations(loaded: Loaded, leaflet: Leaflet) -> CitationCheck:
    """Check every citation and reference key; raise all errors at once, with their lines."""
    errors: list[LeafpressError] = []
    known: dict[str, int] = {}
    for index, ref in enumerate(leaflet.references):
        if ref.key is None:
            continue
        if ref.key in known:
            first = loaded.location(("references", known[ref.key], "key")).line
            errors.append(
                LeafpressError(
                    loaded.location(("references", index, "key")),
                    f"reference key '{ref.key}' is used twice (first on line {first})",
                    "give each reference its own key",
                )
            )
        else:
            known[ref.key] = index
    check = CitationCheck()
    for place, text in cited_texts(leaflet):
        for match in CITATION.finditer(text):
            where = _locate(loaded, place, text, match)
            keys = parse_keys(match[1])
            if keys is None:
                errors.append(
                    LeafpressError(
                        where, f"'{match[0]}' is not a citation", "cite by key as [@key], or several as [@one; @two]"
                    )
                )
                continue
            for key in keys:
                if key not in known:
                    errors.append(
                        LeafpressError(
                            where, f"citation of unknown reference key '{key}'", _unknown_key_hint(key, known)
                        )
                    )
                elif known[key] not in check.order:
                    check.order.append(known[key])
    if errors:
        raise errors[0] if len(errors) == 1 else LeafpressErrors(errors)
    for index, ref in enumerate(leaflet.references):
        if index not in check.order:
            check.order.append(index)
            how = f"cite it with [@{ref.key}]" if ref.key else "give it a key and cite it with [@key]"
            check.warnings.append(
                LeafpressWarning(
                    f"reference {index + 1} ('{ref.title}') is never cited — {how}, or remove it",
                    loaded.location(("references", index)),
                )
            )
    return check


def _unknown_key_hint(key: str, known: dict[str, int]) -> str:
    near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if near:
        return f"did you mean '{near[0]}'?"
    if known:
        return "keys given under references: " + ", ".join(sorted(known))
    return "add the reference under 'references:' with 'key: " + key + "'"


def _locate(loaded: Loaded, place: Key, text: str, match: re.Match[str]) -> Location:
    """The line and column of a citation in the YAML source, as near as the value's style allows."""
    start = loaded.text_line(place)
    if place in loaded.block_scalars:
        start += text.count("\n", 0, match.start())
    lines = loaded.source.splitlines()
    # A folded or quoted value may wrap differently from the text: look a few lines on.
    for number in range(start, min(start + 40, len(lines)) + 1):
        column = lines[number - 1].find(match[0])
        if column >= 0:
            return Location(loaded.path, number, column + 1)
    return loaded.location(place)


def citation_rule(state: StateCore) -> None:
    """A markdown-it core rule: turn ``[@key]`` in text into the HTML ``state.env["cite"]`` gives."""
    render: CiteRenderer | None = state.env.get("cite")
    if render is None:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for token in block.children:
            if token.type == "text" and "[@" in token.content:
                children += _split(token.content, render)
            else:
                children.append(token)
        block.children = children


def _split(text: str, render: CiteRenderer) -> list[Token]:
    tokens = []
    position = 0
    for match in CITATION.finditer(text):
        keys = parse_keys(match[1])
        if keys is None:
            continue
        before = text[position : match.start()]
        if before.endswith(" ") and not before.endswith("  "):
            # A no-break space: a citation never starts a line alone ("… sticks to your skin" / "[1].").
            before = before[:-1] + "\u00a0"
        tokens.append(_token("text", before))
        tokens.append(_token("html_inline", str(render(keys))))
        position = match.end()
    tokens.append(_token("text", text[position:]))
    return [token for token in tokens if token.content]


def _token(kind: str, content: str) -> Token:
    token = Token(kind, "", 0)
    token.content = content
    return token


def numbered_citation(numbers: dict[str, int]) -> CiteRenderer:
    """Vancouver: "[1]" or "[1, 3]", each number a link to its entry."""

    def render(keys: list[str]) -> Markup:
        cited = sorted({numbers[key] for key in keys})
        # A no-break space keeps "[2, 3]" whole. No wrapping <span>: WeasyPrint breaks a line before
        # an inline box that starts with "[" at the line's first word, leaving that word alone.
        links = Markup(",\u00a0").join(Markup('<a class="citation" href="#ref-{0}">{0}</a>').format(n) for n in cited)
        return Markup("[{0}]").format(links)

    return render


def author_date_citation(labels: dict[str, tuple[str, str]]) -> CiteRenderer:
    """Harvard: "(Smith, 2020)" or "(Smith, 2020; Jones, 2021)", each linked to its entry.

    ``labels`` maps a key to its entry's anchor and its citation as the style writes it.
    """

    def render(keys: list[str]) -> Markup:
        parts = []
        for key in dict.fromkeys(keys):
            anchor, label = labels[key]
            inner = label[1:-1] if label.startswith("(") and label.endswith(")") else label
            parts.append(Markup('<a class="citation" href="#{0}">{1}</a>').format(anchor, Markup(inner)))
        return Markup("({0})").format(Markup("; ").join(parts))

    return render


def citation_renderer(refs: list[Reference], entries: list[ReferenceEntry], numbered: bool) -> CiteRenderer:
    """How citations print for ``refs`` (in citation order) formatted as ``entries``."""
    anchors = {ref.key: f"ref-{position}" for position, ref in enumerate(refs, start=1) if ref.key}
    if numbered:
        return numbered_citation({key: int(anchor.removeprefix("ref-")) for key, anchor in anchors.items()})
    labels = {entry.anchor: entry.label for entry in entries}
    return author_date_citation({key: (anchor, labels[anchor]) for key, anchor in anchors.items()})


_CITATION_LINK = re.compile(r'<a class="citation" href="#(?P<anchor>[^"]+)">(?P<text>.*?)</a>')


def unlink_missing_entries(html: str) -> tuple[str, list[str]]:
    """Keep citations whose entry a custom template left out as plain text, rather than dead links.

    A project's own end matter may drop the references list; the citations then still read
    "[1]" but link nowhere, which WeasyPrint would refuse.
    """
    missing: set[str] = set()

    def unlink(match: re.Match[str]) -> str:
        if f'id="{match["anchor"]}"' in html or f"id='{match['anchor']}'" in html:
            return match[0]
        missing.add(match["anchor"])
        return f'<span class="citation">{match["text"]}</span>'

    html = _CITATION_LINK.sub(unlink, html)
    if not missing:
        return html, []
    return html, [
        f"citations are not linked: the templates give no element with id {', '.join(sorted(missing))} "
        "— keep the references list (doc.references, each with id=entry.anchor) in end_matter.html.j2"
    ]
