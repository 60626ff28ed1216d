"""Today's date as leafpress sees it: the machine's, or the day a test or a "what if" check sets."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from leafpress.core.errors import LeafpressError, Location

# Set to YYYY-MM-DD to build or list as if it were that day (for tests and "what if" checks).
TODAY_VARIABLE = "LEAFPRESS_TODAY"


def parse_day(text: str, where: str) -> dt.date:
    """A YYYY-MM-DD date, or a clear error naming ``where`` it came from."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise LeafpressError(
            Location(Path(where)), f"'{text}' is not a date", "write it as YYYY-MM-DD, for example 2026-07-24"
        ) from None


def today() -> dt.date:
    """Today, or the day set in ``LEAFPRESS_TODAY``."""
    value = os.environ.get(TODAY_VARIABLE)
    return parse_day(value, TODAY_VARIABLE) if value else dt.date.today()


def in_the_future(day: dt.date) -> bool:
    """True for a day after today; a day's grace, as a reviewer ahead of this machine's time zone
    may already be on tomorrow."""
    return day > today() + dt.timedelta(days=1)
