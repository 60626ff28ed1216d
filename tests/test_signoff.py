"""Sign-off and provenance: drafts are marked on every page and in the metadata; approvals are shown."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
from pypdf import PdfReader

from tests.conftest import MINIMAL_LEAFLET, run_cli, write
from tests.test_build import pdf_text

DRAFT_MARK = "DRAFT – not for use with patients"
LONG_SECTION = (
    "  - heading: More about the liver\n    body: |\n"
    + "\n".join(["      Your liver cleans your blood and stores energy for later.\n"] * 40)
    + "\n"
)


def build(project: Path, text: str) -> tuple[int, str, Path]:
    write(project / "leaflets" / "liver.yaml", text)
    result = run_cli("build", "leaflets/liver.yaml", cwd=project)
    return result.returncode, result.stderr, project / "output" / "liver.pdf"


def long_leaflet(text: str = MINIMAL_LEAFLET) -> str:
    return text.replace("  - heading: When to get help", LONG_SECTION + "  - heading: When to get help")


def xmp_provenance(pdf: Path) -> dict[str, str]:
    with pikepdf.open(pdf) as document, document.open_metadata() as xmp:
        return {key.split("}")[1]: str(value) for key, value in xmp.items() if "leafpress.org" in key}


def test_a_draft_is_marked_on_every_page_and_in_its_metadata(tmp_path: Path) -> None:
    code, stderr, pdf = build(tmp_path, long_leaflet().replace("approved_by:", "status: draft\napproved_by:"))
    assert code == 0, stderr
    pages = PdfReader(pdf).pages
    assert len(pages) >= 3
    assert all(DRAFT_MARK in page.extract_text() for page in pages)
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/LeafletStatus"]) == "draft"
        assert DRAFT_MARK in str(document.docinfo["/Marks"])
    assert xmp_provenance(pdf)["LeafletStatus"] == "draft"
    # A draft does not claim an approval, even with approved_by filled in.
    assert "Approved by" not in pdf_text(pdf)


def test_a_leaflet_without_approval_is_a_draft(tmp_path: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "approved_by:\n  name: Dr Ann Lee\n  role: Consultant Hepatologist\n  date: 2024-03-20\n", ""
    )
    code, stderr, pdf = build(tmp_path, text)
    assert code == 0, stderr
    assert DRAFT_MARK in PdfReader(pdf).pages[0].extract_text()


def test_an_approved_leaflet_is_not_marked_and_shows_its_sign_off(tmp_path: Path) -> None:
    text = long_leaflet().replace(
        "approved_by:",
        "status: approved\nchanges:\n"
        "  - version: '1.1'\n    date: 2023-01-05\n    summary: Plainer words.\n"
        "  - version: 1.2\n    date: 2024-03-15\n    summary: Reviewed; new urgent box.\n"
        "authors: [Patient Information Team]\nreviewers:\n"
        "  - name: Sam Reed\n    role: Liver Nurse Specialist\napproved_by:",
    )
    code, stderr, pdf = build(tmp_path, text)
    assert code == 0, stderr
    assert all(DRAFT_MARK not in page.extract_text() for page in PdfReader(pdf).pages)
    about = " ".join(pdf_text(pdf).split())
    assert "Written by Patient Information Team" in about
    assert "Reviewed by Sam Reed, Liver Nurse Specialist" in about
    assert "Approved by Dr Ann Lee, Consultant Hepatologist" in about
    assert "Approved on 20 March 2024" in about
    # The change history, newest first, dates in words.
    assert about.index("1.2 15 March 2024 Reviewed; new urgent box.") < about.index("1.1 5 January 2023 Plainer")
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/LeafletStatus"]) == "approved"
        assert str(document.docinfo["/ApprovedOn"]) == "2024-03-20"
        assert "/Marks" not in document.docinfo


def test_approved_needs_an_approver(tmp_path: Path) -> None:
    text = MINIMAL_LEAFLET.replace(
        "approved_by:\n  name: Dr Ann Lee\n  role: Consultant Hepatologist\n  date: 2024-03-20\n", "status: approved\n"
    )
    code, stderr, pdf = build(tmp_path, text)
    line = text.splitlines().index("status: approved") + 1
    assert code == 1
    assert f"leaflets/liver.yaml:{line}:1: an approved leaflet needs 'approved_by'" in stderr
    assert not pdf.exists()


def test_an_approval_needs_a_date(tmp_path: Path) -> None:
    text = MINIMAL_LEAFLET.replace("  date: 2024-03-20\n", "")
    code, stderr, _ = build(tmp_path, text)
    assert code == 1
    line = text.splitlines().index("approved_by:") + 1
    assert f"leaflets/liver.yaml:{line}:" in stderr and "'date' is missing from approved_by" in stderr


def test_an_approval_or_a_change_dated_after_today_is_refused(tmp_path: Path) -> None:
    # As a last review in the future is: the leaflet would look signed off when it is not.
    on = {"LEAFPRESS_TODAY": "2024-03-25"}
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("  date: 2024-03-20\n", "  date: 2024-04-20\n"))
    result = run_cli("build", "leaflets/liver.yaml", cwd=tmp_path, env=on)
    line = MINIMAL_LEAFLET.splitlines().index("  date: 2024-03-20") + 1
    assert result.returncode == 1
    assert f"leaflets/liver.yaml:{line}:3: approved_by.date 2024-04-20 is in the future" in result.stderr
    assert not (tmp_path / "output" / "liver.pdf").exists()
    changes = "changes:\n  - version: '1.2'\n    date: 2024-03-27\n    summary: Added the new helpline.\n"
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("review:\n", changes + "review:\n", 1))
    result = run_cli("build", "leaflets/liver.yaml", cwd=tmp_path, env=on)
    assert result.returncode == 1 and "changes[1].date 2024-03-27 is in the future" in result.stderr
    # A day's grace, for someone a time zone ahead: tomorrow's date is still taken.
    assert run_cli("build", "leaflets/liver.yaml", cwd=tmp_path, env={"LEAFPRESS_TODAY": "2024-03-26"}).returncode == 0


def test_provenance_fields_in_document_info_and_xmp(tmp_path: Path) -> None:
    code, stderr, pdf = build(tmp_path, MINIMAL_LEAFLET)
    assert code == 0, stderr
    expected = {
        "LeafletCode": "TST-001",
        "LeafletVersion": "1.2",
        "LastReviewed": "2024-03-15",
        "NextReviewDue": "2027-03-15",
        "SourceSHA256": hashlib.sha256((tmp_path / "leaflets" / "liver.yaml").read_bytes()).hexdigest(),
        "LeafletStatus": "approved",
        "ApprovedBy": "Dr Ann Lee, Consultant Hepatologist",
        "ApprovedOn": "2024-03-20",
    }
    with pikepdf.open(pdf) as document:
        info = {key.lstrip("/"): str(value) for key, value in document.docinfo.items()}
    assert expected.items() <= info.items()
    assert expected.items() <= xmp_provenance(pdf).items()


def test_quality_mark_and_statement_from_the_project_config(tmp_path: Path) -> None:
    write(
        tmp_path / "assets" / "mark.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>',
    )
    write(
        tmp_path / "leafpress.yaml",
        "organisation:\n  name: Test Charity\n  quality_mark:\n"
        "    image: assets/mark.svg\n    alt: Trusted Information mark\n"
        "    statement: We are a certified producer of health information.\n",
    )
    code, stderr, pdf = build(tmp_path, MINIMAL_LEAFLET)
    assert code == 0, stderr
    assert "We are a certified producer of health information." in " ".join(pdf_text(pdf).split())
    with pikepdf.open(pdf) as document:
        alts = [str(node.get("/Alt")) for node in _struct_nodes(document.Root.StructTreeRoot) if "/Alt" in node]
    assert "Trusted Information mark" in alts


def test_quality_mark_image_needs_alt_text(tmp_path: Path) -> None:
    write(tmp_path / "leafpress.yaml", "organisation:\n  quality_mark:\n    image: assets/mark.svg\n")
    code, stderr, _ = build(tmp_path, MINIMAL_LEAFLET)
    assert code == 1
    assert "leafpress.yaml:2:3:" in stderr and "needs 'alt'" in stderr


def _struct_nodes(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found = []
    kids = node.get("/K")
    children = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
    for child in children:
        if isinstance(child, pikepdf.Dictionary):
            found.append(child)
            found += _struct_nodes(child)
    return found
