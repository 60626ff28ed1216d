"""Stage 3, enrich: add what the author never writes by hand.

Review due dates, numbered references, the "About this information" details and the
organisation's contact block are all derived here from the leaflet and the project, so
the templates only lay out data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from babel.dates import format_date
from markupsafe import Markup

from leafpress.core.bidi import first_strong_direction
from leafpress.core.config import ProjectConfig
from leafpress.core.errors import LeafpressError, LeafpressWarning, Location
from leafpress.core.language import describe
from leafpress.core.model import Leaflet, Section
from leafpress.enrich.citations import CiteRenderer, check_citations, citation_renderer
from leafpress.enrich.document import LABELS, Document, FigureData, SectionData
from leafpress.enrich.easy_read import easy_read_data
from leafpress.enrich.images import ImagePolicy, ImageProblem, check_alt, image_url, leaflet_roots, natural_width
from leafpress.enrich.labels import label_languages, load_labels
from leafpress.enrich.markdown import render_markdown, render_markdown_tree, tree_to_html
from leafpress.enrich.organisation import localise
from leafpress.enrich.qr import link_data
from leafpress.enrich.references import NUMBERED_STYLES, format_references
from leafpress.enrich.review import check_review_interval, review_due_date
from leafpress.enrich.signoff import check_signoff, signoff
from leafpress.source.load import Loaded, source_digest

# A box of at most this many words (about a third of an A4 page) stays whole; a longer one may split.
SHORT_BOX_WORDS = 90


def babel_locale(language: str) -> str:
    """A Babel locale for a BCP 47 tag, falling back to English where Babel has none."""
    return describe(language).locale


def enrich(loaded: Loaded, leaflet: Leaflet, config: ProjectConfig, project_root: Path | None = None) -> Document:
    """Build the render-ready document for ``leaflet``; ``project_root`` anchors the logo's path."""
    check_review_interval(loaded, leaflet, config)
    check_signoff(loaded, leaflet)
    language = describe(leaflet.language or config.language)
    locale = language.locale
    labels, label_problems = load_labels(language, LABELS, project_root)
    # English left in the end matter comes from the leaflet's language, when its file sets one.
    language_given = loaded.location(("language",)) if ("language",) in loaded.positions else None
    warnings = [LeafpressWarning(problem, language_given) for problem in label_problems]

    def long_date(day: dt.date) -> str:
        return format_date(day, format="long", locale=locale)

    due = review_due_date(leaflet, config)
    cited = check_citations(loaded, leaflet)
    references = [leaflet.references[index] for index in cited.order]
    style = config.references.style
    entries = format_references(references, style, language.tag, config.language)
    cite = citation_renderer(references, entries, numbered=style in NUMBERED_STYLES)
    images = ImagePolicy(
        loaded.path.parent,
        leaflet_roots(loaded.path, project_root),
        config.limits.max_image_bytes,
        config.limits.max_image_pixels,
        tuple(config.allowed_hosts),
    )
    sections = [
        _section(loaded, leaflet_section, index, images, cite) for index, leaflet_section in enumerate(leaflet.sections)
    ]
    summary_trees = [
        render_markdown_tree(loaded, ("summary", i), text, inline=True, cite=cite)
        for i, text in enumerate(leaflet.summary)
    ]
    organisation, organisation_lang = localise(config.organisation, language.tag, config.language)
    document = Document(
        leaflet=leaflet,
        source_path=loaded.path,
        organisation=organisation,
        organisation_lang=organisation_lang,
        language=language.tag,
        locale=locale,
        direction=language.direction,
        script=language.script,
        labels=labels,
        label_lang=label_languages(labels, LABELS, language),
        warnings=warnings + cited.warnings,
        title=leaflet.title,
        summary=[tree_to_html(tree) for tree in summary_trees],
        summary_trees=summary_trees,
        sections=sections,
        references=entries,
        references_direction=first_strong_direction(" ".join(e.html.striptags() for e in entries))
        or language.direction,
        numbered_references=style in NUMBERED_STYLES,
        last_reviewed=leaflet.review.last_reviewed,
        review_due_date=due,
        dates={"last_reviewed": long_date(leaflet.review.last_reviewed), "next_review": long_date(due)},
        source_sha256=source_digest(loaded.source),
        logo=_logo(config, project_root),
        link=link_data(leaflet.link.url, leaflet.link.label) if leaflet.link else None,
        signoff=signoff(leaflet, long_date),
        quality_mark=_quality_mark(config, project_root),
    )
    if leaflet.easy_read is not None:
        document.easy_read = easy_read_data(loaded, leaflet.easy_read, leaflet.title, images, project_root)
    if leaflet.is_draft:
        document.marks.append(document.labels["draft_mark"])
    return document


def _logo(config: ProjectConfig, project_root: Path | None) -> Path | None:
    return _project_image(config.organisation.logo, project_root, "organisation logo")


def _quality_mark(config: ProjectConfig, project_root: Path | None) -> Path | None:
    mark = config.organisation.quality_mark
    return _project_image(mark.image if mark else None, project_root, "quality mark image")


def _project_image(relative: str | None, project_root: Path | None, what: str) -> Path | None:
    """The file of an image named in the project config by its path from the project folder."""
    if not relative or project_root is None:
        return None
    path = (project_root / relative).resolve()
    if not path.is_file():
        raise LeafpressError(
            Location(project_root / "leafpress.yaml"),
            f"{what} '{relative}' not found",
            "give the image's path from the project folder",
        )
    return path


def _section(
    loaded: Loaded, section: Section, index: int, images: ImagePolicy, cite: CiteRenderer | None = None
) -> SectionData:
    key = ("sections", index)
    figure = None
    if section.image is not None:
        caption = section.image.caption
        url = _image_url(loaded, section.image.src, section.image.alt, (*key, "image"), images)
        figure = FigureData(
            url=url,
            natural_width=natural_width(url),
            alt=section.image.alt,
            caption=render_markdown(loaded, (*key, "image", "caption"), caption, inline=True) if caption else None,
        )
    tree = (
        render_markdown_tree(loaded, (*key, "body"), section.body, images=lambda src: image_url(src, images), cite=cite)
        if section.body
        else []
    )
    return SectionData(
        id=f"section-{index + 1}",
        heading=section.heading,
        html=tree_to_html(tree) if tree else Markup(""),
        tree=tree,
        callout=section.callout,
        figure=figure,
        line=loaded.location(("sections", index)).line,
        link=link_data(section.link.url, section.link.label) if section.link else None,
        keep_whole=figure is None and len((section.body or "").split()) <= SHORT_BOX_WORDS,
    )


def _image_url(loaded: Loaded, src: str, alt: str, key: tuple[str | int, ...], images: ImagePolicy) -> str:
    """A URL for a section's image, after checking the file and its alt text."""
    try:
        check_alt(alt, src)
    except ImageProblem as problem:
        raise LeafpressError(loaded.location((*key, "alt")), problem.message, problem.hint) from None
    try:
        return image_url(src, images)
    except ImageProblem as problem:
        raise LeafpressError(loaded.location((*key, "src")), problem.message, problem.hint) from None
