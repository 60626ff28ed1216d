"""The organisation's details in the leaflet's language, and the language of each detail left as written.

``organisation.translations`` in ``leafpress.yaml`` gives the details in other languages; a
detail with no translation is printed as written, in ``organisation.language`` (the project's
language by default). Templates put ``lang`` (and ``dir``) on each such detail, so a Welsh or
Arabic voice hands the English address to an English one (WCAG 3.1.2) and the PDF's structure
element says ``/Lang``.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from leafpress.core.config import Organisation, OrganisationText
from leafpress.core.language import describe

# Details in words (email and web addresses have none); "quality_mark_alt" and
# "quality_mark_statement" are the quality mark's.
WORDED = ("name", "address", "phone", "feedback")


def same_language(first: str, second: str) -> bool:
    """Whether two tags name one language for reading aloud (``en-GB`` and ``en`` do)."""
    return first.split("-")[0].lower() == second.split("-")[0].lower()


def _translation(organisation: Organisation, language: str) -> OrganisationText | None:
    """The translation for ``language``: its exact tag first, then one for its language alone."""
    by_tag = {tag.lower(): text for tag, text in organisation.translations.items()}
    return by_tag.get(language.lower()) or by_tag.get(language.split("-")[0].lower())


def language_attribute(tag: str) -> Markup:
    return Markup(' lang="{}" dir="{}"').format(escape(tag), describe(tag).direction)


def localise(
    organisation: Organisation, language: str, project_language: str
) -> tuple[Organisation, dict[str, Markup]]:
    """The details to print in a ``language`` leaflet, and for each worded detail its ``lang`` attribute.

    The attribute is empty where the detail is in the leaflet's language.
    """
    written_in = organisation.language or project_language
    translation = _translation(organisation, language) if not same_language(written_in, language) else None
    update: dict[str, object] = {}
    attributes: dict[str, Markup] = {}
    for field in WORDED:
        translated = getattr(translation, field, None)
        if translated:
            update[field] = translated
        in_language = language if translated else written_in
        attributes[field] = Markup("") if same_language(in_language, language) else language_attribute(in_language)
    mark = organisation.quality_mark
    mark_text = translation.quality_mark if translation else None
    mark_update: dict[str, object] = {}
    for part in ("alt", "statement"):
        translated = getattr(mark_text, part, None)
        if translated:
            mark_update[part] = translated
        in_language = language if translated else written_in
        attributes[f"quality_mark_{part}"] = (
            Markup("") if same_language(in_language, language) else language_attribute(in_language)
        )
    if mark is not None and mark_update:
        update["quality_mark"] = mark.model_copy(update=mark_update)
    return organisation.model_copy(update=update), attributes
