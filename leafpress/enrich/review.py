"""The review cycle: when each leaflet is due for review, and what happens once it is overdue.

A quality mark for health information asks that out-of-date leaflets are not handed out,
so ``status`` lists every leaflet's review state (and exits 1 when one is overdue) and a
build of an overdue leaflet follows the project's ``review.overdue_policy``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from leafpress.core.days import in_the_future
from leafpress.core.errors import LeafpressError, LeafpressWarning

if TYPE_CHECKING:  # types only: `leafpress status` and the CLI's help need none of these at run time
    from leafpress.core.config import ProjectConfig
    from leafpress.core.model import Leaflet
    from leafpress.enrich.document import Document
    from leafpress.source.load import Loaded

State = Literal["current", "due-soon", "overdue"]


def review_state(due: dt.date, on: dt.date, warning_days: int) -> tuple[int, State]:
    """Days left until ``due`` (negative once past) and the state that makes."""
    days_left = (due - on).days
    if days_left < 0:
        return days_left, "overdue"
    if days_left <= warning_days:
        return days_left, "due-soon"
    return days_left, "current"


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved on by whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def review_due_date(leaflet: Leaflet, config: ProjectConfig) -> dt.date:
    """The given next review date, or last review plus the project's review interval."""
    return leaflet.review.next_review or add_years(leaflet.review.last_reviewed, config.review.interval_years)


class OverdueRefused(LeafpressError):
    """An overdue leaflet under ``overdue_policy: refuse``: its earlier outputs must go too."""


def check_review_interval(loaded: Loaded, leaflet: Leaflet, config: ProjectConfig) -> None:
    """Refuse a last review after today and a next review further off than the project allows;
    ``build``, ``check`` and ``status`` all judge a leaflet by this one rule."""
    last = leaflet.review.last_reviewed
    if in_the_future(last):
        raise LeafpressError(
            loaded.location(("review", "last_reviewed")),
            f"last_reviewed {last} is in the future, so the leaflet would look reviewed when it is not",
            "write the date of the last review that took place, as YYYY-MM-DD",
        )
    latest = add_years(leaflet.review.last_reviewed, config.review.max_years)
    if leaflet.review.next_review and leaflet.review.next_review > latest:
        raise LeafpressError(
            loaded.location(("review", "next_review")),
            f"next_review {leaflet.review.next_review} is more than {config.review.max_years} years "
            f"after last_reviewed",
            f"review by {latest} at the latest, or leave next_review out to use the project's interval",
        )


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
        raise OverdueRefused(
            where,
            message + " and the project's overdue_policy is 'refuse'",
            "review the leaflet and update review.last_reviewed, then build again",
        )
    if policy == "watermark":
        document.marks.append(document.labels["review_overdue_mark"])
    document.warnings.append(LeafpressWarning(f"{message} — review the leaflet and update review.last_reviewed", where))
