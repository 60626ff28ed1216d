"""PDF/UA-1 conformance judged by an independent validator: page-validation (the ``page`` package).

leafpress's own read-back (:mod:`leafpress.pdf.inspect`) knows what leafpress means to write;
an independent validator, which passes the veraPDF test corpus, knows what PDF/UA-1 asks.
Every accessible PDF is judged by it, in ``build`` (a warning, or an error with ``--strict``)
and in ``check`` (a failure fails the leaflet).
"""

from __future__ import annotations

import re
import threading
from dataclasses import asdict, dataclass, field
from importlib.metadata import version
from io import BytesIO
from typing import Any

PROFILE = "ua1"
# How a build's warning about a failed rule begins (``--strict`` makes these errors).
PDFUA_WARNING = "not PDF/UA-1 compliant"


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    page: int | None
    message: str


@dataclass
class Verdict:
    validator: str
    compliant: bool
    failures: list[RuleFailure] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "validator": self.validator,
            "compliant": self.compliant,
            "failures": [asdict(failure) for failure in self.failures],
        }

    def summary(self) -> list[str]:
        """One line per failed rule (its first page), for people."""
        seen: dict[str, RuleFailure] = {}
        for failure in self.failures:
            seen.setdefault(failure.rule, failure)
        return [f"{rule}{f' (page {f.page})' if f.page else ''}: {f.message}" for rule, f in seen.items()]


def validator_name() -> str:
    return f"page-validation {version('page-validation')}"


# The last verdict this thread gave: the build's read-back and the findings it records for
# ``check`` (leafpress.pdf.findings) judge the same bytes, and need the validator once.
_last = threading.local()


def validate_pdfua(pdf: bytes) -> Verdict:
    """The validator's PDF/UA-1 verdict on ``pdf``, each failed rule with its page where it has one."""
    kept: tuple[bytes, Verdict] | None = getattr(_last, "verdict", None)
    if kept is not None and kept[0] == pdf:
        return kept[1]
    verdict = _validate(pdf)
    _last.verdict = (pdf, verdict)
    return verdict


def _validate(pdf: bytes) -> Verdict:
    import page

    try:
        report = page.validate_pdf_bytes(pdf, profile=PROFILE)
    except page.PageError as exc:
        return Verdict(validator_name(), False, [RuleFailure("unreadable", None, str(exc))])
    pages = _object_pages(pdf) if report.failures else {}
    failures = [
        RuleFailure(
            failure.rule_id,
            (pages.get(failure.object_id.object_number) if failure.object_id else None) or _page_in(failure.message),
            failure.message,
        )
        for failure in report.failures
    ]
    return Verdict(validator_name(), bool(report.is_compliant), failures)


def _page_in(message: str) -> int | None:
    """The page a message names ("annotation 1 on page 3 …"), if it names one."""
    match = re.search(r"\bpage (\d+)\b", message)
    return int(match.group(1)) if match else None


def _object_pages(pdf: bytes) -> dict[int, int]:
    """Object number → the page it is on, for pages, their annotations and structure elements."""
    import pikepdf

    found: dict[int, int] = {}
    with pikepdf.open(BytesIO(pdf)) as document:
        for number, page in enumerate(document.pages, start=1):
            found[page.obj.objgen[0]] = number
            for annotation in page.obj.get("/Annots", []):
                if annotation.is_indirect:
                    found.setdefault(annotation.objgen[0], number)
        page_numbers = {page.obj.objgen: number for number, page in enumerate(document.pages, start=1)}
        root = document.Root.get("/StructTreeRoot")
        stack = [root] if root is not None else []
        while stack:
            element = stack.pop()
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
                if isinstance(kid, pikepdf.Dictionary):
                    target = kid.get("/Pg")
                    if kid.is_indirect and target is not None and target.objgen in page_numbers:
                        found.setdefault(kid.objgen[0], page_numbers[target.objgen])
                    if "/S" in kid:
                        stack.append(kid)
    return found
