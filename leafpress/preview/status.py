"""A leaflet's review state, as the index shows it: current, due soon or overdue.

Kept apart so the project's own review module can take its place in one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leafpress.config import ProjectConfig
from leafpress.enrich import Document

STATE_LABELS = {"current": "Current", "due-soon": "Due soon", "overdue": "Overdue"}


@dataclass(frozen=True)
class ReviewState:
    state: str  # "current", "due-soon" or "overdue"
    due: dt.date
    days_left: int

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def explanation(self) -> str:
        if self.days_left < 0:
            return f"review was due {-self.days_left} days ago"
        if self.days_left == 0:
            return "review is due today"
        return f"review due in {self.days_left} days"


def review_state(document: Document, config: ProjectConfig, today: dt.date | None = None) -> ReviewState:
    """Overdue once the due date has passed; due soon within the project's warning window."""
    today = today or dt.date.today()
    due = document.review_due_date
    days_left = (due - today).days
    if days_left < 0:
        state = "overdue"
    elif days_left <= config.review.warning_days:
        state = "due-soon"
    else:
        state = "current"
    return ReviewState(state=state, due=due, days_left=days_left)
