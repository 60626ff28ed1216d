"""`check` reuses what the build found in each PDF only for that very file, built from the current inputs.

The build records the validator's verdict, its own read-back, the text layer's words and the
layout figures in the manifest with the PDF's SHA-256. Each test here builds real PDFs and
changes one thing (the PDF, a stylesheet, a template, the config, leafpress's version, the
record itself) to see `check` trust the record only when nothing changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import page
import pytest

from leafpress.build import manifest as manifest_module
from leafpress.checks import runner
from leafpress.pdf.findings import FINDINGS_VERSION, PdfFindings
from tests.conftest import GENERATE, run_cli, write
from tests.test_check_gate import LANGUAGE_CONFIG, check_json, pdf_records

MANIFEST = Path("output") / ".leafpress-manifest.json"
CHECK_SHARE = runner._check_share


def built(project: Path) -> Path:
    write(project / "leafpress.yaml", LANGUAGE_CONFIG)
    result = run_cli(cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def recorded(project: Path) -> dict:
    (entry,) = json.loads((project / MANIFEST).read_text(encoding="utf-8"))["entries"].values()
    return entry["checks"]


def change_record(project: Path, change: Callable[[dict], None]) -> None:
    path = project / MANIFEST
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["entries"].values():
        change(entry)
    path.write_text(json.dumps(data), encoding="utf-8")


def fake_failure(entry: dict) -> None:
    """A verdict no validator gave: shown by `check` only if it trusts the record."""
    entry["checks"]["pdfua1"] = {
        "validator": "page-validation 0.11.0",
        "compliant": False,
        "failures": [{"rule": "RECORDED-ONLY", "page": 1, "message": "from the manifest"}],
    }


def test_the_build_records_what_check_finds_for_the_file_it_wrote(project: Path) -> None:
    built(project)
    checks = recorded(project)
    pdf = project / "output" / "liver.pdf"
    assert checks["version"] == FINDINGS_VERSION
    assert checks["sha256"] == hashlib.sha256(pdf.read_bytes()).hexdigest()
    alone = page.validate_pdf(pdf, profile="ua1")
    assert checks["pdfua1"]["compliant"] == alone.is_compliant is True
    assert {"liver", "yellow", "infection"} <= set(checks["words"])
    assert checks["layout"]["pages"] == len(checks["layout"]["fill"]) >= 1


def test_check_reuses_the_record_and_it_matches_measuring_the_file_anew(project: Path) -> None:
    built(project)
    code, reused = check_json(project)
    assert code == 0
    # Without a record the same file is measured by check itself: the figures must be the same.
    change_record(project, lambda entry: entry.pop("checks"))
    code, measured = check_json(project)
    assert code == 0
    (from_record,), (from_file,) = pdf_records(reused), pdf_records(measured)
    assert from_record["fresh"] is from_file["fresh"] is True
    assert from_record == from_file
    assert from_file["pdfua1"]["compliant"] is True and from_file["text_fidelity"] >= 0.99


def test_a_record_for_the_current_file_is_what_check_reports(project: Path) -> None:
    # Proof that the record, not a new measurement, is used when the file is the one measured.
    built(project)
    change_record(project, fake_failure)
    code, report = check_json(project)
    assert code == 1
    (record,) = pdf_records(report)
    assert [failure["rule"] for failure in record["pdfua1"]["failures"]] == ["RECORDED-ONLY"]


def test_a_pdf_changed_after_its_build_is_measured_again(project: Path) -> None:
    built(project)
    change_record(project, fake_failure)  # were the record trusted, this failure would show
    pdf = project / "output" / "liver.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% appended after the build\n")
    code, report = check_json(project)
    (record,) = pdf_records(report)
    assert record["fresh"] is True and record["file"] == "output/liver.pdf"
    assert "RECORDED-ONLY" not in {failure["rule"] for failure in record["pdfua1"]["failures"]}
    alone = page.validate_pdf(pdf, profile="ua1")
    assert record["pdfua1"]["compliant"] == alone.is_compliant
    assert code == (0 if alone.is_compliant else 1)


def test_a_damaged_pdf_fails_check_with_its_name(project: Path) -> None:
    built(project)
    pdf = project / "output" / "liver.pdf"
    pdf.write_bytes(pdf.read_bytes()[:4000])
    code, report = check_json(project)
    assert code == 1
    (record,) = pdf_records(report)
    assert "pdfua1" not in record and "cannot be read" in record["errors"][0]
    assert report["leaflets"][0]["accessibility"]["passed"] is False
    human = run_cli("check", cwd=project)
    assert human.returncode == 1 and "liver.yaml (standard PDF): the PDF cannot be read" in human.stdout


@pytest.mark.parametrize(
    "unrecognised",
    [
        lambda entry: entry["checks"].update(version=FINDINGS_VERSION + 1),
        lambda entry: entry["checks"]["pdfua1"].update(failures="not a list"),
        lambda entry: entry["checks"]["layout"].update(pages=99),
        lambda entry: entry.update(checks=["not", "findings"]),
    ],
    ids=["another-version", "bad-failures", "pages-and-fill-disagree", "not-a-mapping"],
)
def test_a_record_check_cannot_read_is_ignored_and_the_file_measured(project: Path, unrecognised) -> None:
    built(project)

    def doctor(entry: dict) -> None:
        fake_failure(entry)
        unrecognised(entry)

    change_record(project, doctor)
    code, report = check_json(project)
    assert code == 0, report
    (record,) = pdf_records(report)
    assert record["pdfua1"]["compliant"] is True and record["pdfua1"]["failures"] == []


@pytest.mark.parametrize(
    "change",
    [
        lambda root: write(root / "styles" / "brand.css", "h2 { color: #7a1f5c; }\n"),
        lambda root: write(root / "templates" / "unused.html.j2", "{# a template file the build may read #}\n"),
        lambda root: write(root / "leafpress.yaml", LANGUAGE_CONFIG + "organisation:\n  name: Northway Trust\n"),
    ],
    ids=["stylesheet", "template", "config"],
)
def test_after_an_input_changes_the_record_is_not_used(project: Path, change) -> None:
    built(project)
    change_record(project, fake_failure)
    change(project)
    code, report = check_json(project)
    assert code == 0, report
    (record,) = pdf_records(report)
    assert record["fresh"] is False and record["file"].startswith("output/.leafpress-check/")
    assert record["pdfua1"]["compliant"] is True


def test_a_build_by_another_leafpress_version_is_checked_anew(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(manifest_module, "__version__", "0.0.1-older")
    built(project)
    change_record(project, fake_failure)
    monkeypatch.undo()
    code, report = check_json(project)
    assert code == 0, report
    (record,) = pdf_records(report)
    assert record["fresh"] is False and record["pdfua1"]["failures"] == []


def test_findings_survive_their_round_trip_and_refuse_junk() -> None:
    good = {
        "version": FINDINGS_VERSION,
        "sha256": "ab" * 32,
        "pdfua1": {"validator": "v", "compliant": True, "failures": [{"rule": "R", "page": None, "message": "m"}]},
        "problems": [{"message": "m", "hint": "h", "rule": "font-size"}],
        "words": ["liver"],
        "layout": {"pages": 1, "fill": [0.5], "nearest_edge_mm": 12.0, "problems": []},
    }
    findings = PdfFindings.from_json(good)
    assert findings is not None and findings.to_json() == good
    for junk in (None, "x", [], {}, {**good, "words": None}, {**good, "pdfua1": {"failures": []}}):
        assert PdfFindings.from_json(junk) is None
    page_as_text = {**good, "pdfua1": {**good["pdfua1"], "failures": [{"rule": "R", "page": "1", "message": ""}]}}
    assert PdfFindings.from_json(page_as_text) is None


def share_noting_its_process(share: range) -> list:
    """The real share of the work, leaving a file named after the process that did it."""
    folder = Path(os.environ["CHECKED_IN"])
    folder.mkdir(exist_ok=True)
    (folder / str(os.getpid())).touch()
    return CHECK_SHARE(share)


def test_check_shared_among_processes_reports_exactly_what_one_process_does(project: Path, monkeypatch) -> None:
    # Text only: no PDF to build, so the leaflets' own checks are what the processes share.
    write(project / "leafpress.yaml", "language: en-GB\nformats: [text]\n")
    original = (project / "leaflets" / "liver.yaml").read_text(encoding="utf-8")
    for number, organ in enumerate(("kidneys", "heart", "lungs", "bowel", "skin")):
        write(project / "leaflets" / f"organ-{number}.yaml", original.replace("your liver", f"your {organ}"))
    write(project / "leaflets" / "broken.yaml", original.replace("[@smith-2021]", "[@no-such-key]"))
    monkeypatch.setattr(runner, "MIN_LEAFLETS_PER_WORKER", 1)
    one_code, one = check_json(project, "--jobs", "1")
    monkeypatch.setattr(runner, "_check_share", share_noting_its_process)
    monkeypatch.setenv("CHECKED_IN", str(project / "processes"))
    shared_code, shared = check_json(project, "--jobs", "3")
    assert len(list((project / "processes").iterdir())) == 3  # really shared out, each process once
    assert [leaflet["file"] for leaflet in shared["leaflets"]] == [leaflet["file"] for leaflet in one["leaflets"]]
    assert shared == one and shared_code == one_code == 1
    (broken,) = [leaflet for leaflet in shared["leaflets"] if leaflet["file"].endswith("broken.yaml")]
    assert "no-such-key" in broken["errors"][0]["message"] and broken["errors"][0]["line"] > 1


def test_check_of_just_built_leaflets_loads_no_pdf_or_layout_engine(project: Path) -> None:
    built(project)
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['generate.py', 'check', '--json']\n"
        "try:\n"
        f"    runpy.run_path({str(GENERATE)!r}, run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('weasyprint', 'pikepdf', 'pdfplumber', 'pdfminer', 'pypdfium2', 'page')\n"
        "sys.stderr.write('LOADED ' + ' '.join(m for m in heavy if m in sys.modules) + '\\n')\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=300)
    (record,) = pdf_records(json.loads(result.stdout))
    assert record["fresh"] is True and record["pdfua1"]["compliant"] is True
    assert result.stderr.strip().splitlines()[-1] == "LOADED", result.stderr


def test_a_leaflet_saved_while_check_runs_is_not_judged_against_the_pdf_of_the_version_before(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built(project)
    source = project / "leaflets" / "liver.yaml"
    read_leaflet = runner.read_leaflet

    def saved_just_before_reading(path: Path, *args: object) -> object:
        # An editor saves the leaflet after check found its PDF up to date, before check reads it.
        with source.open("a", encoding="utf-8") as leaflet:
            leaflet.write("# saved again\n")
        return read_leaflet(path, *args)

    monkeypatch.setattr(runner, "read_leaflet", saved_just_before_reading)
    code, report = check_json(project)
    assert code == 1
    (leaflet,) = report["leaflets"]
    assert [error["message"] for error in leaflet["errors"]] == [runner.CHANGED_WHILE_CHECKED]
    (record,) = pdf_records(report)
    assert "pdfua1" not in record and record["errors"] == [runner.CHANGED_WHILE_CHECKED]
    human = run_cli("check", cwd=project)
    assert "liver.yaml: the file was saved while it was being checked" in human.stdout + human.stderr
    monkeypatch.undo()
    # The next check builds the saved version and judges that.
    code, report = check_json(project)
    assert code == 0, report
    (record,) = pdf_records(report)
    assert record["fresh"] is False and record["pdfua1"]["compliant"] is True
