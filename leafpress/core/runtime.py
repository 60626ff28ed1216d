"""Process-wide settings every leafpress process starts with (the command, build workers, tests)."""

from __future__ import annotations

import gc

# CPython runs its cycle collector after every 700 net new objects, and each run walks the young
# objects; a full run walks every object the process holds. A layout makes hundreds of thousands of
# boxes, styles and text runs that all live until the PDF is written, so the collector mostly walks
# objects that are still in use: a tenth to a seventh of a build's time. Collecting every 3,000
# saves most of that; the cycles a build leaves wait a little longer to be freed (a serial build of
# the examples peaks 20 MB higher; at 10,000 it was 35 MB, for no more speed).
YOUNG_OBJECTS_BEFORE_COLLECTING = 3_000


def collect_garbage_less_often() -> None:
    """Let the cycle collector run less often than CPython's default; the other generations keep
    their default ratios."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTING, middle, oldest)
