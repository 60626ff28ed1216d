"""Accessibility checks: each problem with the place to fix it.

- the leaflet: every image has real alt text, the language is set and known, headings in
  a body do not skip levels;
- the theme (the CSS a format is built with): text and background colours meet WCAG
  contrast (AA 4.5:1, AAA 7:1 for body text), and no type is below the format's minimum;
- the built PDF (:mod:`leafpress.pdf.inspect`): tagged, PDF/UA, language, title, tab order,
  figure alt text, embedded fonts.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from markdown_it.token import Token

from leafpress.checks.built_pdfs import PdfToCheck
from leafpress.checks.fidelity import WORDS_LOST_SHOWN, fidelity_to_words
from leafpress.checks.html_page import check_html_page
from leafpress.checks.leaflet_file import LeafletFile, read_leaflet
from leafpress.checks.result import ExtraCheck
from leafpress.checks.theme import check_theme, contrast_ratio
from leafpress.core.config import CONFIG_NAME, ProjectConfig
from leafpress.core.errors import LeafpressError, LeafpressErrors, Location
from leafpress.core.model import Leaflet
from leafpress.core.project import Project
from leafpress.enrich.images import ImageProblem, check_alt
from leafpress.enrich.markdown import DECORATIVE, parse_markdown
from leafpress.formats import FORMATS, Format, get_format, stylesheets_for
from leafpress.pdf.findings import measure_pdf
from leafpress.pdf.inspect import Problem, check_pdf
from leafpress.source.load import Loaded, load_yaml

_BODY_HEADING_OFFSET = 2  # as in leafpress.enrich.markdown: "#" in a body is h3 under the section's h2

__all__ = [
    "Problem",
    "accessibility_check",
    "check_leaflet",
    "check_pdf",
    "check_source",
    "check_theme",
    "contrast_ratio",
]


# The leaflet ---------------------------------------------------------------------------------
def _parsed_body(body: str) -> tuple[tuple[Token, ...], int]:
    """A body's Markdown tokens as the leaflet renders them (the validated text, without the
    whitespace at its ends), shared with the readability checks; and how many lines the
    leading whitespace took, to add to each token's line."""
    text = body.strip()  # what the leaflet model keeps (strip_whitespace): one parse for both checks
    return parse_markdown(text), body[: len(body) - len(body.lstrip())].count("\n")


def _alt_problem(alt: str, src: str) -> tuple[str, str] | None:
    """What is wrong with ``alt`` for image ``src``, by the same rule the build applies, and the fix."""
    try:
        check_alt(alt, src)
    except ImageProblem as problem:
        return problem.message, problem.hint
    return None


def check_images(loaded: Loaded) -> list[Problem]:
    """Section images need alt text; images in Markdown bodies are flagged when they have none."""
    problems = []
    sections = loaded.data.get("sections") if isinstance(loaded.data, dict) else None
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        if not isinstance(section, dict):
            continue
        image = section.get("image")
        if isinstance(image, dict):
            src = str(image.get("src", "the image"))
            alt = image.get("alt")
            if alt is None or not str(alt).strip():
                problems.append(
                    Problem(
                        loaded.location(("sections", index, "image")),
                        f"image '{src}' has no alt text",
                        "add 'alt:' saying what the image shows, as you would on the phone",
                        "alt-text",
                    )
                )
            elif (vague := _alt_problem(str(alt), src)) is not None:
                problems.append(Problem(loaded.location(("sections", index, "image", "alt")), *vague, "alt-text"))
        body = section.get("body")
        if isinstance(body, str):
            problems.extend(_body_images(loaded, ("sections", index, "body"), body))
    return problems


def _body_images(loaded: Loaded, key: tuple[str | int, ...], body: str) -> list[Problem]:
    problems = []
    tokens, skipped = _parsed_body(body)
    first_line = loaded.text_line(key) + skipped
    for token in tokens:
        for child in token.children or []:
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            line = first_line + (token.map[0] if token.map else 0)
            where = Location(loaded.path, line, 1)
            if not child.content.strip() and child.attrs.get("title") == DECORATIVE:
                continue  # ![](rule.svg "decorative"): marked as decoration on purpose
            if (problem := _alt_problem(child.content, src)) is not None:
                problems.append(Problem(where, *problem, "alt-text"))
    return problems


def check_language(loaded: Loaded, config: ProjectConfig, project_root: Path) -> list[Problem]:
    """The language is set (in the leaflet or the project) and is one Babel knows."""
    data = loaded.data if isinstance(loaded.data, dict) else {}
    if "language" in data:
        tag, where = str(data["language"]), loaded.location(("language",))
    elif "language" in config.model_fields_set:
        tag, where = config.language, Location(project_root / CONFIG_NAME)
    else:
        return [
            Problem(
                loaded.location(()),
                "no language is set, so en-GB is assumed",
                f"add 'language: en-GB' (or the right tag) to the leaflet or {CONFIG_NAME}",
                "language",
            )
        ]
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, LookupError, UnknownLocaleError):
        return [
            Problem(
                where,
                f"language '{tag}' is not a known language tag",
                "use a BCP 47 tag such as en-GB, cy or pl",
                "language",
            )
        ]
    return []


def check_headings(loaded: Loaded) -> list[Problem]:
    """Headings inside a body go down one level at a time from the section heading."""
    problems = []
    sections = loaded.data.get("sections") if isinstance(loaded.data, dict) else None
    for index, section in enumerate(sections if isinstance(sections, list) else []):
        body = section.get("body") if isinstance(section, dict) else None
        if not isinstance(body, str):
            continue
        previous = _BODY_HEADING_OFFSET
        tokens, skipped = _parsed_body(body)
        for token in tokens:
            if token.type != "heading_open":
                continue
            level = int(token.tag[1]) + _BODY_HEADING_OFFSET
            if level > previous + 1:
                line = loaded.text_line(("sections", index, "body")) + skipped + (token.map[0] if token.map else 0)
                hashes = "#" * (previous + 1 - _BODY_HEADING_OFFSET)
                problems.append(
                    Problem(
                        Location(loaded.path, line, 1),
                        f"heading skips a level (h{previous} to h{level})",
                        f"use '{hashes}' here: one '#' more than the heading above it",
                        "heading-levels",
                    )
                )
            previous = level
    return problems


def check_source(loaded: Loaded, config: ProjectConfig, project_root: Path) -> list[Problem]:
    """Alt text, language and heading levels of one leaflet file."""
    return check_images(loaded) + check_language(loaded, config, project_root) + check_headings(loaded)


# A whole leaflet ---------------------------------------------------------------------------
def check_leaflet(
    source: Path,
    project: Project,
    formats: Sequence[str | Format] = ("standard",),
    build_pdf: bool = True,
    loaded: Loaded | None = None,
) -> list[Problem]:
    """Every accessibility problem of one leaflet in ``formats``, with its place.

    With ``build_pdf`` the leaflet's accessible PDFs are built in memory and checked too;
    ``loaded`` is the file when the caller has read it already.
    """
    if loaded is None:
        try:
            loaded = load_yaml(source)
        except LeafpressError as exc:
            return [Problem(exc.location, exc.message, exc.hint, "load")]
    problems = check_source(loaded, project.config, project.root)
    for fmt in map(get_format, formats):
        if fmt.kind in ("pdf", "html", "epub"):  # text, braille and audio have no stylesheet
            problems += check_theme(stylesheets_for(fmt, project), fmt)
        if build_pdf and fmt.kind == "pdf" and fmt.accessible:
            # WeasyPrint: imported only when a PDF is built here
            from leafpress.build.pipeline import prepare, render

            try:
                data, _ = render(prepare(source, project), source, project, fmt)
            except (LeafpressError, LeafpressErrors):
                continue  # the build reports why it fails; there is no PDF to check
            problems += check_pdf(data, where=Path(f"{source} ({fmt.name} PDF)"), min_font_pt=fmt.min_font_pt)
    unique: dict[str, Problem] = {}
    for problem in problems:
        unique.setdefault(str(problem), problem)
    return list(unique.values())


def accessibility_check(
    source: Path, project: Project, pdfs: Sequence[PdfToCheck] = (), read: LeafletFile | None = None
) -> ExtraCheck:
    """The accessibility part of ``leafpress check``, in the project's formats (``formats:``).

    ``pdfs`` are the leaflet's accessible PDFs as a build would write them now (see
    :mod:`leafpress.checks.built_pdfs`); each is judged by the independent PDF/UA-1 validator,
    leafpress's own read-back, its text layer and its layout.
    """
    formats = [name for name in project.config.formats if name in FORMATS]
    read = read or read_leaflet(source, project)
    loaded, leaflet = read.loaded, read.leaflet
    # A file that cannot be read is reported by `check` itself, once.
    problems = [p for p in check_leaflet(source, project, formats, build_pdf=False, loaded=loaded) if p.rule != "load"]
    records, pages = [], []
    lines: list[str] = []
    for pdf in pdfs:
        if pdf.format.kind == "html":
            page_record, page_lines = _judge_page(pdf, project)
            pages.append(page_record)
            lines += page_lines
            continue
        record, pdf_lines = _judge_pdf(pdf, project, loaded if leaflet else None, leaflet)
        records.append(record)
        lines += pdf_lines
    unique = list({str(problem): problem for problem in problems}.values())
    lines = [str(problem) for problem in unique] + lines
    passed = not lines
    not_judged = [name for name in formats if name not in {pdf.format.name for pdf in pdfs}]
    return ExtraCheck(
        scope=_scope(pdfs, not_judged),
        key="accessibility",
        title="Accessibility",
        passed=passed,
        data={
            "passed": passed,
            "formats": formats,
            # The project's formats that no part of check judges (braille, audio, EPUB, text, print-only PDFs).
            "formats_not_judged": not_judged,
            "pdfs_checked": [record["file"] for record in records if record.get("pdfua1")],
            "pdfs_not_built": [],
            "problems": [problem.as_dict() for problem in unique],
            "pdfs": records,
            "html": pages,
        },
        lines=lines,
    )


def _scope(pdfs: Sequence[PdfToCheck], not_judged: list[str]) -> str:
    """What was looked at for this leaflet, in words: the files judged, and the formats no check judged."""
    how = {"html": "axe-core, reflow at 320 px", "pdf": "PDF/UA-1 validator, text layer, fonts, layout"}
    looked_at = ["the leaflet file"] + [
        f"the {pdf.format.name} {'page' if pdf.format.kind == 'html' else 'PDF'} ({how.get(pdf.format.kind, '')})"
        for pdf in pdfs
        if pdf.path is not None
    ]
    scope = "looked at " + ", ".join(looked_at)
    return scope + (f"; not judged by check: {', '.join(not_judged)}" if not_judged else "")


def _judge_pdf(
    pdf: PdfToCheck, project: Project, loaded: Loaded | None, leaflet: Leaflet | None
) -> tuple[dict[str, Any], list[str]]:
    """One PDF's record for the JSON, and a line per problem for people."""
    shown = _shown(pdf.path, project) if pdf.path else f"{pdf.source} ({pdf.format.name})"
    record: dict[str, Any] = {"file": shown, "format": pdf.format.name, "fresh": pdf.fresh}
    if pdf.path is None:
        record["errors"] = pdf.errors
        return record, [f"{shown}: not built — {error}" for error in pdf.errors] or [f"{shown}: could not be built"]
    where = f"{pdf.source} ({pdf.format.name} PDF)"
    # Measured by the build from exactly this file when it recorded that, else measured now.
    try:
        findings = pdf.recorded or measure_pdf(pdf.path.read_bytes(), pdf.format.min_font_pt)
    except Exception as exc:  # a file changed or broken after its build: pikepdf's and pdfminer's many errors
        record["errors"] = [f"the PDF cannot be read: it is damaged or not a PDF ({type(exc).__name__})"]
        return record, [f"{where}: {record['errors'][0]} — build it again"]
    lines: list[str] = []
    verdict = findings.pdfua1
    record["pdfua1"] = verdict.to_json()
    lines += [f"{where}: PDF/UA-1 {line}" for line in verdict.summary()]
    own = findings.located_problems(Path(where))
    lines += [str(problem) for problem in own]
    record["problems"] = [problem.as_dict() for problem in own]
    if loaded is not None and leaflet is not None:
        fidelity = fidelity_to_words(loaded, leaflet, set(findings.words))
        record["text_fidelity"] = round(fidelity.share, 4)
        record["words_lost"] = [{"word": word, "line": line} for word, line in fidelity.lost[:WORDS_LOST_SHOWN]]
        if not fidelity.passed:
            shown_words = ", ".join(f"“{word}” (line {line})" for word, line in fidelity.lost[:8])
            lines.append(
                f"{where}: only {fidelity.share:.1%} of the leaflet's words come back out of the PDF's text "
                f"(screen readers, search, copy); lost: {shown_words}"
            )
    layout = findings.layout
    record["layout"] = layout.to_json()
    lines += [f"{where}: page {problem.page}: {problem.message}" for problem in layout.problems]
    return record, lines


def _judge_page(page: PdfToCheck, project: Project) -> tuple[dict[str, Any], list[str]]:
    """The html page's record (axe-core in Chromium, reflow at 320 px) and a line per problem."""
    shown = _shown(page.path, project) if page.path else f"{page.source} (html)"
    record: dict[str, Any] = {"file": shown, "format": page.format.name, "fresh": page.fresh}
    if page.path is None:
        record["errors"] = page.errors
        return record, [f"{shown}: not built — {error}" for error in page.errors] or [f"{shown}: could not be built"]
    verdict = check_html_page(page.path, project.root)
    record.update(verdict.to_json())
    return record, [f"{page.source} (html page): {problem}" for problem in verdict.problems]


def _shown(path: Path, project: Project) -> str:
    resolved = path.resolve()
    return str(resolved.relative_to(project.root)) if resolved.is_relative_to(project.root) else str(path)
