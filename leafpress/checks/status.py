"""``status``: every leaflet's review state, soonest due first, as a table, JSON or CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from rich.table import Table
from rich.text import Text

from leafpress.core.config import ProjectConfig
from leafpress.core.errors import visible, visible_json
from leafpress.core.model import Leaflet
from leafpress.enrich.review import State, check_review_interval, review_due_date, review_state
from leafpress.source.load import file_limits, load_yaml
from leafpress.source.units import translation_staleness
from leafpress.source.validate import validate


@dataclass(frozen=True)
class LeafletStatus:
    """One row of ``status``: the keys are the JSON and CSV field names."""

    file: str
    code: str
    title: str
    version: str
    status: Literal["draft", "approved"]
    last_reviewed: str
    next_review: str
    days_left: int
    state: State
    # For a translation imported from XLIFF: the units whose source text has changed since.
    stale_units: tuple[str, ...] = ()


def leaflet_status(source: Path, config: ProjectConfig, on: dt.date) -> LeafletStatus:
    """The review status of one leaflet file; raises its errors as a build would."""
    with file_limits(config.limits):  # for the leaflet and, for a translation, its source
        loaded = load_yaml(source)
        leaflet = validate(loaded, Leaflet)
        check_review_interval(loaded, leaflet, config)
        due = review_due_date(leaflet, config)
        days_left, state = review_state(due, on, config.review.warning_days)
        staleness = translation_staleness(source, leaflet)
    return LeafletStatus(
        file=str(source),
        code=leaflet.code or source.stem,
        title=leaflet.title,
        version=leaflet.version,
        status="draft" if leaflet.is_draft else "approved",
        last_reviewed=leaflet.review.last_reviewed.isoformat(),
        next_review=due.isoformat(),
        days_left=days_left,
        state=state,
        stale_units=tuple(staleness.stale) if staleness else (),
    )


def sort_by_due_date(rows: list[LeafletStatus]) -> list[LeafletStatus]:
    return sorted(rows, key=lambda row: (row.next_review, row.file))


def as_json(rows: list[LeafletStatus]) -> str:
    rows_data = [{**asdict(row), "stale_units": list(row.stale_units)} for row in rows]
    return visible_json(json.dumps(rows_data, indent=2, ensure_ascii=False))


def as_csv(rows: list[LeafletStatus]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LeafletStatus.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    # One cell per field: the stale units' ids, separated by spaces.
    # Control characters in a cell are shown as escapes, as on the terminal the list is often read on.
    writer.writerows(
        {key: visible(value) if isinstance(value, str) else value for key, value in asdict(row).items()}
        | {"stale_units": " ".join(row.stale_units)}
        for row in rows
    )
    return buffer.getvalue()


_STATE_STYLES = {"current": "green", "due-soon": "yellow", "overdue": "bold red"}


def as_table(rows: list[LeafletStatus], on: dt.date) -> Table:
    """A table for people: soonest due first, the state in words and colour."""
    table = Table(title=f"Leaflet reviews on {on.isoformat()}", title_justify="left")
    # File and title may wrap; codes, dates and states never should.
    headings = ("File", "Code", "Title", "Version", "Status", "Last reviewed", "Next review", "Days left", "State")
    stale_column = any(row.stale_units for row in rows)
    for heading in (*headings, "Translation") if stale_column else headings:
        table.add_column(
            heading,
            justify="right" if heading == "Days left" else "left",
            no_wrap=heading not in ("File", "Title"),
            min_width=4,
        )
    for row in rows:
        # Text, not markup: a title with "[" in it must print as written.
        table.add_row(
            Text(visible(row.file)),
            Text(visible(row.code)),
            Text(visible(row.title)),
            Text(visible(row.version)),
            Text(row.status, style="yellow" if row.status == "draft" else ""),
            Text(row.last_reviewed),
            Text(row.next_review),
            Text(str(row.days_left)),
            Text(row.state, style=_STATE_STYLES[row.state]),
            *([_stale_cell(row)] if stale_column else []),
        )
    return table


def _stale_cell(row: LeafletStatus) -> Text:
    if not row.stale_units:
        return Text("")
    return Text(f"{len(row.stale_units)} stale: " + ", ".join(row.stale_units), style="yellow")
