"""Accessibility checks: each problem with the place to fix it.

- the leaflet: every image has real alt text, the language is set and known, headings in
  a body do not skip levels;
- the theme (the CSS a format is built with): text and background colours meet WCAG
  contrast (AA 4.5:1, AAA 7:1 for body text), and no type is below the format's minimum;
- the built PDF (:mod:`leafpress.pdf.inspect`): tagged, PDF/UA, language, title, tab order,
  figure alt text, embedded fonts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath

import pikepdf
from babel import Locale, UnknownLocaleError
from markdown_it import MarkdownIt

from leafpress.build.write import output_name
from leafpress.checks.css_theme import Colour, Setting, Theme, colour_of, hex_colour, read_theme, size_in_pt
from leafpress.checks.result import ExtraCheck
from leafpress.core.config import CONFIG_NAME, ProjectConfig
from leafpress.core.errors import LeafpressError, LeafpressErrors, Location
from leafpress.core.project import Project
from leafpress.formats import FORMATS, Format, get_format, stylesheets_for
from leafpress.pdf.inspect import Problem, check_pdf
from leafpress.source.load import Loaded, load_yaml, read_text, source_digest

AA = 4.5
AAA_BODY = 7.0
WHITE: Colour = (1.0, 1.0, 1.0, 1.0)
# Alt text that names the kind of thing instead of saying what it shows.
PLACEHOLDER_ALT = {
    "image",
    "picture",
    "photo",
    "photograph",
    "graphic",
    "diagram",
    "figure",
    "img",
    "icon",
    "logo",
    "chart",
    "illustration",
    "alt",
    "alt text",
    "todo",
    "tbc",
    "tbd",
    "placeholder",
}
_md = MarkdownIt("commonmark", {"html": False})
_BODY_HEADING_OFFSET = 2  # as in leafpress.enrich.markdown: "#" in a body is h3 under the section's h2

__all__ = ["Problem", "accessibility_check", "check_leaflet", "check_pdf", "check_source", "check_theme"]


# The leaflet ---------------------------------------------------------------------------------
def _alt_problem(alt: object, src: str) -> str | None:
    text = str(alt).strip() if alt is not None else ""
    if not text:
        return None
    stem = PurePosixPath(src).stem.lower()
    if text.lower().rstrip(".") in PLACEHOLDER_ALT or text.lower() in (stem, PurePosixPath(src).name.lower()):
        return f"alt text '{text}' does not say what the image shows"
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
            elif (vague := _alt_problem(alt, src)) is not None:
                problems.append(
                    Problem(
                        loaded.location(("sections", index, "image", "alt")),
                        vague,
                        "describe what it shows and why it is there",
                        "alt-text",
                    )
                )
        body = section.get("body")
        if isinstance(body, str):
            problems.extend(_body_images(loaded, ("sections", index, "body"), body))
    return problems


def _body_images(loaded: Loaded, key: tuple[str | int, ...], body: str) -> list[Problem]:
    problems = []
    first_line = loaded.text_line(key)
    for token in _md.parse(body):
        for child in token.children or []:
            if child.type != "image":
                continue
            src = str(child.attrs.get("src", ""))
            line = first_line + (token.map[0] if token.map else 0)
            where = Location(loaded.path, line, 1)
            if not child.content.strip():
                problems.append(
                    Problem(
                        where,
                        f"image '{src}' in the text has no alt text, so screen readers skip it",
                        f"write ![what it shows]({src}); leave it empty only for decoration",
                        "alt-text",
                    )
                )
            elif (vague := _alt_problem(child.content, src)) is not None:
                problems.append(Problem(where, vague, "describe what it shows and why it is there", "alt-text"))
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
        for token in _md.parse(body):
            if token.type != "heading_open":
                continue
            level = int(token.tag[1]) + _BODY_HEADING_OFFSET
            if level > previous + 1:
                line = loaded.text_line(("sections", index, "body")) + (token.map[0] if token.map else 0)
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


# The theme ---------------------------------------------------------------------------------
def _luminance(colour: Colour) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in colour[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _over(colour: Colour, background: Colour) -> Colour:
    alpha = colour[3]
    mixed = tuple(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], background[:3], strict=True))
    return (*mixed, 1.0)  # type: ignore[return-value]


def contrast_ratio(text: Colour, background: Colour) -> float:
    """The WCAG 2 contrast ratio of ``text`` on ``background`` (both composited over white)."""
    background = _over(background, WHITE)
    lighter, darker = sorted((_luminance(_over(text, background)), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _selectors(setting: Setting) -> list[str]:
    return [part.strip() for part in setting.selector.split(",")]


def _inside(selector: str, container: str) -> bool:
    """Whether ``selector`` styles something inside (or on) what ``container`` matches, by its text."""
    if container in ("html", "body", ":root"):
        return True
    return selector == container or selector.startswith(container + " ") or selector.startswith(container + ":")


def check_theme(stylesheets: list[Path], fmt: Format) -> list[Problem]:
    """Contrast of the theme's text and background pairs, and type sizes against ``fmt``'s minimum."""
    # Every leaflet of a project shares its theme: check it once per version of the files.
    versions = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in stylesheets)
    return list(_check_theme_files(versions, fmt))


@lru_cache(maxsize=32)
def _check_theme_files(versions: tuple[tuple[Path, int, int], ...], fmt: Format) -> tuple[Problem, ...]:
    theme = read_theme([path for path, _, _ in versions])
    return tuple(_contrast_problems(theme) + _size_problems(theme, fmt))


def _colours(theme: Theme, names: Iterable[str]) -> list[tuple[Setting, Colour, Location]]:
    found = []
    for setting in theme.settings:
        if setting.name in names:
            tokens, origin = theme.resolve(setting)
            colour = colour_of(tokens)
            if colour is not None and colour[3] > 0:
                found.append((setting, colour, origin))
    return found


_PAGE_SELECTORS = {"html", "body", ":root"}
# (where the colour is set, text colour, background, ratio needed) -> the rules that use the pair
_Pairs = dict[tuple[Location, str, str, float], list[str]]


def _contrast_problems(theme: Theme) -> list[Problem]:
    texts = _colours(theme, ("color",))
    backgrounds = _colours(theme, ("background", "background-color"))
    page = next((c for s, c, _ in reversed(backgrounds) if set(_selectors(s)) & _PAGE_SELECTORS), WHITE)
    boxes = [(s, c, o) for s, c, o in backgrounds if not set(_selectors(s)) & _PAGE_SELECTORS]
    body = [(s, c, o) for s, c, o in texts if set(_selectors(s)) & _PAGE_SELECTORS]
    pairs: _Pairs = {}
    for text_setting, text, origin in texts:
        needed = AAA_BODY if any(t is text_setting for t, _, _ in body) else AA
        # The rule's own background; else the page and the backgrounds of what holds it.
        own = [(c, s.selector) for s, c, _ in backgrounds if s.selector == text_setting.selector]
        grounds = [c for c, _ in own[-1:]] or [page]
        for ground_setting, ground, _ in [] if own else boxes:
            for selector in _selectors(text_setting):
                if any(_inside(selector, container) for container in _selectors(ground_setting)):
                    grounds.append(ground)
        for ground in grounds:
            _pair(pairs, "body text" if needed == AAA_BODY else text_setting.selector, text, origin, ground, needed)
    # Body text and headings sit on every tinted box too, unless the box sets its own text colour.
    inherited = body + [
        (s, c, o)
        for s, c, o in texts
        if all(re.fullmatch(r"h[1-6]|a|strong|b|p|li|dt|dd", sel) for sel in _selectors(s))
    ]
    coloured = {s.selector for s, _, _ in texts}
    for ground_setting, ground, _ in boxes:
        if ground_setting.selector in coloured:
            continue
        for text_setting, text, origin in inherited:
            needed = AAA_BODY if any(t is text_setting for t, _, _ in body) else AA
            name = "body text" if needed == AAA_BODY else text_setting.selector
            _pair(pairs, f"{name} in {ground_setting.selector}", text, origin, ground, needed)
    problems = []
    for (origin, text_hex, ground_hex, needed), users in pairs.items():
        ratio = contrast_ratio(_hex(text_hex), _hex(ground_hex))
        level = "AAA for body text" if needed == AAA_BODY else "AA"
        problems.append(
            Problem(
                origin,
                f"text colour {text_hex} on {ground_hex} has contrast {ratio:.2f}:1, "
                f"below WCAG {level} {needed:g}:1 (in {', '.join(users)})",
                "choose a darker text colour or a lighter background",
                "contrast",
            )
        )
    return problems


def _hex(text: str) -> Colour:
    return (int(text[1:3], 16) / 255, int(text[3:5], 16) / 255, int(text[5:7], 16) / 255, 1.0)


def _pair(pairs: _Pairs, user: str, text: Colour, origin: Location, ground: Colour, needed: float) -> None:
    ground = _over(ground, WHITE)
    text = _over(text, ground)
    if contrast_ratio(text, ground) + 1e-9 < needed:
        users = pairs.setdefault((origin, hex_colour(text), hex_colour(ground), needed), [])
        if user not in users:
            users.append(user)


def _size_problems(theme: Theme, fmt: Format) -> list[Problem]:
    problems = []
    for setting in theme.settings:
        if setting.name != "font-size":
            continue
        tokens, origin = theme.resolve(setting)
        size = size_in_pt(tokens)
        if size is not None and size < fmt.min_font_pt - 0.01:
            problems.append(
                Problem(
                    origin,
                    f"font size {size:g}pt ({setting.selector}) is below the {fmt.name} "
                    f"minimum of {fmt.min_font_pt:g}pt",
                    f"use {fmt.min_font_pt:g}pt or more",
                    "font-size",
                )
            )
    return problems


# A whole leaflet ---------------------------------------------------------------------------
def check_leaflet(
    source: Path, project: Project, formats: Sequence[str | Format] = ("standard",), build_pdf: bool = True
) -> list[Problem]:
    """Every accessibility problem of one leaflet in ``formats``, with its place.

    With ``build_pdf`` the leaflet's accessible PDFs are built in memory and checked too.
    """
    from leafpress.build.pipeline import prepare, render  # the pipeline also checks what it writes

    try:
        loaded = load_yaml(source)
    except LeafpressError as exc:
        return [Problem(exc.location, exc.message, exc.hint, "load")]
    problems = check_source(loaded, project.config, project.root)
    for fmt in map(get_format, formats):
        if fmt.kind != "text":
            problems += check_theme(stylesheets_for(fmt, project), fmt)
        if build_pdf and fmt.kind == "pdf" and fmt.accessible:
            try:
                data, _ = render(prepare(source, project), source, project, fmt)
            except (LeafpressError, LeafpressErrors):
                continue  # the build reports why it fails; there is no PDF to check
            problems += check_pdf(data, where=Path(f"{source} ({fmt.name} PDF)"), min_font_pt=fmt.min_font_pt)
    unique: dict[str, Problem] = {}
    for problem in problems:
        unique.setdefault(str(problem), problem)
    return list(unique.values())


def accessibility_check(source: Path, project: Project) -> ExtraCheck:
    """The accessibility part of ``leafpress check``, in the project's formats (``formats:``).

    Rendering every PDF again would make ``check`` as slow as a build, so the PDFs checked
    are the ones already in ``output/`` that were built from this very source (their
    SourceSHA256 provenance matches); every build checks its own PDF as it writes it.
    """

    formats = [name for name in project.config.formats if name in FORMATS]
    # A file that cannot be read is reported by `check` itself, once.
    problems = [p for p in check_leaflet(source, project, formats, build_pdf=False) if p.rule != "load"]
    checked, not_built = [], []
    for fmt in map(get_format, formats):
        if fmt.kind != "pdf" or not fmt.accessible:
            continue
        pdf = Path("output") / output_name(source, fmt.suffix)
        if _built_from(project.root / pdf, source):
            problems += check_pdf((project.root / pdf).read_bytes(), where=pdf, min_font_pt=fmt.min_font_pt)
            checked.append(str(pdf))
        else:
            not_built.append(str(pdf))
    unique = list({str(problem): problem for problem in problems}.values())
    return ExtraCheck(
        key="accessibility",
        title="Accessibility",
        passed=not unique,
        data={
            "passed": not unique,
            "formats": formats,
            "pdfs_checked": checked,
            "pdfs_not_built": not_built,
            "problems": [problem.as_dict() for problem in unique],
        },
        lines=[str(problem) for problem in unique],
    )


def _built_from(pdf: Path, source: Path) -> bool:
    """Whether ``pdf`` exists and carries the hash of ``source`` as it is now."""
    if not pdf.is_file():
        return False
    try:
        with pikepdf.open(pdf) as document:
            recorded = str(document.docinfo.get("/SourceSHA256", ""))
        return recorded == source_digest(read_text(source))
    except (pikepdf.PdfError, LeafpressError):
        return False
