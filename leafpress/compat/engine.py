"""Loading WeasyPrint without the compiler searches of ``ctypes.util.find_library``.

WeasyPrint opens Pango, HarfBuzz and fontconfig through cffi, trying several names for each
library, one per platform. cffi looks every name the loader does not know up with
``ctypes.util.find_library``, which on Linux runs ``ldconfig``, ``gcc`` and ``ld`` in turn: on
Debian, 22 such searches before the names that load, about 0.15 s of every process that builds a
PDF. While WeasyPrint is imported, the search finds nothing at once, so each library loads by the
name the loader knows; should no name load that way, WeasyPrint is imported again with the search
as it is. Nothing stays patched.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import io
import sys


def import_weasyprint() -> None:
    """Import WeasyPrint (once per process), its libraries found by the loader's own names."""
    if "weasyprint" in sys.modules:
        return
    searched = ctypes.util.find_library
    ctypes.util.find_library = _not_searched
    try:
        # WeasyPrint prints installation advice when no name of a library loads: the second try says it.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint  # noqa: F401
    except OSError:
        pass  # a library only the compiler's search finds: imported below the usual way
    finally:
        ctypes.util.find_library = searched
    import weasyprint  # noqa: F401, F811


def _not_searched(name: str) -> None:
    return None
