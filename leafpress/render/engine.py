"""WeasyPrint's classes the renderers use, WeasyPrint imported once the quick way
(:func:`leafpress.compat.import_weasyprint`): the render modules take them from here."""

from leafpress.compat import import_weasyprint

import_weasyprint()

from weasyprint import CSS, HTML  # noqa: E402
from weasyprint.document import Document as LaidOut  # noqa: E402
from weasyprint.text.fonts import FontConfiguration  # noqa: E402
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse  # noqa: E402

__all__ = ["CSS", "HTML", "FatalURLFetchingError", "FontConfiguration", "LaidOut", "URLFetcher", "URLFetcherResponse"]
