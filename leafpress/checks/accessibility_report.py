"""The accessibility report: ``output/<stem>.accessibility.html``, every check with its figures.

One page per leaflet, readable without a server and printable, to file as evidence for a
quality audit: which PDFs were judged (reused or built now), the independent PDF/UA-1
validator's verdict rule by rule, how much of the text comes back out of each PDF, the
smallest type, the page fill and the nearest approach to the paper's edge, and every problem
with its place.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from leafpress import __version__
from leafpress.build.write import ACCESSIBILITY_REPORT_SUFFIX, output_name, write_atomic
from leafpress.checks.result import ExtraCheck
from leafpress.core.project import Project
from leafpress.render.html import template_environment

TEMPLATE_NAME = "accessibility.html.j2"
SUFFIX = ACCESSIBILITY_REPORT_SUFFIX


def write_accessibility_report(
    source: Path, project: Project, folder: Path, accessibility: ExtraCheck, errors: list[str]
) -> Path:
    """Write the report for ``source`` into ``folder``; its path."""
    template = template_environment(project).get_template(TEMPLATE_NAME)
    html = template.render(
        file=str(source),
        check=accessibility,
        data=accessibility.data or {},
        errors=errors,
        passed=accessibility.passed and not errors,
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        generator=f"leafpress {__version__}",
        org=project.config.organisation,
    )
    return write_atomic(html.encode("utf-8"), folder / output_name(source, SUFFIX), durable=False)
