"""Refuse a YAML document that nests too deep or expands too far, before it is composed.

libyaml's composer (and PyYAML's) recurses once per level of nesting, so 100 KB of ``[``
overflows the C stack and kills the process before any depth check on the node tree can run.
And ``<<:`` merge keys copy the merged mappings into each other as they are composed: a few
hundred bytes of anchors merged into anchors take minutes and gigabytes. The event stream is
flat (the parser keeps its own stack), so it is walked first: each collection's size counts
every alias at the full size of what it names, which bounds both what the merges copy and
what the node walk will visit.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml


@dataclass(frozen=True)
class Excess:
    """Where (1-based line and column) a limit is crossed, and which."""

    line: int
    column: int
    too_deep: bool


def _excess(event: yaml.Event, *, too_deep: bool) -> Excess:
    mark = event.start_mark
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return Excess(line, column, too_deep)


def first_excess(source: str, loader: type, max_depth: int, max_values: int) -> Excess | None:
    """The first place ``source`` nests deeper than ``max_depth`` or expands past ``max_values``.

    A syntax error ends the scan quietly: composing reports it with its own words.
    """
    anchors: dict[str, int] = {}
    # One entry per open collection: its anchor and the values it holds so far.
    open_collections: list[tuple[str | None, list[int]]] = []

    def add(size: int, event: yaml.Event) -> Excess | None:
        if not open_collections:
            return None
        holder = open_collections[-1][1]
        holder[0] += size
        return _excess(event, too_deep=False) if holder[0] > max_values else None

    try:
        for event in yaml.parse(source, Loader=loader):
            found: Excess | None = None
            if isinstance(event, yaml.CollectionStartEvent):
                if len(open_collections) > max_depth:  # the document itself is level 0
                    return _excess(event, too_deep=True)
                open_collections.append((event.anchor, [1]))
            elif isinstance(event, yaml.CollectionEndEvent) and open_collections:
                anchor, (size,) = open_collections.pop()
                if anchor is not None:
                    anchors[anchor] = size
                found = add(size, event)
            elif isinstance(event, yaml.ScalarEvent):
                if event.anchor is not None:
                    anchors[event.anchor] = 1
                found = add(1, event)
            elif isinstance(event, yaml.AliasEvent):
                found = add(anchors.get(event.anchor or "", 1), event)
            if found is not None:
                return found
    except yaml.YAMLError:
        return None
    return None
