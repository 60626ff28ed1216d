"""A leaflet's language: its locale, writing direction, script and end-matter labels.

Everything that changes with a leaflet's ``language`` (a BCP 47 tag such as en-GB, cy,
ar or zh-Hans) is worked out here from the tag, with Babel's copy of the Unicode CLDR,
so the rest of the pipeline never has a table of languages of its own.

Labels come from YAML catalogues, one per language, keyed like ``enrich.LABELS``:
``leafpress/data/labels/<tag>.yaml`` is built in, and a project's own
``labels/<tag>.yaml`` overrides it key by key. A label no catalogue translates is
shown in English with a warning, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global

BUILT_IN_LABELS = Path(__file__).resolve().parents[1] / "data" / "labels"
PROJECT_LABELS = "labels"
FALLBACK_LOCALE = "en_GB"


@dataclass(frozen=True)
class Language:
    """What a BCP 47 tag means for laying a leaflet out."""

    tag: str
    locale: str  # Babel's locale id, e.g. "cy", "zh_Hans"
    direction: str  # "ltr" or "rtl", the value of <html dir>
    script: str  # ISO 15924 code, e.g. "Latn", "Arab", "Hans"
    known: bool  # False when Babel (CLDR) does not know the language

    @property
    def primary(self) -> str:
        """The language without region or script: "cy" for "cy-GB"."""
        return self.tag.split("-")[0].lower()


def describe(tag: str) -> Language:
    """The locale, direction and script of ``tag``; English rules when CLDR does not know it."""
    try:
        locale = Locale.parse(tag, sep="-")
    except (ValueError, LookupError, UnknownLocaleError):  # "xx": a well-formed tag CLDR has no data for
        return Language(tag, FALLBACK_LOCALE, "ltr", _likely_script(tag) or "Latn", known=False)
    direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
    script = locale.script or _likely_script(str(locale)) or "Latn"
    return Language(tag, str(locale), direction, script, known=True)


def _likely_script(locale_id: str) -> str | None:
    """CLDR's likely script for a locale id such as "ar" or "zh_TW" ("Arab", "Hant")."""
    likely = get_global("likely_subtags")
    parts = locale_id.replace("-", "_").split("_")
    for size in range(len(parts), 0, -1):
        found = likely.get("_".join(parts[:size]))
        if found:
            return found.split("_")[1]
    return None


def catalogue_names(language: Language) -> list[str]:
    """Catalogue file stems to look for, most specific first: zh-Hans-CN, zh-Hans, zh."""
    names = [language.tag]
    if language.known:
        parts = language.locale.split("_")
        names += ["-".join(parts[:size]) for size in range(len(parts), 0, -1)]
    names.append(language.primary)
    unique: list[str] = []
    for name in names:
        if name.lower() not in (u.lower() for u in unique):
            unique.append(name)
    return unique
