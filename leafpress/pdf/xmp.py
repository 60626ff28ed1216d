"""Provenance in the PDF's XMP metadata, beside the document-info fields, for tools that read only XMP.

WeasyPrint writes one ``rdf:RDF`` packet; XMP allows only one, so the provenance goes in
as an extra ``rdf:Description`` inside it rather than as a second packet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from leafpress.compat import add_rdf_description

if TYPE_CHECKING:
    from weasyprint.pdf.metadata import DocumentMetadata

NAMESPACE = "https://leafpress.org/ns/provenance/1.0/"
PREFIX = "leafpress"


def provenance_description(fields: dict[str, str]) -> bytes:
    """An ``rdf:Description`` holding ``fields`` (names must be XML names, as the provenance keys are)."""
    properties = "".join(f"<{PREFIX}:{name}>{escape(value)}</{PREFIX}:{name}>" for name, value in fields.items())
    return (f'<rdf:Description rdf:about="" xmlns:{PREFIX}="{NAMESPACE}">{properties}</rdf:Description>').encode()


def add_to_xmp(metadata: DocumentMetadata, fields: dict[str, str]) -> None:
    """Make ``metadata`` write ``fields`` into its XMP packet as well."""
    add_rdf_description(metadata, provenance_description(fields))
