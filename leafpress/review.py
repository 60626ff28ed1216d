"""The review cycle: when each leaflet is due for review, and what happens once it is overdue.

A quality mark for health information asks that out-of-date leaflets are not handed out,
so ``status`` lists every leaflet's review state (and exits 1 when one is overdue) and a
build of an overdue leaflet follows the project's ``review.overdue_policy``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Literal

from rich.table import Table
from rich.text import Text

from leafpress.config import ProjectConfig
from leafpress.enrich import Document, review_due_date
from leafpress.errors import LeafpressError, Location
from leafpress.load import Loaded, load_yaml
from leafpress.model import Leaflet
from leafpress.validate import validate

# Set to YYYY-MM-DD to build or list as if it were that day (for tests and "what if" checks).
TODAY_VARIABLE = "LEAFPRESS_TODAY"

State = Literal["current", "due-soon", "overdue"]


def parse_day(text: str, where: str) -> dt.date:
    """A YYYY-MM-DD date, or a clear error naming ``where`` it came from."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise LeafpressError(Location(Path(where)), f"'{text}' is not a date",
                             "write it as YYYY-MM-DD, for example 2026-07-24") from None


def today() -> dt.date:
    """Today, or the day set in ``LEAFPRESS_TODAY``."""
    value = os.environ.get(TODAY_VARIABLE)
    return parse_day(value, TODAY_VARIABLE) if value else dt.date.today()


def review_state(due: dt.date, on: dt.date, warning_days: int) -> tuple[int, State]:
    """Days left until ``due`` (negative once past) and the state that makes."""
    days_left = (due - on).days
    if days_left < 0:
        return days_left, "overdue"
    if days_left <= warning_days:
        return days_left, "due-soon"
    return days_left, "current"


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


def leaflet_status(source: Path, config: ProjectConfig, on: dt.date) -> LeafletStatus:
    """The review status of one leaflet file; raises its errors as a build would."""
    leaflet = validate(load_yaml(source), Leaflet)
    due = review_due_date(leaflet, config)
    days_left, state = review_state(due, on, config.review.warning_days)
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
    )


def sort_by_due_date(rows: list[LeafletStatus]) -> list[LeafletStatus]:
    return sorted(rows, key=lambda row: (row.next_review, row.file))


def as_json(rows: list[LeafletStatus]) -> str:
    return json.dumps([asdict(row) for row in rows], indent=2, ensure_ascii=False)


def as_csv(rows: list[LeafletStatus]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(LeafletStatus.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    writer.writerows(asdict(row) for row in rows)
    return buffer.getvalue()


_STATE_STYLES = {"current": "green", "due-soon": "yellow", "overdue": "bold red"}


def as_table(rows: list[LeafletStatus], on: dt.date) -> Table:
    """A table for people: soonest due first, the state in words and colour."""
    table = Table(title=f"Leaflet reviews on {on.isoformat()}", title_justify="left")
    # File and title may wrap; codes, dates and states never should.
    for heading in ("File", "Code", "Title", "Version", "Status", "Last reviewed", "Next review", "Days left",
                    "State"):
        table.add_column(heading, justify="right" if heading == "Days left" else "left",
                         no_wrap=heading not in ("File", "Title"), min_width=4)
    for row in rows:
        # Text, not markup: a title with "[" in it must print as written.
        table.add_row(Text(row.file), Text(row.code), Text(row.title), Text(row.version),
                      Text(row.status, style="yellow" if row.status == "draft" else ""),
                      Text(row.last_reviewed), Text(row.next_review), Text(str(row.days_left)),
                      Text(row.state, style=_STATE_STYLES[row.state]))
    return table


def apply_overdue_policy(loaded: Loaded, document: Document, config: ProjectConfig, on: dt.date) -> None:
    """Warn about, mark, or refuse an overdue leaflet, as the project's policy says."""
    due = document.review_due_date
    _, state = review_state(due, on, config.review.warning_days)
    if state != "overdue":
        return
    policy = config.review.overdue_policy
    where = loaded.location(("review", "next_review") if document.leaflet.review.next_review else ("review",))
    message = f"review overdue: the next review was due on {due.isoformat()}"
    if policy == "refuse":
        raise LeafpressError(where, message + " and the project's overdue_policy is 'refuse'",
                             "review the leaflet and update review.last_reviewed, then build again")
    if policy == "watermark":
        document.marks.append(document.labels["review_overdue_mark"])
    document.warnings.append(f"{message} (line {where.line}) — review the leaflet and update review.last_reviewed")

