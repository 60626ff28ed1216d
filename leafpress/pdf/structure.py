"""A tagged PDF's structure tree, read and edited with pikepdf.

Helpers shared by the post-processing fixes: walking structure elements and their marked
content, and :class:`Tagged`, which keeps the structure tree and the parent tree in step while
elements are moved, merged or turned into artifacts.
"""

from __future__ import annotations

from typing import Any

import pikepdf


def is_element(obj: object) -> bool:
    """Whether ``obj`` is a structure element (a dictionary with a structure type)."""
    return isinstance(obj, pikepdf.Dictionary) and "/S" in obj


def kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    """The children of ``element``: elements, marked-content ids or references, as a list."""
    found = element.get("/K")
    if found is None:
        return []
    return list(found) if isinstance(found, pikepdf.Array) else [found]


def set_kids(element: pikepdf.Object, new_kids: list[pikepdf.Object]) -> None:
    """Replace the children of ``element``."""
    element.K = pikepdf.Array(new_kids)


def elements(root: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element under ``root``, depth first, in reading order."""
    found, stack = [], list(reversed(kids(root)))
    while stack:
        element = stack.pop()
        if is_element(element):
            found.append(element)
            stack.extend(reversed(kids(element)))
    return found


def mcids(element: pikepdf.Object) -> list[int]:
    """The marked-content ids directly under ``element`` (integers or MCR dictionaries)."""
    ids = []
    for kid in kids(element):
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and kid._type_code == pikepdf.ObjectType.integer):
            ids.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            ids.append(int(kid.MCID))
    return ids


class Tagged:
    """A tagged PDF's structure tree with its parent tree, for edits that keep both in step."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.Root.StructTreeRoot
        nums = self.root.ParentTree.get("/Nums", pikepdf.Array())
        self.parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        self.page_of: dict[Any, int] = {page.objgen: index for index, page in enumerate(pdf.pages)}
        # Marked content to turn into artifacts: page index -> {mcid: artifact properties or None}.
        self.artifacts: dict[int, dict[int, pikepdf.Dictionary | None]] = {}

    def page_parents(self, page_index: int) -> pikepdf.Array | None:
        """The parent tree's array for page ``page_index``: the element of each of its MCIDs."""
        page = self.pdf.pages[page_index].obj
        if "/StructParents" not in page:
            return None
        found = self.parents.get(int(page.StructParents))
        return found if isinstance(found, pikepdf.Array) else None

    def element_page(self, element: pikepdf.Object) -> int | None:
        """The index of the page ``element`` says its content is on, if any."""
        page = element.get("/Pg")
        return None if page is None else self.page_of.get(page.objgen)

    def repoint(self, element: pikepdf.Object, new_parent: pikepdf.Object | None) -> None:
        """Point the parent tree entries of ``element``'s marked content at ``new_parent`` (None: drop)."""
        page = self.element_page(element)
        parents = None if page is None else self.page_parents(page)
        if parents is None:
            return
        for mcid in mcids(element):
            if mcid < len(parents):
                parents[mcid] = new_parent

    def make_artifact(self, element: pikepdf.Object, properties: pikepdf.Dictionary | None = None) -> None:
        """Take ``element`` (and everything under it) out of the tree; its content becomes an artifact."""
        for each in [element, *elements(element)]:
            page = self.element_page(each)
            if page is not None:
                for mcid in mcids(each):
                    self.artifacts.setdefault(page, {})[mcid] = properties
            self.repoint(each, None)
        parent = element.get("/P")
        if parent is not None and "/K" in parent:
            set_kids(parent, [kid for kid in kids(parent) if kid.objgen != element.objgen])

    def merge_into(self, first: pikepdf.Object, second: pikepdf.Object) -> None:
        """Move ``second``'s content to the end of ``first`` and drop ``second``."""
        page = second.get("/Pg")
        moved: list[pikepdf.Object] = []
        for kid in kids(second):
            if is_element(kid):
                kid.P = first
                moved.append(kid)
            elif isinstance(kid, pikepdf.Dictionary):
                moved.append(kid)
            else:  # a bare MCID belongs to its element's page: say which page once it moves
                moved.append(pikepdf.Dictionary(Type=pikepdf.Name.MCR, Pg=page, MCID=int(kid)))
        self.repoint(second, first)
        set_kids(first, kids(first) + moved)
        parent = second.P
        set_kids(parent, [kid for kid in kids(parent) if kid.objgen != second.objgen])

    def write_artifacts(self) -> None:
        """Turn the collected marked-content sequences into artifacts in the page content."""
        for page_index, targets in self.artifacts.items():
            page = self.pdf.pages[page_index]
            instructions = []
            for instruction in pikepdf.parse_content_stream(page):
                operands = instruction.operands
                if (
                    str(instruction.operator) == "BDC"
                    and len(operands) == 2
                    and isinstance(operands[1], pikepdf.Dictionary)
                    and "/MCID" in operands[1]
                    and int(operands[1].MCID) in targets
                ):
                    properties = targets[int(operands[1].MCID)]
                    if properties is None:
                        instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact], pikepdf.Operator("BMC"))
                    else:
                        instruction = pikepdf.ContentStreamInstruction(
                            [pikepdf.Name.Artifact, properties], pikepdf.Operator("BDC")
                        )
                instructions.append(instruction)
            page.Contents = self.pdf.make_stream(pikepdf.unparse_content_stream(instructions))
