"""Process-wide settings every leafpress process starts with (the command, build workers, tests)."""

from __future__ import annotations

import gc

# CPython runs its cycle collector after every 700 net new objects, and each run walks the young
# objects; a full run walks every object the process holds. A layout makes hundreds of thousands of
# boxes, styles and text runs that all live until the PDF is written, so the collector mostly walks
# objects that are still in use: a tenth to a seventh of a build's time. Collecting every 10,000
# keeps the cycles a build leaves (freed when the next run comes) and spends about a tenth as long.
YOUNG_OBJECTS_BEFORE_COLLECTING = 10_000


def collect_garbage_less_often() -> None:
    """Let the cycle collector run less often than CPython's default; the other generations keep
    their default ratios."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, middle, oldest)
