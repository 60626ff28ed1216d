"""A URL fetcher for WeasyPrint that reads only the project's own files.

WeasyPrint's default fetcher will read any local file (``file:///etc/passwd`` as an
attachment) and make network requests, so leaflets from outside must never get it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# Large images belong in an image editor, not in a leaflet.
MAX_RESOURCE_BYTES = 20_000_000


class RefusedFetch(FatalURLFetchingError):
    """A resource the leaflet may not use; stops the build with a message naming it."""


class ProjectFetcher(URLFetcher):
    """Serve ``file:`` URLs inside ``allowed_roots`` (after resolving links); refuse everything else."""

    def __init__(self, allowed_roots: list[Path], allowed_hosts: tuple[str, ...] = ()) -> None:
        super().__init__(timeout=10, allowed_protocols={"file", "data", "http", "https"}, fail_on_errors=True)
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.allowed_hosts = allowed_hosts

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme in ("http", "https"):
            if parts.hostname and parts.hostname.lower() in self.allowed_hosts:
                return super().fetch(url, headers)
            raise RefusedFetch(f"refused to fetch {url}: leafpress does not use the network "
                               "(list the host under 'allowed_hosts' in leafpress.yaml to allow it)")
        if scheme != "file":
            raise RefusedFetch(f"refused to fetch {url}: only files inside the project can be used")
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed_roots):
            raise RefusedFetch(f"refused to read {url}: it is outside the project folder")
        if not path.is_file():
            raise RefusedFetch(f"cannot read {url}: no such file")
        if path.stat().st_size > MAX_RESOURCE_BYTES:
            raise RefusedFetch(f"refused to read {url}: larger than {MAX_RESOURCE_BYTES:,} bytes")
        return URLFetcherResponse(path.as_uri(), path.read_bytes())
