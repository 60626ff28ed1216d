"""Shared helpers: run the real CLI and write leaflet files into temporary projects."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path

import pytest

from leafpress.core.runtime import collect_garbage_less_often
from leafpress.formats import FORMAT_NAMES

# The tests run the command in this process, so they run it as `leafpress` itself runs.
collect_garbage_less_often()

REPO = Path(__file__).resolve().parent.parent
GENERATE = REPO / "generate.py"

MINIMAL_LEAFLET = """\
title: Looking after your liver
subtitle: A short guide
code: TST-001
version: "1.2"
summary:
  - Your liver does many jobs.
  - You can help it to work well.
sections:
  - heading: What your liver does
    body: |
      Your liver cleans your blood. It also stores energy.

      - It makes bile [@smith-2021].
      - It fights infection.
  - heading: When to get help
    callout: urgent
    body: Call 999 if your skin turns yellow and you feel very unwell [@nice-liver].
references:
  - key: smith-2021
    authors: [Smith J, Jones K]
    title: Liver care for beginners
    publisher: Example Press
    year: 2021
  - key: nice-liver
    organisation: National Institute for Health and Care Excellence (NICE)
    title: Liver disease guidance
    year: 2016
    url: https://www.nice.org.uk/guidance/example
    accessed: 2023-07-01
approved_by:
  name: Dr Ann Lee
  role: Consultant Hepatologist
  date: 2024-03-20
review:
  last_reviewed: 2024-03-15
"""


# Builds in tests use one process (see run_cli), but a long build made once for every worker uses
# all cores: the other workers are often waiting for it (made_once).
_default_jobs = "1"


def run_cli(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI with ARGS in ``cwd`` as a user would; ``env`` adds environment variables.

    It runs in this process (a warm interpreter: the suite stays fast), with the same working folder,
    environment, exit code, standard output and standard error as ``python generate.py ARGS`` would
    have: an exception that escapes the CLI is printed as a traceback with exit code 1. Set
    LEAFPRESS_TEST_SUBPROCESS=1 to run every call as a fresh process instead.
    """
    if os.environ.get("LEAFPRESS_TEST_SUBPROCESS") == "1":
        return run_process(*args, cwd=cwd, env=env)
    # One build process per test: the suite already runs on every core (pytest -n 2), so workers
    # inside a test would only compete for them. Tests of parallel builds pass --jobs themselves.
    return _run_in_process([str(arg) for arg in args], cwd, {"LEAFPRESS_JOBS": _default_jobs, **(env or {})})


def run_process(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python generate.py ARGS`` in ``cwd`` as a fresh process (start-up, signals, crashes)."""
    return subprocess.run(
        [sys.executable, str(GENERATE), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def _run_in_process(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    from click.testing import CliRunner

    from leafpress.cli import cli

    folder = os.getcwd()
    os.chdir(cwd)
    try:
        with warnings.catch_warnings():
            # What a fresh interpreter shows: DeprecationWarnings are hidden outside __main__.
            warnings.resetwarnings()
            for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
                warnings.simplefilter("ignore", category)
            warnings.showwarning = _warning_to_stderr
            result = CliRunner().invoke(cli, args, prog_name="leafpress", env=env, catch_exceptions=True)
    finally:
        os.chdir(folder)
    code, stderr = result.exit_code, result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(*result.exc_info))
        code = 1
    return subprocess.CompletedProcess(["leafpress", *args], code, result.stdout, stderr)


def _warning_to_stderr(message, category, filename, lineno, file=None, line=None) -> None:  # type: ignore[no-untyped-def]
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Long tests first: with the suite spread over workers, none is left running one alone at the end."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def made_once(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None], *, parallel: bool = False
) -> Path:
    """A folder that ``make`` fills once per test run and every test worker then reads.

    A module's build is otherwise done again by each pytest-xdist worker that runs one of its
    tests. The tests given the folder must only read it. A ``parallel`` make builds on every
    core (for builds of many seconds: the other workers are often waiting for it); for a few
    jobs, starting worker processes costs more than it saves.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    # The workers' temporary folders share a parent that belongs to this run alone.
    folder = tmp_path_factory.getbasetemp().parent / f"made-once-{name}"
    with open(folder.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        finished = folder.with_suffix(".done")
        if not finished.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed attempt left
            folder.mkdir()
            global _default_jobs
            _default_jobs = str(os.cpu_count() or 1) if parallel else "1"
            try:
                make(folder)
            finally:
                _default_jobs = "1"
            finished.touch()
    return folder


# The DL tri-fold holds six small panels: the longer examples are refused (tests/test_dl.py).
EXAMPLE_FORMATS = [name for name in FORMAT_NAMES if not name.startswith("dl")]


@pytest.fixture(scope="session")
def examples_built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example leaflet (leaflets/*.yaml) built from the checkout, as a user would, in every
    format but DL: the output folder. Its build's standard error is kept beside it (build.log).

    Built once per test run for every module that reads an example's output.
    """

    def make(folder: Path) -> None:
        formats = [arg for name in EXAMPLE_FORMATS for arg in ("--format", name)]
        result = run_cli(*formats, "--output", folder / "output", cwd=REPO)
        (folder / "build.log").write_text(result.stderr, encoding="utf-8")
        assert result.returncode == 0, result.stderr

    return made_once(tmp_path_factory, "examples", make, parallel=True) / "output"


def example_output(examples_built: Path, stem: str, folder: Path) -> Path:
    """``folder`` holding what the examples' build wrote for the example ``stem`` and its record of
    it (the manifest): ``check -o folder`` then judges those PDFs, as after a user's build."""
    folder.mkdir(parents=True, exist_ok=True)
    for built in [examples_built / ".leafpress-manifest.json", *examples_built.glob(f"{stem}.*")]:
        shutil.copy(built, folder)
    return folder


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """An empty project folder (built-in theme and defaults) with one valid leaflet."""
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    return tmp_path


def example_project(root: Path) -> Path:
    """A copy of the example project (leaflets, assets, leafpress.yaml) in ``root``."""
    shutil.copytree(REPO / "leaflets", root / "leaflets")
    shutil.copytree(REPO / "assets", root / "assets")
    shutil.copy(REPO / "leafpress.yaml", root / "leafpress.yaml")
    return root


def build_once(root: Path, leaflet: str, *args: str) -> Path:
    """Write ``leaflet`` as leaflets/liver.yaml in ``root``, build it with ``args``; the output folder."""
    write(root / "leaflets" / "liver.yaml", leaflet)
    result = run_cli(*args, cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "output"


def words_recovered(source: Path, text: str) -> tuple[float, list[str]]:
    """The share of the leaflet ``source``'s words (as ``check`` reads them) found whole in the
    extracted ``text``, and the words lost."""
    from leafpress.checks.fidelity import _recovered, leaflet_words
    from leafpress.core.model import Leaflet
    from leafpress.pdf.text_layer import words_in
    from leafpress.source.load import load_yaml
    from leafpress.source.validate import validate

    loaded = load_yaml(source)
    wanted = leaflet_words(loaded, validate(loaded, Leaflet))
    present = words_in(text)
    lost = [word for word in wanted if not _recovered(word, present)]
    return 1 - len(lost) / len(wanted), lost


PRINT_FORMATS = {"standard": ".pdf", "large-print": ".large-print.pdf", "bilingual": ".bilingual.pdf"}


def build_in_print_formats(root: Path, files: list[str]) -> None:
    """Build ``files`` of the project ``root`` in standard, large print and bilingual, as a user would."""
    result = run_cli("build", *files, *(arg for fmt in PRINT_FORMATS for arg in ("--format", fmt)), cwd=root)
    assert result.returncode == 0, result.stderr


def assert_pdfua_without_notdef(pdf: Path) -> None:
    """The independent validator finds ``pdf`` PDF/UA-1 compliant, and no glyph is drawn from .notdef."""
    import page

    from leafpress.pdf.glyphs import missing_glyphs

    verdict = page.validate_pdf(pdf, profile="ua1")
    assert verdict.is_compliant, [failure.rule_id for failure in verdict.failures]
    assert not missing_glyphs(pdf.read_bytes())


def assert_words_back(source: Path, text: str) -> None:
    """At least 99% of the words of the leaflet ``source`` are found whole in the extracted ``text``."""
    share, lost = words_recovered(source, text)
    assert share >= 0.99, lost


def structure_elements(pdf: Path) -> list[tuple[str, str | None, str | None]]:
    """(structure type, /Lang or None, its parent's structure type) of every structure element, in reading order."""
    import pikepdf

    found = []
    with pikepdf.open(pdf) as document:
        stack: list[tuple[pikepdf.Object, str | None]] = [(document.Root.StructTreeRoot, None)]
        while stack:
            element, parent = stack.pop()
            kids = element.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            kind = str(element.S) if "/S" in element else None
            if kind is not None:
                found.append((kind, str(element.Lang) if "/Lang" in element else None, parent))
            stack.extend(reversed([(k, kind) for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]))
    return found


def languages_in_structure(pdf: Path) -> list[tuple[str, str]]:
    """(structure type, /Lang) of every structure element that names its language, in reading order."""
    return [(kind, lang) for kind, lang, _ in structure_elements(pdf) if lang is not None]


def pdfjs_texts(pdfs: list[Path]) -> list[str]:
    """The text pdf.js takes out of each PDF (one node process for all); skips without pdf.js."""
    if not shutil.which("node") or not (REPO / "node_modules" / "pdfjs-dist").is_dir():
        pytest.skip("pdf.js needs node and `npm ci` (pdfjs-dist): `make test` installs them")
    script = REPO / "tests" / "pdfjs_text.mjs"
    result = subprocess.run(
        ["node", str(script), *map(str, pdfs)],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        timeout=300,
    )
    return result.stdout.split("\0")[: len(pdfs)] if len(pdfs) > 1 else [result.stdout]
