"""Styles a new layout of an edited tree shares with the earlier layout (see :mod:`leafpress.compat.relayout`).

An element whose cascade the edit did not change, under a parent whose style was shared too, has
the computed style it had: the new layout takes that style object, with the values already computed
in it, instead of computing them again (most of a layout's styling time). And a page of the earlier
layout may be kept only when every element on it is styled as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def lend_style(
    old_styles: dict[Any, Any],
    style_for: Any,
    element: Any,
    parent: Any,
    root: Any,
    pseudo_type: str | None,
    target_collector: Any,
) -> bool:
    """Give ``element`` (or its ``pseudo_type``) in the new cascade ``style_for`` its style in
    ``old_styles`` when the same declarations won its cascade and its parent's style is the one
    shared too; whether it did. WeasyPrint's own ``set_computed_styles`` is then not called."""
    old = old_styles.get((element, pseudo_type))
    if old is None or not _same_origin(old, style_for, element, parent, root, pseudo_type):
        return False
    style_for._computed_styles[element, pseudo_type] = old
    if target_collector and old["anchor"]:
        target_collector.collect_anchor(old["anchor"])
    return True


def _same_origin(old: Any, style_for: Any, element: Any, parent: Any, root: Any, pseudo_type: str | None) -> bool:
    """Whether ``old`` was computed from the declarations that now win the cascade, under the style
    the parent now has (then every value it holds, or will compute, is the new one)."""
    cascaded = style_for._cascaded_styles.get((element, pseudo_type), {})
    if parent is None:
        parent_style = None
    else:
        parent_style = style_for._computed_styles.get((parent, None))
        if parent_style is None:
            return False
    # WeasyPrint sets the overflow of the root's or the body's style to visible once it has read it.
    if "overflow" in cascaded and (element is root or getattr(element, "tag", None) == "body"):
        return False
    return old.parent_style is parent_style and _same_cascade(old.cascaded, cascaded)


class SameStyles:
    """Whether every element with a box on a page to reuse, and every ancestor it inherits from, has
    the cascaded declarations it had: then its computed style is the one the new cascade gives.

    The declarations are compared, not the computed values, which the new cascade computes lazily
    (comparing those made it compute every property of every element on the pages kept).
    """

    def __init__(self, earlier: Any, context: Any) -> None:
        self.old_styles = earlier.context.style_for._computed_styles
        self.new_styles = context.style_for._computed_styles
        self.verdicts: dict[tuple[int, int], bool] = {}

    def page(self, root_children: list[Any]) -> bool:
        for box in _descendants(root_children):
            if _out_of_flow(box) or _first_letter(box):
                return False
            element = getattr(box, "element", None)
            for pseudo in () if element is None else (None, *_pseudo_of(box)):
                old = self.old_styles.get((element, pseudo))
                if old is not None and not self._same(old, self.new_styles.get((element, pseudo))):
                    return False
        return True

    def _same(self, old: Any, new: Any) -> bool:
        """The two styles, and those they inherit from up to the root's, had the same declarations."""
        chain = []
        while old is not None and new is not None and (id(old), id(new)) not in self.verdicts:
            chain.append((old, new))
            old, new = old.parent_style, new.parent_style  # the root's is None
        verdict = old is new if old is None or new is None else self.verdicts[id(old), id(new)]
        for old, new in reversed(chain):
            verdict = verdict and (old is new or _same_cascade(old.cascaded, new.cascaded))
            self.verdicts[id(old), id(new)] = verdict
        return verdict


def _same_cascade(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    """The same declarations won the cascade for every property (``(value, weight)`` by name)."""
    old, new = old or {}, new or {}
    if old.keys() != new.keys():
        return False
    for name, (value, weight) in old.items():
        new_value, new_weight = new[name]
        if new_weight != weight or not (new_value is value or _same_value(new_value, value)):
            return False
    return True


def _out_of_flow(box: Any) -> bool:
    """A float, absolute or running box, which may carry on past its page outside the page maker
    (a list's outside marker is placed absolutely beside its own line, so it never does)."""
    if (getattr(box, "element_tag", "") or "").endswith("::marker"):
        return False
    return bool(box.is_floated() or box.is_absolutely_positioned() or box.is_running())


def _first_letter(box: Any) -> bool:
    """A ``::first-letter`` box, which WeasyPrint makes by changing the box tree as it lays the page out."""
    return (getattr(box, "element_tag", "") or "").endswith("::first-letter")


def _same_value(new: Any, old: Any) -> bool:
    """Equal computed values; a custom property's tokens (``--natural-width``) compare by their text,
    as each cascade makes new token objects."""
    return bool(new == old) or _serialized(new) == _serialized(old)


def _serialized(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return tuple(_serialized(item) for item in value)
    serialize = getattr(value, "serialize", None)
    return serialize() if callable(serialize) else value


def _pseudo_of(box: Any) -> tuple[str, ...]:
    tag = getattr(box, "element_tag", "") or ""
    return (tag.split("::", 1)[1],) if "::" in tag else ()


def _descendants(children: list[Any]) -> Iterator[Any]:
    for child in children:
        yield child
        yield from _descendants(getattr(child, "children", None) or [])
