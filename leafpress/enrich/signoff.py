"""Sign-off: who approved a leaflet and when, its change history, and its draft mark.

A leaflet is a draft until it is approved by a named person on a date. A draft carries
"DRAFT – not for use with patients" on every page and in its PDF metadata, so it cannot
be mistaken for a leaflet that is safe to hand out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from leafpress.core.days import in_the_future
from leafpress.core.errors import LeafpressError
from leafpress.core.model import Leaflet
from leafpress.source.load import Loaded


@dataclass
class ChangeData:
    version: str
    date: str
    summary: str


@dataclass
class SignOff:
    """The sign-off as the end matter shows it, dates already written out in words."""

    status: str
    approved_by: str | None = None
    approved_on: str | None = None
    changes: list[ChangeData] = field(default_factory=list)

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def check_signoff(loaded: Loaded, leaflet: Leaflet) -> None:
    """``status: approved`` needs an approver (whose ``date`` the model already requires), and no
    approval or change is dated after today."""
    if leaflet.status == "approved" and leaflet.approved_by is None:
        raise LeafpressError(
            loaded.location(("status",)),
            "an approved leaflet needs 'approved_by'",
            "add approved_by with the approver's name, role and date, or set status: draft",
        )
    if leaflet.approved_by is not None and in_the_future(leaflet.approved_by.date):
        raise LeafpressError(
            loaded.location(("approved_by", "date")),
            f"approved_by.date {leaflet.approved_by.date} is in the future, so the leaflet would look "
            "signed off when it is not",
            "write the date it was approved, as YYYY-MM-DD",
        )
    for index, change in enumerate(leaflet.changes):
        if in_the_future(change.date):
            raise LeafpressError(
                loaded.location(("changes", index, "date")),
                f"changes[{index + 1}].date {change.date} is in the future",
                "write the date the change was made, as YYYY-MM-DD",
            )


def signoff(leaflet: Leaflet, long_date: Callable[[dt.date], str]) -> SignOff:
    """The sign-off for the end matter; changes newest first."""
    approval = None if leaflet.is_draft else leaflet.approved_by
    approver = None
    if approval is not None:
        approver = f"{approval.name}, {approval.role}" if approval.role else approval.name
    changes = sorted(leaflet.changes, key=lambda change: change.date, reverse=True)
    return SignOff(
        status="draft" if leaflet.is_draft else "approved",
        approved_by=approver,
        approved_on=long_date(approval.date) if approval else None,
        changes=[ChangeData(change.version, long_date(change.date), change.summary) for change in changes],
    )
