"""What a page may tell the preview over its WebSocket, read as untrusted input.

Any program on this computer can open the socket, so a frame may be binary, huge, not JSON,
JSON of another shape, or one of thousands a second. Each is read into a :class:`Watch` or
dropped; none can raise, and a flood costs only the parsing of what is let through.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# A page's own messages are under 200 characters; the server refuses frames over this size.
MAX_FRAME_BYTES = 16 * 1024
# Revisions are counters from this server: anything past JavaScript's exact integers is not one.
MAX_REV = 2**53
# A page sends a message when it opens or reconnects: a few a second is already generous.
MESSAGES_PER_SECOND = 20.0
BURST = 40.0


@dataclass(frozen=True)
class Watch:
    """The page shows the index (``leaflet`` empty), or ``leaflet`` in ``format`` at revision ``rev``."""

    leaflet: str = ""
    format: str = ""
    rev: int = 0

    @property
    def index(self) -> bool:
        return not self.leaflet


def parse_watch(message: Mapping[str, Any], default_format: str) -> Watch | None:
    """The watch request in an ASGI ``websocket.receive`` message; None for anything else."""
    text = message.get("text")
    if not isinstance(text, str) or len(text) > MAX_FRAME_BYTES:
        return None  # binary frames and oversized text are not messages a page sends
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
        return None
    if not isinstance(data, dict) or data.get("type") != "watch":
        return None
    if data.get("view") == "index":
        return Watch()
    leaflet, format_name, rev = data.get("leaflet"), data.get("format") or default_format, data.get("rev") or 0
    if not (isinstance(leaflet, str) and leaflet and isinstance(format_name, str)):
        return None
    if type(rev) is not int or not 0 <= rev <= MAX_REV:  # bool is an int subclass: refuse it too
        return None
    return Watch(leaflet, format_name, rev)


class Throttle:
    """A token bucket: ``allow()`` is True for at most ``rate`` calls a second, after a ``burst``."""

    def __init__(self, rate: float = MESSAGES_PER_SECOND, burst: float = BURST) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.last = time.monotonic()

    def allow(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True
