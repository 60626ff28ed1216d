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


def _hoist_annotations(link: pikepdf.Object, target: str) -> tuple[list[pikepdf.Object], list[pikepdf.Object]]:
    """Take into ``link`` the annotations to its own address held by elements inside it.

    WeasyPrint gives an element inside a link (``<a>Smith <i>et al.</i>, 2020</a>``, an address's
    parts) an annotation of its own, under that element's structure element: PDF/UA wants every
    link annotation directly under a Link, and each annotation is a stop for the Tab key. One that
    lies inside an annotation the Link already has is dropped; any other is moved into the Link.
    Returns (the annotations moved, the annotations dropped).
    """
    own = [kid for kid in _kids(link) if _is_annotation_to(kid, target)]
    moved: list[pikepdf.Object] = []
    dropped: list[pikepdf.Object] = []
    stack = [kid for kid in _kids(link) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
    while stack:
        element = stack.pop()
        if _is_link(element):
            continue  # a link of its own inside this one (not valid HTML): left as it is
        kept = []
        for kid in _kids(element):
            if _is_annotation_to(kid, target):
                (dropped if any(_inside(kid, outer) for outer in own) else moved).append(kid)
            else:
                kept.append(kid)
                if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                    stack.append(kid)
        if len(kept) != len(_kids(element)):
            element.K = pikepdf.Array(kept)
    if moved:
        link.K = pikepdf.Array([*_kids(link), *moved])
    return [reference.Obj for reference in moved], [reference.Obj for reference in dropped]


def _inside(reference: pikepdf.Object, outer: pikepdf.Object, slack: float = 1.0) -> bool:
    """True when the annotation of ``reference`` (an OBJR) lies within ``outer``'s on the same page
    (in points, give or take ``slack``)."""
    page, outer_page = reference.get("/Pg"), outer.get("/Pg")
    if page is None or outer_page is None or page.objgen != outer_page.objgen:
        return False
    inner_x0, inner_y0, inner_x1, inner_y1 = _sorted_rect(reference.Obj.Rect)
    outer_x0, outer_y0, outer_x1, outer_y1 = _sorted_rect(outer.Obj.Rect)
    return (
        inner_x0 >= outer_x0 - slack
        and inner_y0 >= outer_y0 - slack
        and inner_x1 <= outer_x1 + slack
        and inner_y1 <= outer_y1 + slack
    )


def _sorted_rect(rect: pikepdf.Object) -> tuple[float, float, float, float]:
    """A PDF rectangle as (left, bottom, right, top), whichever corners it was written with."""
    x0, y0, x1, y1 = (float(value) for value in rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _is_annotation_to(kid: object, target: str) -> bool:
    if not (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"):
        return False
    action = kid.Obj.get("/A")
    if isinstance(action, pikepdf.Dictionary) and "/URI" in action:
        return str(action.URI) == target
    destination = kid.Obj.get("/Dest")
    return destination is not None and repr(destination) == target


def _drop_annotations(pdf: pikepdf.Pdf, annotations: list[pikepdf.Object]) -> None:
    """Take ``annotations`` off their pages and out of the structure's parent tree."""
    if not annotations:
        return
    gone = {annotation.objgen for annotation in annotations}
    numbers = {int(a.StructParent) for a in annotations if isinstance(a.get("/StructParent"), int)}
    for page in pdf.pages:
        listed = page.obj.get("/Annots")
        if isinstance(listed, pikepdf.Array) and any(a.objgen in gone for a in listed):
            page.obj.Annots = pikepdf.Array([a for a in listed if a.objgen not in gone])
    parent_tree = pdf.Root.StructTreeRoot.ParentTree
    nums = parent_tree.get("/Nums")
    if isinstance(nums, pikepdf.Array):
        pairs = [(nums[i], nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
        kept = [item for key, value in pairs if int(key) not in numbers for item in (key, value)]
        parent_tree.Nums = pikepdf.Array(kept)


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
        # Each annotation taken into a Link: by its StructParent number, the Link; and those dropped.
        hoisted: dict[int, pikepdf.Object] = {}
        dropped: list[pikepdf.Object] = []
        stack = [root]
        while stack:
            element = stack.pop()
            target = _target(element) if _is_link(element) else None
            if target is not None:
                moved, inside = _hoist_annotations(element, target)
                hoisted.update({int(a.StructParent): element for a in moved if isinstance(a.get("/StructParent"), int)})
                dropped += inside
            stack.extend(kid for kid in _kids(element) if isinstance(kid, pikepdf.Dictionary) and "/S" in kid)
        if not removed and not hoisted and not dropped:
            return data
        _drop_annotations(pdf, dropped)

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
