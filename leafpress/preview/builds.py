"""The preview's builds: one warm worker thread runs the real pipeline and draws the pages.

WeasyPrint, its font configuration and the Jinja templates stay loaded in this process,
so a change costs one build (a few tenths of a second), never a fresh start.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from leafpress.build.pipeline import build_leaflet, prepare
from leafpress.checks.readability import LeafletReadability
from leafpress.core.errors import LeafpressError, LeafpressErrors, LeafpressWarning, Location
from leafpress.core.project import Project
from leafpress.formats import DEFAULT_FORMAT, FORMATS
from leafpress.preview.page_images import PageImage, page_images
from leafpress.preview.proof import readability_report
from leafpress.preview.proof import warm_up as warm_up_readability
from leafpress.preview.sources import leaflet_sources
from leafpress.preview.status import ReviewState, review_state
from leafpress.source.project import open_project

STANDARD = DEFAULT_FORMAT
log = logging.getLogger("leafpress.preview")


def preview_formats() -> dict[str, str]:
    """The printed (PDF) formats the switch offers: name → label ("large-print" → "Large print")."""
    return {name: name.replace("-", " ").capitalize() for name, fmt in FORMATS.items() if fmt.kind == "pdf"}


@dataclass
class LeafletBuild:
    """One build of one leaflet in one format, as the leaflet page shows it."""

    name: str
    format: str
    rev: int
    finished: dt.datetime
    seconds: float
    title: str | None = None
    pdf: bytes | None = None
    pages: list[PageImage] = field(default_factory=list)
    errors: list[LeafpressError] = field(default_factory=list)
    warnings: list[LeafpressWarning] = field(default_factory=list)
    report: LeafletReadability | None = None
    review: ReviewState | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class IndexEntry:
    """One row of the index: a leaflet's review state and whether it meets the readability targets."""

    name: str
    source: Path
    title: str | None = None
    code: str | None = None
    version: str | None = None
    review: ReviewState | None = None
    meets_targets: bool | None = None
    report: LeafletReadability | None = None
    errors: list[LeafpressError] = field(default_factory=list)


def _errors_of(exc: Exception, source: Path) -> list[LeafpressError]:
    """The user errors in ``exc``; anything else is a bug, logged in full and shown in one line."""
    if isinstance(exc, LeafpressErrors):
        return exc.errors
    if isinstance(exc, LeafpressError):
        return [exc]
    log.error("preview build of %s failed", source, exc_info=exc)
    return [
        LeafpressError(
            Location(source),
            f"leafpress failed unexpectedly ({type(exc).__name__}: {exc})",
            "this is a bug, not your mistake: the details are in the preview's terminal",
        )
    ]


def _warm_up() -> None:
    """Lay out a tiny page once so fonts and WeasyPrint's caches are ready before the first edit."""
    from weasyprint import HTML

    from leafpress.render.pdf import font_config

    HTML(string="<p>leafpress</p>").render(font_config=font_config())
    warm_up_readability()


class Builder:
    """Runs builds one at a time on a single warm thread (WeasyPrint and PDFium are not thread-safe)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.output_dir = Path(tempfile.mkdtemp(prefix="leafpress-preview-"))
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leafpress-build", initializer=_warm_up)
        # Scores a build's readability proof beside the drawing of its pages (one at a time).
        self._proofs = ThreadPoolExecutor(max_workers=1, thread_name_prefix="leafpress-proof")
        # Start from the clock so a page image URL never means two images across restarts.
        self._revisions = itertools.count(int(time.time() * 1000))

    def submit(self, function: Any, *args: Any) -> Any:
        """Run ``function(*args)`` on the worker; returns a concurrent future."""
        return self._executor.submit(function, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._proofs.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.output_dir, ignore_errors=True)

    def sources(self) -> dict[str, Path]:
        return leaflet_sources(self.root)

    def _project(self) -> Project:
        # Opened afresh for every build: the config may have changed since the last one.
        return open_project(self.root)

    def build(self, name: str, format_name: str, previous: LeafletBuild | None = None) -> LeafletBuild:
        """Build leaflet ``name`` in ``format_name`` and draw its pages (on the worker thread).

        Pages that look as they did in the ``previous`` build keep their images.
        """
        started = time.perf_counter()
        build = LeafletBuild(
            name=name, format=format_name, rev=next(self._revisions), finished=dt.datetime.now(), seconds=0.0
        )
        found = self.sources().get(name)
        try:
            if found is None:
                raise LeafpressError(
                    Location(Path("leaflets") / name),
                    "this leaflet file is gone",
                    "it was moved or deleted; open the list of leaflets",
                )
            source = self.root / found  # errors name it from the project folder again when shown
            project = self._project()
            result = build_leaflet(source, project, self.output_dir, format_name, keep_document=True)
            build.errors, build.warnings = result.errors, result.warnings
            if result.ok and result.output is not None and result.document is not None:
                # The proof is scored while PDFium draws the pages: drawing and compressing them
                # release the GIL, so the two share the cores instead of waiting on each other.
                proof = self._proofs.submit(readability_report, source, project)
                try:
                    build.pdf = result.output.read_bytes()
                    build.pages = page_images(build.pdf, previous.pages if previous else ())
                    document = result.document
                    build.title = document.title
                    build.review = review_state(document, project.config)
                finally:
                    wait([proof])  # never left running into the next build
                build.report = proof.result()
        except Exception as exc:  # the preview keeps running whatever one build does
            build.errors = _errors_of(exc, Path("leaflets") / name)
        build.finished = dt.datetime.now()
        build.seconds = time.perf_counter() - started
        return build

    def index_entry(self, name: str, source: Path) -> IndexEntry:
        """What the index shows for one leaflet: no PDF is built, so this is quick."""
        entry = IndexEntry(name=name, source=source)
        try:
            project = self._project()
            document = prepare(self.root / source, project)
            entry.title, entry.code = document.title, document.leaflet.code
            entry.version = document.leaflet.version
            entry.review = review_state(document, project.config)
            entry.report = readability_report(self.root / source, project)
            entry.meets_targets = entry.report.verdict  # None: not scored
        except Exception as exc:
            entry.errors = _errors_of(exc, source)
        return entry
