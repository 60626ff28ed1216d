"""The html format judged in a real browser: axe-core's rules, and reflow at 320 CSS pixels.

A page is read by screen readers and zoomed to 400% (WCAG 1.4.10: nothing scrolls sideways at
320 CSS px). Chromium (Debian's) opens the built page from disk with every network request
refused, axe-core (npm, installed by the set-up) runs its WCAG 2.2 AA rules, and the page's
width at a 320 px viewport is measured. When the browser or axe-core is missing, the page is
reported as not checked, never as passed.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REFLOW_WIDTH = 320
TIMEOUT_MS = 30_000


@dataclass
class HtmlVerdict:
    checked: bool
    violations: list[dict[str, Any]] = field(default_factory=list)
    # How wide the page is at a 320 px viewport; wider means it scrolls sideways.
    width_at_320: int | None = None
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        reflows = self.width_at_320 is not None and self.width_at_320 <= REFLOW_WIDTH
        return {
            "checked": self.checked,
            "axe": {"violations": self.violations},
            "reflow_320": {"width": self.width_at_320, "passed": reflows},
            "problems": self.problems,
        }


def axe_script(project_root: Path) -> Path | None:
    """axe-core from the project's node_modules, else the one beside leafpress (the set-up's)."""
    candidates = [
        project_root / "node_modules" / "axe-core" / "axe.min.js",
        Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js",
        Path(sys.prefix).resolve().parent / "node_modules" / "axe-core" / "axe.min.js",
    ]
    return next((path for path in candidates if path.is_file()), None)


def chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None)


def check_html_page(page_file: Path, project_root: Path) -> HtmlVerdict:
    """axe-core's violations on the page, and its width at a 320 px viewport."""
    return check_html_pages([page_file], project_root)[0]


def check_html_pages(page_files: list[Path], project_root: Path) -> list[HtmlVerdict]:
    """:func:`check_html_page` for each page, in one browser (starting one takes longer than a page)."""
    axe, browser_path = axe_script(project_root), chromium()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return [_not_checked("Playwright is not installed (make installs it)")] * len(page_files)
    if axe is None:
        return [_not_checked("axe-core is not installed (make runs npm ci)")] * len(page_files)
    if browser_path is None:
        return [_not_checked("Chromium is not installed (scripts/setup-system.sh installs it)")] * len(page_files)
    verdicts = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=browser_path, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                for page_file in page_files:
                    try:
                        verdicts.append(_check_in(browser, page_file, axe))
                    except PlaywrightError as exc:
                        verdicts.append(_not_checked(f"the browser failed: {str(exc).splitlines()[0]}"))
            finally:
                browser.close()
    except PlaywrightError as exc:
        failed = _not_checked(f"the browser failed: {str(exc).splitlines()[0]}")
        verdicts += [failed] * (len(page_files) - len(verdicts))
    return verdicts


def _check_in(browser: Any, page_file: Path, axe: Path) -> HtmlVerdict:
    page = browser.new_page(viewport={"width": REFLOW_WIDTH, "height": 640})
    try:
        page.set_default_timeout(TIMEOUT_MS)
        page.route("http*://**", lambda route: route.abort())  # nothing leaves the machine
        page.goto(page_file.resolve().as_uri())
        width = int(page.evaluate("document.documentElement.scrollWidth"))
        page.add_script_tag(path=str(axe))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    finally:
        page.close()
    violations = [
        {
            "id": violation["id"],
            "impact": violation.get("impact"),
            "help": violation["help"],
            "nodes": [", ".join(map(str, node["target"])) for node in violation["nodes"]][:10],
        }
        for violation in result["violations"]
    ]
    verdict = HtmlVerdict(True, violations, width)
    verdict.problems += [f"axe {v['id']}: {v['help']} ({'; '.join(v['nodes'][:3])})" for v in violations]
    if not result["passes"]:
        verdict.problems.append("axe ran no rules on the page")
    if width > REFLOW_WIDTH:
        verdict.problems.append(
            f"at 320 CSS px (400% zoom) the page is {width} px wide and scrolls sideways (WCAG 1.4.10)"
        )
    return verdict


def _not_checked(reason: str) -> HtmlVerdict:
    return HtmlVerdict(False, problems=[f"the html page could not be checked: {reason}"])
