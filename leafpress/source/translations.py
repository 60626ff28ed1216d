"""Translations: which leaflet a translation comes from, and whether it still matches it.

A translation is linked to its source in one of two ways:

- by name: ``liver.cy.yaml`` is the Welsh translation of ``liver.yaml`` beside it (the
  part before ``.yaml`` is a language tag); it takes that language unless it names one;
- by the source's ``translations:`` list, for files named otherwise.

A translation must have the same sections (in order, with the same callouts and
images) and the same references as its source, or it is an error: readers in every
language get the same information. A translation last reviewed before its source is a
warning, since the source may have changed since it was translated.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass
from pathlib import Path

from leafpress.core.errors import LeafpressError, LeafpressErrors, LeafpressWarning, Location
from leafpress.core.files import read_regular
from leafpress.core.language import describe
from leafpress.core.model import Leaflet, Reference
from leafpress.source.load import Loaded, load_yaml, max_file_bytes, reads_unrecorded
from leafpress.source.validate import validate

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_SUFFIXES = (".yaml", ".yml")


@dataclass
class Link:
    """A leaflet and the source it is translated from."""

    source_path: Path
    source: Leaflet
    # The language the file name gives ("cy" for liver.cy.yaml), if linked by name.
    named_language: str | None


def name_parts(path: Path) -> tuple[str, str | None]:
    """("liver", "cy") for liver.cy.yaml; ("liver", None) when the name carries no language tag."""
    stem, dot, tag = path.stem.rpartition(".")
    if dot and stem and _TAG.match(tag) and describe(tag).known:
        return stem, tag
    return path.stem, None


def find_source(path: Path) -> tuple[Path, str | None] | None:
    """The source ``path`` translates and the language its name gives, or None for an original."""
    stem, tag = name_parts(path)
    if tag is not None:
        for suffix in _SUFFIXES:
            candidate = path.with_name(stem + suffix)
            if candidate.is_file():
                return candidate, tag
    itself = path.resolve()
    for name, listed in _translation_lists(path.parent):
        candidate = path.parent / name
        if path.name in listed and candidate.resolve() != itself:
            return candidate, None
    return None


# Each folder's ``translations:`` lists, kept while none of its YAML files changes: every leaflet
# of a batch asks for its source (the build's translation link, each of check's checks), and
# reading every sibling for each made a folder of n leaflets cost n² file reads.
_lists_kept: dict[Path, tuple[tuple[object, ...], list[tuple[str, list[str]]]]] = {}
_FOLDERS_KEPT = 16


def _translation_lists(folder: Path) -> list[tuple[str, list[str]]]:
    """(file name, the names it lists) for each YAML file in ``folder`` with a ``translations:`` list."""
    try:
        # One listing, with each entry's change time and size: asked for every leaflet of a batch.
        with os.scandir(folder) as listing:
            entries = sorted(
                (entry for entry in listing if entry.name.endswith(_SUFFIXES) and not entry.name.startswith(".")),
                key=lambda entry: entry.name,
            )
    except OSError:
        return []
    candidates = [folder / entry.name for entry in entries]
    # A sibling too big under one project's limits may be read under another's.
    state = (max_file_bytes(), *(_file_state(entry) for entry in entries))
    key = folder.absolute()
    kept = _lists_kept.get(key)
    if kept is not None and kept[0] == state:
        return kept[1]
    lists = []
    for candidate in candidates:
        try:
            # A sibling may be a FIFO, a device link or a huge file: never let it stall this leaflet.
            text = read_regular(candidate, max_file_bytes()).decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        # Cheap test first: only a file that mentions translations can list one. The source a
        # translation is linked to is read again, as a dependency, when the link is checked.
        if "translations" in text:
            with reads_unrecorded():
                listed = _listed(candidate)
            if listed:
                lists.append((candidate.name, listed))
    if len(_lists_kept) >= _FOLDERS_KEPT:
        _lists_kept.clear()
    _lists_kept[key] = (state, lists)
    return lists


def _file_state(entry: os.DirEntry[str]) -> tuple[object, ...]:
    """The name, file, change time and size (through a link); a broken link or a vanished file has none."""
    try:
        info = entry.stat()
    except OSError:
        return (entry.name,)
    return entry.name, info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size


def named_language(path: Path) -> str | None:
    """The language a translation's file name gives ("cy" for liver.cy.yaml beside liver.yaml), else None."""
    found = find_source(path)
    return found[1] if found else None


def _listed(source: Path) -> list[str]:
    try:
        data = load_yaml(source).data
    except LeafpressError:
        return []
    listed = data.get("translations") if isinstance(data, dict) else None
    return [Path(str(item)).name for item in listed] if isinstance(listed, list) else []


def translations_of(path: Path, leaflet: Leaflet) -> list[Path]:
    """The translations of the source ``path``: files named after it and files it lists."""
    found = named_translations(path)
    found += [listed for name in leaflet.translations if (listed := listed_path(path, name))]
    return sorted(set(found))


def named_translations(path: Path) -> list[Path]:
    """The files beside ``path`` whose names make them its translations (liver.cy.yaml for liver.yaml)."""
    return [
        p
        for suffix in _SUFFIXES
        for p in path.parent.glob(f"{glob.escape(path.stem)}.*{suffix}")
        if name_parts(p)[0] == path.stem and name_parts(p)[1] is not None
    ]


@dataclass
class FolderLinks:
    """Every translation link among the leaflets of one folder, found with one listing: what a
    batch needs to see that a leaflet's links changed (``find_source`` answers for one file)."""

    # File name → (its source's file name, the language its own name gives), as find_source finds it.
    sources: dict[str, tuple[str, str | None]]
    # Source stem → the files named as its translations ("liver" → ["liver.cy.yaml"]).
    named: dict[str, list[str]]

    def state(self, path: Path) -> str:
        """How other files link ``path`` to other leaflets, as text that changes when the links
        do: the source it translates (by its name, or listed in a sibling's ``translations:``)
        and the files named as its translations. Its output depends on them though its own
        file is unchanged."""
        source, language = self.sources.get(path.name, ("", None))
        return "\0".join([source, language or "", *self.named.get(path.stem, [])])


def folder_links(folder: Path) -> FolderLinks:
    """The translation links among the leaflets in ``folder``."""
    try:
        with os.scandir(folder) as listing:
            names = sorted(e.name for e in listing if e.name.endswith(_SUFFIXES) and not e.name.startswith("."))
    except OSError:
        names = []
    present = set(names)
    links = FolderLinks({}, {})
    for name in names:
        stem, tag = name_parts(Path(name))
        if tag is None:
            continue
        links.named.setdefault(stem, []).append(name)
        source = next((stem + suffix for suffix in _SUFFIXES if stem + suffix in present), None)
        if source is not None:
            links.sources[name] = (source, tag)
    for lister, listed in _translation_lists(folder):
        for name in listed:
            if name != lister and name in present:
                links.sources.setdefault(name, (lister, None))
    return links


def listed_path(source: Path, listed: str) -> Path | None:
    """The file a ``translations:`` entry of ``source`` names, or None when it would lead out.

    A leaflet is untrusted: what it lists may only be a file in its own folder or below it, so
    an absolute path, a ``..`` or a symlink leading out can never make leafpress read (and
    print, or quote in an error) a file from elsewhere.
    """
    relative = Path(listed)
    if relative.is_absolute() or ".." in relative.parts or listed.startswith("~"):
        return None
    folder = source.parent.resolve()
    try:
        real = (folder / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return source.parent / relative if real.is_relative_to(folder) else None


def link(loaded: Loaded, leaflet: Leaflet) -> tuple[Leaflet, list[LeafpressWarning]]:
    """Check ``leaflet`` against its source when it is a translation.

    Returns the leaflet (with the language its file name gives, when it names none) and
    warnings; raises the mismatches as errors at their place in the translation.
    """
    for index, listed in enumerate(leaflet.translations):
        listed_file = listed_path(loaded.path, listed)
        if listed_file is None:
            raise LeafpressError(
                loaded.location(("translations", index)),
                f"translation '{listed}' is outside this leaflet's folder",
                f"keep translations in {loaded.path.parent} (or a folder inside it) and give their path from there",
            )
        if not listed_file.is_file():
            raise LeafpressError(
                loaded.location(("translations", index)),
                f"translation '{listed}' not found",
                f"give the file's path from {loaded.path.parent}",
            )
    found = find_source(loaded.path)
    if found is None:
        return leaflet, []
    source_path, named = found
    where = Location(loaded.path)
    if named and leaflet.language and not _same_language(named, leaflet.language):
        raise LeafpressError(
            loaded.location(("language",)),
            f"the file name says '{named}' but language is '{leaflet.language}'",
            f"make them agree, or name the file {name_parts(loaded.path)[0]}.{leaflet.language}.yaml",
        )
    if named and not leaflet.language:
        leaflet = leaflet.model_copy(update={"language": named})
    try:
        source = validate(load_yaml(source_path), Leaflet)
    except (LeafpressError, LeafpressErrors):
        return leaflet, [LeafpressWarning(f"cannot check this translation: its source {source_path.name} has errors")]
    if source.language and leaflet.language and _same_language(source.language, leaflet.language):
        raise LeafpressError(
            loaded.location(("language",)) if leaflet.language else where,
            f"a translation of {source_path.name} is in the same language ({leaflet.language})",
            "set 'language:' to the language of the translation",
        )
    check_matches(loaded, leaflet, source, source_path)
    warnings = []
    if leaflet.review.last_reviewed < source.review.last_reviewed:
        warnings.append(
            LeafpressWarning(
                f"this translation was last reviewed on {leaflet.review.last_reviewed}, before its source "
                f"{source_path.name} ({source.review.last_reviewed}): check it still says the same, "
                "then update review.last_reviewed",
                loaded.location(("review", "last_reviewed")),
            )
        )
    return leaflet, warnings


def _same_language(first: str, second: str) -> bool:
    return first.split("-")[0].lower() == second.split("-")[0].lower()


def check_matches(loaded: Loaded, translation: Leaflet, source: Leaflet, source_path: Path) -> None:
    """Raise every difference in sections and references between a translation and its source."""
    errors: list[LeafpressError] = []
    name = source_path.name
    counts = [
        (
            "sections",
            len(translation.sections),
            len(source.sections),
            "translate each section of the source, in the same order",
        ),
        ("references", len(translation.references), len(source.references), "keep the same references as the source"),
    ]
    errors += [
        LeafpressError(loaded.location((key,)), f"{ours} {key}, but its source {name} has {theirs}", hint)
        for key, ours, theirs, hint in counts
        if ours != theirs
    ]
    for index, (ours, theirs) in enumerate(zip(translation.sections, source.sections, strict=False)):
        if ours.callout != theirs.callout:
            errors.append(
                LeafpressError(
                    loaded.location(("sections", index)),
                    f"section {index + 1} has {_callout(ours.callout)}, "
                    f"but in {name} it has {_callout(theirs.callout)}",
                    "keep the same callouts as the source",
                )
            )
        if (ours.image is None) != (theirs.image is None):
            has = "has" if ours.image else "has no"
            errors.append(
                LeafpressError(
                    loaded.location(("sections", index)),
                    f"section {index + 1} {has} image, unlike section {index + 1} of {name}",
                    "keep the same images as the source (translate the alt text and caption)",
                )
            )
    for index, (our_ref, their_ref) in enumerate(zip(translation.references, source.references, strict=False)):
        if _identity(our_ref) != _identity(their_ref):
            errors.append(
                LeafpressError(
                    loaded.location(("references", index)),
                    f"reference {index + 1} is not the same work as reference {index + 1} in {name}",
                    "keep the references in the source's order, with the same year, address, DOI or PMID",
                )
            )
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise LeafpressErrors(errors)


def _callout(kind: str | None) -> str:
    return f"callout '{kind}'" if kind else "no callout"


def _identity(reference: Reference) -> tuple[object, ...]:
    """What makes a reference the same work whatever language its title is given in."""
    return (reference.key, reference.year, reference.url, reference.doi, reference.pmid)
