"""The html format passes axe-core's automated accessibility rules in a real headless browser.

Chromium comes from Debian (scripts/setup-system.sh), axe-core from npm (package.json, installed
by `make`), and Playwright drives the browser. No network: the page is a local file and axe
is injected from node_modules.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import MINIMAL_LEAFLET, REPO, run_cli, write

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

if not AXE.is_file():
    pytest.skip("axe-core is not installed: run `make test` (it runs `npm ci`)", allow_module_level=True)
if not Path(CHROMIUM).is_file():
    pytest.skip("no Chromium: scripts/setup-system.sh installs the Debian chromium package", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is a test dependency in pyproject.toml")

LINKED = MINIMAL_LEAFLET.replace(
    "review:\n",
    """link:
  url: https://www.example.org/leaflets/liver
  label: Read this leaflet online
review:
""",
    1,
)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium for the module's pages (starting one takes longer than a page)."""
    with sync_api.sync_playwright() as playwright:
        started = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield started
        started.close()


def axe_violations(browser, page_file: Path) -> list[dict]:
    page = browser.new_page()
    try:
        page.route("http*://**", lambda route: route.abort())  # nothing leaves the machine
        page.goto(page_file.as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    finally:
        page.close()
    assert result["passes"], "axe ran no rules"
    return result["violations"]


def _describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']]}" for v in violations)


@pytest.fixture(scope="module")
def example_pages(examples_built: Path) -> Path:
    """Every example leaflet's html page: the examples' build from the checkout (tests/conftest.py)."""
    return examples_built


def test_minimal_leaflet_page_passes_axe(browser, tmp_path: Path) -> None:
    write(tmp_path / "leaflets" / "liver.yaml", LINKED)
    result = run_cli("--format", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    violations = axe_violations(browser, tmp_path / "output" / "liver.html")
    assert not violations, _describe(violations)


@pytest.mark.parametrize("stem", sorted(p.stem for p in (REPO / "leaflets").glob("*.yaml")))
def test_example_pages_pass_axe(browser, example_pages: Path, stem: str) -> None:
    violations = axe_violations(browser, example_pages / f"{stem}.html")
    assert not violations, _describe(violations)


def test_axe_finds_a_broken_page(browser, tmp_path: Path) -> None:
    """The check can fail: an image without alt text and grey-on-white text are caught."""
    page = write(
        tmp_path / "bad.html",
        """<!DOCTYPE html><html><head><title>x</title></head><body>
        <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <p style="color:#bbb">Pale text</p></body></html>""",
    )
    found = {violation["id"] for violation in axe_violations(browser, page)}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found
