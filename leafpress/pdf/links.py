"""One link, one Link element: WeasyPrint makes a structure element per line and per generated part.

A link that wraps onto a second line gets a Link element (and an annotation) per line, and the
web address printed after it (``a::after``) becomes a Link nested inside the Link. A screen
reader then announces several links where the reader sees one. Here the Link elements of one
web address that follow each other in the tree, or sit inside each other, become one Link holding
every annotation of the link (PDF/UA allows a Link several annotations, one per line). Bold or
italic words inside a link get annotations of their own from WeasyPrint, under their own
elements: those are taken into the Link too (PDF/UA wants each link annotation directly under one).
"""

from __future__ import annotations

from io import BytesIO

import pikepdf


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _is_link(obj: object) -> bool:
    return isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Link"


def _target(link: pikepdf.Object) -> str | None:
    """The address a Link's first annotation goes to."""
    for kid in _kids(link):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            action = kid.Obj.get("/A")
            if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
                return str(action.URI)
            destination = kid.Obj.get("/Dest")
            return None if destination is None else repr(destination)
    return None


def _flatten(link: pikepdf.Object, target: str, removed: dict[tuple[int, int], pikepdf.Object]) -> list[pikepdf.Object]:
    """``link``'s kids, with Links to the same address inside it replaced by their own kids."""
    kids: list[pikepdf.Object] = []
    for kid in _kids(link):
        if _is_link(kid) and _target(kid) == target:
            removed[kid.objgen] = link
            kids.extend(_flatten(kid, target, removed))
        else:
            kids.append(kid)
    return kids


def _join_in(parent: pikepdf.Object, removed: dict[tuple[int, int], pikepdf.Object]) -> None:
    kept: list[pikepdf.Object] = []
    changed = False
    for kid in _kids(parent):
        target = _target(kid) if _is_link(kid) else None
        previous = kept[-1] if kept else None
        if target is not None and previous is not None and _is_link(previous) and _target(previous) == target:
            removed[kid.objgen] = previous
            previous.K = pikepdf.Array([*_kids(previous), *_flatten(kid, target, removed)])
            changed = True
            continue
        if target is not None and any(_is_link(inner) and _target(inner) == target for inner in _kids(kid)):
            kid.K = pikepdf.Array(_flatten(kid, target, removed))
        kept.append(kid)
    if changed:
        parent.K = pikepdf.Array(kept)


def _hoist_annotations(link: pikepdf.Object, target: str) -> list[pikepdf.Object]:
    """Take into ``link`` the annotations to its own address held by elements inside it.

    WeasyPrint gives an element inside a link (``<a>Smith <i>et al.</i>, 2020</a>``) an annotation
    of its own, under that element's structure element: PDF/UA wants every link annotation
    directly under a Link. Returns the annotations moved.
    """
    moved: list[pikepdf.Object] = []
    stack = [kid for kid in _kids(link) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
    while stack:
        element = stack.pop()
        if _is_link(element):
            continue  # a link of its own inside this one (not valid HTML): left as it is
        kept = []
        for kid in _kids(element):
            if _is_annotation_to(kid, target):
                moved.append(kid)
            else:
                kept.append(kid)
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append(kid)
        if len(kept) != len(_kids(element)):
            element.K = pikepdf.Array(kept)
    if moved:
        link.K = pikepdf.Array([*_kids(link), *moved])
    return [reference.Obj for reference in moved]


def _is_annotation_to(kid: object, target: str) -> bool:
    if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"):
        return False
    action = kid.Obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
        return str(action.URI) == target
    destination = kid.Obj.get("/Dest")
    return destination is not None and repr(destination) == target


def join_split_links(data: bytes) -> bytes:
    """``data`` with each link's Link elements joined into one, holding every annotation of the link
    (untagged PDFs unchanged)."""
    with pikepdf.open(BytesIO(data)) as pdf:
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return data
        removed: dict[tuple[int, int], pikepdf.Object] = {}
        stack = [root]
        while stack:
            element = stack.pop()
            if not _is_link(element):
                _join_in(element, removed)
            stack.extend(kid for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
        # Each annotation taken into a Link: by its StructParent number, the Link.
        hoisted: dict[int, pikepdf.Object] = {}
        stack = [root]
        while stack:
            element = stack.pop()
            target = _target(element) if _is_link(element) else None
            if target is not None:
                for annotation in _hoist_annotations(element, target):
                    if isinstance(annotation.get("/StructParent"), int):
                        hoisted[int(annotation.StructParent)] = element
            stack.extend(kid for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
        if not removed and not hoisted:
            return data

        def survivor(obj: pikepdf.Object) -> pikepdf.Object:
            while obj.objgen in removed:
                obj = removed[obj.objgen]
            return obj

        # Every kid of a joined Link now has it as parent, and so has its marked content and annotations.
        for kept in list(removed.values()):
            merged = survivor(kept)
            for kid in _kids(merged):
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    kid.P = merged
        nums = root.ParentTree.get("/Nums", pikepdf.Array())
        for index in range(1, len(nums), 2):
            entry = nums[index]
            if isinstance(entry, pikepdf.Array):
                nums[index] = pikepdf.Array(
                    [survivor(item) if isinstance(item, pikepdf.Dictionary) else item for item in entry]
                )
            elif isinstance(entry, pikepdf.Dictionary) and int(nums[index - 1]) in hoisted:
                nums[index] = survivor(hoisted[int(nums[index - 1])])
            elif isinstance(entry, pikepdf.Dictionary) and entry.objgen in removed:
                nums[index] = survivor(entry)
        out = BytesIO()
        pdf.save(out)
        return out.getvalue()
