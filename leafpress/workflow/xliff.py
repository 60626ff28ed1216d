"""Translator exchange in XLIFF 2.0: export a leaflet's units, import the translated file.

Translation agencies work in CAT tools that read XLIFF. ``export`` writes one ``<unit>`` per
translation unit (see :mod:`leafpress.source.units`) with notes that say where it is, and the
hash of its source text; ``import`` writes or updates ``<stem>.<lang>.yaml`` beside the source,
keeping the translation's own review fields, and records each unit's source hash so a later
change to the source shows exactly which units are stale.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from leafpress.core.errors import LeafpressError, LeafpressErrors, Location
from leafpress.core.language import describe
from leafpress.core.model import Leaflet
from leafpress.source.load import load_yaml
from leafpress.source.translations import find_source
from leafpress.source.units import Unit, apply_translations, translation_units, unit_hash
from leafpress.source.validate import validate
from leafpress.workflow.yaml_out import dump_leaflet

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
HASH_NOTE = "leafpress-source-hash"
PLACE_NOTE = "location"
# An XLIFF file for one leaflet is tens of kilobytes; anything far bigger is refused unread.
MAX_XLIFF_BYTES = 5_000_000
_Q = f"{{{XLIFF_NS}}}"


@dataclass(frozen=True)
class Imported:
    path: Path
    created: bool
    units: int
    untranslated: list[str]
    # Units of some words whose "translation" is the source text itself: left in the source language?
    same_as_source: list[str] = field(default_factory=list)


def translation_path(source: Path, language: str) -> Path:
    """Where the ``language`` translation of ``source`` lives: ``<stem>.<language>.yaml`` beside it."""
    return source.with_name(f"{source.stem}.{language}.yaml")


def export_xliff(source: Path, language: str, project_root: Path) -> bytes:
    """The XLIFF 2.0 file for translating ``source`` into ``language``.

    Where a translation exists already, its current text is filled in as the target, marked
    ``final`` when its source text has not changed since and ``initial`` when it has.
    """
    if find_source(source) is not None:
        raise LeafpressError(Location(source), "this file is itself a translation", "export the source leaflet")
    tag = describe(language)
    if not tag.known:
        raise LeafpressError(Location(source), f"unknown language '{language}'", "give a language tag such as cy or pl")
    leaflet = validate(load_yaml(source), Leaflet)
    source_language = leaflet.language or "en-GB"
    existing = _existing_targets(translation_path(source, language))
    root = etree.Element(_Q + "xliff", nsmap={None: XLIFF_NS})
    root.set("version", "2.0")
    root.set("srcLang", source_language)
    root.set("trgLang", language)
    file = etree.SubElement(root, _Q + "file", id="f1", original=_relative(source, project_root))
    for unit in translation_units(leaflet):
        file.append(_unit_element(unit, existing))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _unit_element(unit: Unit, existing: dict[str, tuple[str, str | None]]) -> etree._Element:
    element = etree.Element(_Q + "unit", id=unit.id)
    notes = etree.SubElement(element, _Q + "notes")
    etree.SubElement(notes, _Q + "note", category=PLACE_NOTE).text = unit.note
    etree.SubElement(notes, _Q + "note", category=HASH_NOTE).text = unit.hash
    segment = etree.SubElement(element, _Q + "segment")
    etree.SubElement(segment, _Q + "source").text = unit.text
    if unit.id in existing:
        text, translated_from = existing[unit.id]
        segment.set("state", "final" if translated_from == unit.hash else "initial")
        etree.SubElement(segment, _Q + "target").text = text
    else:
        segment.set("state", "initial")
    return element


def _existing_targets(path: Path) -> dict[str, tuple[str, str | None]]:
    """The current translation's text of each unit, and the source hash it was made from."""
    if not path.is_file():
        return {}
    try:
        translation = validate(load_yaml(path), Leaflet)
    except (LeafpressError, LeafpressErrors):
        return {}
    return {unit.id: (unit.text, translation.translated_units.get(unit.id)) for unit in translation_units(translation)}


def _relative(path: Path, root: Path) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.name


def read_xliff(path: Path) -> etree._Element:
    """The parsed XLIFF file: no DTDs, entities or network, and a size limit (it is untrusted input)."""
    where = Location(path)
    if not path.is_file():
        raise LeafpressError(where, "no such XLIFF file", "give the path of the file the translator sent back")
    if path.stat().st_size > MAX_XLIFF_BYTES:
        raise LeafpressError(where, f"the file is over {MAX_XLIFF_BYTES // 1_000_000} MB", "is it the right file?")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(path.read_bytes(), parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (1, 1)
        raise LeafpressError(Location(path, line, column + 1), f"not well-formed XML: {exc.msg}") from None
    if root.tag != _Q + "xliff" or root.get("version", "").split(".")[0] != "2":
        raise LeafpressError(
            Location(path, root.sourceline or 1), "not an XLIFF 2 file", "export it again with leafpress"
        )
    return root


def import_xliff(path: Path, project_root: Path, today: dt.date) -> Imported:
    """Write or update the translation the XLIFF file at ``path`` holds; nothing is written on error."""
    root = read_xliff(path)
    language = root.get("trgLang") or ""
    if not describe(language).known:
        raise LeafpressError(Location(path, root.sourceline or 1), f"trgLang '{language}' is not a known language")
    file = root.find(_Q + "file")
    original = file.get("original") if file is not None else None
    if file is None or not original:
        raise LeafpressError(Location(path, root.sourceline or 1), "the XLIFF file names no source leaflet")
    source = _source_path(path, file, original, project_root)
    source_loaded = load_yaml(source)
    source_leaflet = validate(source_loaded, Leaflet)
    known = {unit.id: unit for unit in translation_units(source_leaflet)}
    translated: dict[str, str] = {}
    hashes: dict[str, str] = {}
    untranslated: list[str] = []
    same: list[str] = []
    for element in file.iter(_Q + "unit"):
        unit_id = element.get("id") or ""
        where = Location(path, element.sourceline or 1)
        if unit_id not in known:
            raise LeafpressError(where, f"unit '{unit_id}' is not in {source.name}", "export the XLIFF file again")
        target = "".join(element.find(f"{_Q}segment/{_Q}target").itertext()) if _has_target(element) else ""
        if not target.strip():
            untranslated.append(unit_id)
            continue
        translated[unit_id] = target.strip()
        if _is_a_sentence(target) and " ".join(target.split()) == " ".join(known[unit_id].text.split()):
            same.append(unit_id)
        hashes[unit_id] = _note(element, HASH_NOTE) or unit_hash(known[unit_id].text)
    if untranslated:
        raise LeafpressError(
            Location(path),
            f"{len(untranslated)} unit(s) have no translation: {', '.join(untranslated[:8])}"
            + (" …" if len(untranslated) > 8 else ""),
            "translate every unit, then import again",
        )
    target_path = translation_path(source, language)
    data = _translation_data(source_loaded.data, translated, hashes, target_path, source_leaflet, language, today)
    text = dump_leaflet(data, f"{language} translation of {source.name}, imported from {path.name} by leafpress.")
    _validate_text(text, target_path)
    created = not target_path.exists()
    target_path.write_text(text, encoding="utf-8")
    return Imported(target_path, created, len(translated), untranslated, same)


# A name, a number or an address may rightly stay as it is; a run of this many words is text.
SENTENCE_WORDS = 4


def _is_a_sentence(text: str) -> bool:
    return sum(1 for word in text.split() if any(character.isalpha() for character in word)) >= SENTENCE_WORDS


def _has_target(element: etree._Element) -> bool:
    return element.find(f"{_Q}segment/{_Q}target") is not None


def _note(element: etree._Element, category: str) -> str | None:
    for note in element.iter(_Q + "note"):
        if note.get("category") == category:
            return (note.text or "").strip() or None
    return None


def _source_path(path: Path, file: etree._Element, original: str, project_root: Path) -> Path:
    """The source leaflet the XLIFF file names: a file inside the project, never outside it."""
    candidate = (project_root / original).resolve()
    if not candidate.is_relative_to(project_root.resolve()):
        raise LeafpressError(
            Location(path, file.sourceline or 1),
            f"the source '{original}' is outside the project",
            "import the file inside the project it was exported from",
        )
    if not candidate.is_file():
        raise LeafpressError(
            Location(path, file.sourceline or 1),
            f"the source leaflet '{original}' was not found",
            "run the import from the project folder it was exported from",
        )
    return candidate


# What a translation keeps of its own when it is updated: who checked it and when.
OWN_FIELDS = ("code", "review", "status", "approved_by", "reviewers", "authors", "changes", "user_testing")
NOT_COPIED = ("translations", "approved_by", "translated_units", "user_testing", "changes")


def _translation_data(
    source_data: Any,
    translated: dict[str, str],
    hashes: dict[str, str],
    target_path: Path,
    source: Leaflet,
    language: str,
    today: dt.date,
) -> dict[str, Any]:
    data = apply_translations(dict(source_data), translated)
    for key in NOT_COPIED:
        data.pop(key, None)
    existing: dict[str, Any] = {}
    if target_path.is_file():
        try:
            loaded = load_yaml(target_path).data
            existing = loaded if isinstance(loaded, dict) else {}
        except LeafpressError:
            existing = {}
    if existing:
        for key in OWN_FIELDS:
            if key in existing:
                data[key] = existing[key]
            else:
                data.pop(key, None)
    else:
        # A new translation is a draft until someone who reads the language approves it.
        data["status"] = "draft"
        if source.code:
            data["code"] = f"{source.code}-{language.upper()}"[:40]
        data["review"] = {"last_reviewed": today}
    data["language"] = language
    data["translated_units"] = dict(sorted(hashes.items(), key=lambda item: _unit_order(item[0], translated)))
    return data


def _unit_order(unit_id: str, translated: dict[str, str]) -> int:
    return list(translated).index(unit_id)


def _validate_text(text: str, target_path: Path) -> None:
    """The new translation must be a valid leaflet before it replaces anything."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / target_path.name
        probe.write_text(text, encoding="utf-8")
        try:
            validate(load_yaml(probe), Leaflet)
        except LeafpressError as exc:
            raise _at_target(exc, target_path) from None
        except LeafpressErrors as exc:
            raise _at_target(exc.errors[0], target_path) from None


def _at_target(error: LeafpressError, target_path: Path) -> LeafpressError:
    where = Location(target_path, error.location.line, error.location.column)
    return LeafpressError(where, f"the imported translation would not be valid: {error.message}", error.hint)
