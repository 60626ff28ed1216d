"""Batch builds through the real CLI: incremental, parallel, cleaning up, interrupted."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from tests.conftest import GENERATE, MINIMAL_LEAFLET, REPO, run_cli, write

MANIFEST = ".leafpress-manifest.json"


def leaflet(title: str, code: str) -> str:
    return MINIMAL_LEAFLET.replace("Looking after your liver", title).replace("TST-001", code)


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """A project with three leaflets, one of which shows an image."""
    for index, name in enumerate(("alpha", "beta", "gamma")):
        write(tmp_path / "leaflets" / f"{name}.yaml", leaflet(f"Leaflet {name}", f"TST-{index}"))
    (tmp_path / "leaflets" / "pic.svg").write_text(_svg("#0b4f8a"), encoding="utf-8")
    text = (
        (tmp_path / "leaflets" / "gamma.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "  - heading: When to get help",
            "  - heading: A picture\n    image:\n      src: pic.svg\n      alt: A blue square\n"
            "  - heading: When to get help",
        )
    )
    (tmp_path / "leaflets" / "gamma.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _svg(colour: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
        f'<rect width="40" height="40" fill="{colour}"/></svg>'
    )


def stamps(folder: Path) -> dict[str, int]:
    """Modification times (ns) of every file in the output folder, the manifest included."""
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()}


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=project)


def summary(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr.strip().splitlines()[-1]


def test_formats_that_do_not_apply_are_not_counted_as_built(three: Path) -> None:
    # None of the three has a translation to set beside it or an Easy Read version.
    result = build(three, "build", "leaflets/alpha.yaml", "-f", "standard", "-f", "bilingual", "-f", "easy-read")
    assert result.returncode == 0, result.stderr
    assert summary(result).startswith("1 built, 2 not made (see the warnings), 0 skipped as unchanged, 0 failed")
    assert "no bilingual file" in result.stderr and "no easy-read file" in result.stderr
    assert sorted(p.name for p in (three / "output").glob("alpha*")) == ["alpha.pdf"]


def test_no_change_rebuild_renders_nothing_and_says_so(three: Path) -> None:
    first = build(three, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    assert summary(first).startswith("3 built, 0 skipped as unchanged, 0 failed in ")
    before = stamps(three / "output")
    assert set(before) == {"alpha.pdf", "beta.pdf", "gamma.pdf", MANIFEST}
    time.sleep(0.05)
    # -X importtime lists every module imported: the no-change path must not load WeasyPrint.
    again = subprocess.run(
        [sys.executable, "-X", "importtime", str(GENERATE)], cwd=three, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0, again.stderr
    assert "weasyprint" not in again.stderr
    assert "0 built, 3 skipped as unchanged, 0 failed in " in again.stderr
    assert "unchanged leaflets/alpha.yaml (standard)" in again.stderr
    assert stamps(three / "output") == before


FORMATS = ("standard", "large-print", "html", "text")


def test_editing_one_leaflet_rebuilds_exactly_that_one_in_every_format(three: Path) -> None:
    every_format = [arg for name in FORMATS for arg in ("--format", name)]
    first = build(three, *every_format)
    assert first.returncode == 0, first.stderr
    assert summary(first).startswith("12 built, 0 skipped")
    before = stamps(three / "output")
    assert {"beta.pdf", "beta.large-print.pdf", "beta.html", "beta.txt"} <= set(before)
    source = three / "leaflets" / "beta.yaml"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Leaflet beta", "Leaflet beta, revised"), encoding="utf-8"
    )
    result = build(three, *every_format)
    assert result.returncode == 0, result.stderr
    assert summary(result).startswith("4 built, 8 skipped as unchanged, 0 failed")
    after = stamps(three / "output")
    changed = {name for name in before if after[name] != before[name]}
    assert changed == {"beta.pdf", "beta.large-print.pdf", "beta.html", "beta.txt", MANIFEST}
    with pikepdf.open(three / "output" / "beta.large-print.pdf") as pdf:
        assert str(pdf.docinfo["/Title"]) == "Leaflet beta, revised"
    assert "Leaflet beta, revised" in (three / "output" / "beta.txt").read_text(encoding="utf-8")
    # A format not built before is built on its own; the others stay as they are.
    more = build(three, *every_format, "--format", "print-shop")
    assert summary(more).startswith("3 built, 12 skipped as unchanged"), more.stderr


def test_a_changed_image_rebuilds_only_the_leaflet_that_shows_it(three: Path) -> None:
    assert build(three).returncode == 0
    before = stamps(three / "output")
    (three / "leaflets" / "pic.svg").write_text(_svg("#aa0000"), encoding="utf-8")
    result = build(three)
    assert summary(result).startswith("1 built, 2 skipped as unchanged"), result.stderr
    after = stamps(three / "output")
    assert {name for name in before if after[name] != before[name]} == {"gamma.pdf", MANIFEST}


def test_editing_a_source_rebuilds_its_translation_too(tmp_path: Path) -> None:
    brief = "secondary-liver-cancer-in-brief"
    shutil.copytree(REPO / "leaflets" / "images", tmp_path / "leaflets" / "images")
    for name in (f"{brief}.yaml", f"{brief}.cy.yaml"):
        shutil.copy(REPO / "leaflets" / name, tmp_path / "leaflets" / name)
    write(tmp_path / "leaflets" / "unrelated.yaml", MINIMAL_LEAFLET)  # neither of them: left alone
    first = build(tmp_path)
    assert first.returncode == 0, first.stderr
    assert summary(first).startswith("3 built")
    before = stamps(tmp_path / "output")
    source = tmp_path / "leaflets" / f"{brief}.yaml"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("title: ", "title: Revised ", 1), encoding="utf-8")
    result = build(tmp_path)
    assert result.returncode == 0, result.stderr
    assert summary(result).startswith("2 built, 1 skipped as unchanged"), result.stderr
    after = stamps(tmp_path / "output")
    assert {name for name in before if after[name] != before[name]} == {f"{brief}.pdf", f"{brief}.cy.pdf", MANIFEST}


def test_a_sibling_that_starts_or_stops_listing_a_leaflet_as_its_translation_rebuilds_it(tmp_path: Path) -> None:
    # notes.yaml is a leaflet of its own until liver.yaml lists it as its translation; then it must
    # match liver.yaml's sections, and this one has a section fewer: an error its build must show.
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    welsh = MINIMAL_LEAFLET.replace('version: "1.2"\n', 'version: "1.2"\nlanguage: cy\n')
    welsh = welsh[: welsh.index("  - heading: When to get help")] + welsh[welsh.index("references:") :]
    welsh = welsh.replace(" [@nice-liver]", "")
    write(tmp_path / "leaflets" / "notes.yaml", welsh)
    first = build(tmp_path, "--format", "text")
    assert summary(first).startswith("2 built, 0 skipped as unchanged, 0 failed"), first.stderr
    listing = MINIMAL_LEAFLET + "translations: [notes.yaml]\n"
    write(tmp_path / "leaflets" / "liver.yaml", listing)
    listed = build(tmp_path, "--format", "text")
    assert listed.returncode == 1
    assert "unchanged leaflets/notes.yaml" not in listed.stderr
    assert "notes.yaml" in listed.stderr and "section" in listed.stderr, listed.stderr
    assert summary(listed).startswith("1 built, 0 skipped as unchanged, 1 failed"), listed.stderr
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)  # no longer listed: a leaflet of its own again
    unlisted = build(tmp_path, "--format", "text")
    assert summary(unlisted).startswith("2 built, 0 skipped as unchanged, 0 failed"), unlisted.stderr
    # Listed again: notes.yaml's own file has not changed since its last good build, yet it rebuilds.
    write(tmp_path / "leaflets" / "liver.yaml", listing)
    relisted = build(tmp_path, "--format", "text")
    assert summary(relisted).startswith("1 built, 0 skipped as unchanged, 1 failed"), relisted.stderr


def test_the_folder_wide_links_agree_with_each_leaflets_own(tmp_path: Path) -> None:
    from leafpress.source.translations import find_source, folder_links

    shutil.copytree(REPO / "leaflets", tmp_path / "leaflets")
    write(tmp_path / "leaflets" / "notes.yaml", MINIMAL_LEAFLET)
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET + "translations: [notes.yaml]\n")
    links = folder_links(tmp_path / "leaflets")
    for path in sorted((tmp_path / "leaflets").glob("*.yaml")):
        found = find_source(path)
        assert links.sources.get(path.name) == ((found[0].name, found[1]) if found else None), path.name
    assert links.sources["notes.yaml"] == ("liver.yaml", None)
    assert links.named["secondary-liver-cancer-in-brief"] == [
        "secondary-liver-cancer-in-brief.ar.yaml",
        "secondary-liver-cancer-in-brief.cy.yaml",
        "secondary-liver-cancer-in-brief.pl.yaml",
    ]


@pytest.mark.parametrize("change", ["config", "style", "template", "deleted output"])
def test_shared_inputs_rebuild_what_depends_on_them(three: Path, change: str) -> None:
    assert build(three).returncode == 0
    if change == "config":
        write(three / "leafpress.yaml", "organisation:\n  name: Another charity\n")
    elif change == "style":
        write(three / "styles" / "brand.css", ":root { --brand: #333333; }\n")
    elif change == "template":
        write(three / "templates" / "end_matter.html.j2", "<p>End of {{ leaflet.code }}</p>")
    else:
        (three / "output" / "alpha.pdf").unlink()
    result = build(three)
    assert result.returncode == 0, result.stderr
    expected = "1 built, 2 skipped" if change == "deleted output" else "3 built, 0 skipped"
    assert summary(result).startswith(expected), result.stderr
    assert build(three).stderr.strip().splitlines()[-1].startswith("0 built, 3 skipped")


def test_force_rebuilds_everything(three: Path) -> None:
    assert build(three).returncode == 0
    before = stamps(three / "output")
    result = build(three, "--force")
    assert summary(result).startswith("3 built, 0 skipped as unchanged"), result.stderr
    after = stamps(three / "output")
    assert all(after[name] != before[name] for name in ("alpha.pdf", "beta.pdf", "gamma.pdf"))


def test_deleted_leaflets_outputs_are_reported_then_removed_with_clean(three: Path) -> None:
    assert build(three).returncode == 0
    (three / "leaflets" / "beta.yaml").unlink()
    reported = build(three)
    assert reported.returncode == 0
    assert "leaflets/beta.yaml was deleted; its outputs remain: output/beta.pdf" in reported.stderr
    assert "--clean" in reported.stderr
    assert (three / "output" / "beta.pdf").exists()
    cleaned = build(three, "--clean")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "removed output/beta.pdf: leaflets/beta.yaml was deleted" in cleaned.stderr
    assert not (three / "output" / "beta.pdf").exists()
    assert (three / "output" / "alpha.pdf").exists()
    entries = json.loads((three / "output" / MANIFEST).read_text(encoding="utf-8"))["entries"]
    assert sorted(entry["source"] for entry in entries.values()) == ["leaflets/alpha.yaml", "leaflets/gamma.yaml"]
    assert "deleted" not in build(three).stderr


def test_one_failure_does_not_stop_the_others_in_parallel(three: Path) -> None:
    write(three / "leaflets" / "broken.yaml", MINIMAL_LEAFLET.replace("sections:", "sectons:"))
    result = build(three, "--jobs", "2")
    assert result.returncode == 1
    assert "leaflets/broken.yaml:8:1: unknown key 'sectons'" in result.stderr
    assert summary(result).startswith("3 built, 0 skipped as unchanged, 1 failed")
    assert sorted(p.name for p in (three / "output").glob("*.pdf")) == ["alpha.pdf", "beta.pdf", "gamma.pdf"]
    # A failed leaflet is tried again next time; the others are not rebuilt.
    again = build(three, "--jobs", "2")
    assert summary(again).startswith("0 built, 3 skipped as unchanged, 1 failed"), again.stderr


def test_a_corrupt_manifest_means_a_full_rebuild(three: Path) -> None:
    assert build(three).returncode == 0
    (three / "output" / MANIFEST).write_text("{not json", encoding="utf-8")
    result = build(three)
    assert result.returncode == 0
    assert "unreadable, so every leaflet is rebuilt" in result.stderr
    assert summary(result).startswith("3 built")


def test_leftover_temporary_files_of_dead_writers_are_removed(three: Path) -> None:
    output = three / "output"
    output.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    leftover = output / f".alpha.pdf.leafpress-{dead}.abcd1234.part"
    leftover.write_bytes(b"%PDF-1.7 half")
    # Files leafpress never wrote are not its to delete, however they are named.
    foreign = [output / f".alpha.pdf.{dead}.abcd1234.part", output / ".notes.part", output / ".x.leafpress-1.part"]
    for path in foreign:
        path.write_bytes(b"someone else's")
    assert build(three).returncode == 0
    assert not leftover.exists()
    assert all(path.read_bytes() == b"someone else's" for path in foreign)


def test_progress_bar_on_a_terminal(three: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, str(GENERATE), "--jobs", "2"],
        cwd=three,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait(timeout=120) == 0
    text = seen.decode("utf-8", "replace")
    assert "Building" in text and "━" in text  # rich's bar
    assert "3 built, 0 skipped as unchanged, 0 failed" in text


def _many(project: Path, count: int) -> None:
    for index in range(count):
        write(project / "leaflets" / f"leaflet-{index:02d}.yaml", leaflet(f"Leaflet number {index}", f"TST-{index}"))


def _start(project: Path) -> subprocess.Popen[str]:
    # A session of its own, so the test can tell when every process of the build has gone.
    return subprocess.Popen(
        [sys.executable, str(GENERATE), "--jobs", "2"],
        cwd=project,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _wait_for_first_pdf(project: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while not list((project / "output").glob("*.pdf")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before any PDF"
        time.sleep(0.05)


def _group_gone(group: int, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _assert_only_whole_pdfs(output: Path, temporary: str = ".*.part") -> list[Path]:
    assert not list(output.glob(temporary)), "a temporary file was left behind"
    pdfs = sorted(output.glob("*.pdf"))
    for pdf in pdfs:
        with pikepdf.open(pdf) as document:
            assert len(document.pages) >= 1
    return pdfs


# Enough that two workers are still busy when the first PDF appears.
STOPPED_BATCH = 8


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL])
def test_a_stopped_build_leaves_only_whole_pdfs(tmp_path: Path, how: signal.Signals) -> None:
    _many(tmp_path, STOPPED_BATCH)
    process = _start(tmp_path)
    _wait_for_first_pdf(tmp_path, process)
    if how == signal.SIGINT:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground group
    else:
        process.kill()  # the build process only; its workers must notice and stop
    _, stderr = process.communicate(timeout=120)
    assert _group_gone(process.pid), "worker processes outlived the build"
    # SIGKILL gives the build process itself no chance to remove the manifest's temporary
    # file if it was saving it; the workers' PDFs are still never left half-written.
    pdfs = _assert_only_whole_pdfs(tmp_path / "output", ".*.part" if how == signal.SIGINT else ".*.pdf.*.part")
    assert 1 <= len(pdfs) < STOPPED_BATCH
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "Traceback" not in stderr
        assert "Interrupted: " in stderr
    # The next build finishes the job, keeping what was already built, and removes leftovers.
    rest = build(tmp_path)
    assert rest.returncode == 0, rest.stderr
    assert len(_assert_only_whole_pdfs(tmp_path / "output")) == STOPPED_BATCH
    if how == signal.SIGINT:
        assert f"{STOPPED_BATCH - len(pdfs)} built, {len(pdfs)} skipped as unchanged" in rest.stderr


def test_leafpress_jobs_sets_the_workers_and_a_bad_value_is_refused(three: Path) -> None:
    result = run_cli("build", cwd=three, env={"LEAFPRESS_JOBS": "2"})
    assert result.returncode == 0, result.stderr
    assert "(2 worker processes)" in summary(result)
    refused = run_cli("build", "--force", cwd=three, env={"LEAFPRESS_JOBS": "none"})
    assert refused.returncode == 2
    assert "Invalid value for '--jobs' / '-j' (env var: 'LEAFPRESS_JOBS')" in refused.stderr
    # The command line wins over the environment.
    alone = run_cli("build", "--force", "--jobs", "1", cwd=three, env={"LEAFPRESS_JOBS": "2"})
    assert alone.returncode == 0 and "worker processes" not in summary(alone)


def test_a_parallel_build_starts_the_jobs_that_took_longest_first(three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each job's time is kept in the manifest; the next parallel build starts the longest first, so
    no long job (a booklet, an audio file) starts last and runs on alone."""
    import leafpress.build.workers as workers

    formats = [arg for name in ("standard", "large-print", "html", "text") for arg in ("--format", name)]
    first = build(three, *formats, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    took = {
        name: entry["seconds"]
        for name, entry in json.loads((three / "output" / MANIFEST).read_text())["entries"].items()
    }
    assert len(took) == 12 and all(seconds > 0 for seconds in took.values()), took
    started: list[list[str]] = []
    real = workers.build_in_parallel

    def recording(todo: list[Any], *args: Any) -> None:
        started.append([f"leaflets/{job.source.name} [{job.format}]" for job in todo])
        real(todo, *args)

    monkeypatch.setattr(workers, "build_in_parallel", recording)
    again = build(three, *formats, "--jobs", "2", "--force")
    assert again.returncode == 0, again.stderr
    # Jobs that took as long as each other (the manifest keeps milliseconds) may start in either order.
    assert len(started) == 1 and sorted(started[0]) == sorted(took)
    seconds = [took[name] for name in started[0]]
    assert seconds == sorted(seconds, reverse=True), list(zip(started[0], seconds, strict=True))


def test_a_job_never_built_counts_as_long_as_its_formats_usual_time(tmp_path: Path) -> None:
    from leafpress.build.batch import _longest_first
    from leafpress.build.jobs import Job
    from leafpress.build.manifest import Entry, Manifest, entry_id

    def entry(name: str, fmt: str, seconds: float) -> tuple[str, Entry]:
        return entry_id(f"leaflets/{name}.yaml", fmt), Entry(
            f"leaflets/{name}.yaml", fmt, "key", {}, [], seconds=seconds
        )

    recorded = [
        ("a", "audio", 3.0),
        ("b", "audio", 2.0),
        ("c", "audio", 9.0),
        ("a", "standard", 0.5),
        ("b", "standard", 0.7),
    ]
    manifest = Manifest(tmp_path, dict(entry(*each) for each in recorded))
    jobs = [
        Job(tmp_path / "leaflets" / f"{name}.yaml", fmt)
        for name, fmt in [
            ("a", "standard"),
            ("new", "standard"),
            ("b", "audio"),
            ("new", "audio"),
            ("a", "audio"),
            ("new", "html"),
            ("b", "standard"),
        ]
    ]
    order = [(job.source.stem, job.format) for job in _longest_first(jobs, manifest, tmp_path)]
    # "new" in audio counts as the usual audio job (3 s, the median), level with a's; a format
    # never built here counts as nothing, and keeps its place among the others that do.
    assert order == [
        ("new", "audio"),
        ("a", "audio"),
        ("b", "audio"),
        ("b", "standard"),
        ("new", "standard"),
        ("a", "standard"),
        ("new", "html"),
    ]


def test_recorded_times_that_are_not_numbers_never_fail_a_parallel_build(three: Path) -> None:
    """The manifest is a file anyone can edit: times that are text, missing, negative, infinite or
    not a number, and a format that is not a name, only lose the jobs their order."""
    first = build(three, "--jobs", "2")
    assert first.returncode == 0, first.stderr
    path = three / "output" / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    odd: list[Any] = ["slow", None, -5, float("inf"), float("nan"), True]
    for index, entry in enumerate(data["entries"].values()):
        entry["seconds"] = odd[index % len(odd)]
    next(iter(data["entries"].values()))["format"] = ["standard"]
    path.write_text(json.dumps(data), encoding="utf-8")
    again = build(three, "--jobs", "2", "--force")
    assert again.returncode == 0, again.stderr
    assert summary(again).startswith("3 built, 0 skipped"), again.stderr
