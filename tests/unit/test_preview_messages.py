"""The preview's WebSocket messages, read as untrusted input: any frame gives a Watch or None."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from leafpress.preview.messages import MAX_FRAME_BYTES, Throttle, Watch, parse_watch

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
WATCH_LIKE = st.fixed_dictionaries(
    {"type": st.just("watch")},
    optional={"view": JSON_VALUES, "leaflet": JSON_VALUES, "format": JSON_VALUES, "rev": JSON_VALUES},
)


@settings(max_examples=400, deadline=None)
@given(frame=st.one_of(st.binary(max_size=200), st.text(max_size=200), JSON_VALUES.map(json.dumps)))
def test_any_frame_is_a_watch_or_nothing(frame: str | bytes) -> None:
    key = "bytes" if isinstance(frame, bytes) else "text"
    result = parse_watch({"type": "websocket.receive", key: frame}, "standard")
    assert result is None or isinstance(result, Watch)


@settings(max_examples=400, deadline=None)
@given(data=WATCH_LIKE)
def test_a_watch_of_any_shape_gives_only_well_typed_fields(data: dict[str, Any]) -> None:
    result = parse_watch({"type": "websocket.receive", "text": json.dumps(data)}, "standard")
    if result is not None:
        assert isinstance(result.leaflet, str) and isinstance(result.format, str)
        assert type(result.rev) is int and 0 <= result.rev <= 2**53


def test_what_a_page_sends_is_read_and_nothing_else() -> None:
    def parse(text: str) -> Watch | None:
        return parse_watch({"type": "websocket.receive", "text": text}, "standard")

    assert parse('{"type": "watch", "view": "leaflet", "leaflet": "liver.yaml", "rev": 3}') == Watch(
        "liver.yaml", "standard", 3
    )
    assert parse('{"type": "watch", "leaflet": "a.yaml", "format": "large-print"}') == Watch("a.yaml", "large-print", 0)
    assert parse('{"type": "watch", "view": "index"}') == Watch()
    for odd in ('{"type": "watch", "leaflet": "a.yaml", "rev": true}', "[" * 10_000, "x" * (MAX_FRAME_BYTES + 1)):
        assert parse(odd) is None
    assert parse_watch({"type": "websocket.receive", "bytes": b'{"type": "watch"}'}, "standard") is None


def test_the_throttle_lets_a_burst_through_then_its_rate() -> None:
    throttle = Throttle(rate=10, burst=5)
    allowed = sum(throttle.allow() for _ in range(1_000))
    assert 5 <= allowed <= 7  # the burst, and what the rate refills while the loop runs
