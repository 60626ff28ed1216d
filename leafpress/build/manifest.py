"""The build manifest: what every output was built from, so unchanged leaflets are not rebuilt.

It lives beside the outputs as ``.leafpress-manifest.json``. Inputs are compared by
content (SHA-256), never by modification time, so a fresh checkout or a CI cache restored
into ``output/`` still counts as unchanged. Nothing here imports WeasyPrint: deciding that
there is nothing to do must stay fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from leafpress import __version__
from leafpress.build.write import output_name, write_atomic
from leafpress.core.config import CONFIG_NAME
from leafpress.core.files import sha256_regular
from leafpress.core.project import Project
from leafpress.source.load import file_limits
from leafpress.source.translations import FolderLinks, folder_links

MANIFEST_NAME = ".leafpress-manifest.json"
# Bump when the manifest's shape changes: an old manifest is then ignored (a full rebuild).
SCHEMA = 1
PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Project folders whose every file can change any leaflet's output: templates, styles (with
# the fonts and images they use), label translations and word lists.
PROJECT_INPUT_FOLDERS = ("templates", "styles", "labels", "words")


def sha256_file(path: Path) -> str | None:
    """The file's SHA-256, or None when it cannot be read (missing, a folder, a pipe or device)."""
    # Opening a pipe or /proc/kmsg blocks: hash regular files only, and let the build itself
    # refuse anything else with its message.
    try:
        return sha256_regular(path)
    except (OSError, ValueError):
        return None


def _tree_digest(folder: Path, digest: hashlib._Hash) -> None:
    """Add every file under ``folder`` (names and contents) to ``digest``; notes (*.md) and dotfiles aside."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if (
            path.is_dir()
            or path.suffix == ".md"
            or "__pycache__" in relative.parts
            or any(part.startswith(".") for part in relative.parts)
        ):
            continue
        digest.update(f"{relative.as_posix()}\0{sha256_file(path)}\0".encode())


def relative_name(path: Path, root: Path) -> str:
    """``path`` from ``root`` when inside it (so a moved checkout still matches), else absolute."""
    resolved = Path(os.path.abspath(path))
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else resolved.as_posix()


class Inputs:
    """The current state of everything a build reads, hashed once per run."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._hashes: dict[Path, str | None] = {}
        self._folder_links: dict[Path, FolderLinks] = {}

    def file_hash(self, path: Path) -> str | None:
        if path not in self._hashes:
            self._hashes[path] = sha256_file(path)
        return self._hashes[path]

    def _links(self, folder: Path) -> FolderLinks:
        if folder not in self._folder_links:
            with file_limits(self.project.config.limits):  # siblings are read as their builds read them
                self._folder_links[folder] = folder_links(folder)
        return self._folder_links[folder]

    @cached_property
    def shared(self) -> str:
        """What every leaflet depends on: leafpress itself (code, built-in theme, word lists), the
        project config and the project's templates, styles and word lists."""
        digest = hashlib.sha256(f"leafpress {__version__}\0".encode())
        _tree_digest(PACKAGE_DIR, digest)
        digest.update(f"config\0{self.file_hash(self.project.root / CONFIG_NAME)}\0".encode())
        for folder in PROJECT_INPUT_FOLDERS:
            digest.update(f"{folder}/\0".encode())
            _tree_digest(self.project.root / folder, digest)
        return digest.hexdigest()

    def job_key(self, source: Path, output_format: str) -> str:
        """A digest of one job's own inputs: the shared ones, the leaflet file, the format, and
        its links to other leaflets (a sibling that starts or stops listing it as a translation)."""
        own = self.file_hash(source.resolve())
        links = self._links(source.parent).state(source)
        return hashlib.sha256(f"{self.shared}\0{output_format}\0{own}\0{links}".encode()).hexdigest()


@dataclass
class Entry:
    """What one (leaflet, format) job was last built from, and what it wrote."""

    source: str
    format: str
    key: str
    # Other files the build read (images, logo, fonts), relative to the project, with their SHA-256.
    files: dict[str, str]
    # Output file names, relative to the output folder.
    outputs: list[str]
    # The review due date (YYYY-MM-DD) and whether it had passed when built: once it passes,
    # the project's overdue policy may change the output (a watermark, a refusal).
    review_due: str = ""
    overdue: bool = False
    # What ``check`` finds in the output (leafpress.pdf.findings, with the output's SHA-256), so a
    # check of just-built leaflets reuses it; empty for outputs that are not accessible PDFs.
    checks: dict[str, Any] = field(default_factory=dict)
    # How long the job took (seconds): a parallel build starts the longest jobs first.
    seconds: float = 0.0


def entry_id(source_name: str, output_format: str) -> str:
    return f"{source_name} [{output_format}]"


class Manifest:
    """The manifest file of one output folder."""

    def __init__(self, output_dir: Path, entries: dict[str, Entry] | None = None, problem: str = "") -> None:
        self.output_dir = output_dir
        self.entries = entries or {}
        # What this run recorded (an Entry) or forgot (None): merged into the file on each save,
        # so builds sharing the folder keep each other's entries.
        self._changes: dict[str, Entry | None] = {}
        # Why an existing manifest was ignored, to tell the user; empty when all is well.
        self.problem = problem

    @property
    def path(self) -> Path:
        return self.output_dir / MANIFEST_NAME

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        """The manifest in ``output_dir``; an empty one when there is none or it is unreadable."""
        path = output_dir / MANIFEST_NAME
        if not path.is_file():
            return cls(output_dir)
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schema") != SCHEMA:
                return cls(output_dir, problem=f"{path}: written by another leafpress version; rebuilding all")
            entries = {name: Entry(**entry) for name, entry in data["entries"].items()}
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return cls(output_dir, problem=f"{path}: unreadable, so every leaflet is rebuilt")
        return cls(output_dir, entries)

    def save(self) -> None:
        """Write this run's changes into the manifest file, under a lock: another build writing
        into the same folder at the same time loses none of its entries, nor this one's."""
        if all(change is None for change in self._changes.values()) and not self.path.exists():
            return  # nothing built: leave no file behind (a failed build writes nothing)
        with _locked(self.output_dir):
            # The file, not what this run loaded at its start, holds the other builds' latest entries.
            merged = Manifest.load(self.output_dir).entries
            for name, change in self._changes.items():
                if change is None:
                    merged.pop(name, None)
                else:
                    merged[name] = change
            self.entries = merged
            if not merged and not self.path.exists():
                return
            data = {
                "schema": SCHEMA,
                "generator": f"leafpress {__version__}",
                "entries": {name: vars(entry) for name, entry in sorted(merged.items())},
            }
            write_atomic((json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode(), self.path)

    def is_fresh(self, name: str, key: str, inputs: Inputs, on: dt.date) -> bool:
        """True when the job ``name`` was built from exactly these inputs, with the same review state
        as on the day ``on``, and its outputs are all there."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key or not entry.outputs:
            return False
        if entry.review_due and (dt.date.fromisoformat(entry.review_due) < on) != entry.overdue:
            return False
        root = inputs.project.root
        if any(inputs.file_hash(root / file) != digest for file, digest in entry.files.items()):
            return False
        return all((self.output_dir / output).is_file() for output in entry.outputs)

    def record(self, entry: Entry) -> None:
        name = entry_id(entry.source, entry.format)
        self.entries[name] = self._changes[name] = entry

    def forget(self, name: str) -> None:
        self.entries.pop(name, None)
        self._changes[name] = None

    def orphans(self, root: Path) -> dict[str, Entry]:
        """Entries whose leaflet file no longer exists: their outputs are left over."""
        return {name: entry for name, entry in self.entries.items() if not (root / entry.source).is_file()}

    def remove_outputs(self, name: str) -> tuple[list[Path], list[str]]:
        """Delete the outputs of entry ``name`` and forget it; the files removed, and the names
        refused because leafpress cannot have written them (a tampered or restored manifest)."""
        claimed = {output for other, entry in self.entries.items() if other != name for output in entry.outputs}
        removed, refused = [], []
        entry = self.entries[name]
        for output in entry.outputs:
            if not written_by_leafpress(entry.source, output):
                refused.append(output)
                continue
            path = self.output_dir / output
            if output not in claimed and path.is_file():
                path.unlink()
                removed.append(path)
        self.forget(name)
        return removed, refused


def written_by_leafpress(source: str, output: str) -> bool:
    """Whether ``output`` is a name leafpress gives an output of the leaflet ``source``: one file
    directly in the output folder (no folder, no ``..``, not hidden), named after the leaflet."""
    if not output or "/" in output or "\\" in output or output.startswith(".") or output != output.strip():
        return False
    stem = output_name(Path(source), "")
    return output.startswith(stem + ".") and not Path(output).is_absolute()


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on the output folder itself (no lock file is left in it)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock
