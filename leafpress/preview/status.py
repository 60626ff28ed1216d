"""A leaflet's review state as the preview shows it, from the project's review cycle (``leafpress.enrich.review``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from leafpress.core.config import ProjectConfig
from leafpress.core.days import today
from leafpress.enrich.document import Document
from leafpress.enrich.review import State
from leafpress.enrich.review import review_state as state_on

STATE_LABELS = {"current": "Current", "due-soon": "Due soon", "overdue": "Overdue"}


@dataclass(frozen=True)
class ReviewState:
    state: State
    due: dt.date
    days_left: int
    draft: bool = False

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


def review_state(document: Document, config: ProjectConfig) -> ReviewState:
    """Current, due soon (within the project's warning window) or overdue, as ``status`` says."""
    days_left, state = state_on(document.review_due_date, today(), config.review.warning_days)
    return ReviewState(state=state, due=document.review_due_date, days_left=days_left, draft=document.leaflet.is_draft)
