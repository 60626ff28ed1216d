"""End to end in a real headless browser (Debian's chromium, driven by Playwright): the preview
follows the files on disk without a reload, shows errors in place and recovers from them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from tests.conftest import MINIMAL_LEAFLET, write
from tests.preview_support import CHROMIUM, CHROMIUM_ARGS, REPO, browser_or_skip_reason, preview_server

SKIP_REASON = browser_or_skip_reason()
pytestmark = pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")
WAIT_MS = 20_000
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
JARGON = (
    "The oncologist will discuss the prognosis and the palliative options that are available to patients "
    "with metastasis in the abdomen, which can be considered by the multidisciplinary team."
)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(tmp_path / "leaflets" / "liver.yaml", MINIMAL_LEAFLET)
    return tmp_path


def mark_no_reload(page) -> None:
    page.evaluate("window.__sameDocument = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__sameDocument === true"), "the page was reloaded"


def wait_until_live(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#live-status")).to_have_attribute("data-state", "live", timeout=WAIT_MS)


def shown_rev(page) -> str:
    return page.locator("#live").get_attribute("data-rev")


def wait_for_new_rev(page, rev: str) -> str:
    """Wait until the page shows a build newer than ``rev``; the new one."""
    from playwright.sync_api import expect

    expect(page.locator("#live")).not_to_have_attribute("data-rev", rev, timeout=WAIT_MS)
    return shown_rev(page)


def shown_pdf(page) -> bytes:
    """The PDF the open page offers, fetched as the browser would."""
    href = page.get_by_role("link", name="Open the PDF").evaluate("link => link.href")
    response = page.request.get(href)
    assert response.ok and response.headers["content-type"] == "application/pdf"
    return response.body()


def shown_pdf_text(page) -> str:
    return " ".join(p.extract_text() for p in PdfReader(io.BytesIO(shown_pdf(page))).pages)


def test_edit_break_and_fix_a_leaflet_without_reloading(page, project: Path) -> None:
    from playwright.sync_api import expect

    source = project / "leaflets" / "liver.yaml"
    with preview_server(project) as address:
        page.goto(address)
        row = page.get_by_role("row", name="Looking after your liver")
        expect(row).to_contain_text("Current")
        expect(row).to_contain_text("Meets targets")
        row.get_by_role("link", name="Looking after your liver").click()

        expect(page.locator("#pages-title")).to_have_text("Looking after your liver")
        sheets = page.get_by_role("img", name="as printed")
        expect(sheets.first).to_be_visible()
        assert sheets.count() >= 1
        assert sheets.first.evaluate("img => img.complete && img.naturalWidth > 500")
        proof = page.get_by_role("complementary", name="Readability")
        expect(proof.locator("#verdict")).to_have_text("Meets the readability targets")
        grade = proof.locator("tr[data-score=flesch_kincaid_grade] td").first
        first_grade = grade.inner_text()
        wait_until_live(page)
        mark_no_reload(page)
        first_image = sheets.first.get_attribute("src")

        # Save a new version: the new text and its new scores are shown, from a new PDF, without a reload.
        source.write_text(
            MINIMAL_LEAFLET.replace("Looking after your liver", "Caring for your liver").replace(
                "It also stores energy.", JARGON
            )
        )
        expect(page.locator("#pages-title")).to_have_text("Caring for your liver", timeout=WAIT_MS)
        expect(sheets.first).not_to_have_attribute("src", first_image)
        expect(proof.locator("#proof-text")).to_contain_text("considered by the multidisciplinary team")
        expect(grade).not_to_have_text(first_grade)
        assert float(grade.inner_text()) > float(first_grade)
        expect(proof.locator("#verdict")).to_contain_text("Misses")
        expect(proof.locator("#proof-fix")).to_contain_text("oncologist → cancer doctor")
        expect(proof.locator(".proof-text mark.word").first).to_have_text("oncologist")
        assert JARGON in " ".join(shown_pdf_text(page).split())
        assert_not_reloaded(page)

        # Break it: the error, with its place, replaces the pages.
        source.write_text(MINIMAL_LEAFLET.replace("sections:", "sectons:"))
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("leaflets/liver.yaml:8:1: unknown key 'sectons'", timeout=WAIT_MS)
        expect(alert).to_contain_text("did you mean 'sections'?")
        expect(sheets).to_have_count(0)
        expect(page.locator("#live-status")).to_have_attribute("data-state", "error")

        # A YAML syntax error shows its line and column, and the line with a caret under the place.
        source.write_text(MINIMAL_LEAFLET.replace("  - heading: When to get help", "  - heading: [When to get help"))
        expect(alert.locator("pre").first).to_have_text(
            re.compile(r"^leaflets/liver\.yaml:\d+:\d+: YAML syntax error.*\n\s*\d+ \|.*\n.*\^", re.S), timeout=WAIT_MS
        )

        # Fix it: the pages come back by themselves.
        source.write_text(MINIMAL_LEAFLET)
        expect(page.locator("#pages-title")).to_have_text("Looking after your liver", timeout=WAIT_MS)
        expect(sheets.first).to_be_visible()
        expect(page.get_by_role("alert")).to_have_count(0)
        wait_until_live(page)
        assert_not_reloaded(page)


def test_template_style_and_config_changes_update_the_open_page(page, project: Path) -> None:
    from playwright.sync_api import expect

    with preview_server(project) as address:
        page.goto(address + "leaflets/liver.yaml")
        wait_until_live(page)
        mark_no_reload(page)
        sheets = page.get_by_role("img", name="as printed")

        rev = shown_rev(page)
        write(project / "templates" / "end_matter.html.j2", "<p>Custom end matter {{ leaflet.code }}</p>")
        rev = wait_for_new_rev(page, rev)
        assert "Custom end matter TST-001" in shown_pdf_text(page)

        write(project / "templates" / "end_matter.html.j2", "<p>ok</p>\n<p>{{ leaflet.no_such_thing }}</p>")
        expect(page.get_by_role("alert")).to_contain_text(
            "templates/end_matter.html.j2:2:1: template error", timeout=WAIT_MS
        )
        write(project / "templates" / "end_matter.html.j2", "<p>Custom end matter {{ leaflet.code }}</p>")
        expect(sheets.first).to_be_visible(timeout=WAIT_MS)

        first_page = sheets.first.get_attribute("src")
        write(project / "styles" / "brand.css", ":root { --brand: #6a1b9a; }\n")
        expect(sheets.first).not_to_have_attribute("src", first_page, timeout=WAIT_MS)  # new colour, new picture

        rev = shown_rev(page)
        write(project / "leafpress.yaml", "organisation:\n  name: Riverside Liver Trust\n")
        wait_for_new_rev(page, rev)
        assert "Riverside Liver Trust" in shown_pdf_text(page)

        write(project / "leafpress.yaml", "organisation:\n  nmae: Riverside Liver Trust\n")
        expect(page.get_by_role("alert")).to_contain_text("leafpress.yaml:2:3: unknown key 'nmae'", timeout=WAIT_MS)
        write(project / "leafpress.yaml", "organisation:\n  name: Riverside Liver Trust\n")
        expect(sheets.first).to_be_visible(timeout=WAIT_MS)
        assert_not_reloaded(page)


def test_format_switch_shows_each_printed_format(page, project: Path) -> None:
    from playwright.sync_api import expect

    with preview_server(project) as address:
        page.goto(address + "leaflets/liver.yaml")
        switch = page.get_by_role("navigation", name="Format")
        for label in ("Standard", "Large print", "Booklet"):
            expect(switch.get_by_role("link", name=label)).to_be_visible()
        expect(switch.get_by_role("link", name="Standard")).to_have_attribute("aria-current", "true")

        switch.get_by_role("link", name="Large print").click()
        expect(page).to_have_url(address + "leaflets/liver.yaml?format=large-print")
        expect(switch.get_by_role("link", name="Large print")).to_have_attribute("aria-current", "true")
        expect(page.get_by_role("img", name="as printed").first).to_be_visible()
        with pdfplumber.open(io.BytesIO(shown_pdf(page))) as pdf:  # the pages shown come from the large-print PDF
            assert min(char["size"] for p in pdf.pages for char in p.chars if char["text"].strip()) >= 15.9

        switch.get_by_role("link", name="Booklet").click()
        sheet = page.get_by_role("img", name="as printed").first
        expect(sheet).to_be_visible()
        assert sheet.evaluate("img => img.naturalWidth > img.naturalHeight")  # A4 landscape, two A5 pages a side


def test_index_follows_new_leaflets_and_is_keyboard_usable(page, project: Path) -> None:
    from playwright.sync_api import expect

    with preview_server(project) as address:
        page.goto(address)
        wait_until_live(page)
        mark_no_reload(page)
        write(
            project / "leaflets" / "kidney.yaml",
            MINIMAL_LEAFLET.replace("Looking after your liver", "Looking after your kidneys"),
        )
        expect(page.get_by_role("link", name="Looking after your kidneys")).to_be_visible(timeout=WAIT_MS)
        row = page.get_by_role("row", name="Looking after your kidneys")
        expect(row).to_contain_text("Current")
        expect(row).to_contain_text("Meets targets")
        write(
            project / "leaflets" / "kidney.yaml",
            MINIMAL_LEAFLET.replace("Looking after your liver", "Looking after your kidneys").replace(
                "It also stores energy.", JARGON
            ),
        )
        expect(row).to_contain_text("Misses targets", timeout=WAIT_MS)
        expect(row).to_contain_text(re.compile(r"grade \d+\.\d \(reading age \d+\): (SMOG|Flesch)"))  # which missed
        assert_not_reloaded(page)

        # Keyboard: the first Tab reaches the skip link, and a leaflet opens with Enter.
        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused.startswith("Looking after your")
        page.keyboard.press("Enter")
        expect(page.locator("#pages-title")).to_contain_text("Looking after your")


def test_index_leaflet_and_error_pages_pass_axe(browser, project: Path) -> None:
    from playwright.sync_api import expect

    if not AXE.is_file():
        pytest.skip("axe-core is not installed: `make test` installs it with npm ci")
    # axe is injected as an inline script, which the preview's Content-Security-Policy rightly forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        with preview_server(project) as address:
            page.goto(address)
            wait_until_live(page)
            assert_no_axe_violations(page)
            page.goto(address + "leaflets/liver.yaml")
            wait_until_live(page)
            assert_no_axe_violations(page)
            write(project / "leaflets" / "liver.yaml", MINIMAL_LEAFLET.replace("sections:", "sectons:"))
            expect(page.get_by_role("alert")).to_be_visible(timeout=WAIT_MS)
            assert_no_axe_violations(page)
    finally:
        context.close()


def assert_no_axe_violations(page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    assert result["passes"], "axe ran no rules"
    found = [f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']]}" for v in result["violations"]]
    assert not found, f"{page.url}:\n" + "\n".join(found)
